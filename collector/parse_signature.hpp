#pragma once
// What parsing a listing depends on besides the listing itself, so that items cached for one
// listing are reused only while parsing would make the same items again.

#include <string>
#include <string_view>

#include "collector/target.hpp"

namespace fanout::collector {

/// An opaque byte string made of everything Framework::parse_listing (and parse_listing_file)
/// may read besides the listing's output: the framework's name, the fields of `target` the
/// contract of parse_listing names (name, executable, labels, source_file, source_line,
/// disabled, pass_regex, fail_regex, skip_regex), a format version, and the identity of the
/// running program's file (so a rebuilt parser never trusts items an older one made). Equal
/// signatures and equal listing output: equal items. Every variable-length part carries its
/// length, so different fields never give the same signature.
std::string parse_signature(const Target& target, std::string_view framework_name);

}  // namespace fanout::collector
