// Output that could break a report: too much of it, and bytes XML cannot hold.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <regex>

#include "tests/e2e/run_checks.hpp"

namespace fanout::e2e {
namespace {

constexpr std::size_t kSmallReport = 1024 * 1024;
constexpr std::uint64_t kHugeOutput = 100ull * 1024 * 1024;  // what gtest_huge_output prints

/// Sum of N over every "[... N bytes of output cut ...]" marker (collector::OutputBuffer's).
std::uint64_t bytes_said_cut(const std::string& text) {
  static const std::regex marker(R"((\d+) bytes of output cut)");
  std::uint64_t total = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), marker);
       it != std::sregex_iterator(); ++it) {
    total += std::stoull((*it)[1]);
  }
  return total;
}

TEST(Output, HugeOutputIsCutAndTheReportSaysHowMuch) {
  const ManifestDir dir({fixture_target("gtest_huge_output", 60)});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 0) << run.diagnostics();
  EXPECT_EQ(status_of(run, "gtest_huge_output/HugeOutput.PrintsHundredMegabytes"), "passed")
      << run.diagnostics();
  EXPECT_LT(run.junit_text.size(), kSmallReport);
  EXPECT_LT(run.command.output.size(), kSmallReport) << "the terminal got flooded";
  // Nearly all of it was cut; the report must say so with the number of bytes.
  EXPECT_GT(bytes_said_cut(run.junit_text), kHugeOutput * 9 / 10) << run.diagnostics();
}

TEST(Output, ControlCharactersKeepTheReportWellFormed) {
  const ManifestDir dir({fixture_target("gtest_control_chars")});
  const FanoutRun run = run_clean(dir, {});
  ASSERT_TRUE(run.junit) << run.diagnostics();
  EXPECT_EQ(run.command.exit_code, 1) << run.diagnostics();
  const JunitCase* test_case = run.item("gtest_control_chars/ControlChars.PrintsAndFails");
  ASSERT_NE(test_case, nullptr) << item_ids(run);
  EXPECT_EQ(test_case->status, "failure");
  // The readable parts around the bad bytes survive, XML metacharacters included.
  const std::string all = test_case->message + test_case->details + test_case->system_out;
  for (const char* part : {"esc[", "] nul[", "] soh[", "] bad[", "cdata[", "amp[&<>\"']"}) {
    EXPECT_NE(all.find(part), std::string::npos) << part << "\n" << run.diagnostics();
  }
  // A second, strict parser, where the machine has one.
  if (::access("/usr/bin/xmllint", X_OK) == 0) {
    const CommandResult lint =
        run_command({"/usr/bin/xmllint", "--noout", dir.junit_path().string()});
    EXPECT_EQ(lint.exit_code, 0) << lint.output;
  }
}

}  // namespace
}  // namespace fanout::e2e
