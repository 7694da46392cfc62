#include "query/grammar/builder.hpp"

#include <charconv>
#include <limits>

#include "rdf/iri.hpp"

namespace parley::query::grammar {

namespace {
constexpr const char* kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";
}  // namespace

std::string DecodeStringToken(const std::string& quoted) {
  const bool long_form = quoted.size() >= 6 && quoted[1] == quoted[0] && quoted[2] == quoted[0];
  const std::size_t q = long_form ? 3 : 1;
  const std::string body = quoted.substr(q, quoted.size() - 2 * q);
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 >= body.size()) {
      out.push_back(body[i]);
      continue;
    }
    switch (body[++i]) {
      case 't': out.push_back('\t'); break;
      case 'b': out.push_back('\b'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 'f': out.push_back('\f'); break;
      case '"': out.push_back('"'); break;
      case '\'': out.push_back('\''); break;
      case '\\': out.push_back('\\'); break;
      default: out.push_back('\\'); out.push_back(body[i]);
    }
  }
  return out;
}

Builder::Builder(std::string base, std::map<std::string, std::string> prefixes)
    : base_(std::move(base)), prefixes_(std::move(prefixes)) {}

void Builder::SetBase(const std::string& raw_iri) {
  base_ = rdf::IsAbsoluteIri(raw_iri) || base_.empty() ? raw_iri : rdf::ResolveIri(base_, raw_iri);
}

void Builder::AddPrefix(const std::string& prefix, const std::string& raw_iri) {
  prefixes_[prefix] = rdf::IsAbsoluteIri(raw_iri) || base_.empty() ? raw_iri : rdf::ResolveIri(base_, raw_iri);
}

void Builder::PushIri(const std::string& raw_iri) {
  std::string iri = rdf::IsAbsoluteIri(raw_iri) || base_.empty() ? raw_iri : rdf::ResolveIri(base_, raw_iri);
  terms_.push_back(ast::PatternTerm::Of(Term::Iri(std::move(iri))));
}

bool Builder::PushPrefixed(const std::string& prefixed) {
  auto colon = prefixed.find(':');
  auto it = prefixes_.find(prefixed.substr(0, colon));
  if (it == prefixes_.end()) {
    error = "undeclared prefix \"" + prefixed.substr(0, colon) + ":\"";
    return false;
  }
  // Local names may escape punctuation with a backslash.
  std::string local;
  for (std::size_t i = colon + 1; i < prefixed.size(); ++i) {
    if (prefixed[i] == '\\' && i + 1 < prefixed.size()) ++i;
    local.push_back(prefixed[i]);
  }
  terms_.push_back(ast::PatternTerm::Of(Term::Iri(it->second + local)));
  return true;
}

void Builder::PushVar(const std::string& name) { terms_.push_back(ast::PatternTerm::Var(name)); }

// Blank nodes in patterns are variables that cannot be named in SELECT.
void Builder::PushBlank(const std::string& label) { terms_.push_back(ast::PatternTerm::Var("_:" + label)); }

void Builder::PushAnon() { terms_.push_back(ast::PatternTerm::Var("_:_anon" + std::to_string(++anonymous_))); }

void Builder::PushString(const std::string& quoted) {
  terms_.push_back(ast::PatternTerm::Of(Term::Literal(DecodeStringToken(quoted))));
}

void Builder::SetLanguage(const std::string& tag) {
  Term& t = terms_.back().term;
  t = Term::LangLiteral(t.value, tag);
}

void Builder::SetDatatypeFromTop() {
  ast::PatternTerm datatype = PopTerm();
  Term& t = terms_.back().term;
  t = Term::Literal(t.value, datatype.term.value);
}

void Builder::PushNumber(const std::string& text) {
  std::string type = "integer";
  if (text.find_first_of("eE") != std::string::npos) {
    type = "double";
  } else if (text.find('.') != std::string::npos) {
    type = "decimal";
  }
  terms_.push_back(ast::PatternTerm::Of(Term::Literal(text, std::string(kXsd) + type)));
}

void Builder::PushBoolean(bool value) {
  terms_.push_back(ast::PatternTerm::Of(Term::Literal(value ? "true" : "false", std::string(kXsd) + "boolean")));
}

void Builder::PushTermOf(const Term& term) { terms_.push_back(ast::PatternTerm::Of(term)); }

