#include "collector/xml_stream.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace fanout::collector {
namespace {

constexpr std::size_t max_entity = 12;  // "&#x10FFFF;" fits

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void append_utf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Decodes the entity body between '&' and ';' into `out`; false when it is not one.
bool decode_entity(std::string_view body, std::string& out) {
  static constexpr std::pair<std::string_view, char> named[] = {
      {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
  for (const auto& [name, c] : named) {
    if (body == name) {
      out += c;
      return true;
    }
  }
  if (body.size() < 2 || body[0] != '#') return false;
  int base = 10;
  std::string_view digits = body.substr(1);
  if (digits[0] == 'x' || digits[0] == 'X') {
    base = 16;
    digits.remove_prefix(1);
  }
  unsigned long code = 0;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), code, base);
  if (error != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
      code > 0x10FFFF) {
    return false;
  }
  append_utf8(out, code);
  return true;
}

}  // namespace

const std::string* XmlEvent::attribute(std::string_view name) const {
  for (const XmlAttribute& attribute : attributes) {
    if (attribute.name == name) return &attribute.value;
  }
  return nullptr;
}

std::string XmlEvent::attribute_or(std::string_view name, std::string_view fallback) const {
  const std::string* value = attribute(name);
  return value ? *value : std::string(fallback);
}

std::string decode_xml_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    out.append(text.substr(0, amp));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp);
    const std::size_t semicolon = text.substr(0, max_entity).find(';');
    if (semicolon != std::string_view::npos && decode_entity(text.substr(1, semicolon - 1), out)) {
      text.remove_prefix(semicolon + 1);
    } else {
      out += '&';
      text.remove_prefix(1);
    }
  }
  return out;
}

XmlStream::XmlStream(std::size_t max_tag) : max_tag_(std::max<std::size_t>(max_tag, 16)) {}

void XmlStream::feed(std::string_view chunk) {
  compact();
  buffer_.append(chunk);
}

void XmlStream::close() {
  closed_ = true;
}

