#include "collector/executable_regex.hpp"

#include <memory>
#include <utility>

namespace fanout::collector {

// Recursive descent over the pattern (depth bounded by its nesting), emitting the automaton's
// program directly. The grammar and the errors are those of CMake's engine.
class CmakeRegexCompiler {
 public:
  CmakeRegexCompiler(CmakeRegex& regex, std::string_view pattern)
      : regex_(regex), pattern_(pattern) {}

  void compile() {
    alternation(false);
    if (pos_ < pattern_.size()) fail(pattern_[pos_] == ')' ? "unmatched ()" : "junk on end");
    emit({CmakeRegex::Op::match});
  }

 private:
  using Op = CmakeRegex::Op;
  using Instruction = CmakeRegex::Instruction;

  [[noreturn]] static void fail(const char* why) { throw CmakeRegexError(why); }

  bool at_end() const { return pos_ >= pattern_.size(); }
  char peek() const { return pattern_[pos_]; }
  std::size_t here() const { return regex_.program_.size(); }
  std::size_t emit(Instruction instruction) {
    regex_.program_.push_back(instruction);
    return regex_.program_.size() - 1;
  }
  Instruction& at(std::size_t index) { return regex_.program_[index]; }

  // branch ('|' branch)*; returns whether every branch consumes at least one byte.
  bool alternation(bool in_group) {
    std::vector<std::size_t> jumps_to_end;
    bool width = true;
    while (true) {
      const std::size_t split = emit({Op::split});
      at(split).x = here();
      width = branch() && width;
      if (at_end() || peek() != '|') {
        // The last branch needs no split: make it a no-op jump to the branch.
        at(split).op = Op::jump;
        break;
      }
      ++pos_;
      jumps_to_end.push_back(emit({Op::jump}));
      at(split).y = here();
    }
    for (const std::size_t jump : jumps_to_end) at(jump).x = here();
    if (in_group) {
      if (at_end() || peek() != ')') fail("unmatched ()");
      ++pos_;
    }
    return width;
  }

  bool branch() {
    bool width = false;
    while (!at_end() && peek() != '|' && peek() != ')') width = piece() || width;
    return width;
  }

  bool piece() {
    const std::size_t start = here();
    const bool width = atom();
    if (at_end()) return width;
    const char op = peek();
    if (op != '*' && op != '+' && op != '?') return width;
    if (!width && op != '?') fail("*+ operand could be empty");
    ++pos_;
    if (!at_end() && (peek() == '*' || peek() == '+' || peek() == '?')) fail("nested *?+");
    if (op == '+') {
      // atom; split(atom, next)
      const std::size_t split = emit({Op::split});
      at(split).x = start;
      at(split).y = here();
      return true;
    }
    // split(atom, next) in front of the atom; for '*' the atom jumps back to the split.
    std::vector<Instruction>& program = regex_.program_;
    program.insert(program.begin() + static_cast<std::ptrdiff_t>(start), Instruction{Op::split});
    for (std::size_t i = start + 1; i < program.size(); ++i) {
      if (program[i].op == Op::split || program[i].op == Op::jump) {
        if (program[i].x >= start) ++program[i].x;
        if (program[i].op == Op::split && program[i].y >= start) ++program[i].y;
      }
    }
    if (op == '*') {
      const std::size_t back = emit({Op::jump});
      at(back).x = start;
    }
    at(start).x = start + 1;
    at(start).y = here();
    return false;
  }

  bool atom() {
    const char c = pattern_[pos_++];
    switch (c) {
      case '^':
        emit({Op::bol});
        return false;
      case '$':
        emit({Op::eol});
        return false;
      case '.':
        emit({Op::any});
        return true;
      case '[':
        set();
        return true;
      case '(':
        return alternation(true);
      case '?':
      case '+':
      case '*':
        fail("?+* follows nothing");
      case '\\':
        if (at_end()) fail("trailing \\");
        emit({Op::byte, static_cast<unsigned char>(pattern_[pos_++])});
        return true;
      default:
        emit({Op::byte, static_cast<unsigned char>(c)});
        return true;
    }
  }