ast::PatternTerm Builder::PopTerm() {
  ast::PatternTerm t = std::move(terms_.back());
  terms_.pop_back();
  return t;
}

// ---------------------------------------------------------------- expressions

void Builder::Mark() { marks_.push_back(exprs_.size()); }

std::vector<ast::Expr> Builder::ArgsSinceMark() {
  const std::size_t mark = marks_.back();
  marks_.pop_back();
  std::vector<ast::Expr> args(std::make_move_iterator(exprs_.begin() + static_cast<std::ptrdiff_t>(mark)),
                              std::make_move_iterator(exprs_.end()));
  exprs_.resize(mark);
  return args;
}

// Expressions are evaluated, printed and destroyed by recursion: a tree taller than
// this is refused while it is built, before it can exhaust the stack.
constexpr std::uint32_t kMaxExpressionHeight = 256;

void Builder::PushExpr(ast::Expr e) {
  if (e.height == 1) {  // a new node (a chain that grows keeps its height up to date)
    for (const auto& a : e.args) e.height = std::max(e.height, a.height + 1);
  }
  if (e.height > kMaxExpressionHeight) {
    if (!error) error = "this expression is nested more than " + std::to_string(kMaxExpressionHeight) + " levels deep";
    e.args.clear();  // the parse fails; keep what is built small
    e.height = 1;
  }
  exprs_.push_back(std::move(e));
}

void Builder::TermExpr() {
  ast::Expr e;
  e.op = ast::Expr::Op::kTerm;
  e.term = PopTerm();
  exprs_.push_back(std::move(e));
}

void Builder::Unary(ast::Expr::Op op) {
  ast::Expr e;
  e.op = op;
  e.args.push_back(PopExpr());
  PushExpr(std::move(e));
}

void Builder::Binary(ast::Expr::Op op) {
  using Op = ast::Expr::Op;
  ast::Expr right = PopExpr(), left = PopExpr();
  const bool chains = op == Op::kAnd || op == Op::kOr || op == Op::kAdd || op == Op::kSub || op == Op::kMul ||
                      op == Op::kDiv;
  if (chains && left.op == op && left.height > 1) {  // one more operand of the same chain
    left.height = std::max(left.height, right.height + 1);
    left.args.push_back(std::move(right));
    PushExpr(std::move(left));
    return;
  }
  ast::Expr e;
  e.op = op;
  e.args.push_back(std::move(left));
  e.args.push_back(std::move(right));
  PushExpr(std::move(e));
}

