#include "app/TerminationSignals.h"

#include <pthread.h>
#include <signal.h>

namespace sfsync::app {

namespace {

sigset_t handledSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal : {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&set, signal);
  return set;
}

}  // namespace

void TerminationSignals::block() {
  const sigset_t set = handledSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::string TerminationSignals::wait(const std::function<void()>& onHangup) {
  const sigset_t set = handledSignals();
  while (true) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) continue;  // only EINVAL is possible; the set is valid
    switch (signal) {
      case SIGHUP:
        if (onHangup) onHangup();
        continue;
      case SIGINT:
        return "SIGINT";
      case SIGQUIT:
        return "SIGQUIT";
      default:
        return "SIGTERM";
    }
  }
}

}  // namespace sfsync::app
