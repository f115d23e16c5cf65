// Fuzz target: the properties reader (PropertiesFile) and loader (PropertiesLoader, credentials)
// through the public loadConfig(), fed the input twice per run: as sfsync.properties, and as the
// credentials file of a fixed, valid properties file. The input lives in a memfd (read through
// /proc/self/fd/N), so a crashing run leaves no files behind. Configuration problems are the
// expected outcome for most inputs; crashes, hangs, leaks and sanitizer reports are bugs.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "sfsync/config/ConfigLoader.h"

namespace {

int newMemFile(const char* name) {
  const int fd = memfd_create(name, 0);
  if (fd < 0) std::abort();
  return fd;
}

void setContents(int fd, const void* data, size_t size) {
  if (ftruncate(fd, 0) != 0) std::abort();
  if (size && pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) std::abort();
}

std::string fdPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

struct Files {
  int input = newMemFile("sfsync-fuzz-input");
  int withCredentials = newMemFile("sfsync-fuzz-with-credentials");
};

const Files& files() {
  static const Files f = [] {
    Files made;
    const std::string text =
        "store.type = sqlite\nstore.path = var/sfsync.db\nadmin.host = 127.0.0.1\n"
        "admin.port = 8085\nconnections = c\nconnection.c.orgType = custom\n"
        "connection.c.customDomainUrl = http://127.0.0.1:8086\n"
        "connection.c.authFlow = password\nconnection.c.apiVersion = v62.0\n"
        "connection.c.credentialsFile = " +
        fdPath(made.input) + "\nconnection.c.credentialsEnvPrefix = SFSYNC_FUZZ_UNSET_\n";
    setContents(made.withCredentials, text.data(), text.size());
    return made;
  }();
  return f;
}

// The job and chain directories point nowhere, so no input makes the loader scan a directory of
// the machine (they are reported missing instead).
const std::map<std::string, std::string> kPinnedDirs = {
    {"paths.jobs", "/nonexistent/sfsync-fuzz/jobs"},
    {"paths.chains", "/nonexistent/sfsync-fuzz/chains"}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Files& f = files();
  setContents(f.input, data, size);
  (void)sfsync::config::loadConfig(fdPath(f.input), "/", kPinnedDirs);
  (void)sfsync::config::loadConfig(fdPath(f.withCredentials), "/", kPinnedDirs);
  return 0;
}
