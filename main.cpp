// fanout: thin entry point; the libraries do the work, this maps outcomes to exit codes.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "collector/framework.hpp"
#include "launcher/cli.hpp"
#include "launcher/errors.hpp"
#include "launcher/session.hpp"
#include "transport/process.hpp"

namespace {

/// Variables a test framework sets for the test process that started fanout (fanout run by a
/// test, or by fanout itself); passed on, they would redirect or shard fanout's own children.
void forget_parent_test_environment() {
  for (const char* name : {"TEST_PREMATURE_EXIT_FILE", "GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS",
                           "GTEST_SHARD_STATUS_FILE", "GTEST_OUTPUT", "XML_OUTPUT_FILE"}) {
    unsetenv(name);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace fanout::launcher;
  forget_parent_test_environment();
  constexpr int internal_error = 3;
  constexpr int usage_error = 4;
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto parsed = parse_command_line(args, FANOUT_VERSION);
    if (auto* info = std::get_if<InfoRequest>(&parsed)) {
      std::cout << info->text;
      return 0;
    }
    // Everything is reported and written by then: exit without freeing the run's state.
    auto exit_now = [](const SessionResult& result) {
      std::cout.flush();
      std::fflush(nullptr);
      std::_Exit(exit_code_for(result));
    };
    const SessionResult result = run_session(std::get<RunOptions>(parsed), std::cout, exit_now);
    std::cout.flush();
    return exit_code_for(result);
  } catch (const UsageError& e) {  // also a broken manifest or ctest tree
    std::cerr << "fanout: " << e.what() << "\n";
    return usage_error;
  } catch (const std::exception& e) {
    fanout::transport::kill_all_process_groups();
    std::cerr << "fanout: internal error: " << e.what() << "\n";
    return internal_error;
  }
}
