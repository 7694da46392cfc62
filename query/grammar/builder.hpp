// query/grammar/builder.hpp
// Builds the syntax tree while the X3 grammar matches. Grammar rules carry no
// attributes; their semantic actions call this builder, which keeps stacks of terms,
// expressions, paths, open groups and queries. Actions fire only once a construct has
// fully matched (or is committed by an expectation point), so backtracking never
// leaves half-built nodes behind.
// Not thread-safe: one builder per parse.
#pragma once

#include <map>
#include <string>
#include <optional>
#include <string>
#include <vector>

#include "query/ast.hpp"

namespace parley::query::grammar {

class Builder {
 public:
  Builder(std::string base, std::map<std::string, std::string> prefixes);

  // ---- prologue
  void SetBase(const std::string& raw_iri);
  void AddPrefix(const std::string& prefix, const std::string& raw_iri);

  // ---- terms (pushed onto the term stack)
  void PushIri(const std::string& raw_iri);           // <...>, resolved against the base
  bool PushPrefixed(const std::string& prefixed);     // p:local; false when p is undeclared
  void PushVar(const std::string& name);
  void PushBlank(const std::string& label);           // _:label
  void PushAnon();                                    // [] or a node of a collection
  void PushString(const std::string& quoted);         // with its quotes; escapes decoded here
  void SetLanguage(const std::string& tag);           // on the string on top
  void SetDatatypeFromTop();                          // "x"^^<iri>: pops the IRI
  void PushNumber(const std::string& text);           // integer, decimal or double by its form
  void PushBoolean(bool value);
  void PushTermOf(const Term& term);
  ast::PatternTerm PopTerm();

  // ---- expressions
  void Mark();                                        // remember the expression stack depth
  void TermExpr();                                    // pops a term, pushes an expression
  void Unary(ast::Expr::Op op);
  void Binary(ast::Expr::Op op);
  void CallBuiltin(const std::string& name);          // arguments since Mark()
  void PushCallName(const std::string& name) { call_names_.push_back(name); }
  void CallPendingBuiltin() {                         // the name pushed last
    CallBuiltin(call_names_.back());
    call_names_.pop_back();
  }
  void CallFunctionFromTop();                         // pops an IRI term; arguments since Mark()
  void InList(bool negated);                          // args since Mark() after the left operand
  void Aggregate(const std::string& name, bool distinct, bool star);
  void SetSeparator(const std::string& quoted);       // GROUP_CONCAT's separator
  void Exists(bool negated);                          // pops a finished group
  void SetDistinctFlag() { pending_distinct_ = true; }
  bool TakeDistinctFlag();
  ast::Expr PopExpr();

  // ---- paths
  void PathLinkFromTop();                             // pops an IRI term
  void PathA();                                       // 'a' as rdf:type
  void PathInverse();
  void PathMod(char mod);                             // * + ?
  void PathSequenceOfTopTwo();                        // a/b
  void PathAlternativeOfTopTwo();                     // a|b
  void NegatedStart() { negated_.clear(); }
  void NegatedAdd(bool inverse);                      // pops an IRI term (or 'a' pushed as IRI)
  void NegatedEnd();

  // ---- triples
  void SubjectFromTop();                              // pops a term, makes it the subject
  void PopSubjectAsTerm();                            // a finished [ ... ]: its node becomes a term
  void PushFreshSubject();                            // '[' starts a blank node property list
  void PopSubject();
  void VerbFromPath();                                // pops a path
  void VerbFromVar();                                 // pops a variable term
  void PopVerb();
  void ObjectFromTop();                               // pops a term: emits subject verb object
  void CollectionStart();
  void CollectionEnd();                               // items since start -> rdf:first/rest nodes; pushes the head

  // ---- groups
  void OpenGroup();
  void CloseGroup();                                  // moves the open group to the finished stack
  void MarkGroups() { group_marks_.push_back(finished_.size()); }
  void AddGroupOrUnion();                             // finished groups since the mark
  void AddOptional();
  void AddMinus();
  void AddGraph();                                    // pops a term and a finished group
  void AddFilter();
  void AddBind();                                     // pops a var term and an expression
  void ValuesStart();
  void ValuesVar();                                   // pops a var term
  void ValuesRowStart();
  void ValuesCell(bool undef);                        // pops a term unless undef
  void ValuesRowEnd();
  void AddInlineValues();                             // VALUES inside a group
  void SetTrailingValues();                           // VALUES after the query