void Builder::CallBuiltin(const std::string& name) {
  ast::Expr e;
  e.op = ast::Expr::Op::kCall;
  e.name = name;
  for (char& c : e.name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  e.args = ArgsSinceMark();
  e.distinct = TakeDistinctFlag();
  PushExpr(std::move(e));
}

void Builder::CallFunctionFromTop() {
  ast::Expr e;
  e.op = ast::Expr::Op::kCall;
  e.args = ArgsSinceMark();
  e.name = PopTerm().term.value;
  e.distinct = TakeDistinctFlag();
  PushExpr(std::move(e));
}

void Builder::InList(bool negated) {
  std::vector<ast::Expr> list = ArgsSinceMark();
  ast::Expr e;
  e.op = negated ? ast::Expr::Op::kNotIn : ast::Expr::Op::kIn;
  e.args.push_back(PopExpr());
  for (auto& item : list) e.args.push_back(std::move(item));
  PushExpr(std::move(e));
}

void Builder::Aggregate(const std::string& name, bool distinct, bool star) {
  ast::Expr e;
  e.op = ast::Expr::Op::kAggregate;
  e.name = name;
  for (char& c : e.name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  e.distinct = distinct;
  if (!star) e.args.push_back(PopExpr());
  PushExpr(std::move(e));
}

void Builder::SetSeparator(const std::string& quoted) { exprs_.back().separator = DecodeStringToken(quoted); }

void Builder::Exists(bool negated) {
  ast::Expr e;
  e.op = negated ? ast::Expr::Op::kNotExists : ast::Expr::Op::kExists;
  e.pattern = std::make_shared<ast::GroupPattern>(PopFinished());
  PushExpr(std::move(e));
}

bool Builder::TakeDistinctFlag() {
  bool d = pending_distinct_;
  pending_distinct_ = false;
  return d;
}

ast::Expr Builder::PopExpr() {
  ast::Expr e = std::move(exprs_.back());
  exprs_.pop_back();
  return e;
}

// ---------------------------------------------------------------- paths

void Builder::PathLinkFromTop() {
  ast::Path p;
  p.op = ast::Path::Op::kLink;
  p.iri = PopTerm().term.value;
  paths_.push_back(std::move(p));
}

void Builder::PathA() {
  ast::Path p;
  p.iri = std::string(kRdf) + "type";
  paths_.push_back(std::move(p));
}

void Builder::PathInverse() {
  ast::Path p;
  p.op = ast::Path::Op::kInverse;
  p.children.push_back(std::move(paths_.back()));
  paths_.back() = std::move(p);
}

void Builder::PathMod(char mod) {
  ast::Path p;
  p.op = mod == '*' ? ast::Path::Op::kZeroOrMore : mod == '+' ? ast::Path::Op::kOneOrMore : ast::Path::Op::kZeroOrOne;
  p.children.push_back(std::move(paths_.back()));
  paths_.back() = std::move(p);
}

namespace {
// Joins the top two paths with `op`, flattening a left operand that already has it.
void JoinTopTwo(std::vector<ast::Path>& paths, ast::Path::Op op) {
  ast::Path right = std::move(paths.back());
  paths.pop_back();
  ast::Path& left = paths.back();
  if (left.op != op) {
    ast::Path joined;
    joined.op = op;
    joined.children.push_back(std::move(left));
    left = std::move(joined);
  }
  left.children.push_back(std::move(right));
}
}  // namespace

void Builder::PathSequenceOfTopTwo() { JoinTopTwo(paths_, ast::Path::Op::kSequence); }
void Builder::PathAlternativeOfTopTwo() { JoinTopTwo(paths_, ast::Path::Op::kAlternative); }

void Builder::NegatedAdd(bool inverse) { negated_.emplace_back(inverse, PopTerm().term.value); }

void Builder::NegatedEnd() {
  ast::Path p;
  p.op = ast::Path::Op::kNegated;
  p.negated = std::move(negated_);
  negated_.clear();
  paths_.push_back(std::move(p));
}

// ---------------------------------------------------------------- triples

std::vector<ast::TriplePattern>& Builder::TriplesBlock() {
  auto& elements = Current().elements;
  if (elements.empty() || elements.back().kind != ast::Element::Kind::kTriples) {
    elements.emplace_back();
    elements.back().kind = ast::Element::Kind::kTriples;
  }
  return elements.back().triples;
}

void Builder::SubjectFromTop() { subjects_.push_back(PopTerm()); }

void Builder::PushFreshSubject() {
  PushAnon();
  SubjectFromTop();
}

void Builder::PopSubjectAsTerm() {
  terms_.push_back(std::move(subjects_.back()));
  subjects_.pop_back();
}

void Builder::PopSubject() { subjects_.pop_back(); }

void Builder::VerbFromPath() {
  Verb v;
  v.path = std::move(paths_.back());
  paths_.pop_back();
  verbs_.push_back(std::move(v));
}

void Builder::VerbFromVar() {
  Verb v;
  v.is_var = true;
  v.var = PopTerm().var;
  verbs_.push_back(std::move(v));
}

void Builder::PopVerb() { verbs_.pop_back(); }

void Builder::ObjectFromTop() {
  ast::TriplePattern t;
  t.subject = subjects_.back();
  const Verb& v = verbs_.back();
  t.predicate_is_var = v.is_var;
  t.predicate_var = v.var;
  t.path = v.path;
  t.object = PopTerm();
  TriplesBlock().push_back(std::move(t));
}

void Builder::CollectionStart() { collection_marks_.push_back(terms_.size()); }

void Builder::CollectionEnd() {
  const std::size_t mark = collection_marks_.back();
  collection_marks_.pop_back();
  std::vector<ast::PatternTerm> items(terms_.begin() + static_cast<std::ptrdiff_t>(mark), terms_.end());
  terms_.resize(mark);
  ast::PatternTerm next = ast::PatternTerm::Of(Term::Iri(std::string(kRdf) + "nil"));
  auto link = [&](const ast::PatternTerm& s, const char* p, const ast::PatternTerm& o) {
    ast::TriplePattern t;
    t.subject = s;
    t.path.iri = std::string(kRdf) + p;
    t.object = o;
    TriplesBlock().push_back(std::move(t));
  };
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    PushAnon();
    ast::PatternTerm node = PopTerm();
    link(node, "first", *it);
    link(node, "rest", next);
    next = node;
  }
  terms_.push_back(next);
}

// ---------------------------------------------------------------- groups

void Builder::OpenGroup() { open_.emplace_back(); }

void Builder::CloseGroup() {
  finished_.push_back(std::move(open_.back()));
  open_.pop_back();
}

ast::GroupPattern Builder::PopFinished() {
  ast::GroupPattern g = std::move(finished_.back());
  finished_.pop_back();
  return g;
}

void Builder::AddGroupOrUnion() {
  const std::size_t mark = group_marks_.back();
  group_marks_.pop_back();
  ast::Element e;
  e.kind = finished_.size() - mark > 1 ? ast::Element::Kind::kUnion : ast::Element::Kind::kGroup;
  for (std::size_t i = mark; i < finished_.size(); ++i) e.groups.push_back(std::move(finished_[i]));
  finished_.resize(mark);
  Current().elements.push_back(std::move(e));
}

void Builder::AddOptional() {
  ast::Element e;
  e.kind = ast::Element::Kind::kOptional;
  e.groups.push_back(PopFinished());
  Current().elements.push_back(std::move(e));
}

void Builder::AddMinus() {
  ast::Element e;
  e.kind = ast::Element::Kind::kMinus;
  e.groups.push_back(PopFinished());
  Current().elements.push_back(std::move(e));
}

void Builder::AddGraph() {
  ast::Element e;
  e.kind = ast::Element::Kind::kGraph;
  e.groups.push_back(PopFinished());
  e.graph = PopTerm();
  Current().elements.push_back(std::move(e));
}

void Builder::AddFilter() {
  ast::Element e;
  e.kind = ast::Element::Kind::kFilter;
  e.expr = PopExpr();
  Current().elements.push_back(std::move(e));
}

void Builder::AddBind() {
  ast::Element e;
  e.kind = ast::Element::Kind::kBind;
  e.var = PopTerm().var;
  e.expr = PopExpr();
  Current().elements.push_back(std::move(e));
}

void Builder::ValuesStart() { values_ = ast::ValuesBlock{}; }
void Builder::ValuesVar() { values_.vars.push_back(PopTerm().var); }
void Builder::ValuesRowStart() { values_row_.clear(); }
void Builder::ValuesCell(bool undef) {
  if (undef) {
    values_row_.push_back(std::nullopt);
  } else {
    values_row_.push_back(PopTerm().term);
  }
}
void Builder::ValuesRowEnd() { values_.rows.push_back(values_row_); }

void Builder::AddInlineValues() {
  ast::Element e;
  e.kind = ast::Element::Kind::kValues;
  e.values = std::move(values_);
  Current().elements.push_back(std::move(e));
}

void Builder::SetTrailingValues() { query().values = std::move(values_); }

// ---------------------------------------------------------------- queries

void Builder::OpenQuery(ast::Query::Form form) {
  queries_.emplace_back();
  queries_.back().form = form;
}

void Builder::AddSubSelect() {
  ast::Element e;
  e.kind = ast::Element::Kind::kSubSelect;
  e.subquery = std::make_shared<ast::Query>(std::move(queries_.back()));
  queries_.pop_back();
  Current().elements.push_back(std::move(e));
}

void Builder::ProjectVar() { query().projection.push_back(ast::Projection{PopTerm().var, std::nullopt}); }

void Builder::ProjectExpr() {
  std::string var = PopTerm().var;
  query().projection.push_back(ast::Projection{var, PopExpr()});
}

void Builder::SetWhereFromFinished() { query().where = PopFinished(); }

void Builder::AddFrom(bool named) { (named ? query().from_named : query().from).push_back(PopTerm().term.value); }

void Builder::AddGroupBy(bool with_var) {
  ast::GroupCondition c;
  if (with_var) c.var = PopTerm().var;
  c.expr = PopExpr();
  query().group_by.push_back(std::move(c));
}

void Builder::AddHaving() { query().having.push_back(PopExpr()); }

void Builder::AddOrderBy(bool descending) { query().order_by.push_back(ast::OrderCondition{PopExpr(), descending}); }

namespace {
// LIMIT and OFFSET beyond 2^64 - 1 mean the same as 2^64 - 1: no store holds that many.
std::uint64_t SaturatingCount(const std::string& digits) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc::result_out_of_range ? std::numeric_limits<std::uint64_t>::max() : value;
}
}  // namespace

