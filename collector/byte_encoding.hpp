#pragma once
// Little-endian integers and length-prefixed bytes appended to a string, and read back: the
// cache files' encodings.

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

/// Reads what the put_ functions wrote, front to back. A read that would run past the end
/// returns false and leaves the reader where it was.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : rest_(bytes) {}

  /// Skips `expected` when the bytes start with it.
  bool literal(std::string_view expected) {
    if (!rest_.starts_with(expected)) return false;
    rest_.remove_prefix(expected.size());
    return true;
  }
  bool u8(std::uint8_t& value) {
    if (rest_.empty()) return false;
    value = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return true;
  }
  bool u32(std::uint32_t& value) { return little_endian(4, value); }
  bool u64(std::uint64_t& value) { return little_endian(8, value); }
  /// The next `size` bytes.
  bool take(std::uint64_t size, std::string_view& value) {
    if (size > rest_.size()) return false;
    value = rest_.substr(0, static_cast<std::size_t>(size));
    rest_.remove_prefix(static_cast<std::size_t>(size));
    return true;
  }
  /// What put_bytes wrote.
  bool bytes(std::string_view& value) {
    const std::string_view before = rest_;
    std::uint64_t size = 0;
    if (u64(size) && take(size, value)) return true;
    rest_ = before;
    return false;
  }
  std::size_t left() const { return rest_.size(); }
  bool at_end() const { return rest_.empty(); }
  std::string_view rest() const { return rest_; }

 private:
  template <typename Unsigned>
  bool little_endian(std::size_t size, Unsigned& value) {
    if (rest_.size() < size) return false;
    value = 0;
    for (std::size_t i = size; i-- > 0;) {
      value = static_cast<Unsigned>(value << 8 | static_cast<unsigned char>(rest_[i]));
    }
    rest_.remove_prefix(size);
    return true;
  }

  std::string_view rest_;
};

}  // namespace fanout::collector
