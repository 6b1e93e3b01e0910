#pragma once
// DEPENDS cycles among the tests of a run: ctest refuses to run such tests, and so does Fanout,
// before anything starts (a test of a cycle would wait forever).

#include <string>
#include <vector>

#include "collector/target.hpp"
#include "launcher/errors.hpp"

namespace fanout::launcher {

/// Tests of the run depend on each other in a cycle. A user error naming them.
class DependencyCycleError : public UsageError {
 public:
  using UsageError::UsageError;
};

/// A cycle of Target::depends among `targets` (dependencies on names not among them count as
/// none), as the names along it, the first repeated at the end (`a`, `b`, `a`: a depends on b,
/// b on a; a test that depends on itself gives `a`, `a`); empty when there is none. The first
/// cycle found going through `targets` and their dependencies in order.
std::vector<std::string> find_dependency_cycle(const std::vector<collector::Target>& targets);

/// Throws DependencyCycleError naming the tests of a cycle find_dependency_cycle() finds.
void check_no_dependency_cycle(const std::vector<collector::Target>& targets);

}  // namespace fanout::launcher
