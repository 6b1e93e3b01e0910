// Statistics and number-theory tests: plain, typed and value-parameterised suites.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "stats.hpp"

namespace {

TEST(Stats, MeanOfSeveralValues) {
  EXPECT_DOUBLE_EQ(example::mean({1, 2, 3, 4}), 2.5);
}

TEST(Stats, MeanOfNothingThrows) {
  EXPECT_THROW(example::mean({}), std::invalid_argument);
}

TEST(Stats, MedianOfOddCountIsTheMiddleValue) {
  EXPECT_DOUBLE_EQ(example::median({9, 1, 5}), 5);
}

TEST(Stats, MedianOfEvenCountAveragesTheMiddlePair) {
  EXPECT_DOUBLE_EQ(example::median({4, 1, 3, 2}), 2.5);
}

TEST(Stats, VarianceOfConstantsIsZero) {
  EXPECT_DOUBLE_EQ(example::variance({7, 7, 7}), 0);
}

TEST(Stats, VarianceOfKnownSample) {
  EXPECT_DOUBLE_EQ(example::variance({2, 4, 4, 4, 5, 5, 7, 9}), 4);
}

// Arithmetic laws that must hold for every numeric type we support.
template <typename T>
class ArithmeticLaws : public ::testing::Test {};

using NumericTypes = ::testing::Types<int, std::int64_t, double>;
TYPED_TEST_SUITE(ArithmeticLaws, NumericTypes);

TYPED_TEST(ArithmeticLaws, AdditionIsCommutative) {
  const TypeParam a = 17;
  const TypeParam b = 25;
  EXPECT_EQ(a + b, b + a);
}

TYPED_TEST(ArithmeticLaws, ZeroIsTheAdditiveIdentity) {
  const TypeParam a = 42;
  EXPECT_EQ(a + TypeParam{0}, a);
}

TYPED_TEST(ArithmeticLaws, LowestIsBelowZero) {
  EXPECT_LT(std::numeric_limits<TypeParam>::lowest(), TypeParam{0});
}

struct GcdCase {
  std::int64_t a;
  std::int64_t b;
  std::int64_t expected;
};

class GcdTest : public ::testing::TestWithParam<GcdCase> {};

TEST_P(GcdTest, MatchesKnownValue) {
  const GcdCase& c = GetParam();
  EXPECT_EQ(example::gcd(c.a, c.b), c.expected);
  EXPECT_EQ(example::gcd(c.b, c.a), c.expected);
}

INSTANTIATE_TEST_SUITE_P(KnownPairs, GcdTest,
                         ::testing::Values(GcdCase{12, 18, 6}, GcdCase{17, 5, 1}, GcdCase{0, 9, 9},
                                           GcdCase{-24, 36, 12}, GcdCase{1071, 462, 21}));

}  // namespace