  void set() {
    std::bitset<256> bytes;
    bool negated = false;
    if (!at_end() && peek() == '^') {
      negated = true;
      ++pos_;
    }
    if (!at_end() && (peek() == ']' || peek() == '-')) bytes.set(byte_at(pos_++));
    while (!at_end() && peek() != ']') {
      if (peek() == '-') {
        ++pos_;
        if (at_end() || peek() == ']') {
          bytes.set('-');
          continue;
        }
        // The range runs from the byte before '-' (already in the set) to the one after it.
        const unsigned first = byte_at(pos_ - 2) + 1u;
        const unsigned last = byte_at(pos_);
        if (first > last + 1) fail("invalid [] range");
        for (unsigned b = first; b <= last; ++b) bytes.set(b);
        ++pos_;
      } else {
        bytes.set(byte_at(pos_++));
      }
    }
    if (at_end()) fail("unmatched []");
    ++pos_;
    if (negated) bytes.flip();
    regex_.sets_.push_back(bytes);
    emit({Op::set, 0, regex_.sets_.size() - 1});
  }

  unsigned byte_at(std::size_t index) const { return static_cast<unsigned char>(pattern_[index]); }

  CmakeRegex& regex_;
  std::string_view pattern_;
  std::size_t pos_ = 0;
};

CmakeRegex::CmakeRegex(std::string_view pattern) {
  CmakeRegexCompiler(*this, pattern).compile();
}

std::optional<std::size_t> CmakeRegex::search(std::string_view text) const {
  const std::size_t size = program_.size();
  // Threads as sparse sets of instruction indexes; `mark` dedupes within one step.
  std::vector<std::size_t> current, next, stack;
  std::vector<std::size_t> mark(size, static_cast<std::size_t>(-1));
  std::size_t generation = 0;

  // Adds the threads reachable from `pc` without consuming, at text offset `pos`; true when one
  // of them is the match.
  auto add = [&](std::vector<std::size_t>& list, std::size_t pc, std::size_t pos) {
    bool matched = false;
    stack.push_back(pc);
    while (!stack.empty()) {
      const std::size_t at = stack.back();
      stack.pop_back();
      if (mark[at] == generation) continue;
      mark[at] = generation;
      const Instruction& instruction = program_[at];
      switch (instruction.op) {
        case Op::jump:
          stack.push_back(instruction.x);
          break;
        case Op::split:
          stack.push_back(instruction.y);
          stack.push_back(instruction.x);
          break;
        case Op::bol:
          if (pos == 0) stack.push_back(at + 1);
          break;
        case Op::eol:
          if (pos == text.size()) stack.push_back(at + 1);
          break;
        case Op::match:
          matched = true;
          break;
        default:
          list.push_back(at);
          break;
      }
    }
    return matched;
  };

  for (std::size_t pos = 0;; ++pos) {
    // A match may start anywhere: a new thread at every offset. The marks of this step also
    // cover the threads the previous step carried here.
    if (add(current, 0, pos)) return pos;
    if (pos == text.size()) return std::nullopt;
    ++generation;
    next.clear();
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    for (const std::size_t pc : current) {
      const Instruction& instruction = program_[pc];
      const bool consumes = instruction.op == Op::any ||
                            (instruction.op == Op::byte && instruction.byte == c) ||
                            (instruction.op == Op::set && sets_[instruction.set].test(c));
      if (consumes && add(next, pc + 1, pos + 1)) return pos + 1;
    }
    std::swap(current, next);
  }
}

void CtestOutput::append(std::string_view text) {
  if (text_.size() >= max_bytes_) return;
  text_.append(text.substr(0, max_bytes_ - text_.size()));
}

void CtestOutput::feed(std::string_view chunk) {
  if (finished_) return;
  while (!chunk.empty()) {
    const std::size_t end = chunk.find_first_of(std::string_view("\n\0", 2));
    if (end == std::string_view::npos) {
      if (text_.size() + line_.size() < max_bytes_) line_.append(chunk);
      return;
    }
    line_.append(chunk.substr(0, end));
    chunk.remove_prefix(end + 1);
    std::string_view line = line_;
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    append(line);
    append("\n");
    line_.clear();
  }
}

void CtestOutput::finish() {
  if (finished_) return;
  finished_ = true;
  if (line_.empty()) return;
  append(line_);
  append("\n");
  line_.clear();
}

}  // namespace fanout::collector
