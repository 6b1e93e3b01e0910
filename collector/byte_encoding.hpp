#pragma once
// Little-endian integers and length-prefixed bytes appended to a string: the cache files'
// encodings.

#include <cstdint>
#include <string>
#include <string_view>

namespace fanout::collector {

/// Appends `value` as 4 bytes, least significant first.
inline void put_u32(std::string& out, std::uint32_t value) {
  const char bytes[4] = {static_cast<char>(value), static_cast<char>(value >> 8),
                         static_cast<char>(value >> 16), static_cast<char>(value >> 24)};
  out.append(bytes, sizeof bytes);
}

/// Appends `value` as 8 bytes, least significant first.
inline void put_u64(std::string& out, std::uint64_t value) {
  put_u32(out, static_cast<std::uint32_t>(value));
  put_u32(out, static_cast<std::uint32_t>(value >> 32));
}

/// Appends the size of `bytes` (put_u64), then `bytes`.
inline void put_bytes(std::string& out, std::string_view bytes) {
  put_u64(out, bytes.size());
  out += bytes;
}

}  // namespace fanout::collector
