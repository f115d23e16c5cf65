// PageSpill on a full disk: a buffer that could not be written completely fails the replay with an
// IoError instead of replaying short (or empty) pages as if nothing had been extracted.
#include <gtest/gtest.h>

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
  PageSpill spill("/dev/full");               // every write fails with ENOSPC once flushed
  Status appended = spill.append(onePage());  // small enough to sit in the stream's buffer
  int pagesSeen = 0;
  Status replayed = appended.ok() ? spill.replay([&](salesforce::RecordPage&) {
    ++pagesSeen;
    return Status::OK();
  })
                                  : appended;
  EXPECT_EQ(replayed.code(), StatusCode::kIoError) << replayed.toString();
  EXPECT_EQ(pagesSeen, 0);
}

}  // namespace
}  // namespace sfsync::jobs
