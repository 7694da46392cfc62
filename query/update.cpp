// query/update.cpp
// Runs an Update request: each operation reads and writes a ChangeOverlay on a
// snapshot taken under the store's writer lock, so later operations see earlier ones;
// the overlay's net changes are then checked against the evidence model and written
// by one Loader commit.
#include "query/update.hpp"

#include <map>
#include <set>
#include <unordered_map>

#include "query/exec/execute.hpp"
#include "query/parse.hpp"
#include "rdf/evidence.hpp"
#include "store/change_overlay.hpp"

namespace parley::query {
namespace {

using Kind = ast::UpdateOperation::Kind;
using Target = ast::GraphTarget::Kind;

struct Solutions final : ResultSink {
  std::vector<std::string> vars;
  std::vector<std::vector<std::optional<Term>>> rows;
  Status Begin(QueryForm, const std::vector<std::string>& v) override {
    vars = v;
    return Status::OK();
  }
  Status Row(const std::vector<std::optional<Term>>& row) override {
    rows.push_back(row);
    return Status::OK();
  }
  Status Triple(const query::Triple&) override { return Status::OK(); }
  Status Boolean(bool) override { return Status::OK(); }
  Status End() override { return Status::OK(); }
};

bool IsBlank(const ast::PatternTerm& t) { return t.is_var && t.var.starts_with("_:"); }

std::string Quoted(const ast::GraphTarget& target) {
  switch (target.kind) {
    case Target::kDefault: return "the default graph";
    case Target::kNamed: return "the named graphs";
    case Target::kAll: return "all graphs";
    case Target::kGraph: break;
  }
  return "graph <" + target.iri + ">";
}

class UpdateRun {
 public:
  UpdateRun(store::ChangeOverlay& view, store::Loader& loader, const UpdateOptions& options)
      : view_(view), loader_(loader), options_(options) {}

  Status Apply(const ast::UpdateOperation& op) {
    switch (op.kind) {
      case Kind::kInsertData: return WriteData(op.insert_quads, true);
      case Kind::kDeleteData: return WriteData(op.delete_quads, false);
      case Kind::kDeleteWhere:
      case Kind::kModify: return Modify(op);
      case Kind::kLoad: return Load(op);
      case Kind::kClear: return Clear(op.target, op.silent, false);
      case Kind::kDrop: return Clear(op.target, op.silent, true);
      case Kind::kCreate: return Create(op);
      case Kind::kAdd:
      case Kind::kMove:
      case Kind::kCopy: return Transfer(op);
    }
    return Status::OK();
  }

 private:
  // Interned ids by the term's encoding: an update touches the same few terms many times.
  Result<TermId> Id(const Term& term) {
    std::string key = EncodeTerm(term);
    if (auto it = ids_.find(key); it != ids_.end()) return it->second;
    auto id = view_.Intern(term);
    if (id.ok()) ids_.emplace(std::move(key), *id);
    return id;
  }

  // A quad from terms, or nothing when they make no RDF triple (a literal subject, a
  // blank node or literal predicate, a graph that is not an IRI): SPARQL drops those.
  Result<std::optional<Quad>> QuadOf(const Term& s, const Term& p, const Term& o, const std::optional<Term>& g) {
    if (s.kind == TermKind::kLiteral || p.kind != TermKind::kIri || (g && g->kind != TermKind::kIri)) {
      return std::optional<Quad>();
    }
    Quad q;
    for (auto [slot, term] : {std::pair{&q.subject, &s}, {&q.predicate, &p}, {&q.object, &o}}) {
      auto id = Id(*term);
      if (!id.ok()) return id.status();
      *slot = *id;
    }
    if (g) {
      auto id = Id(*g);
      if (!id.ok()) return id.status();
      q.graph = *id;
    }
    return std::optional<Quad>(q);
  }

  Status Change(const Quad& q, bool insert) { return (insert ? view_.Insert(q) : view_.Erase(q)).status(); }

