// RedactedUrls (issue 17): a definition served with webhook URLs redacted and saved back keeps the
// real URLs - restored by JSON path, on decoded values; a placeholder whose place in the file no
// longer holds a URL redacting to it (reordered, deleted, new) is reported by path, never guessed;
// URLs typed anew are kept; problem messages never carry a real URL.
#include "app/RedactedUrls.h"

#include <gtest/gtest.h>

#include "sfsync/config/SecretRedaction.h"

namespace sfsync::app {
namespace {

constexpr const char* kOriginal =
    R"({"webhooks": ["https://hooks.slack.com/T1/secret-a", "https://hooks.slack.com/T2/b",
      "https://x.example.com/k?token=z"], "name": "n"})";

TEST(RedactedUrlsTest, PlaceholdersGetTheUrlAtTheirPathBack) {
  const std::string served = config::SecretRedaction::jsonText(kOriginal);
  ASSERT_EQ(served.find("secret-a"), std::string::npos);
  const RestoredText same = restoreRedactedUrls(kOriginal, served + " ");
  EXPECT_EQ(same.text, std::string(kOriginal) + " ");
  EXPECT_TRUE(same.unmatched.empty());
  // A new URL is kept; text that is not JSON is returned as is.
  const std::string added = R"({"webhooks": ["https://hooks.slack.com/<redacted>",
      "https://hooks.slack.com/<redacted>", "https://x.example.com/<redacted>",
      "https://new.example.com/hook"], "name": "n"})";
  const RestoredText kept = restoreRedactedUrls(kOriginal, added);
  EXPECT_EQ(kept.text, R"({"webhooks": ["https://hooks.slack.com/T1/secret-a",
      "https://hooks.slack.com/T2/b", "https://x.example.com/k?token=z",
      "https://new.example.com/hook"], "name": "n"})");
  EXPECT_TRUE(kept.unmatched.empty());
  EXPECT_EQ(restoreRedactedUrls(kOriginal, "\"unterminated").text, "\"unterminated");
}

TEST(RedactedUrlsTest, DeletingTheFirstOfTwoSameHostWebhooksNeverRestoresTheWrongOne) {
  // The admin deleted the first Slack hook: the remaining placeholder is now at webhooks[0],
  // where the file had T1 - by position (or by path alone) it would get T1 back, the hook the
  // admin deleted. The number of Slack hooks changed, so it is refused, not guessed.
  const std::string deleted = R"({"webhooks": ["https://hooks.slack.com/<redacted>",
      "https://x.example.com/<redacted>"], "name": "n"})";
  const RestoredText one = restoreRedactedUrls(kOriginal, deleted);
  ASSERT_EQ(one.unmatched.size(), 2u);  // [1]: the file had a Slack hook there, not x.example.com
  EXPECT_EQ(one.unmatched[0], "webhooks[0]");
  EXPECT_EQ(one.unmatched[1], "webhooks[1]");
  EXPECT_EQ(one.text.find("secret-a"), std::string::npos);
  // Reordering hooks of different hosts leaves each placeholder without its original.
  const std::string reordered = R"({"webhooks": ["https://x.example.com/<redacted>",
      "https://hooks.slack.com/<redacted>", "https://hooks.slack.com/<redacted>"], "name": "n"})";
  const RestoredText out = restoreRedactedUrls(kOriginal, reordered);
  ASSERT_EQ(out.unmatched.size(), 2u);
  EXPECT_EQ(out.unmatched[0], "webhooks[0]");
  EXPECT_EQ(out.unmatched[1], "webhooks[2]");
  EXPECT_EQ(out.text.find("token=z"), std::string::npos);
  // A placeholder moved to another key has no original there.
  const RestoredText moved =
      restoreRedactedUrls(kOriginal, R"({"name": "https://hooks.slack.com/<redacted>"})");
  ASSERT_EQ(moved.unmatched.size(), 1u);
  EXPECT_EQ(moved.unmatched[0], "name");
}

TEST(RedactedUrlsTest, EscapedLiteralsAreComparedDecoded) {
  // On disk with "\/" escapes; sent back with its placeholder escaped too.
  const std::string original = R"({"w": ["https:\/\/hooks.slack.com\/T1\/secret"]})";
  const RestoredText out =
      restoreRedactedUrls(original, R"({"w": ["https:\/\/hooks.slack.com\/<redacted>"]})");
  EXPECT_TRUE(out.unmatched.empty());
  EXPECT_EQ(out.text, original);
}

TEST(RedactedUrlsTest, MessagesNeverCarryARealUrl) {
  EXPECT_EQ(redactMessage("unknown operation 'https://hooks.slack.com/T1/secret-a' (x)", kOriginal),
            "unknown operation 'https://hooks.slack.com/<redacted>' (x)");
  EXPECT_EQ(redactMessage("bad 'https://y.example.com/a?token=s'", ""),
            "bad 'https://y.example.com/<redacted>'");
  EXPECT_EQ(redactMessage("no url here", kOriginal), "no url here");
  EXPECT_TRUE(isRedactedPlaceholder("https://hooks.slack.com/<redacted>"));
  EXPECT_FALSE(isRedactedPlaceholder("https://hooks.slack.com/T1"));
}

}  // namespace
}  // namespace sfsync::app
