// Job and chain files the loader cannot use are reported, never skipped silently: a "*.json" that
// is a dangling symbolic link or a directory, and invalid UTF-8 (with its line and column).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "config/ProblemMatchers.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config {
namespace {

using test_support::describe;
using test_support::hasExactlyProblems;

const char* kJob = R"({"name": "Company Sync", "connection": "sample",
  "source": {"object": "Account"}, "target": {"object": "Company"},
  "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true}]})";

class Tree {
 public:
  Tree() {
    dir_.write("conf/sfsync.properties",
               "store.path = var/sfsync.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = http://127.0.0.1:8086\n"
               "connection.sample.credentialsEnvPrefix = SFSYNC_FILES_TEST_\n"
               "connection.sample.authFlow = refresh_token\n");
    dir_.write("jobs/company_sync.json", kJob);
    dir_.write("chains/.keep", "");
    ::setenv("SFSYNC_FILES_TEST_CLIENT_ID", "id", 1);
    ::setenv("SFSYNC_FILES_TEST_REFRESH_TOKEN", "token", 1);
  }
  void write(const std::string& relative, const std::string& text) { dir_.write(relative, text); }
  std::string file(const std::string& relative) const { return dir_.file(relative); }
  LoadedConfig load() const { return loadConfig("conf/sfsync.properties", dir_.path()); }

 private:
  sfsync::testing::TempDir dir_;
};

TEST(ConfigFilesTest, TheBaseTreeIsValid) {
  const LoadedConfig c = Tree().load();
  EXPECT_TRUE(c.problems.empty()) << describe(c.problems);
  EXPECT_EQ(c.jobs.size(), 1u);
}

TEST(ConfigFilesTest, ADanglingSymlinkJobFileIsReported) {
  Tree tree;
  std::filesystem::create_symlink(tree.file("jobs/gone.json"), tree.file("jobs/user_sync.json"));
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems,
      {{"jobs/user_sync.json", "$", "dangling symbolic link (its target does not exist)"}}));
}

TEST(ConfigFilesTest, ASymlinkToAJobFileIsLoaded) {
  Tree tree;
  tree.write("elsewhere/user.json", std::string(kJob).replace(10, 12, "User Sync   "));
  std::filesystem::create_symlink(tree.file("elsewhere/user.json"),
                                  tree.file("jobs/user_sync.json"));
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(c.problems.empty()) << describe(c.problems);
  EXPECT_EQ(c.jobs.size(), 2u);
}

TEST(ConfigFilesTest, ADirectoryNamedLikeAChainFileIsReported) {
  Tree tree;
  tree.write("chains/odd.json/inside", "");
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(c.problems, {{"chains/odd.json", "$", "not a regular file"}}));
}

TEST(ConfigFilesTest, InvalidUtf8InAJobFileNamesLineAndColumn) {
  Tree tree;
  tree.write("jobs/company_sync.json",
             "{\"name\": \"Company Sync\",\n  \"connection\": \"s\xC3\xA9\xFFmple\"}");
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{"jobs/company_sync.json", "$", "invalid UTF-8 at line 2, column 20"}}));
}

TEST(ConfigFilesTest, InvalidUtf8InAChainFileNamesLineAndColumn) {
  Tree tree;
  tree.write("chains/nightly.json",
             "{\"name\": \"Nightly\xC0\xAF\", \"jobs\": [\"Company Sync\"]}");
  const LoadedConfig c = tree.load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{"chains/nightly.json", "$", "invalid UTF-8 at line 1, column 18"}}));
}

}  // namespace
}  // namespace sfsync::config