  // INSERT DATA and DELETE DATA. A blank node label names one new node per request.
  Status WriteData(const std::vector<ast::QuadTemplate>& quads, bool insert) {
    for (const auto& t : quads) {
      std::array<Term, 3> terms;
      const ast::PatternTerm* parts[] = {&t.subject, &t.predicate, &t.object};
      for (std::size_t i = 0; i < 3; ++i) {
        terms[i] = IsBlank(*parts[i]) ? Term::BlankNode(DataBlank(parts[i]->var)) : parts[i]->term;
      }
      std::optional<Term> graph;
      if (t.graph) graph = t.graph->term;
      auto q = QuadOf(terms[0], terms[1], terms[2], graph);
      if (!q.ok()) return q.status();
      if (*q) PARLEY_RETURN_IF_ERROR(Change(**q, insert));
    }
    return Status::OK();
  }

  std::string DataBlank(const std::string& var) {
    auto [it, fresh] = data_blanks_.try_emplace(var);
    if (fresh) it->second = loader_.NewBlankNodeLabel();
    return it->second;
  }

  // DELETE/INSERT ... WHERE and DELETE WHERE: the WHERE's solutions fill the templates;
  // every deletion applies before any insertion.
  Status Modify(const ast::UpdateOperation& op) {
    ast::Query query;
    query.form = ast::Query::Form::kSelect;
    query.select_all = true;
    query.where = op.where;
    if (!options_.using_graphs.empty() || !options_.using_named.empty()) {
      if (op.with || !op.using_graphs.empty() || !op.using_named.empty()) {
        return Status::InvalidArgument("the request names its dataset (USING or WITH) and so does the protocol "
                                       "(using-graph-uri, using-named-graph-uri): give one of them");
      }
      query.from = options_.using_graphs;
      query.from_named = options_.using_named;
    } else if (!op.using_graphs.empty() || !op.using_named.empty()) {
      query.from = op.using_graphs;
      query.from_named = op.using_named;
    } else if (op.with && !op.where.elements.empty()) {
      // WITH names the default graph only; GRAPH ?g inside still ranges over every
      // named graph, which is what GRAPH <with> { ... } around the pattern gives.
      ast::Element inside;
      inside.kind = ast::Element::Kind::kGraph;
      inside.graph = ast::PatternTerm::Of(Term::Iri(*op.with));
      inside.groups.push_back(std::move(query.where));
      query.where = ast::GroupPattern{};
      query.where.elements.push_back(std::move(inside));
    }
    Solutions solutions;
    PARLEY_RETURN_IF_ERROR(Execute(query, view_, view_, options_.query, solutions));
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < solutions.vars.size(); ++i) column[solutions.vars[i]] = i;

    std::vector<Quad> deletions, insertions;
    for (const auto& row : solutions.rows) {
      PARLEY_RETURN_IF_ERROR(Fill(op.delete_quads, op.with, column, row, &deletions));
      PARLEY_RETURN_IF_ERROR(Fill(op.insert_quads, op.with, column, row, &insertions));
    }
    for (const Quad& q : deletions) PARLEY_RETURN_IF_ERROR(Change(q, false));
    for (const Quad& q : insertions) PARLEY_RETURN_IF_ERROR(Change(q, true));
    return Status::OK();
  }

  // The quads `templates` make in one solution. Blank nodes are new in each solution;
  // a quad with an unbound variable is left out.
  Status Fill(const std::vector<ast::QuadTemplate>& templates, const std::optional<std::string>& with,
              const std::map<std::string, std::size_t>& column, const std::vector<std::optional<Term>>& row,
              std::vector<Quad>* out) {
    std::map<std::string, Term> blanks;
    auto value = [&](const ast::PatternTerm& t) -> std::optional<Term> {
      if (!t.is_var) return t.term;
      if (IsBlank(t)) {
        auto [it, fresh] = blanks.try_emplace(t.var);
        if (fresh) it->second = Term::BlankNode(loader_.NewBlankNodeLabel());
        return it->second;
      }
      auto at = column.find(t.var);
      if (at == column.end()) return std::nullopt;
      return row[at->second];
    };
    for (const auto& t : templates) {
      auto s = value(t.subject), p = value(t.predicate), o = value(t.object);
      std::optional<Term> g;
      if (t.graph) {
        g = value(*t.graph);
        if (!g) continue;
      } else if (with) {
        g = Term::Iri(*with);
      }
      if (!s || !p || !o) continue;
      auto q = QuadOf(*s, *p, *o, g);
      if (!q.ok()) return q.status();
      if (*q) out->push_back(**q);
    }
    return Status::OK();
  }

