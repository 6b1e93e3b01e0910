#include "tests/e2e/junit_report.hpp"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>
#include <stdexcept>

namespace fanout::e2e {
namespace {

namespace pt = boost::property_tree;

std::string attribute(const pt::ptree& node, const std::string& name) {
  return node.get<std::string>("<xmlattr>." + name, "");
}

JunitCase read_case(const std::string& suite, const pt::ptree& node) {
  JunitCase result;
  result.suite = suite;
  result.classname = attribute(node, "classname");
  result.name = attribute(node, "name");
  for (const auto& [key, child] : node) {
    if (key == "failure" || key == "error" || key == "skipped") {
      result.status = key;
      result.type = attribute(child, "type");
      result.message = attribute(child, "message");
      result.details = child.data();
    } else if (key == "system-out") {
      result.system_out += child.data();
    }
  }
  return result;
}

void read_suite(const pt::ptree& node, JunitReport& report) {
  const std::string suite = attribute(node, "name");
  report.suites.push_back(suite);
  for (const auto& [key, child] : node) {
    if (key != "testcase") continue;
    JunitCase test_case = read_case(suite, child);
    std::string id = suite + "/";
    if (!test_case.classname.empty()) id += test_case.classname + ".";
    id += test_case.name;
    if (!report.cases.emplace(id, std::move(test_case)).second) {
      throw std::runtime_error("two JUnit test cases stand for " + id);
    }
  }
}

}  // namespace

const JunitCase* JunitReport::find(const std::string& item_id) const {
  const auto it = cases.find(item_id);
  return it == cases.end() ? nullptr : &it->second;
}

std::vector<const JunitCase*> JunitReport::in_suite(const std::string& suite) const {
  std::vector<const JunitCase*> result;
  for (const auto& [id, test_case] : cases) {
    if (test_case.suite == suite) result.push_back(&test_case);
  }
  return result;
}

JunitReport parse_junit(std::string_view xml) {
  pt::ptree tree;
  std::istringstream stream{std::string(xml)};
  try {
    pt::read_xml(stream, tree);
  } catch (const pt::xml_parser_error& e) {
    throw std::runtime_error(std::string("JUnit is not well-formed XML: ") + e.what());
  }
  JunitReport report;
  if (const auto suites = tree.get_child_optional("testsuites")) {
    for (const auto& [key, child] : *suites) {
      if (key == "testsuite") read_suite(child, report);
    }
  } else if (const auto suite = tree.get_child_optional("testsuite")) {
    read_suite(*suite, report);
  } else {
    throw std::runtime_error("JUnit has neither <testsuites> nor <testsuite> as its root");
  }
  return report;
}

}  // namespace fanout::e2e