void XmlStream::compact() {
  if (pos_ > 0 && (pos_ >= buffer_.size() || pos_ > 64 * 1024)) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

std::optional<XmlEvent> XmlStream::text_until(std::size_t end, bool decode) {
  XmlEvent event;
  const std::string_view raw(buffer_.data() + pos_, end - pos_);
  event.text = decode ? decode_xml_entities(raw) : std::string(raw);
  pos_ = end;
  return event;
}

std::optional<XmlEvent> XmlStream::next() {
  while (pos_ < buffer_.size()) {
    if (mode_ == Mode::cdata) {
      const std::size_t end = buffer_.find("]]>", pos_);
      if (end != std::string::npos) {
        std::optional<XmlEvent> text = text_until(end, false);
        pos_ = end + 3;
        mode_ = Mode::normal;
        if (!text->text.empty()) return text;
        continue;
      }
      // Keep what may be the start of "]]>".
      const std::size_t keep = closed_ ? 0 : std::min<std::size_t>(2, buffer_.size() - pos_);
      if (buffer_.size() - keep > pos_) return text_until(buffer_.size() - keep, false);
      return std::nullopt;
    }
    if (buffer_[pos_] != '<') {
      std::size_t end = buffer_.find('<', pos_);
      if (end == std::string::npos) {
        end = buffer_.size();
        // Do not cut an entity in two.
        const std::size_t amp = buffer_.rfind('&');
        if (!closed_ && amp != std::string::npos && amp >= pos_ && end - amp < max_entity &&
            buffer_.find(';', amp) == std::string::npos) {
          end = amp;
        }
      }
      if (end == pos_) return std::nullopt;
      return text_until(end, true);
    }
    const std::size_t before = pos_;
    if (std::optional<XmlEvent> event = markup()) return event;
    // markup() either skipped a comment or entered CDATA (go on), or needs more bytes (stop).
    if (pos_ == before && mode_ == Mode::normal) return std::nullopt;
  }
  compact();
  return std::nullopt;
}

// At a '<': returns a tag event, or a "<" text event when it opens no tag; returns nothing
// after skipping a comment or declaration (pos_ moved) or when more bytes are needed (pos_ kept).
std::optional<XmlEvent> XmlStream::markup() {
  const std::string_view rest(buffer_.data() + pos_, buffer_.size() - pos_);
  auto as_text = [this]() { return text_until(pos_ + 1, false); };
  // Whether `rest` may still grow into `prefix`.
  auto may_become = [&](std::string_view prefix) {
    return !closed_ && rest.size() < prefix.size() && prefix.starts_with(rest);
  };
  auto skip_to = [&](std::string_view terminator, std::size_t from) -> std::optional<XmlEvent> {
    const std::size_t end = buffer_.find(terminator, pos_ + from);
    if (end != std::string::npos) {
      pos_ = end + terminator.size();
      return std::nullopt;
    }
    if (closed_ || rest.size() > max_tag_) return as_text();
    return std::nullopt;
  };

  if (rest.size() < 2) return closed_ ? as_text() : std::nullopt;
  if (rest[1] == '!') {
    if (may_become("<![CDATA[") || may_become("<!--")) return std::nullopt;
    if (rest.starts_with("<![CDATA[")) {
      pos_ += 9;
      mode_ = Mode::cdata;
      return std::nullopt;
    }
    if (rest.starts_with("<!--")) return skip_to("-->", 4);
    return skip_to(">", 2);
  }
  if (rest[1] == '?') return skip_to("?>", 2);

  const bool end_tag = rest[1] == '/';
  const std::size_t name_at = end_tag ? 2 : 1;
  if (rest.size() <= name_at) return closed_ ? as_text() : std::nullopt;
  if (!is_name_start(rest[name_at])) return as_text();

  // Find the closing '>' outside quotes; a '<' before it means this was no tag.
  std::size_t gt = std::string_view::npos;
  char quote = 0;
  for (std::size_t i = name_at; i < rest.size() && i <= max_tag_; ++i) {
    const char c = rest[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '<') {
      return as_text();
    } else if (c == '>') {
      gt = i;
      break;
    }
  }
  if (gt == std::string_view::npos) {
    if (closed_ || rest.size() > max_tag_) return as_text();
    return std::nullopt;
  }

  XmlEvent event;
  event.kind = end_tag ? XmlEvent::Kind::end : XmlEvent::Kind::start;
  std::size_t i = name_at;
  while (i < gt && is_name_char(rest[i])) ++i;
  event.name = std::string(rest.substr(name_at, i - name_at));
  if (end_tag) {
    while (i < gt && is_space(rest[i])) ++i;
    if (i != gt) return as_text();
  } else {
    while (true) {
      const std::size_t before_space = i;
      while (i < gt && is_space(rest[i])) ++i;
      if (i == gt) break;
      if (rest[i] == '/' && i + 1 == gt) {
        event.self_closing = true;
        break;
      }
      if (i == before_space || !is_name_start(rest[i])) return as_text();
      const std::size_t name_begin = i;
      while (i < gt && is_name_char(rest[i])) ++i;
      XmlAttribute attribute;
      attribute.name = std::string(rest.substr(name_begin, i - name_begin));
      while (i < gt && is_space(rest[i])) ++i;
      if (i == gt || rest[i] != '=') return as_text();
      ++i;
      while (i < gt && is_space(rest[i])) ++i;
      if (i == gt || (rest[i] != '"' && rest[i] != '\'')) return as_text();
      const std::size_t close = rest.find(rest[i], i + 1);
      if (close == std::string_view::npos || close > gt) return as_text();
      attribute.value = decode_xml_entities(rest.substr(i + 1, close - i - 1));
      event.attributes.push_back(std::move(attribute));
      i = close + 1;
    }
  }
  event.text = std::string(rest.substr(0, gt + 1));
  pos_ += gt + 1;
  return event;
}

XmlTextLines::XmlTextLines(Sink sink, std::size_t max_line)
    : sink_(std::move(sink)), max_line_(std::max<std::size_t>(max_line, 1)) {}

void XmlTextLines::add(std::string_view text) {
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::size_t take = std::min(newline == std::string_view::npos ? text.size() : newline,
                                      max_line_ - pending_.size());
    pending_.append(text.substr(0, take));
    text.remove_prefix(take);
    if (!text.empty() && text.front() == '\n') {
      text.remove_prefix(1);
      if (!is_blank(pending_)) {
        pending_ += '\n';
        sink_(pending_);
      }
      pending_.clear();
    } else if (pending_.size() >= max_line_) {
      if (!is_blank(pending_)) sink_(pending_);
      pending_.clear();
    }
  }
}

void XmlTextLines::flush() {
  if (!is_blank(pending_)) {
    pending_ += '\n';
    sink_(pending_);
  }
  pending_.clear();
}

}  // namespace fanout::collector
