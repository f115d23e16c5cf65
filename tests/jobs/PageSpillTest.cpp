// PageSpill on a full disk: a buffer that could not be written completely fails the replay with an
// IoError instead of replaying short (or empty) pages as if nothing had been extracted.
#include <gtest/gtest.h>
#include <unistd.h>

#include "fakes/TempDir.h"
#include "jobs/PageSpill.h"

namespace sfsync::jobs {
namespace {

salesforce::RecordPage onePage() {
  salesforce::RecordPage page;
  page.columns = {"Id", "Name"};
  page.totalSize = 1;
  page.rows = {{Value(std::string("001")), Value(std::string("Acme"))}};
  page.done = true;
  return page;
}

TEST(PageSpillTest, AFullDiskFailsTheReplay) {
  // A link to /dev/full (every write fails with ENOSPC once flushed). The spill removes its file
  // when done: that must be the link, never the device.
  testing::TempDir dir;
  const std::string path = dir.file("extract.bin");
  ASSERT_EQ(::symlink("/dev/full", path.c_str()), 0);
  {
    PageSpill spill(path);
    Status appended = spill.append(onePage());  // small enough to sit in the stream's buffer
    int pagesSeen = 0;
    Status replayed = appended;
    if (appended.ok()) {
      replayed = spill.replay([&](salesforce::RecordPage&) {
        ++pagesSeen;
        return Status::OK();
      });
    }
    EXPECT_EQ(replayed.code(), StatusCode::kIoError) << replayed.toString();
    EXPECT_EQ(pagesSeen, 0);
  }
  EXPECT_TRUE(::access("/dev/full", F_OK) == 0);
}

}  // namespace
}  // namespace sfsync::jobs
