#pragma once
// The one-line reason a report shows for a result, and how reports write durations.

#include <string>

#include "collector/result.hpp"
#include "launcher/report/reporter.hpp"

namespace fanout::launcher::report {

/// The result's message, completed where reports need more than the adapter gave:
/// crashed always names its signal ("SIGSEGV"), a failing outcome with no message gets the
/// outcome's name ("failed", "timed out", "crashed", "error"), flaky says
/// "passed on attempt N". Passed, skipped and not-run results give their message as is
/// (possibly empty).
std::string describe_result(const collector::Result& result);

/// What reports call a failed fixture command: "<fixture> setup" or "<fixture> cleanup", followed
/// by " (<command>)" when the command has a name of its own.
std::string fixture_command_name(const FixtureFailure& failure);

/// `seconds` in fixed notation with `decimals` digits after the point ("1.50" for 1.5 and 2);
/// negative and non-finite values read as 0.
std::string fixed_seconds(double seconds, int decimals);

}  // namespace fanout::launcher::report
