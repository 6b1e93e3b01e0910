#include "launcher/item_filter.hpp"

#include <gtest/gtest.h>

#include "launcher/errors.hpp"

namespace fanout::launcher {
namespace {

collector::Item item(std::string id, std::vector<std::string> labels = {}) {
  collector::Item i;
  i.id = std::move(id);
  i.labels = std::move(labels);
  return i;
}

TEST(ItemFilter, EmptySelectionSelectsEverything) {
  EXPECT_TRUE(ItemFilter(Selection{}).selects(item("t/A.b")));
}

TEST(ItemFilter, IdPatternsAreSearchesNotFullMatches) {
  const ItemFilter filter(Selection{.include = {"A\\."}, .exclude = {"slow"}});
  EXPECT_TRUE(filter.selects(item("t/A.b")));
  EXPECT_FALSE(filter.selects(item("t/B.b")));
  EXPECT_FALSE(filter.selects(item("t/A.slow_one")));
}

TEST(ItemFilter, LabelsMustAllMatchAndExclusionsNone) {
  const ItemFilter filter(Selection{.labels = {"fast", "unit"}, .exclude_labels = {"^flaky$"}});
  EXPECT_TRUE(filter.selects(item("t/a", {"fast", "unit"})));
  EXPECT_FALSE(filter.selects(item("t/b", {"fast"})));
  EXPECT_FALSE(filter.selects(item("t/c", {"fast", "unit", "flaky"})));
  EXPECT_FALSE(filter.selects(item("t/d")));
  EXPECT_TRUE(ItemFilter(Selection{.exclude_labels = {"slow"}}).selects(item("t/e")));
}

TEST(ItemFilter, RepeatedLabelPatternsCombineAsInCtest) {
  // ctest 3.21+: repeated -L must all match, and repeated -LE exclude only when all match.
  const auto foo = item("t/1", {"foo"});
  const auto bar = item("t/2", {"bar"});
  const auto both = item("t/3", {"foo", "bar"});
  const ItemFilter both_excluded(Selection{.exclude_labels = {"foo", "bar"}});
  EXPECT_TRUE(both_excluded.selects(foo));
  EXPECT_TRUE(both_excluded.selects(bar));
  EXPECT_FALSE(both_excluded.selects(both));
  const ItemFilter one_never_matches(Selection{.exclude_labels = {"foo", "baz"}});
  EXPECT_TRUE(one_never_matches.selects(foo));
  EXPECT_TRUE(one_never_matches.selects(both));
  EXPECT_FALSE(ItemFilter(Selection{.exclude_labels = {"foo|bar"}}).selects(bar));
  const ItemFilter both_required(Selection{.labels = {"foo", "bar"}});
  EXPECT_FALSE(both_required.selects(foo));
  EXPECT_TRUE(both_required.selects(both));
}

/// The message of the UsageError that building a filter from `selection` throws ("" if none).
std::string error_of(const Selection& selection) {
  try {
    ItemFilter filter(selection);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(ItemFilter, AnInvalidPatternIsAUsageErrorNamingItsOptionAndThePattern) {
  EXPECT_EQ(
      error_of(Selection{.include = {"ok", "A("}}).rfind("-R: invalid regular expression 'A('", 0),
      0u);
  EXPECT_EQ(error_of(Selection{.exclude = {"[b"}}).rfind("-E: invalid regular expression '[b'", 0),
            0u);
  EXPECT_EQ(error_of(Selection{.labels = {"*x"}}).rfind("-L: invalid regular expression '*x'", 0),
            0u);
  EXPECT_EQ(error_of(Selection{.exclude_labels = {"a{2"}})
                .rfind("-LE: invalid regular expression 'a{2'", 0),
            0u);
  EXPECT_EQ(error_of(Selection{.include = {"A\\.", "^t/"}, .labels = {"fast|slow"}}), "");
}

TEST(ItemFilter, ImportedCtestTestsAreSelectedByTestNameAndLabels) {
  collector::Target test;
  test.name = "gt_whole";
  test.labels = {"fast"};
  EXPECT_FALSE(ItemFilter(Selection{.include = {"Adds"}}).selects_test(test))
      << "its items' names do not count, as in ctest";
  EXPECT_TRUE(ItemFilter(Selection{.include = {"whole"}}).selects_test(test));
  EXPECT_TRUE(ItemFilter(Selection{.labels = {"fast"}}).selects_test(test));
  EXPECT_FALSE(ItemFilter(Selection{.exclude_labels = {"fast"}}).selects_test(test));
}

TEST(ItemFilter, TargetsWhoseLabelsAreExcludedNeedNoListing) {
  collector::Target target;
  target.labels = {"slow", "db"};
  EXPECT_FALSE(ItemFilter(Selection{.exclude_labels = {"^db$"}}).may_select(target));
  EXPECT_TRUE(ItemFilter(Selection{.exclude_labels = {"gpu"}}).may_select(target));
  EXPECT_TRUE(ItemFilter(Selection{.exclude_labels = {"db", "gpu"}}).may_select(target))
      << "an item of it may have the label gpu too";
  EXPECT_FALSE(ItemFilter(Selection{.exclude_labels = {"db", "slow"}}).may_select(target));
  EXPECT_TRUE(ItemFilter(Selection{.labels = {"gpu"}}).may_select(target))
      << "items may carry labels of their own (Catch2 tags)";
}

}  // namespace
}  // namespace fanout::launcher