void Builder::SetLimit(const std::string& digits) { query().limit = SaturatingCount(digits); }
void Builder::SetOffset(const std::string& digits) { query().offset = SaturatingCount(digits); }

void Builder::ConstructTemplateFromFinished() {
  ast::GroupPattern g = PopFinished();
  for (auto& e : g.elements) {
    for (auto& t : e.triples) query().construct_template.push_back(std::move(t));
  }
}

void Builder::ConstructWhereFromTemplate() {
  ast::GroupPattern g = PopFinished();
  for (auto& e : g.elements) {
    for (auto& t : e.triples) query().construct_template.push_back(t);
  }
  query().where = std::move(g);
}

void Builder::AddDescribeTerm() { query().describe.push_back(PopTerm()); }

// ---------------------------------------------------------------- updates

namespace {
bool IsBlank(const ast::PatternTerm& t) { return t.is_var && t.var.starts_with("_:"); }
bool IsVariable(const ast::PatternTerm& t) { return t.is_var && !IsBlank(t); }
}  // namespace

std::vector<ast::QuadTemplate> Builder::QuadsOf(ast::GroupPattern group) {
  std::vector<ast::QuadTemplate> out;
  auto add = [&](std::vector<ast::TriplePattern>& triples, const std::optional<ast::PatternTerm>& graph) {
    for (auto& t : triples) {
      ast::PatternTerm predicate = t.predicate_is_var ? ast::PatternTerm::Var(t.predicate_var)
                                                      : ast::PatternTerm::Of(Term::Iri(t.path.iri));
      out.push_back({graph, std::move(t.subject), std::move(predicate), std::move(t.object)});
    }
  };
  for (auto& e : group.elements) {
    if (e.kind == ast::Element::Kind::kTriples) add(e.triples, std::nullopt);
    if (e.kind == ast::Element::Kind::kGraph) {
      for (auto& inner : e.groups.front().elements) add(inner.triples, e.graph);
    }
  }
  return out;
}

