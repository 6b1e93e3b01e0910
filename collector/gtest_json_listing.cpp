// parse_gtest_json_listing (declared in gtest_listing.hpp): GoogleTest's JSON listing read with
// Boost.JSON's basic_parser in one pass, straight into items, without a JSON tree.

#include <algorithm>
#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collector/gtest_listing.hpp"

namespace fanout::collector {
namespace {

namespace json = boost::json;

/// Where the parser is in the listing: the depth of the innermost container that is part of it.
/// Containers anywhere else are only counted (ListingReader::skipped_).
enum Depth : int {
  outside = 0,
  in_document = 1,  ///< {"tests": 3, "testsuites": [...], ...}
  in_suites = 2,    ///< "testsuites": [...]
  in_suite = 3,     ///< {"name": "Suite", "testsuite": [...], ...}
  in_tests = 4,     ///< "testsuite": [...]
  in_test = 5,      ///< {"name": "Case", "file": "a.cpp", "line": 3, ...}
};

/// What the value that comes next is to the listing.
enum class Slot : unsigned char {
  ignored,  ///< an unknown member's value, or anything inside one
  document,
  suites,      ///< the document's "testsuites"
  test_count,  ///< the document's "tests"
  suite,       ///< an element of "testsuites"
  suite_name,
  suite_tests,  ///< a suite's "testsuite"
  test,         ///< an element of a suite's "testsuite"
  test_name,
  test_file,
  test_line,
  test_type_param,
  test_value_param,
};

/// How a member of a suite or test was given: not at all, as the listing wants it (a string; a
/// line number for "line"), or as something else. As in a JSON object, the last one given counts.
enum class Given : unsigned char { absent, good, wrong };

/// A member of a suite or test that should be a string.
struct StringMember {
  Given given = Given::absent;
  std::string value;  ///< when `good`

  void set(std::string_view text) {
    given = Given::good;
    value.assign(text);
  }
  bool is_string() const { return given == Given::good; }
  bool is_wrong() const { return given == Given::wrong; }
};

/// A basic_parser handler that makes the items of a JSON listing. It reads every document to its
/// end and never fails the parse, so the parser's own errors are exactly the ones
/// boost::json::parse reports. Whether the document is a listing is decided by the rules (and
/// worded with the messages) of reading it as a JSON tree: the last of a repeated member counts,
/// members come in any order, the first suite or test that is no good, in document order, is the
/// one reported, with a suite's own problem before its tests'.
class ListingReader {
 public:
  // The same limits as Boost.JSON's own tree builder.
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  ListingReader(const Target& target, std::size_t text_size)
      : target_(target), text_size_(text_size) {}

  /// The items, or nullopt with `problem` saying why the document is not a listing. Only once
  /// the parser has read the whole document.
  std::optional<std::vector<Item>> result(std::string& problem) {
    if (!has_suites_) {
      problem = "no \"testsuites\" array";
      return std::nullopt;
    }
    if (!problem_.empty()) {
      problem = std::move(problem_);
      return std::nullopt;
    }
    return std::move(items_);
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code&) { return enter(true); }
  bool on_object_end(std::size_t, json::error_code&) { return leave(); }
  bool on_array_begin(json::error_code&) { return enter(false); }
  bool on_array_end(std::size_t, json::error_code&) { return leave(); }

  bool on_key_part(json::string_view part, std::size_t, json::error_code&) {
    if (skipped_ == 0) key_.append(part.data(), part.size());
    return true;
  }

  bool on_key(json::string_view last, std::size_t, json::error_code&) {
    if (skipped_ == 0) {
      member_ = member_slot(whole(key_, last));
      key_.clear();
    }
    return true;
  }

  bool on_string_part(json::string_view part, std::size_t, json::error_code&) {
    if (skipped_ == 0) text_.append(part.data(), part.size());
    return true;
  }

  bool on_string(json::string_view last, std::size_t, json::error_code&) {
    const Slot slot = next_slot();
    if (StringMember* member = string_member(slot)) {
      member->set(whole(text_, last));
      if (slot == Slot::suite_name && items_.size() > suite_.first_item) suite_.renamed = true;
    } else {
      not_this_kind(slot);
    }
    text_.clear();
    return true;
  }

  bool on_number_part(json::string_view, json::error_code&) { return true; }

