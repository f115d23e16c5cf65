// AtomicFile: replaces or removes a configuration file so a reader (the loader, a crash, a power
// cut) sees either the old bytes or the new ones, never a half-written file: the text goes to a
// temporary file in the same folder (".<name>.tmp-<random>", which the loader's "*.json" listing
// never picks up), is fsync'ed, renamed over the file, and the folder is fsync'ed. The replaced
// file's permission bits are kept (new files: 0640); a symbolic link is kept and the file it
// points to is replaced (a dangling link is refused). Files are read up to kMaxDefinitionBytes.
//
// Thread-safety: free functions; concurrent writers of the same path must be serialised by the
// caller (the last rename wins).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "sfsync/core/Result.h"
#include "sfsync/core/Status.h"

namespace sfsync::app {

// The largest job / chain file read (the configuration loader's limit).
constexpr std::size_t kMaxDefinitionBytes = 4 * 1024 * 1024;

// kIoError naming the file and the failing step; the original file is untouched on error.
Status writeFileAtomically(const std::string& path, const std::string& text);
// Removes the file and fsyncs its folder; kIoError on failure.
Status removeFileDurably(const std::string& path);
// The file's bytes; std::nullopt when it does not exist; kIoError when it cannot be read;
// kInvalidArgument when it is larger than kMaxDefinitionBytes.
Result<std::optional<std::string>> readWholeFile(const std::string& path);

}  // namespace sfsync::app
