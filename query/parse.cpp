#include "query/parse.hpp"

#include <cctype>
#include <optional>
#include <set>

#include "rdf/text_position.hpp"
#include "query/grammar/grammar.hpp"
#include "query/validate.hpp"

namespace parley::query {
namespace {

// SPARQL processes \u and \U escapes anywhere in the query before parsing (§19.2).
// `bad_escape` is set to the offset of a \u escape that names a surrogate, if any.
std::string UnescapeCodepoints(std::string_view text, std::optional<std::size_t>* bad_escape) {
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 'u' || text[i + 1] == 'U')) {
      const std::size_t n = text[i + 1] == 'u' ? 4 : 8;
      std::uint32_t cp = 0;
      bool ok = i + 2 + n <= text.size();
      for (std::size_t k = 0; ok && k < n; ++k) {
        int h = hex(text[i + 2 + k]);
        ok = h >= 0;
        cp = (cp << 4) | static_cast<std::uint32_t>(std::max(h, 0));
      }
      if (ok && cp >= 0xD800 && cp <= 0xDFFF) {
        ok = false;
        if (!*bad_escape) *bad_escape = i;
      }
      if (ok && cp <= 0x10FFFF) {
        if (cp < 0x80) {
          out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
          out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        i += 1 + n;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// The parser, the algebra, the planner and the syntax tree's destructor recurse once per
// level of (), {} and []: a query nested deeper than this is refused before parsing, so
// that hostile text meets an error and not the end of the stack.
constexpr int kMaxNesting = 128;

// Where `text` first opens a bracket beyond kMaxNesting levels, if it does. Strings,
// IRIs and comments are skipped; a '<' that starts no IRI is an operator.
std::optional<std::size_t> NestedTooDeep(const std::string& text) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const bool long_string = text.compare(i, 3, std::string(3, c)) == 0;
      const std::string close = long_string ? std::string(3, c) : std::string(1, c);
      for (i += close.size(); i < text.size() && text.compare(i, close.size(), close) != 0; ++i) {
        if (text[i] == '\\') ++i;
        if (!long_string && text[i] == '\n') break;
      }
      i += close.size() - 1;
    } else if (c == '<') {
      std::size_t end = i + 1;
      while (end < text.size() && std::string_view("<>\"{}|^`\\ \t\r\n").find(text[end]) == std::string_view::npos) ++end;
      if (end < text.size() && text[end] == '>') i = end;
    } else if (c == '(' || c == '{' || c == '[') {
      if (++depth > kMaxNesting) return i;
    } else if (c == ')' || c == '}' || c == ']') {
      --depth;
    }
  }
  return std::nullopt;
}

// The name at `offset` when it is a call of a function SPARQL does not have ("REPEAT(").
std::optional<std::string> UnknownFunctionAt(const std::string& text, std::size_t offset) {
  std::size_t end = offset;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_')) ++end;
  std::size_t paren = end;
  while (paren < text.size() && (text[paren] == ' ' || text[paren] == '\t')) ++paren;
  if (end == offset || paren >= text.size() || text[paren] != '(') return std::nullopt;
  std::string name = text.substr(offset, end - offset);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::set<std::string> kNotFunctions = {
      "FILTER", "BIND", "ASC", "DESC", "IN", "NOT", "EXISTS", "VALUES", "GROUP", "ORDER", "BY", "HAVING", "SELECT",
      "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "AS", "WHERE", "GRAPH", "OPTIONAL", "MINUS",
      "UNION", "SERVICE", "LIMIT", "OFFSET", "CONSTRUCT", "DESCRIBE", "ASK", "FROM", "NAMED", "DISTINCT", "REDUCED"};
  if (grammar::IsBuiltin(name) || kNotFunctions.count(name)) return std::nullopt;
  return name;
}

Status ErrorAt(const std::string& text, std::string_view origin, std::size_t offset, std::string message) {
  rdf::TextPosition where = rdf::Locate(text, offset);
  return Status::ParseError(Diagnostic{std::string(origin), where.line, where.column, std::move(message),
                                       where.line_text, 1});
}

std::string Describe(const std::string& text, std::size_t offset, std::string_view noun) {
  if (offset >= text.size()) return "the end of the " + std::string(noun);
  std::size_t end = offset;
  while (end < text.size() && end - offset < 20 && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
  return "\"" + text.substr(offset, std::max<std::size_t>(end - offset, 1)) + "\"";
}

// The parser reports where a failed rule began, before the skipper ran: point at the token instead.
std::size_t SkipSpaceAndComments(const std::string& text, std::size_t offset) {
  while (offset < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[offset])) != 0) {
      ++offset;
    } else if (text[offset] == '#') {
      while (offset < text.size() && text[offset] != '\n') ++offset;
    } else {
      break;
    }
  }
  return offset;
}

bool IsUnterminatedString(const std::string& text, std::size_t offset) {
  if (offset >= text.size() || (text[offset] != '"' && text[offset] != '\'')) return false;
  const char quote = text[offset];
  for (std::size_t i = offset + 1; i < text.size() && text[i] != '\n'; ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      return false;
    }
  }
  return text.compare(offset, 3, std::string(3, quote)) != 0;  // long strings may span lines
}