  bool on_int64(std::int64_t number, json::string_view, json::error_code&) {
    return whole_number(number >= 0, static_cast<std::uint64_t>(number));
  }
  bool on_uint64(std::uint64_t number, json::string_view, json::error_code&) {
    return whole_number(true, number);
  }
  bool on_double(double, json::string_view, json::error_code&) { return scalar(); }
  bool on_bool(bool, json::error_code&) { return scalar(); }
  bool on_null(json::error_code&) { return scalar(); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  /// The test object being read.
  struct Test {
    StringMember name, file, type_param, value_param;
    Given line_given = Given::absent;
    int line = 0;  ///< when line_given is `good`
  };

  /// The suite object being read.
  struct Suite {
    StringMember name;
    bool has_tests = false;           ///< its (last) "testsuite" is an array
    std::size_t first_item = 0;       ///< where its items start in items_
    bool renamed = false;             ///< its items were made before its (last) name was known
    bool test_failed = false;         ///< a test of its "testsuite" is no good; of the first such,
    std::string failed_test;          ///< the name and
    std::string_view failed_because;  ///< what is wrong with it (empty: it has no name)
  };

  /// A key or string that may have come in parts.
  static std::string_view whole(std::string& parts, json::string_view last) {
    if (parts.empty()) return {last.data(), last.size()};
    parts.append(last.data(), last.size());
    return parts;
  }

  /// At the start of an object (`object`) or array: enters it when it is one the listing is made
  /// of, which is always one level deeper than the last one entered; else counts it as skipped.
  /// True: the parse goes on.
  bool enter(bool object) {
    const Slot slot = next_slot();
    const bool part_of_listing =
        object ? slot == Slot::document || slot == Slot::suite || slot == Slot::test
               : slot == Slot::suites || slot == Slot::suite_tests;
    if (!part_of_listing) {
      not_this_kind(slot);
      ++skipped_;
      return true;
    }
    ++depth_;
    if (slot == Slot::suites) begin_suites();
    if (slot == Slot::suite) begin_suite();
    if (slot == Slot::suite_tests) begin_suite_tests();
    if (slot == Slot::test) begin_test();
    return true;
  }

  /// At the end of an object or array. True: the parse goes on.
  bool leave() {
    if (skipped_ > 0) {
      --skipped_;
      return true;
    }
    if (depth_ == in_test) end_test();
    if (depth_ == in_suite) end_suite();
    --depth_;
    return true;
  }

  Slot member_slot(std::string_view key) const {
    switch (depth_) {
      case in_document:
        if (key == "testsuites") return Slot::suites;
        if (key == "tests") return Slot::test_count;
        break;
      case in_suite:
        if (key == "name") return Slot::suite_name;
        if (key == "testsuite") return Slot::suite_tests;
        break;
      case in_test:
        if (key == "name") return Slot::test_name;
        if (key == "file") return Slot::test_file;
        if (key == "line") return Slot::test_line;
        if (key == "type_param") return Slot::test_type_param;
        if (key == "value_param") return Slot::test_value_param;
        break;
      default:
        break;
    }
    return Slot::ignored;
  }

  Slot next_slot() const {
    if (skipped_ > 0) return Slot::ignored;
    switch (depth_) {
      case outside:
        return Slot::document;
      case in_suites:
        return Slot::suite;
      case in_tests:
        return Slot::test;
      default:
        return member_;
    }
  }

  StringMember* string_member(Slot slot) {
    switch (slot) {
      case Slot::suite_name:
        return &suite_.name;
      case Slot::test_name:
        return &test_.name;
      case Slot::test_file:
        return &test_.file;
      case Slot::test_type_param:
        return &test_.type_param;
      case Slot::test_value_param:
        return &test_.value_param;
      default:
        return nullptr;
    }
  }

  /// A number without fraction or exponent (`non_negative`: `number` is its value). True: the
  /// parse goes on.
  bool whole_number(bool non_negative, std::uint64_t number) {
    const Slot slot = next_slot();
    if (slot == Slot::test_line && non_negative && number <= std::numeric_limits<int>::max()) {
      test_.line_given = Given::good;
      test_.line = static_cast<int>(number);
    } else if (slot == Slot::test_count && non_negative) {
      reserve(number);
    } else {
      not_this_kind(slot);
    }
    return true;
  }

  /// A value the listing never wants: a double, a boolean, null. True: the parse goes on.
  bool scalar() {
    not_this_kind(next_slot());
    return true;
  }

  /// A value of the wrong kind for `slot`.
  void not_this_kind(Slot slot) {
    switch (slot) {
      case Slot::suites:
        has_suites_ = false;
        items_.clear();
        problem_.clear();
        break;
      case Slot::suite:
        suite_failed();
        break;
      case Slot::suite_tests:
        suite_.has_tests = false;
        drop_suite_tests();
        break;
      case Slot::test:
        test_failed("");
        break;
      case Slot::test_line:
        test_.line_given = Given::wrong;
        break;
      default:
        if (StringMember* member = string_member(slot)) member->given = Given::wrong;
        break;
    }
  }

  /// GoogleTest counts the tests before it lists them: room for all, within reason (each takes
  /// 12 bytes of text at least: {"name":"x"}).
  void reserve(std::uint64_t tests) {
    items_.reserve(std::min<std::uint64_t>(tests, text_size_ / 12));
  }

  void begin_suites() {
    has_suites_ = true;
    items_.clear();
    problem_.clear();
  }

  void begin_suite() {
    suite_.name.given = Given::absent;
    suite_.has_tests = false;
    suite_.first_item = items_.size();
    suite_.renamed = false;
    suite_.test_failed = false;
  }

  void begin_suite_tests() {
    suite_.has_tests = true;
    drop_suite_tests();
  }

  /// Forgets what an earlier "testsuite" of the same suite gave.
  void drop_suite_tests() {
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(suite_.first_item), items_.end());
    suite_.test_failed = false;
  }

