#pragma once
// Compares items field by field in the collector's tests.

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "collector/item.hpp"

namespace fanout::collector::testing {

/// Every field of `item`, as a tuple gtest can compare and print. Naming each field in a
/// structured binding makes this stop compiling when Item gains a field.
inline auto fields_of(const Item& item) {
  const auto& [id, target, name, suite, case_name, file, line, disabled, labels, annotation, group,
               isolate, ordinal] = item;
  return std::tie(id, target, name, suite, case_name, file, line, disabled, labels, annotation,
                  group, isolate, ordinal);
}

/// `actual` has the items of `expected`, every field equal, in order.
inline void expect_same_items(const std::vector<Item>& actual, const std::vector<Item>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(fields_of(actual[i]), fields_of(expected[i])) << "item " << i;
  }
}

}  // namespace fanout::collector::testing
