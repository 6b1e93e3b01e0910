#include "collector/parse_signature.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <vector>

#include "collector/byte_encoding.hpp"

namespace fanout::collector {
namespace {

// Raise when a parser changes what it makes of a listing without the program file changing
// (or when the signature's layout changes).
constexpr std::uint64_t signature_version = 1;

void put_strings(std::string& out, const std::vector<std::string>& strings) {
  put_u64(out, strings.size());
  for (const std::string& text : strings) put_bytes(out, text);
}

// The running program's file as device, inode, size and modification time: another build of
// the parsers is another file. Empty when it cannot be found (the version alone then counts).
std::string program_identity() {
  struct stat status {};
  if (::stat("/proc/self/exe", &status) != 0) return "";
  std::string identity;
  put_u64(identity, static_cast<std::uint64_t>(status.st_dev));
  put_u64(identity, static_cast<std::uint64_t>(status.st_ino));
  put_u64(identity, static_cast<std::uint64_t>(status.st_size));
  put_u64(identity, static_cast<std::uint64_t>(status.st_mtim.tv_sec));
  put_u64(identity, static_cast<std::uint64_t>(status.st_mtim.tv_nsec));
  return identity;
}

}  // namespace

std::string parse_signature(const Target& target, std::string_view framework_name) {
  static const std::string program = program_identity();
  std::string out;
  put_u64(out, signature_version);
  put_bytes(out, program);
  put_bytes(out, framework_name);
  // The Target fields framework.hpp allows parse_listing to read, in its order.
  put_bytes(out, target.name);
  put_bytes(out, target.executable.native());
  put_strings(out, target.labels);
  put_bytes(out, target.source_file.native());
  put_u64(out, static_cast<std::uint64_t>(static_cast<std::int64_t>(target.source_line)));
  put_u64(out, target.disabled ? 1 : 0);
  put_strings(out, target.pass_regex);
  put_strings(out, target.fail_regex);
  put_strings(out, target.skip_regex);
  return out;
}

}  // namespace fanout::collector
