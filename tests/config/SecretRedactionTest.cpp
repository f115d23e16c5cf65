// Webhook URLs are shown as scheme and host only, in URLs and inside job/chain file text.
#include <gtest/gtest.h>

#include "sfsync/config/SecretRedaction.h"

namespace sfsync::config {
namespace {

TEST(SecretRedactionTest, UrlKeepsSchemeHostAndPortOnly) {
  EXPECT_EQ(SecretRedaction::url("https://hooks.slack.com/services/T000/B000/XXXX"),
            "https://hooks.slack.com/<redacted>");
  EXPECT_EQ(SecretRedaction::url("HTTP://user:pw@example.com:8443/x?token=1"),
            "http://example.com:8443/<redacted>");
  EXPECT_EQ(SecretRedaction::url("https://example.com"), "https://example.com");
  EXPECT_EQ(SecretRedaction::url("https://example.com/?sig=abc"), "https://example.com/<redacted>");
  EXPECT_EQ(SecretRedaction::url("https://[::1]:9/a"), "https://[::1]:9/<redacted>");
  EXPECT_EQ(SecretRedaction::url("http://exa mple.com:99999/"), "<redacted URL>");
}

TEST(SecretRedactionTest, JsonTextRedactsEveryHttpUrlStringAndKeepsTheRest) {
  const std::string text =
      "{\n"
      "  \"name\": \"Company Sync\",\n"
      "  \"filter\": \"Website = 'http://x'\",\n"
      "  \"notifications\": {\"onFailure\": {\"webhooks\": [\n"
      "    \"https://hooks.slack.com/services/T0/B0/s3cr3t\",\n"
      "    \"https:\\/\\/outlook.office.com\\/webhook\\/s3cr3t2\",\n"
      "    \"\\u0068ttps://example.com/s3cr3t3\"]}}\n"
      "}\n";
  const std::string redacted = SecretRedaction::jsonText(text);
  EXPECT_EQ(redacted,
            "{\n"
            "  \"name\": \"Company Sync\",\n"
            "  \"filter\": \"Website = 'http://x'\",\n"
            "  \"notifications\": {\"onFailure\": {\"webhooks\": [\n"
            "    \"https://hooks.slack.com/<redacted>\",\n"
            "    \"https://outlook.office.com/<redacted>\",\n"
            "    \"https://example.com/<redacted>\"]}}\n"
            "}\n");
}

TEST(SecretRedactionTest, BrokenJsonIsHandledLexically) {
  EXPECT_EQ(SecretRedaction::jsonText("{\"a\": \"https://h/s3cr3t\", \"b\": \"unterminated"),
            "{\"a\": \"https://h/<redacted>\", \"b\": \"unterminated");
  EXPECT_EQ(SecretRedaction::jsonText("\"\\u12\" \"https://h/x\""), "\"\\u12\" \"https://h/x\"");
  EXPECT_EQ(SecretRedaction::jsonText(""), "");
}

}  // namespace
}  // namespace sfsync::config