// What the failed rule wanted, in words. Rules have names; a rule wrapped in a semantic
// action shows up as a C++ type name, in which the rule's tag class still appears.
std::string Expected(const std::string& which, std::string_view noun) {
  if (which == "eoi") return "the end of the " + std::string(noun);
  if (which.find("boost") == std::string::npos) return which;
  static const std::pair<const char*, const char*> kTags[] = {
      {"object_list_class", "an object"},          {"property_list_class", "a predicate"},
      {"additive_class", "an expression"},         {"multiplicative_class", "an expression"},
      {"unary_expr_class", "an expression"},       {"primary_class", "an expression"},
      {"relational_class", "an expression"},       {"conditional_and_class", "an expression"},
      {"conditional_or_class", "an expression"},   {"expression_class", "an expression"},
      {"group_graph_pattern_class", "'{'"},        {"path_elt_class", "a property path"},
      {"path_sequence_class", "a property path"},  {"path_primary_class", "a property path"},
      {"var_term_class", "a variable"},            {"var_or_iri_class", "a variable or IRI"},
      {"var_or_term_class", "a variable or term"}, {"iri_term_class", "an IRI"},
      {"constraint_class", "a filter expression"}, {"data_block_class", "a VALUES block"},
      {"graph_node_class", "a term"},              {"triples_same_subject_class", "a triple pattern"},
      {"where_clause_class", "a WHERE clause"},    {"select_clause_class", "a SELECT clause"}};
  std::size_t first = std::string::npos;
  const char* words = nullptr;
  for (const auto& [tag, text] : kTags) {
    const auto at = which.find(tag);
    if (at != std::string::npos && at < first) {
      first = at;
      words = text;
    }
  }
  return words == nullptr ? "" : words;
}

// Runs the grammar's `Rule` over `raw_text`, filling `builder`. What is common to
// queries and updates: escapes, the nesting bound, and errors with line and caret.
template <class Rule>
Status RunGrammar(std::string_view raw_text, std::string_view origin, std::string_view noun, const char* expected_first,
                  grammar::Builder& builder, std::string& text) {
  namespace x3 = boost::spirit::x3;
  std::optional<std::size_t> bad_escape;
  // A byte-order mark at the start of the text (as editors on Windows write) is not text.
  if (raw_text.substr(0, 3) == "\xEF\xBB\xBF") raw_text.remove_prefix(3);
  text = UnescapeCodepoints(raw_text, &bad_escape);
  if (bad_escape) {
    // The offset is in the text as typed, before any escape was replaced.
    return ErrorAt(std::string(raw_text), origin, *bad_escape, "a \\u escape names a surrogate, which is no Unicode character");
  }
  if (auto deep = NestedTooDeep(text)) {
    return ErrorAt(text, origin, *deep, "the " + std::string(noun) + " is nested more than " + std::to_string(kMaxNesting) + " levels deep");
  }
  builder.text_begin = text.begin();
  auto first = text.cbegin();
  const auto last = text.cend();
  bool ok = false;
  try {
    ok = x3::phrase_parse(first, last, x3::with<grammar::builder_tag>(std::ref(builder))[Rule{}], grammar::Skipper());
  } catch (const x3::expectation_failure<grammar::iterator_type>& e) {
    const auto offset = SkipSpaceAndComments(text, static_cast<std::size_t>(e.where() - text.cbegin()));
    if (builder.error) return ErrorAt(text, origin, builder.error_offset, *builder.error);
    if (IsUnterminatedString(text, offset)) return ErrorAt(text, origin, offset, "this string is not closed on its line");
    if (auto name = UnknownFunctionAt(text, offset)) {
      return ErrorAt(text, origin, offset, "unknown function " + *name + " (not one of SPARQL's functions)");
    }
    const std::string expected = Expected(e.which(), noun);
    return ErrorAt(text, origin, offset, (expected.empty() ? "" : "expected " + expected + ", ") + "found " + Describe(text, offset, noun));
  }
  if (builder.error) return ErrorAt(text, origin, builder.error_offset, *builder.error);
  if (!ok || first != last) {
    const auto offset = static_cast<std::size_t>(first - text.cbegin());
    return ErrorAt(text, origin, offset, offset == 0 ? std::string("expected ") + expected_first : "unexpected " + Describe(text, offset, noun));
  }
  return Status::OK();
}

}  // namespace

Result<ast::Query> ParseQuery(std::string_view raw_text, std::string_view origin, const ParseOptions& options) {
  grammar::Builder builder(options.base, options.prefixes);
  std::string text;
  PARLEY_RETURN_IF_ERROR(RunGrammar<grammar::query_unit_type>(raw_text, origin, "query", "a query (SELECT, ASK, CONSTRUCT or DESCRIBE)",
                                                              builder, text));
  ast::Query query = builder.TakeQuery();
  PARLEY_RETURN_IF_ERROR(ValidateQuery(query, origin));
  return query;
}

Result<ast::Update> ParseUpdate(std::string_view raw_text, std::string_view origin, const ParseOptions& options) {
  grammar::Builder builder(options.base, options.prefixes);
  std::string text;
  PARLEY_RETURN_IF_ERROR(RunGrammar<grammar::update_unit_type>(
      raw_text, origin, "update", "an update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, ADD, MOVE or COPY)", builder, text));
  ast::Update update = builder.TakeUpdate();
  PARLEY_RETURN_IF_ERROR(ValidateUpdate(update, origin));
  return update;
}

}  // namespace parley::query
