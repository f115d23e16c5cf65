// Fuzz target: the properties reader (PropertiesFile) and loader (PropertiesLoader) through the
// public loadConfig(), fed the input twice per run: as conf/sfsync.properties, and as the
// credentials file of a fixed, valid properties file. Any crash, hang, leak or sanitizer report is
// a bug; configuration problems are the expected outcome for most inputs.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "sfsync/config/ConfigLoader.h"

namespace {

namespace fs = std::filesystem;

// One scratch directory per fuzzing process (libFuzzer -fork/-jobs run several processes).
const fs::path& scratch() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "sfsync-fuzz-props-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    return fs::path(tmpl);
  }();
  return dir;
}

void writeFile(const fs::path& path, const uint8_t* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) std::abort();
}

// Job and chain directories are pinned to an empty folder so the input cannot make the loader scan
// some other directory of the machine.
std::map<std::string, std::string> pinnedDirs() {
  const std::string empty = (scratch() / "empty").string();
  return {{"paths.jobs", empty}, {"paths.chains", empty}};
}

const char kWithCredentials[] =
    "store.type = sqlite\nstore.path = var/sfsync.db\nadmin.host = 127.0.0.1\nadmin.port = 8085\n"
    "connections = c\nconnection.c.orgType = custom\n"
    "connection.c.customDomainUrl = http://127.0.0.1:8086\nconnection.c.authFlow = password\n"
    "connection.c.apiVersion = v62.0\nconnection.c.credentialsFile = fuzz.credentials\n"
    "connection.c.credentialsEnvPrefix = SFSYNC_FUZZ_UNSET_\n";

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fs::create_directories(scratch() / "empty");
  const fs::path props = scratch() / "with-credentials.properties";
  writeFile(props, reinterpret_cast<const uint8_t*>(kWithCredentials), sizeof kWithCredentials - 1);
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(scratch(), ec);  // best effort: a leftover temp folder is harmless
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fs::path dir = scratch();
  writeFile(dir / "sfsync.properties", data, size);
  (void)sfsync::config::loadConfig("sfsync.properties", dir.string(), pinnedDirs());
  writeFile(dir / "fuzz.credentials", data, size);
  (void)sfsync::config::loadConfig("with-credentials.properties", dir.string(), pinnedDirs());
  return 0;
}
