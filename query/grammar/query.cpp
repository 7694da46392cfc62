// query/grammar/query.cpp: query forms, dataset clauses and solution modifiers.
#include "query/grammar/grammar.hpp"

namespace parley::query::grammar {
namespace {

using x3::lit;
using Form = ast::Query::Form;

const var_term_type var_term = "variable";
const iri_term_type iri_term = "IRI";
const var_or_iri_type var_or_iri = "variable or IRI";
const prologue_type prologue = "prologue";
const expression_type expression = "expression";
const bracketted_expression_type bracketted_expression = "bracketed expression";
const builtin_call_type builtin_call = "function call";
const function_call_type function_call = "function call";
const group_graph_pattern_type group_graph_pattern = "group pattern";
const triples_template_type triples_template = "triple pattern";
const data_block_type data_block = "VALUES block";

template <class F>
auto act(F f) {
  return Do([f](Builder& b, auto&) { f(b); });
}
auto open(Form form) {
  return act([form](Builder& b) { b.OpenQuery(form); });
}

const x3::rule<struct digits_class, std::string> digits = "a whole number";
const auto digits_def = x3::lexeme[x3::raw[+kAsciiDigit]];

x3::rule<struct select_clause_class> const select_clause = "SELECT clause";
x3::rule<struct solution_modifier_class> const solution_modifier = "solution modifier";
x3::rule<struct where_clause_class> const where_clause = "WHERE clause";
x3::rule<struct dataset_clause_class> const dataset_clause = "FROM clause";

const auto select_item =
    var_term[act([](Builder& b) { b.ProjectVar(); })] |
    (lit('(') > expression > Kw("AS") > var_term > lit(')')[act([](Builder& b) { b.ProjectExpr(); })]);
const auto select_clause_def =
    Kw("SELECT")[open(Form::kSelect)] >
    -(Kw("DISTINCT")[act([](Builder& b) { b.query().distinct = true; })] |
      Kw("REDUCED")[act([](Builder& b) { b.query().reduced = true; })]) >
    (lit('*')[act([](Builder& b) { b.SelectAll(); })] | +select_item);
const auto dataset_clause_def = Kw("FROM") > ((Kw("NAMED") > iri_term[act([](Builder& b) { b.AddFrom(true); })]) |
                                              iri_term[act([](Builder& b) { b.AddFrom(false); })]);
const auto where_clause_def = -Kw("WHERE") >> group_graph_pattern[act([](Builder& b) { b.SetWhereFromFinished(); })];

const auto group_condition =
    builtin_call[act([](Builder& b) { b.AddGroupBy(false); })] |
    function_call[act([](Builder& b) { b.AddGroupBy(false); })] |
    (lit('(') > expression >
     ((Kw("AS") > var_term > lit(')'))[act([](Builder& b) { b.AddGroupBy(true); })] |
      lit(')')[act([](Builder& b) { b.AddGroupBy(false); })])) |
    var_term[act([](Builder& b) {
      b.TermExpr();
      b.AddGroupBy(false);
    })];
const auto constraint = bracketted_expression | builtin_call | function_call;
const auto order_condition =
    (Kw("ASC") > bracketted_expression[act([](Builder& b) { b.AddOrderBy(false); })]) |
    (Kw("DESC") > bracketted_expression[act([](Builder& b) { b.AddOrderBy(true); })]) |
    constraint[act([](Builder& b) { b.AddOrderBy(false); })] |
    var_term[act([](Builder& b) {
      b.TermExpr();
      b.AddOrderBy(false);
    })];
const auto limit = Kw("LIMIT") > x3::omit[digits[Do([](Builder& b, auto& ctx) { b.SetLimit(x3::_attr(ctx)); })]];
const auto offset = Kw("OFFSET") > x3::omit[digits[Do([](Builder& b, auto& ctx) { b.SetOffset(x3::_attr(ctx)); })]];
const auto solution_modifier_def =
    -(Kw("GROUP") > Kw("BY") > +group_condition) >>
    -(Kw("HAVING") > +constraint[act([](Builder& b) { b.AddHaving(); })]) >>
    -(Kw("ORDER") > Kw("BY") > +order_condition) >> -((limit >> -offset) | (offset >> -limit));

const auto values_clause = -(Kw("VALUES") > data_block[act([](Builder& b) { b.SetTrailingValues(); })]);

const auto select_query = select_clause >> *dataset_clause >> where_clause >> solution_modifier;
const auto construct_template = lit('{')[act([](Builder& b) { b.OpenGroup(); })] > -triples_template >
                                lit('}')[act([](Builder& b) { b.CloseGroup(); })];
const auto construct_query =
    Kw("CONSTRUCT")[open(Form::kConstruct)] >
    ((construct_template[act([](Builder& b) { b.ConstructTemplateFromFinished(); })] > *dataset_clause >
      where_clause > solution_modifier) |
     (*dataset_clause >> Kw("WHERE") > construct_template[act([](Builder& b) { b.ConstructWhereFromTemplate(); })] >
      solution_modifier));
const auto describe_query =
    Kw("DESCRIBE")[open(Form::kDescribe)] >
    (lit('*')[act([](Builder& b) { b.SelectAll(); })] | +var_or_iri[act([](Builder& b) { b.AddDescribeTerm(); })]) >
    *dataset_clause >
    -(where_clause | x3::eps[act([](Builder& b) { b.query().has_where = false; })]) >> solution_modifier;
const auto ask_query = Kw("ASK")[open(Form::kAsk)] > *dataset_clause > where_clause > solution_modifier;

BOOST_SPIRIT_DEFINE(digits, select_clause, solution_modifier, where_clause, dataset_clause)

}  // namespace

const sub_select_type sub_select = "sub-select";
const query_unit_type query_unit = "query";

const auto sub_select_def = (select_clause >> where_clause >> solution_modifier >>
                             values_clause)[act([](Builder& b) { b.AddSubSelect(); })];
const auto query_unit_def =
    prologue >> (select_query | construct_query | describe_query | ask_query) > values_clause > x3::eoi;

BOOST_SPIRIT_DEFINE(sub_select, query_unit)
BOOST_SPIRIT_INSTANTIATE(sub_select_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(query_unit_type, iterator_type, context_type)

}  // namespace parley::query::grammar
