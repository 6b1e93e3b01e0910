#pragma once
// Small numeric helpers the example tests exercise.

#include <cstdint>
#include <vector>

namespace example {

/// Arithmetic mean; throws std::invalid_argument for an empty input.
double mean(const std::vector<double>& values);
/// Median (mean of the middle two for an even count); throws for an empty input.
double median(std::vector<double> values);
/// Population variance; throws for an empty input.
double variance(const std::vector<double>& values);
/// Greatest common divisor of |a| and |b|; gcd(0, 0) is 0.
std::int64_t gcd(std::int64_t a, std::int64_t b);
/// All primes below `limit`, ascending (sieve of Eratosthenes).
std::vector<std::int64_t> primes_below(std::int64_t limit);
/// Number of steps the Collatz sequence from `n` (> 0) takes to reach 1.
int collatz_steps(std::int64_t n);

}  // namespace example
