// query/grammar/pattern.cpp: group graph patterns, triples with property paths,
// OPTIONAL, MINUS, UNION, GRAPH, FILTER, BIND and VALUES.
#include "query/grammar/grammar.hpp"

namespace parley::query::grammar {

const group_graph_pattern_type group_graph_pattern = "group pattern";
const triples_template_type triples_template = "triple pattern";
const data_block_type data_block = "VALUES block";

namespace {

using x3::char_;
using x3::lit;

const var_term_type var_term = "variable";
const iri_term_type iri_term = "IRI";
const var_or_iri_type var_or_iri = "variable or IRI";
const var_or_term_type var_or_term = "variable or term";
const data_block_value_type data_block_value = "value";
const expression_type expression = "expression";
const bracketted_expression_type bracketted_expression = "bracketed expression";
const builtin_call_type builtin_call = "function call";
const function_call_type function_call = "function call";
const sub_select_type sub_select = "sub-select";

template <class F>
auto act(F f) {
  return Do([f](Builder& b, auto&) { f(b); });
}

// 'a' as a predicate, case-sensitive.
const auto kw_a = x3::lexeme[lit('a') >> !(kAsciiAlnum | char_("_:-"))];

x3::rule<struct path_class> const path = "property path";
x3::rule<struct path_sequence_class> const path_sequence = "property path";
x3::rule<struct path_elt_class> const path_elt = "property path";
x3::rule<struct path_primary_class> const path_primary = "property path";
x3::rule<struct path_one_in_set_class> const path_one_in_set = "property path";
x3::rule<struct triples_same_subject_class> const triples_same_subject = "triple pattern";
x3::rule<struct property_list_class> const property_list = "predicate";
x3::rule<struct object_list_class> const object_list = "object";
x3::rule<struct graph_node_class> const graph_node = "term";
x3::rule<struct triples_node_class> const triples_node = "blank node or collection";
x3::rule<struct triples_block_class> const triples_block = "triple patterns";
x3::rule<struct group_body_class> const group_body = "group pattern";
x3::rule<struct pattern_not_triples_class> const pattern_not_triples = "pattern";
x3::rule<struct template_triples_class> const template_triples = "triple pattern";
x3::rule<struct template_property_list_class> const template_property_list = "predicate";

// ---- property paths
const auto path_def =
    path_sequence >> *(lit('|') > path_sequence[act([](Builder& b) { b.PathAlternativeOfTopTwo(); })]);
const auto path_sequence_def = path_elt >> *(lit('/') > path_elt[act([](Builder& b) { b.PathSequenceOfTopTwo(); })]);
const auto path_elt_def =
    ((lit('^') > path_primary)[act([](Builder& b) { b.PathInverse(); })] | path_primary) >>
    -(x3::omit[x3::no_skip[char_("*+")][Do([](Builder& b, auto& ctx) { b.PathMod(x3::_attr(ctx)); })]] |
      x3::no_skip[lit('?') >> !(kAsciiAlnum | '_' | '$')][act([](Builder& b) { b.PathMod('?'); })]);
const auto path_one_in_set_def =
    iri_term[act([](Builder& b) { b.NegatedAdd(false); })] |
    kw_a[act([](Builder& b) {
      b.PushTermOf(Term::Iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"));
      b.NegatedAdd(false);
    })] |
    (lit('^') > (iri_term[act([](Builder& b) { b.NegatedAdd(true); })] |
                 kw_a[act([](Builder& b) {
                   b.PushTermOf(Term::Iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"));
                   b.NegatedAdd(true);
                 })]));
const auto path_primary_def =
    iri_term[act([](Builder& b) { b.PathLinkFromTop(); })] | kw_a[act([](Builder& b) { b.PathA(); })] |
    (lit('!')[act([](Builder& b) { b.NegatedStart(); })] >
     (path_one_in_set | (lit('(') > -(path_one_in_set % '|') > ')')))[act([](Builder& b) { b.NegatedEnd(); })] |
    (lit('(') > path > ')');

// ---- triples (WHERE: paths allowed)
const auto verb = path[act([](Builder& b) { b.VerbFromPath(); })] | var_term[act([](Builder& b) { b.VerbFromVar(); })];
const auto object_list_def = graph_node[act([](Builder& b) { b.ObjectFromTop(); })] % ',';
const auto property_list_def = (verb > object_list[act([](Builder& b) { b.PopVerb(); })]) >>
                               *(lit(';') >> -(verb > object_list[act([](Builder& b) { b.PopVerb(); })]));
const auto triples_node_def =
    (lit('[')[act([](Builder& b) { b.PushFreshSubject(); })] >> property_list >
     lit(']')[act([](Builder& b) { b.PopSubjectAsTerm(); })]) |
    (lit('(')[act([](Builder& b) { b.CollectionStart(); })] >> +graph_node >
     lit(')')[act([](Builder& b) { b.CollectionEnd(); })]);
const auto graph_node_def = var_or_term | triples_node;
const auto triples_same_subject_def =
    (var_or_term[act([](Builder& b) { b.SubjectFromTop(); })] > property_list[act([](Builder& b) { b.PopSubject(); })]) |
    (triples_node[act([](Builder& b) { b.SubjectFromTop(); })] > (-property_list)[act([](Builder& b) { b.PopSubject(); })]);
const auto triples_block_def = triples_same_subject >> *(lit('.') >> triples_same_subject) >> -lit('.');

// ---- triples (CONSTRUCT templates: no paths)
const auto template_verb = (iri_term[act([](Builder& b) { b.PathLinkFromTop(); })] |
                            kw_a[act([](Builder& b) { b.PathA(); })])[act([](Builder& b) { b.VerbFromPath(); })] |
                           var_term[act([](Builder& b) { b.VerbFromVar(); })];
const auto template_property_list_def =
    (template_verb > object_list[act([](Builder& b) { b.PopVerb(); })]) >>
    *(lit(';') >> -(template_verb > object_list[act([](Builder& b) { b.PopVerb(); })]));
const auto template_triples_def =
    (var_or_term[act([](Builder& b) { b.SubjectFromTop(); })] >
     template_property_list[act([](Builder& b) { b.PopSubject(); })]) |
    (triples_node[act([](Builder& b) { b.SubjectFromTop(); })] >
     (-template_property_list)[act([](Builder& b) { b.PopSubject(); })]);

// ---- group graph patterns
const auto group_or_union =
    &lit('{') >> x3::eps[act([](Builder& b) { b.MarkGroups(); })] >> group_graph_pattern >>
    *(Kw("UNION") > group_graph_pattern) >> x3::eps[act([](Builder& b) { b.AddGroupOrUnion(); })];
const auto constraint = bracketted_expression | builtin_call | function_call;
const auto pattern_not_triples_def =
    group_or_union | (Kw("OPTIONAL") > group_graph_pattern[act([](Builder& b) { b.AddOptional(); })]) |
    (Kw("MINUS") > group_graph_pattern[act([](Builder& b) { b.AddMinus(); })]) |
    (Kw("GRAPH") > var_or_iri > group_graph_pattern[act([](Builder& b) { b.AddGraph(); })]) |
    (Kw("FILTER") > constraint[act([](Builder& b) { b.AddFilter(); })]) |
    (Kw("BIND") > '(' > expression > Kw("AS") > var_term > lit(')')[act([](Builder& b) { b.AddBind(); })]) |
    (Kw("VALUES") > data_block[act([](Builder& b) { b.AddInlineValues(); })]);
const auto group_body_def = -triples_block >> *(pattern_not_triples >> -lit('.') >> -triples_block);

}  // namespace


// Named so that an expectation failure reads "expected '.' or '}'".
const x3::rule<struct close_group_class> close_group = "'.' or '}'";
const auto close_group_def = lit('}')[act([](Builder& b) { b.CloseGroup(); })];
const auto group_graph_pattern_def =
    lit('{')[act([](Builder& b) { b.OpenGroup(); })] > ((&Kw("SELECT") >> sub_select) | group_body) > close_group;
const auto triples_template_def = template_triples >> *(lit('.') >> template_triples) >> -lit('.');

const auto values_cell = data_block_value[act([](Builder& b) { b.ValuesCell(false); })] |
                         Kw("UNDEF")[act([](Builder& b) { b.ValuesCell(true); })];
const auto nil = lit('(') >> lit(')');
const auto one_var_block = var_term[act([](Builder& b) { b.ValuesVar(); })] > '{' >
                           *(x3::eps[act([](Builder& b) { b.ValuesRowStart(); })] >> values_cell >>
                             x3::eps[act([](Builder& b) { b.ValuesRowEnd(); })]) >
                           '}';
const auto full_block = (nil | (lit('(') > *var_term[act([](Builder& b) { b.ValuesVar(); })] > ')')) > '{' >
                        *(nil[act([](Builder& b) {
                            b.ValuesRowStart();
                            b.ValuesRowEnd();
                          })] |
                          (lit('(')[act([](Builder& b) { b.ValuesRowStart(); })] > *values_cell >
                           lit(')')[act([](Builder& b) { b.ValuesRowEnd(); })])) > '}';
const auto data_block_def = x3::eps[act([](Builder& b) { b.ValuesStart(); })] >> (one_var_block | full_block);

BOOST_SPIRIT_DEFINE(path, path_sequence, path_elt, path_primary, path_one_in_set, triples_same_subject, property_list,
                    object_list, graph_node, triples_node, triples_block, group_body, pattern_not_triples,
                    template_triples, template_property_list)
BOOST_SPIRIT_DEFINE(close_group, group_graph_pattern, triples_template, data_block)
BOOST_SPIRIT_INSTANTIATE(group_graph_pattern_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(triples_template_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(data_block_type, iterator_type, context_type)

}  // namespace parley::query::grammar
