// query/grammar/update.cpp: SPARQL 1.1 Update requests (§3 of the Update spec, grammar
// rules [29]-[52]): operations separated by ';', each with its own prologue.
#include "query/grammar/grammar.hpp"

namespace parley::query::grammar {
namespace {

using x3::lit;
using Kind = ast::UpdateOperation::Kind;
using Target = ast::GraphTarget::Kind;

const iri_term_type iri_term = "IRI";
const var_or_iri_type var_or_iri = "variable or IRI";
const prologue_type prologue = "prologue";
const group_graph_pattern_type group_graph_pattern = "group pattern";
const triples_template_type triples_template = "triple pattern";

template <class F>
auto act(F f) {
  return Do([f](Builder& b, auto&) { f(b); });
}
// An action given the offset where its match began.
template <class F>
auto act_at(F f) {
  return Do([f](Builder& b, auto& ctx) {
    f(b, static_cast<std::size_t>(x3::_where(ctx).begin() - b.text_begin));
  });
}
// An action on a quad block, given where the block opened (for errors in it).
template <class F>
auto on_block(F f) {
  return Do([f](Builder& b, auto&) { f(b, b.block_start); });
}
auto begin(Kind kind) {
  return act([kind](Builder& b) { b.BeginOperation(kind); });
}
auto graph(Target kind, bool from = false) {
  return act([kind, from](Builder& b) { b.SetGraph(kind, from); });
}

x3::rule<struct quad_block_class> const quad_block = "'{'";
x3::rule<struct graph_ref_all_class> const graph_ref_all = "GRAPH, DEFAULT, NAMED or ALL";
x3::rule<struct graph_or_default_class> const graph_or_default = "DEFAULT or a graph IRI";
x3::rule<struct update_operation_class> const update_operation = "an update operation";

// { triples GRAPH <g> { triples } ... }: the open group gets the triples and one GRAPH
// element per graph block, then moves to the finished stack.
const auto quads_not_triples = Kw("GRAPH") > var_or_iri > lit('{')[act([](Builder& b) { b.OpenGroup(); })] >
                               -triples_template > lit('}')[act([](Builder& b) {
                                 b.CloseGroup();
                                 b.AddGraph();
                               })];
const auto quad_block_def = lit('{')[act_at([](Builder& b, std::size_t at) {
                              b.OpenGroup();
                              // The action's range may start past the brace: point at the brace itself.
                              while (at > 0 && b.text_begin[static_cast<std::ptrdiff_t>(at) - 1] != '{') --at;
                              b.block_start = at > 0 ? at - 1 : 0;
                            })] > -triples_template >
                            *(quads_not_triples >> -lit('.') >> -triples_template) >
                            lit('}')[act([](Builder& b) { b.CloseGroup(); })];

const auto silent = -Kw("SILENT")[act([](Builder& b) { b.operation().silent = true; })];
const auto graph_ref = Kw("GRAPH") > iri_term[graph(Target::kGraph)];
const auto graph_ref_all_def = graph_ref | Kw("DEFAULT")[graph(Target::kDefault)] |
                               Kw("NAMED")[graph(Target::kNamed)] | Kw("ALL")[graph(Target::kAll)];
// ADD, MOVE and COPY name two graphs; the first is where the quads come from.
const auto from_graph = Kw("DEFAULT")[graph(Target::kDefault, true)] |
                        (-Kw("GRAPH") >> iri_term[graph(Target::kGraph, true)]);
const auto graph_or_default_def = Kw("DEFAULT")[graph(Target::kDefault)] |
                                  (-Kw("GRAPH") >> iri_term[graph(Target::kGraph)]);

const auto load = Kw("LOAD")[begin(Kind::kLoad)] > silent > iri_term[act([](Builder& b) { b.SetDocumentFromTop(); })] >
                  -(Kw("INTO") > graph_ref);
const auto clear = Kw("CLEAR")[begin(Kind::kClear)] > silent > graph_ref_all;
const auto drop = Kw("DROP")[begin(Kind::kDrop)] > silent > graph_ref_all;
const auto create = Kw("CREATE")[begin(Kind::kCreate)] > silent > graph_ref;
const auto add = Kw("ADD")[begin(Kind::kAdd)] > silent > from_graph > Kw("TO") > graph_or_default;
const auto move = Kw("MOVE")[begin(Kind::kMove)] > silent > from_graph > Kw("TO") > graph_or_default;
const auto copy = Kw("COPY")[begin(Kind::kCopy)] > silent > from_graph > Kw("TO") > graph_or_default;

const auto insert_data = (Kw("INSERT") >> Kw("DATA"))[begin(Kind::kInsertData)] >
                         quad_block[on_block([](Builder& b, std::size_t at) { b.DataFromFinished(at); })];
const auto delete_data = (Kw("DELETE") >> Kw("DATA"))[begin(Kind::kDeleteData)] >
                         quad_block[on_block([](Builder& b, std::size_t at) { b.DataFromFinished(at); })];
const auto delete_where = (Kw("DELETE") >> Kw("WHERE"))[begin(Kind::kDeleteWhere)] >
                          quad_block[on_block([](Builder& b, std::size_t at) { b.DeleteWhereFromFinished(at); })];

const auto delete_clause =
    Kw("DELETE") > quad_block[on_block([](Builder& b, std::size_t at) { b.TemplateFromFinished(true, at); })];
const auto insert_clause =
    Kw("INSERT") > quad_block[on_block([](Builder& b, std::size_t at) { b.TemplateFromFinished(false, at); })];
const auto using_clause = Kw("USING") > ((Kw("NAMED") > iri_term[act([](Builder& b) { b.AddUsing(true); })]) |
                                         iri_term[act([](Builder& b) { b.AddUsing(false); })]);
// WITH comes before the operation's kind is known; the operation opens at the first
// keyword, so WITH's IRI waits on the term stack until then.
const auto modify =
    ((Kw("WITH") > iri_term >> x3::eps[begin(Kind::kModify)][act([](Builder& b) { b.SetWithFromTop(); })]) |
     x3::eps[begin(Kind::kModify)]) >>
    ((delete_clause > -insert_clause) | insert_clause) > *using_clause > Kw("WHERE") >
    group_graph_pattern[act([](Builder& b) { b.SetUpdateWhereFromFinished(); })];

const auto update_operation_def = load | clear | drop | create | add | move | copy | insert_data | delete_data |
                                  delete_where | modify;

BOOST_SPIRIT_DEFINE(quad_block, graph_ref_all, graph_or_default, update_operation)

}  // namespace

const update_unit_type update_unit = "update";

// Update ::= Prologue ( Update1 ( ';' Update )? )?  -- so a request may end with ';'.
const auto update_unit_def = prologue >> -(update_operation % (lit(';') >> prologue)) >> -(lit(';') >> prologue) >
                             x3::eoi;

BOOST_SPIRIT_DEFINE(update_unit)
BOOST_SPIRIT_INSTANTIATE(update_unit_type, iterator_type, context_type)

}  // namespace parley::query::grammar
