// WebAssets: the admin page's files (src/admin/web: index.html, app.js, style.css) compiled into
// the binary. The definitions are generated at build time by EmbedWebAssets.cmake, so the daemon
// needs no files at runtime (it chdirs to / under --daemon).
//
// Thread-safety: immutable static data.
#pragma once

#include <cstddef>
#include <string_view>

namespace sfsync::admin {

struct WebAsset {
  std::string_view name;  // file name, e.g. "app.js"
  const unsigned char* data;
  std::size_t size;
};

// The embedded asset called `name`, or nullptr.
const WebAsset* findWebAsset(std::string_view name);

}  // namespace sfsync::admin
