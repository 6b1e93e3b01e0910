#pragma once
// Reading a command-line number exactly: all of the text, nothing around it.

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace fanout::launcher {

/// `text`, all of it, as a number of type T (std::from_chars' syntax: no sign for unsigned
/// types, no leading '+' or spaces); nothing when it is not one, or does not fit in T.
template <typename T>
std::optional<T> whole_number(std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

}  // namespace fanout::launcher
