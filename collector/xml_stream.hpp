#pragma once
// A forgiving, incremental XML tokenizer for the XML that test frameworks stream (Catch2's and
// doctest's reporters, Boost.Test's report), mixed with whatever the tests print themselves.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout::collector {

/// One `name="value"` of a tag, value decoded.
struct XmlAttribute {
  std::string name;
  std::string value;
};

/// What the tokenizer found: a run of text, a start tag or an end tag.
struct XmlEvent {
  enum class Kind { text, start, end };
  Kind kind = Kind::text;
  std::string name;  ///< tag name (start, end)
  std::vector<XmlAttribute> attributes;
  bool self_closing = false;  ///< `<x/>`: no end event follows
  std::string text;           ///< text events: decoded text; tags: the tag as it appeared

  /// The value of attribute `name`, or nullptr.
  const std::string* attribute(std::string_view name) const;
  /// The value of attribute `name`, or `fallback`.
  std::string attribute_or(std::string_view name, std::string_view fallback) const;
};

/// Cuts a byte stream, fed in chunks of any size, into XmlEvents. The events do not depend on
/// where the chunks were split, except that a run of text may come as several text events.
///
/// It never fails: a `<` that does not open a well-formed tag within `max_tag` bytes is text;
/// entities (`&lt;`, `&#65;`) are decoded, unknown ones kept as they are; CDATA is text;
/// comments, processing instructions and declarations are dropped. Memory stays bounded by
/// `max_tag` plus the chunk being fed.
class XmlStream {
 public:
  explicit XmlStream(std::size_t max_tag = 64 * 1024);

  /// Adds bytes.
  void feed(std::string_view chunk);
  /// No more bytes will come: what is pending becomes text.
  void close();
  /// The next complete event, or nothing until more bytes are fed (or close() was called).
  std::optional<XmlEvent> next();

 private:
  enum class Mode { normal, cdata };
  std::optional<XmlEvent> text_until(std::size_t end, bool decode);
  std::optional<XmlEvent> markup();
  void compact();

  std::size_t max_tag_;
  std::string buffer_;
  std::size_t pos_ = 0;
  Mode mode_ = Mode::normal;
  bool closed_ = false;
};

/// Decodes XML entities in `text` (unknown or malformed ones are kept as written).
std::string decode_xml_entities(std::string_view text);

/// Passes text on line by line, dropping lines that hold only white space (the indentation XML
/// writers put between tags). A line is passed on with its '\n'; `flush()` passes on a pending
/// partial line (with a '\n' added) unless it is blank. Lines longer than `max_line` bytes are
/// passed on in pieces.
class XmlTextLines {
 public:
  using Sink = std::function<void(std::string_view line)>;
  explicit XmlTextLines(Sink sink, std::size_t max_line = 64 * 1024);

  void add(std::string_view text);
  void flush();

 private:
  Sink sink_;
  std::size_t max_line_;
  std::string pending_;
};

}  // namespace fanout::collector