  Status Load(const ast::UpdateOperation& op) {
    if (!options_.read_document) return Status::InvalidArgument("LOAD is not available here");
    std::vector<std::array<Term, 4>> statements;  // the graph is an empty IRI for the default graph
    std::map<std::string, std::string> blanks;    // labels are the document's own
    auto relabel = [&](Term t) {
      if (t.kind != TermKind::kBlankNode) return t;
      auto [it, fresh] = blanks.try_emplace(t.value);
      if (fresh) it->second = loader_.NewBlankNodeLabel();
      return Term::BlankNode(it->second);
    };
    Status read = options_.read_document(op.document, [&](const Term& s, const Term& p, const Term& o, const Term* g) {
      Term graph = g != nullptr ? *g : op.has_target ? Term::Iri(op.target.iri) : Term::Iri("");
      statements.push_back({relabel(s), p, relabel(o), graph});
      return Status::OK();
    });
    if (!read.ok()) {
      if (op.silent) return Status::OK();
      return Status::InvalidArgument("LOAD <" + op.document + ">: " + read.ToString());
    }
    for (const auto& st : statements) {
      std::optional<Term> graph;
      if (!st[3].value.empty()) graph = st[3];
      auto q = QuadOf(st[0], st[1], st[2], graph);
      if (!q.ok()) return q.status();
      if (*q) PARLEY_RETURN_IF_ERROR(Change(**q, true));
    }
    if (op.has_target) created_.insert(op.target.iri);
    return Status::OK();
  }

  // The quads in `target` as the request has left them.
  Result<std::vector<Quad>> QuadsIn(const ast::GraphTarget& target) {
    QuadPattern pattern;
    if (target.kind == Target::kDefault) pattern.graph = kDefaultGraph;
    if (target.kind == Target::kGraph) {
      auto id = view_.LookupId(Term::Iri(target.iri));
      if (!id.ok()) {
        if (id.status().code() == Status::Code::kNotFound) return std::vector<Quad>{};
        return id.status();
      }
      pattern.graph = *id;
    }
    std::vector<Quad> out;
    auto cursor = view_.Scan(pattern);
    Quad q;
    while (cursor->Next(&q)) {
      if (target.kind != Target::kNamed || q.graph != kDefaultGraph) out.push_back(q);
    }
    PARLEY_RETURN_IF_ERROR(cursor->status());
    return out;
  }

  // Graphs exist while they hold quads; one CREATEd in this request exists empty until
  // it ends (the store keeps no empty graphs).
  Result<bool> Exists(const ast::GraphTarget& target) {
    if (target.kind != Target::kGraph || created_.contains(target.iri)) return true;
    auto quads = QuadsIn(target);
    if (!quads.ok()) return quads.status();
    return !quads->empty();
  }

  Status Clear(const ast::GraphTarget& target, bool silent, bool drop) {
    if (drop) {
      auto exists = Exists(target);
      if (!exists.ok()) return exists.status();
      if (!*exists && !silent) return Status::InvalidArgument("DROP: " + Quoted(target) + " does not exist");
      if (target.kind == Target::kGraph) created_.erase(target.iri);
      if (target.kind == Target::kNamed || target.kind == Target::kAll) created_.clear();
    }
    auto quads = QuadsIn(target);
    if (!quads.ok()) return quads.status();
    for (const Quad& q : *quads) PARLEY_RETURN_IF_ERROR(Change(q, false));
    return Status::OK();
  }

  Status Create(const ast::UpdateOperation& op) {
    auto exists = Exists(op.target);
    if (!exists.ok()) return exists.status();
    if (*exists && !op.silent) return Status::InvalidArgument("CREATE: " + Quoted(op.target) + " already exists");
    created_.insert(op.target.iri);
    return Status::OK();
  }

