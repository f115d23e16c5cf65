// Identifier helpers: UUIDs for gsids and execution ids, and the tag a job run marks its rows with.
//
// newUuid() returns a time-ordered version 7 UUID (RFC 9562: 48-bit Unix milliseconds, then random
// bits). Time order keeps the store's primary-key index append-mostly, which makes inserts ~5x
// faster than random version 4 keys on SQLite. The random part comes from a per-thread generator
// seeded from std::random_device: unique, not a secret.
//
// Thread-safety: safe from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace sfsync {

// e.g. "019a7c1e-5f3a-7b21-9c4d-2e8f61a0b7d3" (lowercase, canonical 8-4-4-4-12 form).
std::string newUuid();

// A tag no other run of any job carries (63 random bits: positive, never 0): the rows a run writes
// are marked with it (duplicate-key tracking, sfsync/store/Upsert.h).
std::int64_t newRunTag();

}  // namespace sfsync