void Builder::Refuse(std::size_t offset, std::string message) {
  if (error) return;
  error = std::move(message);
  error_offset = offset;
}

void Builder::DataFromFinished(std::size_t offset) {
  auto quads = QuadsOf(PopFinished());
  const bool deleting = operation().kind == OperationKind::kDeleteData;
  for (const auto& q : quads) {
    for (const auto* t : {&q.subject, &q.predicate, &q.object}) {
      if (IsVariable(*t)) Refuse(offset, "a DATA block takes no variables (?" + t->var + "); use DELETE/INSERT ... WHERE");
      if (deleting && IsBlank(*t)) Refuse(offset, "DELETE DATA takes no blank nodes: a blank node matches nothing");
    }
    if (q.graph && q.graph->is_var) Refuse(offset, "a DATA block takes no variables (GRAPH ?" + q.graph->var + ")");
  }
  (deleting ? operation().delete_quads : operation().insert_quads) = std::move(quads);
}

void Builder::TemplateFromFinished(bool deleting, std::size_t offset) {
  auto quads = QuadsOf(PopFinished());
  if (deleting) {
    for (const auto& q : quads) {
      for (const auto* t : {&q.subject, &q.predicate, &q.object}) {
        if (IsBlank(*t)) Refuse(offset, "a DELETE template takes no blank nodes: a new blank node matches nothing");
      }
    }
  }
  (deleting ? operation().delete_quads : operation().insert_quads) = std::move(quads);
}

void Builder::DeleteWhereFromFinished(std::size_t offset) {
  ast::GroupPattern group = PopFinished();
  operation().where = group;
  finished_.push_back(std::move(group));
  TemplateFromFinished(true, offset);
}

void Builder::AddUsing(bool named) {
  auto& op = operation();
  (named ? op.using_named : op.using_graphs).push_back(PopTerm().term.value);
}

void Builder::SetGraph(ast::GraphTarget::Kind kind, bool into_from) {
  ast::GraphTarget target{kind, {}};
  if (kind == ast::GraphTarget::Kind::kGraph) target.iri = PopTerm().term.value;
  auto& op = operation();
  if (into_from) {
    op.from = std::move(target);
  } else {
    op.target = std::move(target);
    op.has_target = true;
  }
}

ast::Query Builder::TakeQuery() {
  ast::Query q = std::move(queries_.back());
  queries_.pop_back();
  return q;
}

}  // namespace parley::query::grammar