  void begin_test() {
    test_.name.given = Given::absent;
    test_.file.given = Given::absent;
    test_.type_param.given = Given::absent;
    test_.value_param.given = Given::absent;
    test_.line_given = Given::absent;
  }

  void end_test() {
    if (suite_.test_failed || !problem_.empty()) return;
    if (!test_.name.is_string() || test_.name.value.empty()) return test_failed("");
    // Of several problems, the one the tree reading meets last.
    std::string_view because;
    if (test_.file.is_wrong()) because = "\"file\" is not a string";
    if (test_.type_param.is_wrong()) because = "\"type_param\" is not a string";
    if (test_.value_param.is_wrong()) because = "\"value_param\" is not a string";
    if (test_.line_given == Given::wrong) because = "\"line\" is not a line number";
    if (!because.empty()) return test_failed(because);

    // As the text listing shows them: "TypeParam = int, GetParam() = 2".
    std::string annotation;
    if (test_.type_param.is_string()) {
      annotation.append("TypeParam = ").append(test_.type_param.value);
    }
    if (test_.value_param.is_string()) {
      if (!annotation.empty()) annotation += ", ";
      annotation.append("GetParam() = ").append(test_.value_param.value);
    }
    // The suite's name may come later: end_suite() then names its items again.
    if (!suite_.name.is_string()) suite_.renamed = true;
    Item& item = emplace_gtest_item(items_, target_, suite_.name.value, test_.name.value,
                                    std::move(annotation));
    if (test_.file.is_string()) item.file = test_.file.value;
    if (test_.line_given == Given::good) item.line = test_.line;
  }

  /// The test being read is no good because of `because`; empty: it has no name.
  void test_failed(std::string_view because) {
    if (suite_.test_failed) return;
    suite_.test_failed = true;
    suite_.failed_because = because;
    if (!because.empty()) suite_.failed_test = test_.name.value;
  }

  void suite_failed() {
    if (problem_.empty()) problem_ = "a test suite without \"name\" or \"testsuite\" array";
  }

  void end_suite() {
    if (!problem_.empty()) return;
    const std::string& name = suite_.name.value;
    if (!suite_.name.is_string() || name.empty() || !suite_.has_tests) return suite_failed();
    if (suite_.test_failed) {
      if (suite_.failed_because.empty()) {
        problem_ = "a test of suite \"" + name + "\" without \"name\"";
      } else {
        problem_ = std::string(suite_.failed_because) + " (test \"" + name + "." +
                   suite_.failed_test + "\")";
      }
      return;
    }
    if (suite_.renamed) rename_suite_items();
  }

  /// Gives the current suite's items its last name.
  void rename_suite_items() {
    const auto first = items_.begin() + static_cast<std::ptrdiff_t>(suite_.first_item);
    std::vector<Item> made(std::make_move_iterator(first), std::make_move_iterator(items_.end()));
    items_.erase(first, items_.end());
    for (Item& old : made) {
      Item& item = emplace_gtest_item(items_, target_, suite_.name.value, old.case_name,
                                      std::move(old.annotation));
      item.file = std::move(old.file);
      item.line = old.line;
    }
  }

  const Target& target_;
  const std::size_t text_size_;
  int depth_ = outside;
  std::size_t skipped_ = 0;      ///< containers open inside values the listing ignores
  Slot member_ = Slot::ignored;  ///< what the value of the member just keyed is
  bool has_suites_ = false;      ///< the document's (last) "testsuites" is an array
  std::string problem_;          ///< the first problem among the suites, in document order
  std::string key_;              ///< a key's parts so far
  std::string text_;             ///< a string's parts so far
  Suite suite_;
  Test test_;
  std::vector<Item> items_;
};

}  // namespace

std::optional<std::vector<Item>> parse_gtest_json_listing(const Target& target,
                                                          std::string_view text,
                                                          std::string& problem) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  json::basic_parser<ListingReader> parser(options, target, text.size());
  json::error_code error;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), error);
  // What boost::json::parse says of a document followed by more than whitespace.
  if (!error && used < text.size()) error = json::error::extra_data;
  if (error) {
    problem = "not JSON (" + error.message() + ")";
    return std::nullopt;
  }
  return parser.handler().result(problem);
}

}  // namespace fanout::collector
