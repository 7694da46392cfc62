#include "query/validate.hpp"

#include <map>
#include <set>

namespace parley::query {
namespace {

using Vars = std::set<std::string>;

void TermVars(const ast::PatternTerm& t, Vars* out) {
  if (t.is_var) out->insert(t.var);
}

Vars InScope(const ast::GroupPattern& group);

Vars ProjectedVars(const ast::Query& q) {
  Vars out;
  if (q.select_all) return InScope(q.where);
  for (const auto& p : q.projection) out.insert(p.var);
  return out;
}

void ElementVars(const ast::Element& e, Vars* out) {
  using Kind = ast::Element::Kind;
  switch (e.kind) {
    case Kind::kTriples:
      for (const auto& t : e.triples) {
        TermVars(t.subject, out);
        TermVars(t.object, out);
        if (t.predicate_is_var) out->insert(t.predicate_var);
      }
      break;
    case Kind::kGroup:
    case Kind::kOptional:
    case Kind::kUnion:
      for (const auto& g : e.groups) {
        Vars inner = InScope(g);
        out->insert(inner.begin(), inner.end());
      }
      break;
    case Kind::kGraph: {
      TermVars(e.graph, out);
      Vars inner = InScope(e.groups[0]);
      out->insert(inner.begin(), inner.end());
      break;
    }
    case Kind::kBind: out->insert(e.var); break;
    case Kind::kValues: out->insert(e.values.vars.begin(), e.values.vars.end()); break;
    case Kind::kSubSelect: {
      Vars inner = ProjectedVars(*e.subquery);
      out->insert(inner.begin(), inner.end());
      break;
    }
    case Kind::kMinus:
    case Kind::kFilter: break;
  }
}

Vars InScope(const ast::GroupPattern& group) {
  Vars out;
  for (const auto& e : group.elements) ElementVars(e, &out);
  return out;
}

bool HasAggregate(const ast::Expr& e) {
  if (e.op == ast::Expr::Op::kAggregate) return true;
  for (const auto& a : e.args) {
    if (HasAggregate(a)) return true;
  }
  return false;
}

// Variables used outside aggregates.
void FreeVars(const ast::Expr& e, Vars* out) {
  if (e.op == ast::Expr::Op::kAggregate) return;
  if (e.op == ast::Expr::Op::kTerm) TermVars(e.term, out);
  for (const auto& a : e.args) FreeVars(a, out);
}

class Validator {
 public:
  explicit Validator(std::string_view origin) : origin_(origin) {}

  Status Query(const ast::Query& q) {
    PARLEY_RETURN_IF_ERROR(Group(q.where));
    if (q.values) PARLEY_RETURN_IF_ERROR(Values(*q.values));
    const Vars where = InScope(q.where);
    Vars projected;
    for (const auto& p : q.projection) {
      if (p.expr && where.count(p.var)) return Error("?" + p.var + " is already bound in the WHERE clause; choose another name after AS");
      if (!projected.insert(p.var).second) return Error("?" + p.var + " is projected twice");
    }
    bool aggregating = !q.group_by.empty();
    for (const auto& p : q.projection) aggregating = aggregating || (p.expr && HasAggregate(*p.expr));
    for (const auto& h : q.having) aggregating = aggregating || HasAggregate(h);
    if (!aggregating) return Status::OK();
    if (q.select_all && q.form == ast::Query::Form::kSelect) return Error("SELECT * cannot be used with GROUP BY or aggregates");
    Vars allowed;
    for (const auto& g : q.group_by) {
      if (!g.var.empty()) allowed.insert(g.var);
      if (g.expr.op == ast::Expr::Op::kTerm && g.expr.term.is_var) allowed.insert(g.expr.term.var);
    }
    for (const auto& p : q.projection) {
      Vars used;
      if (p.expr) {
        FreeVars(*p.expr, &used);
      } else {
        used.insert(p.var);
      }
      for (const auto& v : used) {
        if (!allowed.count(v)) return Error("?" + v + " is neither grouped nor aggregated");
      }
      if (p.expr) allowed.insert(p.var);
    }
    return Status::OK();
  }

  // Each WHERE follows the query rules; a blank node label of INSERT DATA names one node
  // in the whole request, so two DATA operations may not share it (Update §19.6).
  Status Update(const ast::Update& update) {
    std::map<std::string, std::size_t> label_operation;
    for (std::size_t i = 0; i < update.operations.size(); ++i) {
      const auto& op = update.operations[i];
      if (op.kind == ast::UpdateOperation::Kind::kModify) PARLEY_RETURN_IF_ERROR(Group(op.where));
      if (op.kind != ast::UpdateOperation::Kind::kInsertData) continue;
      for (const auto& q : op.insert_quads) {
        for (const auto* term : {&q.subject, &q.object}) {
          if (!term->is_var || term->var.rfind("_:_anon", 0) == 0) continue;
          auto [it, fresh] = label_operation.emplace(term->var, i);
          if (!fresh && it->second != i) return Error("blank node " + term->var + " is used in two operations of one request");
        }
      }
    }
    return Status::OK();
  }

 private:
  Status Error(std::string message) {
    return Status::ParseError(Diagnostic{std::string(origin_), 0, 0, std::move(message), "", 1});
  }

  Status Values(const ast::ValuesBlock& v) {
    for (const auto& row : v.rows) {
      if (row.size() != v.vars.size()) {
        return Error("a VALUES row has " + std::to_string(row.size()) + " values for " + std::to_string(v.vars.size()) +
                     " variables");
      }
    }
    return Status::OK();
  }

  Status Group(const ast::GroupPattern& group) {
    Vars before;
    bool continues_bgp = false;  // triples blocks separated only by FILTERs form one pattern
    for (const auto& e : group.elements) {
      using Kind = ast::Element::Kind;
      if (e.kind == Kind::kTriples && !continues_bgp) ++bgp_count_;
      continues_bgp = e.kind == Kind::kTriples || (continues_bgp && e.kind == Kind::kFilter);
      if (e.kind == Kind::kBind && before.count(e.var)) {
        return Error("BIND assigns ?" + e.var + ", which is already bound at that point");
      }
      if (e.kind == Kind::kValues) PARLEY_RETURN_IF_ERROR(Values(e.values));
      if (e.kind == Kind::kTriples) PARLEY_RETURN_IF_ERROR(BlankLabels(e.triples));
      if (e.kind == Kind::kSubSelect) PARLEY_RETURN_IF_ERROR(Query(*e.subquery));
      for (const auto& g : e.groups) PARLEY_RETURN_IF_ERROR(Group(g));
      ElementVars(e, &before);
    }
    return Status::OK();
  }

  // A blank node label names one node within one basic graph pattern only.
  Status BlankLabels(const std::vector<ast::TriplePattern>& triples) {
    const int bgp = bgp_count_;
    for (const auto& t : triples) {
      for (const auto* term : {&t.subject, &t.object}) {
        if (!term->is_var || term->var.rfind("_:", 0) != 0 || term->var.rfind("_:_anon", 0) == 0) continue;
        auto [it, fresh] = label_bgp_.emplace(term->var, bgp);
        if (!fresh && it->second != bgp) {
          return Error("blank node " + term->var + " is used in two different graph patterns");
        }
      }
    }
    return Status::OK();
  }

  std::string_view origin_;
  std::map<std::string, int> label_bgp_;
  int bgp_count_ = 0;
};

}  // namespace

Status ValidateQuery(const ast::Query& query, std::string_view origin) { return Validator(origin).Query(query); }

Status ValidateUpdate(const ast::Update& update, std::string_view origin) { return Validator(origin).Update(update); }

}  // namespace parley::query
