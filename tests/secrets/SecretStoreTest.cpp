#include "sfsync/secrets/SecretStore.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "fakes/TempDir.h"

namespace sfsync::secrets {
namespace {

using testing::TempDir;

unsigned modeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

void writeBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class SecretStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(SecretStore::createKeyFile(keyFile).ok());
    values = {{"prod.password", "p@ss word\n\"quoted\""},
              {"prod.clientSecret", "s3cr&t="},
              {"sandbox.refreshToken", std::string("bin\0ary", 7)}};
  }

  TempDir dir;
  std::string keyFile = dir.file("sfsync.key");
  std::string file = dir.file("credentials.enc");
  SecretStore::Values values;
};

TEST_F(SecretStoreTest, RoundTripsAndWritesOwnerOnlyFilesWithoutPlaintext) {
  ASSERT_TRUE(SecretStore::save(file, keyFile, values).ok());
  Result<SecretStore::Values> loaded = SecretStore::load(file, keyFile);
  ASSERT_TRUE(loaded.ok()) << loaded.status().toString();
  EXPECT_EQ(*loaded, values);
  EXPECT_EQ(modeOf(file), 0600u);
  EXPECT_EQ(modeOf(keyFile), 0600u);
  const std::string onDisk = testing::readFile(file);
  EXPECT_EQ(onDisk.compare(0, 8, "SFSYNCS1"), 0);
  EXPECT_EQ(onDisk.find("p@ss"), std::string::npos);
  EXPECT_EQ(onDisk.find("prod.password"), std::string::npos);
}

// Threads changing different entries at once (two connections authorised together): update()
// serialises the load-modify-save, so no entry is lost and no write fails.
TEST_F(SecretStoreTest, ConcurrentUpdatesKeepEveryEntry) {
  std::vector<std::thread> threads;
  std::vector<int> failures(6, 0);
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        Result<bool> done = SecretStore::update(file, keyFile, [&](SecretStore::Values& v) {
          v["c" + std::to_string(t) + "_" + std::to_string(i) + ".refreshToken"] = "x";
          return true;
        });
        if (!done.ok() || !*done) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 6; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  Result<SecretStore::Values> loaded = SecretStore::load(file, keyFile);
  ASSERT_TRUE(loaded.ok()) << loaded.status().toString();
  EXPECT_EQ(loaded->size(), 60u);
  // A change that changes nothing does not write.
  Result<bool> none =
      SecretStore::update(file, keyFile, [](SecretStore::Values&) { return false; });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
}

TEST_F(SecretStoreTest, EveryWriteUsesAFreshIv) {
  ASSERT_TRUE(SecretStore::save(file, keyFile, values).ok());
  const std::string first = testing::readFile(file);
  ASSERT_TRUE(SecretStore::save(file, keyFile, values).ok());
  const std::string second = testing::readFile(file);
  ASSERT_EQ(first.size(), second.size());
  EXPECT_NE(first.substr(8, 12), second.substr(8, 12));
  EXPECT_NE(first, second);
}

TEST_F(SecretStoreTest, AWrongKeyFailsClearlyNamingBothFiles) {
  ASSERT_TRUE(SecretStore::save(file, keyFile, values).ok());
  const std::string otherKey = dir.file("other.key");
  ASSERT_TRUE(SecretStore::createKeyFile(otherKey).ok());
  Result<SecretStore::Values> loaded = SecretStore::load(file, otherKey);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataError);
  EXPECT_NE(loaded.status().message().find("cannot decrypt " + file + " with key " + otherKey +
                                           ": authentication tag mismatch"),
            std::string::npos)
      << loaded.status().message();
}

TEST_F(SecretStoreTest, EveryTamperedByteIsDetected) {
  ASSERT_TRUE(SecretStore::save(file, keyFile, values).ok());
  const std::string good = testing::readFile(file);
  // Every byte after the header: IV, ciphertext and tag.
  for (std::size_t i = 8; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    writeBytes(file, bad);
    Result<SecretStore::Values> loaded = SecretStore::load(file, keyFile);
    ASSERT_FALSE(loaded.ok()) << "byte " << i;
    EXPECT_NE(loaded.status().message().find("authentication tag mismatch"), std::string::npos)
        << "byte " << i << ": " << loaded.status().message();
  }
  std::string badHeader = good;
  badHeader[0] = 'X';
  writeBytes(file, badHeader);
  Result<SecretStore::Values> loaded = SecretStore::load(file, keyFile);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("not an sfsync credentials store"), std::string::npos);
}

TEST_F(SecretStoreTest, EveryTruncationIsDetected) {
  ASSERT_TRUE(SecretStore::save(file, keyFile, values).ok());
  const std::string good = testing::readFile(file);
  for (std::size_t n = 0; n < good.size(); ++n) {
    writeBytes(file, good.substr(0, n));
    Result<SecretStore::Values> loaded = SecretStore::load(file, keyFile);
    ASSERT_FALSE(loaded.ok()) << n << " bytes";
    EXPECT_EQ(loaded.status().code(), StatusCode::kDataError);
    const std::string& m = loaded.status().message();
    EXPECT_TRUE(m.find("truncated") != std::string::npos ||
                m.find("authentication tag mismatch") != std::string::npos)
        << n << " bytes: " << m;
  }
}

TEST_F(SecretStoreTest, KeyFileProblemsAreNamed) {
  ASSERT_TRUE(SecretStore::save(file, keyFile, values).ok());
  Result<SecretStore::Values> missing = SecretStore::load(file, dir.file("nope.key"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.key"), std::string::npos);

  ASSERT_EQ(::chmod(keyFile.c_str(), 0640), 0);
  Result<std::string> open = SecretStore::readKey(keyFile);
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("accessible by group or others (mode 0640)"),
            std::string::npos)
      << open.status().message();

  const std::string garbage = dir.file("garbage.key");
  writeBytes(garbage, "not hex\n");
  ASSERT_EQ(::chmod(garbage.c_str(), 0600), 0);
  Result<std::string> bad = SecretStore::readKey(garbage);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("64 hex digits"), std::string::npos);
}

TEST_F(SecretStoreTest, AnExistingKeyIsNeverReplaced) {
  const std::string before = testing::readFile(keyFile);
  const Status again = SecretStore::createKeyFile(keyFile);
  EXPECT_EQ(again.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(testing::readFile(keyFile), before);
}

TEST_F(SecretStoreTest, AMissingStoreIsNotFound) {
  Result<SecretStore::Values> loaded = SecretStore::load(file, keyFile);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sfsync::secrets
