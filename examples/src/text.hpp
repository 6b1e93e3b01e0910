#pragma once
// Small string helpers the example tests exercise.

#include <string>
#include <string_view>
#include <vector>

namespace example {

/// Pieces of `text` between occurrences of `separator` (empty pieces kept).
std::vector<std::string> split(std::string_view text, char separator);
/// `pieces` joined with `separator` between them.
std::string join(const std::vector<std::string>& pieces, std::string_view separator);
/// `text` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);
/// `text` with ASCII letters upper-cased.
std::string to_upper(std::string_view text);

}  // namespace example