  // ADD, MOVE and COPY: the source graph's quads into the target graph; COPY and MOVE
  // empty the target first, MOVE drops the source after.
  Status Transfer(const ast::UpdateOperation& op) {
    const bool same = op.from.kind == op.target.kind && op.from.iri == op.target.iri;
    auto exists = Exists(op.from);
    if (!exists.ok()) return exists.status();
    if (!*exists) {
      if (op.silent) return Status::OK();
      return Status::InvalidArgument(std::string(op.kind == Kind::kAdd ? "ADD" : op.kind == Kind::kMove ? "MOVE" : "COPY") +
                                     ": " + Quoted(op.from) + " does not exist");
    }
    if (same) return Status::OK();
    auto quads = QuadsIn(op.from);
    if (!quads.ok()) return quads.status();
    if (op.kind != Kind::kAdd) PARLEY_RETURN_IF_ERROR(Clear(op.target, true, false));
    TermId to = kDefaultGraph;
    if (op.target.kind == Target::kGraph) {
      auto id = Id(Term::Iri(op.target.iri));
      if (!id.ok()) return id.status();
      to = *id;
      created_.insert(op.target.iri);
    }
    for (Quad q : *quads) {
      q.graph = to;
      PARLEY_RETURN_IF_ERROR(Change(q, true));
    }
    if (op.kind == Kind::kMove) return Clear(op.from, true, true);
    return Status::OK();
  }

  store::ChangeOverlay& view_;
  store::Loader& loader_;
  const UpdateOptions& options_;
  std::unordered_map<std::string, TermId> ids_;
  std::map<std::string, std::string> data_blanks_;
  std::set<std::string> created_;
};

// Writes the overlay's net changes through `loader`: removals by id, additions as
// encoded terms (the new ones exist only in the overlay).
Status Commit(const store::ChangeOverlay& view, store::Loader& loader) {
  for (const Quad& q : view.removed()) PARLEY_RETURN_IF_ERROR(loader.Remove(q));
  std::set<TermId> wanted;
  for (const Quad& q : view.added()) {
    for (TermId id : {q.subject, q.predicate, q.object, q.graph}) {
      if (id != kDefaultGraph) wanted.insert(id);
    }
  }
  const std::vector<TermId> ids(wanted.begin(), wanted.end());
  std::vector<std::optional<Term>> terms;
  PARLEY_RETURN_IF_ERROR(view.LookupTerms(ids, &terms));
  std::unordered_map<TermId, std::string> encoded;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!terms[i]) return Status::Corruption("the update lost term " + std::to_string(ids[i]));
    encoded.emplace(ids[i], EncodeTerm(*terms[i]));
  }
  for (const Quad& q : view.added()) {
    PARLEY_RETURN_IF_ERROR(loader.Add(encoded[q.subject], encoded[q.predicate], encoded[q.object],
                                      q.graph == kDefaultGraph ? std::string_view() : std::string_view(encoded[q.graph])));
  }
  return loader.Commit();
}

}  // namespace

Result<UpdateSummary> RunUpdate(std::string_view text, std::string_view origin, store::QuadStore& store,
                                const UpdateOptions& options) {
  ParseOptions parse_options;
  parse_options.base = options.query.base;
  parse_options.prefixes = options.query.prefixes;
  auto update = ParseUpdate(text, origin, parse_options);
  if (!update.ok()) return update.status();
  try {
    store::LoadOptions load_options;
    load_options.command = options.command;
    auto loader = store.NewLoader(load_options);  // the writer lock, held until the commit
    if (!loader.ok()) return loader.status();
    auto snapshot = store.GetSnapshot();
    store::ChangeOverlay view(*snapshot, *snapshot);
    UpdateRun run(view, **loader, options);
    for (const auto& op : update->operations) PARLEY_RETURN_IF_ERROR(run.Apply(op));
    const std::vector<Quad> added(view.added().begin(), view.added().end());
    const std::vector<Quad> removed(view.removed().begin(), view.removed().end());
    PARLEY_RETURN_IF_ERROR(rdf::CheckEvidenceChanges(view, view, added, removed));
    if (options.before_commit) options.before_commit(added.size(), removed.size());
    PARLEY_RETURN_IF_ERROR(Commit(view, **loader));
    return UpdateSummary{update->operations.size(), added.size(), removed.size()};
  } catch (const std::bad_alloc&) {
    return Status::InvalidArgument("the update ran out of memory; nothing was written");
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("the update could not be run: ") + e.what() + "; nothing was written");
  }
}

}  // namespace parley::query
