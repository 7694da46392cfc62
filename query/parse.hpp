// query/parse.hpp
// SPARQL text (queries and updates) -> syntax tree. Internal to query/.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "query/ast.hpp"
#include "store/status.hpp"

namespace parley::query {

struct ParseOptions {
  std::string base;                              // resolves relative IRIs until BASE
  std::map<std::string, std::string> prefixes;   // built in: usable without PREFIX lines
};

// Errors come back as `origin:line:col: error: expected ...` with the line and a caret.
Result<ast::Query> ParseQuery(std::string_view text, std::string_view origin, const ParseOptions& options);

// A SPARQL 1.1 Update request, with errors in the same form.
Result<ast::Update> ParseUpdate(std::string_view text, std::string_view origin, const ParseOptions& options);

}  // namespace parley::query
