#pragma once
// Reads a JUnit XML report back into what an e2e test asserts on.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fanout::e2e {

/// One <testcase>.
struct JunitCase {
  std::string suite;      ///< name of its <testsuite> (the target)
  std::string classname;  ///< GoogleTest suite
  std::string name;       ///< GoogleTest case
  /// "passed" when it has no child element below, else "failure", "error" or "skipped".
  std::string status = "passed";
  std::string type;        ///< type attribute of <failure>/<error> ("failed", "crashed", ...)
  std::string message;     ///< message attribute of <failure>/<error>/<skipped>
  std::string details;     ///< text of <failure>/<error>/<skipped>
  std::string system_out;  ///< text of <system-out>
};

/// A whole report. `cases` is keyed by the item id the test case stands for:
/// "<suite>/<classname>.<name>", or "<suite>/<name>" when classname is empty.
struct JunitReport {
  std::vector<std::string> suites;
  std::map<std::string, JunitCase> cases;

  /// The case of `item_id`, or nullptr.
  const JunitCase* find(const std::string& item_id) const;
  /// Every case of the <testsuite> named `suite`.
  std::vector<const JunitCase*> in_suite(const std::string& suite) const;
};

/// Parses `xml` with Boost.PropertyTree's XML parser. Throws std::runtime_error when the text
/// is not well-formed or has no <testsuites>/<testsuite> root, and when two cases share an id.
JunitReport parse_junit(std::string_view xml);

}  // namespace fanout::e2e
