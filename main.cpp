// fanout: thin entry point; the libraries do the work, this maps outcomes to exit codes.

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "collector/framework.hpp"
#include "launcher/cli.hpp"
#include "launcher/ctest_import.hpp"
#include "launcher/errors.hpp"
#include "launcher/manifest.hpp"
#include "launcher/session.hpp"
#include "transport/process.hpp"

int main(int argc, char** argv) {
  using namespace fanout::launcher;
  constexpr int internal_error = 3;
  constexpr int usage_error = 4;
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto parsed = parse_command_line(args, FANOUT_VERSION);
    if (auto* info = std::get_if<InfoRequest>(&parsed)) {
      std::cout << info->text;
      return 0;
    }
    const SessionResult result = run_session(std::get<RunOptions>(parsed), std::cout);
    std::cout.flush();
    return exit_code_for(result);
  } catch (const UsageError& e) {
    std::cerr << "fanout: " << e.what() << "\n";
    return usage_error;
  } catch (const CtestImportError& e) {
    std::cerr << "fanout: " << e.what() << "\n";
    return usage_error;
  } catch (const ManifestError& e) {
    std::cerr << "fanout: " << e.what() << "\n";
    return usage_error;
  } catch (const std::exception& e) {
    fanout::transport::kill_all_process_groups();
    std::cerr << "fanout: internal error: " << e.what() << "\n";
    return internal_error;
  }
}
