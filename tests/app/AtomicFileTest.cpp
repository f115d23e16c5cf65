// AtomicFile (issue 17, the editor's saves): a replaced file holds the old bytes or the new ones,
// never part of either, and a failed write leaves the old file and no temporary file behind. The
// failure is injected with RLIMIT_FSIZE (the kernel refuses the write with EFBIG), so it is a real
// short write, not a simulated one.
#include "app/AtomicFile.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <string>

#include "fakes/TempDir.h"

namespace sfsync::app {
namespace {

namespace fs = std::filesystem;

int filesIn(const std::string& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;
  return n;
}

TEST(AtomicFileTest, ReplacesCreatesAndRemoves) {
  testing::TempDir dir;
  dir.write("jobs/a.json", "old");
  ASSERT_TRUE(writeFileAtomically(dir.file("jobs/a.json"), "new text").ok());
  EXPECT_EQ(testing::readFile(dir.file("jobs/a.json")), "new text");
  ASSERT_TRUE(writeFileAtomically(dir.file("jobs/b.json"), "b").ok());
  EXPECT_EQ(readWholeFile(dir.file("jobs/b.json")).value(), std::optional<std::string>("b"));
  EXPECT_EQ(filesIn(dir.file("jobs")), 2);  // no temporary file left
  ASSERT_TRUE(removeFileDurably(dir.file("jobs/b.json")).ok());
  EXPECT_FALSE(readWholeFile(dir.file("jobs/b.json")).value().has_value());
  EXPECT_FALSE(removeFileDurably(dir.file("jobs/b.json")).ok());
}

TEST(AtomicFileTest, AFailedWriteLeavesTheOldFileAndNoTemporaryFile) {
  testing::TempDir dir;
  dir.write("jobs/a.json", "the old definition");
  // The kernel refuses writes past 16 bytes (EFBIG; SIGXFSZ ignored so the process survives).
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 16;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const Status written =
      writeFileAtomically(dir.file("jobs/a.json"), std::string(4096, 'x') + " the new one");
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
  std::signal(SIGXFSZ, previousHandler);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.code(), StatusCode::kIoError);
  EXPECT_NE(written.message().find("a.json"), std::string::npos) << written.message();
  EXPECT_EQ(testing::readFile(dir.file("jobs/a.json")), "the old definition");
  EXPECT_EQ(filesIn(dir.file("jobs")), 1);
}

TEST(AtomicFileTest, ARenameThatFailsRemovesTheTemporaryFile) {
  testing::TempDir dir;
  dir.write("jobs/a.json/inside", "a folder where the file should be");
  EXPECT_FALSE(writeFileAtomically(dir.file("jobs/a.json"), "text").ok());
  EXPECT_EQ(filesIn(dir.file("jobs")), 0);
}

unsigned modeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// A job file holding webhook secrets, made 0640 by the admin, stays 0640 (not the temporary
// file's 0644); a new file is 0640 whatever the umask allows.
TEST(AtomicFileTest, TheReplacedFilesModeIsKeptAndNewFilesAre0640) {
  testing::TempDir dir;
  dir.write("jobs/a.json", "old");
  ASSERT_EQ(::chmod(dir.file("jobs/a.json").c_str(), 0640), 0);
  ASSERT_TRUE(writeFileAtomically(dir.file("jobs/a.json"), "new").ok());
  EXPECT_EQ(modeOf(dir.file("jobs/a.json")), 0640u);
  ASSERT_EQ(::chmod(dir.file("jobs/a.json").c_str(), 0600), 0);
  ASSERT_TRUE(writeFileAtomically(dir.file("jobs/a.json"), "newer").ok());
  EXPECT_EQ(modeOf(dir.file("jobs/a.json")), 0600u);
  ASSERT_TRUE(writeFileAtomically(dir.file("jobs/b.json"), "b").ok());
  EXPECT_EQ(modeOf(dir.file("jobs/b.json")), 0640u);
}

// A job file that is a symbolic link (into a folder managed elsewhere) stays a link; the file it
// points to gets the new text. A dangling link is refused, naming it.
TEST(AtomicFileTest, ASymlinkIsKeptAndItsTargetWritten) {
  testing::TempDir dir;
  dir.write("shared/a.json", "old");
  fs::create_directories(dir.file("jobs"));
  fs::create_symlink(dir.file("shared/a.json"), dir.file("jobs/a.json"));
  ASSERT_TRUE(writeFileAtomically(dir.file("jobs/a.json"), "new").ok());
  EXPECT_TRUE(fs::is_symlink(dir.file("jobs/a.json")));
  EXPECT_EQ(testing::readFile(dir.file("shared/a.json")), "new");
  fs::create_symlink(dir.file("shared/gone.json"), dir.file("jobs/gone.json"));
  const Status dangling = writeFileAtomically(dir.file("jobs/gone.json"), "x");
  ASSERT_FALSE(dangling.ok());
  EXPECT_NE(dangling.message().find("symbolic link"), std::string::npos) << dangling.message();
  EXPECT_TRUE(fs::is_symlink(dir.file("jobs/gone.json")));
}

TEST(AtomicFileTest, ReadingIsCappedAtTheLoadersLimit) {
  testing::TempDir dir;
  dir.write("jobs/max.json", std::string(kMaxDefinitionBytes, 'x'));
  Result<std::optional<std::string>> max = readWholeFile(dir.file("jobs/max.json"));
  ASSERT_TRUE(max.ok()) << max.status().toString();
  EXPECT_EQ((*max)->size(), kMaxDefinitionBytes);
  dir.write("jobs/big.json", std::string(kMaxDefinitionBytes + 1, 'x'));
  Result<std::optional<std::string>> big = readWholeFile(dir.file("jobs/big.json"));
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("larger than 4 MiB"), std::string::npos)
      << big.status().toString();
}

}  // namespace
}  // namespace sfsync::app
