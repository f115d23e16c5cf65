// sfsync/core/Platform.h: the lock file's recorded text, the process-existence probe and the
// socket shutdown that wakes a blocked reader.
#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Process.h>

#include <future>
#include <string>

#include "fakes/TempDir.h"
#include "sfsync/core/Platform.h"

namespace sfsync {
namespace {

TEST(PlatformTest, WriteTextReplacesTheLockFilesContents) {
  testing::TempDir dir;
  const std::string path = dir.file("x.lock");
  auto lock = platform::FileLock::tryAcquire(path);
  ASSERT_TRUE(lock.ok()) << lock.status().toString();
  ASSERT_TRUE(lock->writeText("123456\n").ok());
  ASSERT_TRUE(lock->writeText("42\n").ok());  // shorter: nothing of the old text is left
  EXPECT_EQ(testing::readFile(path), "42\n");
  lock->release();
  EXPECT_FALSE(lock->writeText("7\n").ok());  // not held
}

TEST(PlatformTest, ProcessExistsUntilTheProcessIsGone) {
  EXPECT_TRUE(platform::processExists(static_cast<long>(Poco::Process::id())));
  EXPECT_FALSE(platform::processExists(0));
  Poco::ProcessHandle child = Poco::Process::launch("/bin/true", {});
  const long pid = child.id();
  child.wait();  // reaped: the pid names no process (until reused, which a test run never sees)
  EXPECT_FALSE(platform::processExists(pid));
}

TEST(PlatformTest, ShutdownSocketWakesABlockedReader) {
  Poco::Net::ServerSocket server;
  server.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
  server.listen(1);
  Poco::Net::StreamSocket client(server.address());
  Poco::Net::StreamSocket accepted = server.acceptConnection();  // never writes
  auto reader = std::async(std::launch::async, [&client] {
    char byte = 0;
    return client.receiveBytes(&byte, 1);  // blocks: no timeout set
  });
  platform::shutdownSocket(client.impl()->sockfd());
  const bool woke = reader.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  if (!woke) accepted.close();  // ends the read so the test fails instead of hanging
  EXPECT_TRUE(woke);
  EXPECT_EQ(reader.get(), 0);  // end of stream
}

}  // namespace
}  // namespace sfsync
