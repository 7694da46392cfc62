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

// A case-insensitive keyword that does not run on into a longer name.
inline auto Kw(const char* word) {
  return x3::lexeme[x3::no_case[x3::lit(word)] >> !(x3::alnum | x3::char_("_:-") | x3::char_('\x80', '\xff'))];
}

}  // namespace parley::query::grammar
