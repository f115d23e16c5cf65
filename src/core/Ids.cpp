#include "sfsync/core/Ids.h"

#include <chrono>
#include <cstdint>
#include <random>

namespace sfsync {

namespace {
std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  return engine;
}
}  // namespace

std::string newUuid() {
  using namespace std::chrono;
  const auto ms = static_cast<std::uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
  const std::uint64_t r1 = generator()();
  const std::uint64_t r2 = generator()();
  unsigned char b[16];
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  for (int i = 6; i < 16; ++i) {
    b[i] = static_cast<unsigned char>((i < 14 ? r1 : r2) >> (8 * (i % 8)));
  }
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0F));  // version 7
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F));  // RFC 9562 variant
  static const char* hex = "0123456789abcdef";
  char out[36];  // written in place: this runs once per created row
  int o = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
    out[o++] = hex[b[i] >> 4];
    out[o++] = hex[b[i] & 0x0F];
  }
  return std::string(out, sizeof out);
}

std::int64_t newRunTag() { return static_cast<std::int64_t>(generator()() >> 1) | 1; }

}  // namespace sfsync
