// query/grammar/expression.cpp: SPARQL expressions, built-in calls and aggregates.
#include <algorithm>
#include <array>

#include "query/grammar/grammar.hpp"

namespace parley::query::grammar {
namespace {

using x3::lit;
using Op = ast::Expr::Op;

// Built-in functions called with a plain argument list (EXISTS and the aggregates have
// rules of their own).
constexpr std::array<const char*, 52> kBuiltins = {
    "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI", "BNODE", "RAND", "ABS", "CEIL", "FLOOR",
    "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS", "STRENDS",
    "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "NOW",
    "UUID", "STRUUID", "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "COALESCE", "IF", "STRLANG", "STRDT",
    "SAMETERM", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX", "SUBSTR", "REPLACE"};


auto binary(Op op) {
  return Do([op](Builder& b, auto& ctx) {
    const bool had_error = b.error.has_value();
    b.Binary(op);
    // An expression too tall is found here: point at the operator that made it so.
    if (!had_error && b.error) b.error_offset = static_cast<std::size_t>(x3::_where(ctx).begin() - b.text_begin);
  });
}
auto unary(Op op) {
  return Do([op](Builder& b, auto&) { b.Unary(op); });
}
const auto mark = Do([](Builder& b, auto&) { b.Mark(); });
const auto term_expr = Do([](Builder& b, auto&) { b.TermExpr(); });
const auto distinct_flag = Kw("DISTINCT")[Do([](Builder& b, auto&) { b.SetDistinctFlag(); })];

const x3::rule<struct builtin_name_class, std::string> builtin_name = "function name";
// A name followed by '(' (the lookahead sits inside raw[] to keep the attribute a plain string).
const auto builtin_name_def = x3::lexeme[x3::raw[kAsciiAlpha >> *(kAsciiAlnum | '_') >> &(*kAsciiSpace >> '(')]];

x3::rule<struct conditional_or_class> const conditional_or = "expression";
x3::rule<struct conditional_and_class> const conditional_and = "expression";
x3::rule<struct relational_class> const relational = "expression";
x3::rule<struct additive_class> const additive = "expression";
x3::rule<struct multiplicative_class> const multiplicative = "expression";
x3::rule<struct unary_expr_class> const unary_expr = "expression";
x3::rule<struct primary_class> const primary = "expression";
x3::rule<struct aggregate_class> const aggregate = "aggregate";
x3::rule<struct expression_list_class> const expression_list = "expression list";

const expression_type expression = "expression";
const bracketted_expression_type bracketted_expression = "bracketed expression";
const builtin_call_type builtin_call = "function call";
const function_call_type function_call = "function call";
const group_graph_pattern_type group_graph_pattern = "group pattern";
const var_term_type var_term = "variable";
const iri_term_type iri_term = "IRI";
const rdf_literal_type rdf_literal = "literal";
const numeric_unsigned_type numeric_unsigned = "number";
const boolean_literal_type boolean_literal = "boolean";

const auto expression_def = conditional_or;
// '<' is less-than only when it does not start an IRI: SPARQL's lexer takes the
// longest token, so "?x<?a&&?b>?y" holds the IRI <?a&&?b>.
const auto less_than =
    !x3::lexeme[lit('<') >> *(x3::char_ - x3::char_("<>\"{}|^`\\") - x3::char_('\0', ' ')) >> '>'] >> lit('<');
const auto conditional_or_def = conditional_and >> *(lit("||") > conditional_and[binary(Op::kOr)]);
const auto conditional_and_def = relational >> *(lit("&&") > relational[binary(Op::kAnd)]);
const auto expression_list_def = (lit('(')[mark] >> lit(')')) | (lit('(')[mark] > (expression % ',') > ')');
const auto relational_def =
    additive >> -((lit('=') > additive[binary(Op::kEq)]) | (lit("!=") > additive[binary(Op::kNe)]) |
                  (lit("<=") > additive[binary(Op::kLe)]) | (lit(">=") > additive[binary(Op::kGe)]) |
                  (less_than > additive[binary(Op::kLt)]) | (lit('>') > additive[binary(Op::kGt)]) |
                  (Kw("IN") > expression_list[Do([](Builder& b, auto&) { b.InList(false); })]) |
                  (Kw("NOT") >> Kw("IN") > expression_list[Do([](Builder& b, auto&) { b.InList(true); })]));
const auto additive_def = multiplicative >> *((lit('+') > multiplicative[binary(Op::kAdd)]) |
                                              (lit('-') > multiplicative[binary(Op::kSub)]));
const auto multiplicative_def = unary_expr >> *((lit('*') > unary_expr[binary(Op::kMul)]) |
                                                (lit('/') > unary_expr[binary(Op::kDiv)]));
const auto unary_expr_def = (lit('!') > primary[unary(Op::kNot)]) | (lit('+') > primary[unary(Op::kPlus)]) |
                            (lit('-') > primary[unary(Op::kNeg)]) | primary;
const auto call_args = (-distinct_flag >> -(expression % ',')) > lit(')')[Do([](Builder& b, auto&) {
                         b.CallFunctionFromTop();
                       })];
// An IRI is a function call when '(' follows; decided after the IRI, so no backtracking.
const auto iri_or_function = iri_term >> ((lit('(')[mark] > call_args) | x3::eps[term_expr]);
const auto primary_def = bracketted_expression | builtin_call | iri_or_function | rdf_literal[term_expr] |
                         numeric_unsigned[term_expr] | boolean_literal[term_expr] | var_term[term_expr];
const auto bracketted_expression_def = lit('(') > expression > ')';



const auto function_call_def = iri_term > lit('(')[mark] > call_args;

auto aggregate_of(const char* name) {
  return Kw(name) >> (lit('(') > -distinct_flag > expression > lit(')'))[Do([name](Builder& b, auto&) {
           b.Aggregate(name, b.TakeDistinctFlag(), false);
         })];
}
const auto group_concat =
    Kw("GROUP_CONCAT") >>
    (lit('(') > -distinct_flag > expression)[Do([](Builder& b, auto&) {
      b.Aggregate("GROUP_CONCAT", b.TakeDistinctFlag(), false);
    })] >
    -(lit(';') > Kw("SEPARATOR") > '=' >
      x3::omit[x3::lexeme[x3::raw[('"' >> *(x3::char_ - '"') >> '"') | ('\'' >> *(x3::char_ - '\'') >> '\'')]]
                         [Do([](Builder& b, auto& ctx) {
                           b.SetSeparator(std::string(x3::_attr(ctx).begin(), x3::_attr(ctx).end()));
                         })]]) >
    ')';
const auto aggregate_def =
    (Kw("COUNT") >> lit('(') > -distinct_flag >
     ((lit('*') > lit(')'))[Do([](Builder& b, auto&) { b.Aggregate("COUNT", b.TakeDistinctFlag(), true); })] |
      (expression > lit(')'))[Do([](Builder& b, auto&) { b.Aggregate("COUNT", b.TakeDistinctFlag(), false); })])) |
    aggregate_of("SUM") | aggregate_of("MIN") | aggregate_of("MAX") | aggregate_of("AVG") | aggregate_of("SAMPLE") |
    group_concat;

// The name is kept in the builder until the arguments are parsed (nested calls stack).
const auto builtin_call_def =
    aggregate |
    (Kw("NOT") >> Kw("EXISTS") > group_graph_pattern[Do([](Builder& b, auto&) { b.Exists(true); })]) |
    (Kw("EXISTS") > group_graph_pattern[Do([](Builder& b, auto&) { b.Exists(false); })]) |
    ((x3::omit[builtin_name[([](auto& ctx) {
       x3::_pass(ctx) = IsBuiltin(x3::_attr(ctx));
       if (x3::_pass(ctx)) GetBuilder(ctx).PushCallName(x3::_attr(ctx));
     })]] >>
      lit('(')[mark]) >
     -(expression % ',') > lit(')')[Do([](Builder& b, auto&) { b.CallPendingBuiltin(); })]);

BOOST_SPIRIT_DEFINE(builtin_name, conditional_or, conditional_and, relational, additive, multiplicative, unary_expr,
                    primary, aggregate, expression_list)

}  // namespace

bool IsBuiltin(std::string name) {
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return std::any_of(kBuiltins.begin(), kBuiltins.end(), [&](const char* b) { return name == b; });
}

BOOST_SPIRIT_DEFINE(expression, bracketted_expression, builtin_call, function_call)
BOOST_SPIRIT_INSTANTIATE(expression_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(bracketted_expression_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(builtin_call_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(function_call_type, iterator_type, context_type)

}  // namespace parley::query::grammar
