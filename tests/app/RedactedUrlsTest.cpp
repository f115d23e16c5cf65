// RedactedUrls (issue 17): a definition served with webhook URLs redacted and saved back keeps the
// real URLs, in order per host; URLs typed anew are kept; text without URLs is unchanged.
#include "app/RedactedUrls.h"

#include <gtest/gtest.h>

#include "sfsync/config/SecretRedaction.h"

namespace sfsync::app {
namespace {

TEST(RedactedUrlsTest, RedactedUrlsGetTheirOriginalsBackInOrder) {
  const std::string original =
      R"({"webhooks": ["https://hooks.slack.com/T1/secret-a", "https://hooks.slack.com/T2/b",
      "https://x.example.com/k?token=z"]})";
  const std::string served = config::SecretRedaction::jsonText(original);
  ASSERT_EQ(served.find("secret-a"), std::string::npos);
  const std::string edited = served + " ";
  EXPECT_EQ(restoreRedactedUrls(original, edited), original + " ");
  // A new URL is kept; a redacted form without an original stays as written.
  const std::string added = R"({"webhooks": ["https://hooks.slack.com/<redacted>",
      "https://new.example.com/hook", "https://other.example.com/<redacted>"]})";
  EXPECT_EQ(restoreRedactedUrls(original, added),
            R"({"webhooks": ["https://hooks.slack.com/T1/secret-a",
      "https://new.example.com/hook", "https://other.example.com/<redacted>"]})");
  EXPECT_EQ(restoreRedactedUrls("{}", added), added);
  EXPECT_EQ(restoreRedactedUrls(original, "{\"a\": \"b\\\"c\"}"), "{\"a\": \"b\\\"c\"}");
  EXPECT_EQ(restoreRedactedUrls(original, "\"unterminated"), "\"unterminated");
}

}  // namespace
}  // namespace sfsync::app