  // ---- queries
  void OpenQuery(ast::Query::Form form);
  void AddSubSelect();                                // closes the current query into the group
  ast::Query& query() { return queries_.back(); }
  void SelectAll() { query().select_all = true; }
  void ProjectVar();                                  // pops a var term
  void ProjectExpr();                                 // pops a var term and an expression
  void SetWhereFromFinished();
  void AddFrom(bool named);                           // pops an IRI term
  void AddGroupBy(bool with_var);
  void AddHaving();
  void AddOrderBy(bool descending);
  void SetLimit(const std::string& digits);
  void SetOffset(const std::string& digits);
  void ConstructTemplateFromFinished();               // the template group's triples
  void ConstructWhereFromTemplate();                  // CONSTRUCT WHERE { ... }
  void AddDescribeTerm();
  ast::Query TakeQuery();

  // ---- updates (SPARQL 1.1 Update)
  using OperationKind = ast::UpdateOperation::Kind;
  void BeginOperation(OperationKind kind) { update_.operations.emplace_back().kind = kind; }
  ast::UpdateOperation& operation() { return update_.operations.back(); }
  // The finished group of a quad block ({ triples GRAPH g { triples } ... }) as quads.
  // DATA blocks take no variables and DELETE blocks no blank nodes: a breach sets
  // `error` at `offset`, the start of the block.
  void DataFromFinished(std::size_t offset);           // INSERT DATA / DELETE DATA
  void DeleteWhereFromFinished(std::size_t offset);     // DELETE WHERE: the block is both pattern and template
  void TemplateFromFinished(bool deleting, std::size_t offset);  // DELETE { } / INSERT { }
  void SetUpdateWhereFromFinished() { operation().where = PopFinished(); }
  void SetWithFromTop() { operation().with = PopTerm().term.value; }
  void AddUsing(bool named);                          // pops an IRI term
  void SetDocumentFromTop() { operation().document = PopTerm().term.value; }
  // A graph an operation names; `into_from` is the first of ADD/MOVE/COPY's two.
  void SetGraph(ast::GraphTarget::Kind kind, bool into_from);  // pops an IRI term for kGraph
  ast::Update TakeUpdate() { return std::move(update_); }
  std::size_t block_start = 0;  // where the last quad block's '{' is

  // An error found while matching (undeclared prefix, ...); the parse then fails.
  std::optional<std::string> error;
  std::size_t error_offset = 0;
  std::string::const_iterator text_begin;  // to turn match positions into offsets

 private:
  ast::GroupPattern& Current() { return open_.back(); }
  void PushExpr(ast::Expr e);
  std::vector<ast::TriplePattern>& TriplesBlock();
  ast::GroupPattern PopFinished();
  std::vector<ast::Expr> ArgsSinceMark();

  std::string base_;
  std::map<std::string, std::string> prefixes_;
  std::vector<ast::PatternTerm> terms_;
  std::vector<ast::Expr> exprs_;
  std::vector<std::size_t> marks_;
  std::vector<ast::Path> paths_;
  std::vector<std::size_t> path_marks_;
  std::vector<std::pair<bool, std::string>> negated_;
  std::vector<ast::PatternTerm> subjects_;
  struct Verb {
    bool is_var = false;
    std::string var;
    ast::Path path;
  };
  std::vector<Verb> verbs_;
  std::vector<std::size_t> collection_marks_;
  std::vector<ast::GroupPattern> open_, finished_;
  std::vector<std::size_t> group_marks_;
  std::vector<ast::Query> queries_;
  ast::ValuesBlock values_;
  std::vector<std::optional<Term>> values_row_;
  std::vector<std::string> call_names_;
  std::uint64_t anonymous_ = 0;
  bool pending_distinct_ = false;
  ast::Update update_;
  std::vector<ast::QuadTemplate> QuadsOf(ast::GroupPattern group);
  void Refuse(std::size_t offset, std::string message);
};

// Decodes a SPARQL string token, quotes included ('...', "...", '''...''', """...""").
std::string DecodeStringToken(const std::string& quoted);

}  // namespace parley::query::grammar
