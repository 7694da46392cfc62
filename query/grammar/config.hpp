// query/grammar/config.hpp
// The iterator, skipper and context every grammar translation unit instantiates its
// rules for. They must match what parse.cpp passes to phrase_parse exactly, or the
// link fails with "undefined reference to parse_rule".
#pragma once

#include <functional>
#include <string>

#include <boost/spirit/home/x3.hpp>

#include "query/grammar/builder.hpp"

namespace parley::query::grammar {

namespace x3 = boost::spirit::x3;

using iterator_type = std::string::const_iterator;

// Whitespace and # comments to the end of the line.
struct skipper_class;
using skipper_type = x3::rule<skipper_class>;
BOOST_SPIRIT_DECLARE(skipper_type)
const skipper_type& Skipper();

// The builder travels in the context; actions reach it with GetBuilder(ctx).
struct builder_tag;
using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type = x3::context<builder_tag, std::reference_wrapper<Builder>, phrase_context_type>;
// The context the skipper itself runs in.
using skipper_context_type = x3::unused_type;

template <class Context>
Builder& GetBuilder(const Context& ctx) {
  return x3::get<builder_tag>(ctx).get();
}

// An action that calls `f(builder, ctx)`.
template <class F>
auto Do(F f) {
  return [f](auto& ctx) { f(GetBuilder(ctx), ctx); };
}

// ASCII character classes. X3's own (alpha, space, ...) call <cctype> functions, which
// are undefined for the negative chars of UTF-8 bytes; these compare ranges instead.
inline const auto kAsciiAlpha = x3::char_('a', 'z') | x3::char_('A', 'Z');
inline const auto kAsciiDigit = x3::char_('0', '9');
inline const auto kAsciiAlnum = kAsciiAlpha | kAsciiDigit;
inline const auto kAsciiXdigit = kAsciiDigit | x3::char_('a', 'f') | x3::char_('A', 'F');
inline const auto kAsciiSpace = x3::char_(" \t\r\n\f\v");
inline const auto kUtf8Byte = x3::char_('\x80', '\xff');

// A case-insensitive keyword (ASCII) that does not run on into a longer name.
// Written by hand because x3::no_case calls tolower() on UTF-8 bytes too.
struct KeywordParser : x3::parser<KeywordParser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  const char* word;
  explicit KeywordParser(const char* w) : word(w) {}
  template <class Iterator, class Context, class RContext, class Attribute>
  bool parse(Iterator& first, const Iterator& last, const Context& context, RContext&, Attribute&) const {
    x3::skip_over(first, last, context);
    Iterator it = first;
    for (const char* w = word; *w != '\0'; ++w, ++it) {
      if (it == last) return false;
      const char c = *it;
      const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      const char want = *w >= 'A' && *w <= 'Z' ? static_cast<char>(*w - 'A' + 'a') : *w;
      if (lower != want) return false;
    }
    if (it != last) {
      const unsigned char next = static_cast<unsigned char>(*it);
      if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9') ||
          next == '_' || next == ':' || next == '-' || next >= 0x80) {
        return false;
      }
    }
    first = it;
    return true;
  }
};

inline KeywordParser Kw(const char* word) { return KeywordParser(word); }

}  // namespace parley::query::grammar

// "expected AS" rather than a C++ type name when a keyword is missing.
template <>
struct boost::spirit::x3::get_info<parley::query::grammar::KeywordParser> {
  using result_type = std::string;
  std::string operator()(const parley::query::grammar::KeywordParser& p) const { return p.word; }
};
