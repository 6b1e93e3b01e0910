// Tests that do some real computation (tens of milliseconds each).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <unordered_map>
#include <vector>

#include "stats.hpp"

namespace {

TEST(Primes, CountBelowOneMillion) {
  EXPECT_EQ(example::primes_below(1'000'000).size(), 78'498u);
}

TEST(Primes, CountBelowFiveMillion) {
  EXPECT_EQ(example::primes_below(5'000'000).size(), 348'513u);
}

TEST(Primes, TenThousandthPrime) {
  const auto primes = example::primes_below(200'000);
  ASSERT_GE(primes.size(), 10'000u);
  EXPECT_EQ(primes[9'999], 104'729);
}

TEST(Collatz, LongestChainStartBelowOneHundredThousand) {
  std::int64_t best_start = 1;
  int best_steps = 0;
  for (std::int64_t n = 1; n < 100'000; ++n) {
    const int steps = example::collatz_steps(n);
    if (steps > best_steps) {
      best_steps = steps;
      best_start = n;
    }
  }
  EXPECT_EQ(best_start, 77'031);
  EXPECT_EQ(best_steps, 350);
}

TEST(Sorting, QuarterMillionRandomIntegers) {
  std::mt19937 random(12345);
  std::vector<std::uint32_t> values(250'000);
  for (auto& v : values) v = random();
  std::vector<std::uint32_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end()));
  EXPECT_EQ(std::accumulate(sorted.begin(), sorted.end(), std::uint64_t{0}),
            std::accumulate(values.begin(), values.end(), std::uint64_t{0}));
}

TEST(Matrix, ProductWithIdentityIsUnchanged) {
  constexpr std::size_t n = 240;
  std::vector<double> a(n * n);
  std::iota(a.begin(), a.end(), 1.0);
  std::vector<double> identity(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) identity[i * n + i] = 1.0;
  std::vector<double> product(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < n; ++k) {
      for (std::size_t j = 0; j < n; ++j) product[i * n + j] += a[i * n + k] * identity[k * n + j];
    }
  }
  EXPECT_EQ(product, a);
}

TEST(HashMap, WordCountsOfGeneratedText) {
  std::unordered_map<std::uint32_t, int> counts;
  std::minstd_rand random(7);
  for (int i = 0; i < 400'000; ++i) ++counts[random() % 1000];
  int total = 0;
  for (const auto& [word, count] : counts) total += count;
  EXPECT_EQ(total, 400'000);
  EXPECT_EQ(counts.size(), 1000u);
}

TEST(Stats, MeanOfLargeUniformSampleIsNearTheMiddle) {
  std::mt19937 random(99);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> sample(500'000);
  for (auto& v : sample) v = uniform(random);
  EXPECT_NEAR(example::mean(sample), 0.5, 0.01);
  EXPECT_NEAR(example::variance(sample), 1.0 / 12.0, 0.01);
}

}  // namespace
