// sfsync/core/Platform.h: the lock file's recorded text, the process-existence probe and the
// socket shutdown that wakes a blocked reader.
#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Process.h>

#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

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

// Threads of one process replacing the same private file at once: each write succeeds and the
// file holds one writer's complete text (a temporary name shared by the threads of a process,
// truncated by each, made renames fail and mixed the texts).
TEST(PlatformTest, ConcurrentPrivateWritesOfOneFileNeverCollide) {
  testing::TempDir dir;
  const std::string path = dir.file("credentials.enc");
  std::vector<std::thread> threads;
  std::vector<int> failures(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const std::string text(4096, static_cast<char>('a' + t));
      for (int i = 0; i < 40; ++i) {
        if (!platform::writePrivateFileAtomically(path, text).ok()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  const std::string text = testing::readFile(path);
  ASSERT_EQ(text.size(), 4096u);
  EXPECT_EQ(text, std::string(4096, text[0]));
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    static_cast<void>(entry);
    ++files;
  }
  EXPECT_EQ(files, 1);  // no temporary file left
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
