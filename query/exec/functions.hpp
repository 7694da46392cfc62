// query/exec/functions.hpp
// SPARQL built-in functions whose arguments are all evaluated first (everything but
// BOUND, IF, COALESCE and EXISTS, which the evaluator handles itself).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/term.hpp"

namespace parley::query::exec {

struct FunctionContext {
  std::string base;
  std::string now;  // xsd:dateTime of the query's start, the same for every call
  std::uint64_t* blank_counter = nullptr;
};

// The current time as an xsd:dateTime in UTC: NOW()'s value, read once as a query starts.
std::string QueryStartTime();

// `args` holds nullopt for arguments that raised errors. Returns nullopt for an error
// or an unknown function.
std::optional<Term> CallFunction(const std::string& name, const std::vector<std::optional<Term>>& args,
                                 FunctionContext& ctx);

// REGEX with PCRE2 (compiled patterns are cached).
std::optional<bool> RegexMatch(const std::string& text, const std::string& pattern, const std::string& flags);
// REGEX(text, pattern, flags) as SPARQL defines it: an error (nullopt) unless `text` is a
// string literal (simple, xsd:string or language-tagged), and for a bad pattern or flag.
std::optional<bool> RegexTest(const Term& text, const std::string& pattern, const std::string& flags);

}  // namespace parley::query::exec
