// TerminationSignals: the daemon's one place for POSIX signal handling while it serves. SIGINT,
// SIGTERM and SIGQUIT request a clean shutdown; SIGHUP (conventionally "reload") is received and
// reported but does not stop the daemon - configuration reload is not supported yet. All four are
// blocked in every thread and taken synchronously by wait() (sigwait), so no thread can be killed
// by one and no async-signal-safety concerns arise.
//
// Thread-safety: block() must run on the main thread before any other thread is started (threads
// inherit the mask); wait() on that same thread.
#pragma once

#include <functional>
#include <string>

namespace sfsync::app {

class TerminationSignals {
 public:
  // Blocks SIGINT, SIGTERM, SIGQUIT and SIGHUP in the calling thread (and in the threads it starts
  // afterwards).
  static void block();
  // Waits for a termination signal and returns its name ("SIGTERM", ...). Each SIGHUP meanwhile
  // calls onHangup and waiting goes on.
  static std::string wait(const std::function<void()>& onHangup);
};

}  // namespace sfsync::app
