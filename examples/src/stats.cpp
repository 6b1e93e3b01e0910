#include "stats.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace example {

namespace {
void require_values(const std::vector<double>& values) {
  if (values.empty()) throw std::invalid_argument("no values");
}
}  // namespace

double mean(const std::vector<double>& values) {
  require_values(values);
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double median(std::vector<double> values) {
  require_values(values);
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) return values[middle];
  return (values[middle - 1] + values[middle]) / 2;
}

double variance(const std::vector<double>& values) {
  const double m = mean(values);
  double sum = 0;
  for (double v : values) sum += (v - m) * (v - m);
  return sum / static_cast<double>(values.size());
}

std::int64_t gcd(std::int64_t a, std::int64_t b) {
  a = std::llabs(a);
  b = std::llabs(b);
  while (b != 0) a = std::exchange(b, a % b);
  return a;
}

std::vector<std::int64_t> primes_below(std::int64_t limit) {
  std::vector<std::int64_t> primes;
  if (limit < 3) return primes;
  std::vector<bool> composite(static_cast<std::size_t>(limit), false);
  for (std::int64_t i = 2; i < limit; ++i) {
    if (composite[static_cast<std::size_t>(i)]) continue;
    primes.push_back(i);
    for (std::int64_t j = i * i; j < limit; j += i) composite[static_cast<std::size_t>(j)] = true;
  }
  return primes;
}

int collatz_steps(std::int64_t n) {
  int steps = 0;
  while (n != 1) {
    n = n % 2 == 0 ? n / 2 : 3 * n + 1;
    ++steps;
  }
  return steps;
}

}  // namespace example
