#pragma once
// GoogleTest's two listing formats: the `--gtest_list_tests` text on stdout, and the JSON file
// `--gtest_list_tests --gtest_output=json:FILE` writes (GoogleTest 1.10 and later).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/framework.hpp"

namespace fanout::collector {

/// Appends to `items` the item GoogleTest lists as `suite`.`case_name` in `target`, and returns
/// it: name `Suite.Case`, id make_item_id(target.name, name), the target's labels, `disabled` by
/// GoogleTest's rule (a suite or case named `DISABLED_*` or `*/DISABLED_*`), `annotation` as
/// given; file and line are left to the caller.
Item& emplace_gtest_item(std::vector<Item>& items, const Target& target, std::string_view suite,
                         std::string_view case_name, std::string annotation);

/// Items of a text listing. Noise before the listing (`Running main() from ...`, a custom main's
/// chatter) is skipped; suites and cases become items named `Suite.Case`; `# TypeParam = ...` /
/// `# GetParam() = ...` comments become the annotation; `DISABLED_` suites and cases are marked
/// `disabled`. Anything else after the listing started, a suite without cases, or output without
/// any listing is a CollectError naming the binary and quoting the line.
std::vector<Item> parse_gtest_text_listing(const Target& target, std::string_view output);

/// Items of a JSON listing: {"testsuites": [{"name", "testsuite": [{"name", "file", "line",
/// "type_param", "value_param"}]}]}, with the same names, annotations ("TypeParam = int",
/// "GetParam() = -2") and `disabled` as the text listing, plus file and line. nullopt, with
/// `problem` saying why, when `json` is not such a document (read as a JSON object would be: the
/// last of a repeated member counts; the first bad suite or test in document order is named). Reads
/// the text in one pass without building a JSON tree (gtest_json_listing.cpp).
std::optional<std::vector<Item>> parse_gtest_json_listing(const Target& target,
                                                          std::string_view json,
                                                          std::string& problem);

}  // namespace fanout::collector
