#include "endpoint/remote_source.hpp"

namespace parley::endpoint {

TermId RemoteQuadSource::Intern(const Term& term) const {
  const std::string key = ToNTriples(term);
  auto [it, fresh] = ids_.emplace(key, terms_.size());
  if (fresh) terms_.push_back(term);
  return it->second;
}

Result<TermId> RemoteQuadSource::LookupId(const Term& term) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return Intern(term);
}

Result<Term> RemoteQuadSource::LookupTerm(TermId id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (id == kDefaultGraph || id >= terms_.size()) return Status::NotFound("no term with id " + std::to_string(id));
  return terms_[id];
}

Result<std::vector<Quad>> RemoteQuadSource::Quads(const QuadPattern& pattern, bool distinct_triples) const {
  std::unique_lock<std::mutex> lock(mutex_);
  if (pattern.graph && *pattern.graph == kDefaultGraph) return std::vector<Quad>();  // not read (see the header)
  auto term = [&](const std::optional<TermId>& id, const char* variable) {
    return id ? ToNTriples(terms_.at(*id)) : std::string(variable);
  };
  for (const auto& id : {pattern.subject, pattern.predicate, pattern.object, pattern.graph}) {
    if (id && *id >= terms_.size()) return std::vector<Quad>();
  }
  // A literal cannot be a subject or a graph: nothing matches.
  if ((pattern.subject && terms_[*pattern.subject].kind == TermKind::kLiteral) ||
      (pattern.graph && terms_[*pattern.graph].kind != TermKind::kIri)) {
    return std::vector<Quad>();
  }
  const std::string query = std::string(distinct_triples ? "SELECT DISTINCT ?s ?p ?o" : "SELECT ?s ?p ?o ?g") +
                            " WHERE { GRAPH " + term(pattern.graph, "?g") + " { " + term(pattern.subject, "?s") + " " +
                            term(pattern.predicate, "?p") + " " + term(pattern.object, "?o") + " } }";
  if (auto it = answers_.find(query); it != answers_.end()) return it->second;
  ++requests_;
  lock.unlock();
  auto answer = client_.Select(query);
  lock.lock();
  if (!answer.ok()) return answer.status();
  auto column = [&](const std::string& name) {
    for (std::size_t i = 0; i < answer->vars.size(); ++i) {
      if (answer->vars[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  const int s = column("s"), p = column("p"), o = column("o"), g = column("g");
  std::vector<Quad> quads;
  for (const auto& row : answer->rows) {
    auto id = [&](int i, const std::optional<TermId>& bound) -> TermId {
      if (bound) return *bound;
      return i >= 0 && row[static_cast<std::size_t>(i)] ? Intern(*row[static_cast<std::size_t>(i)]) : kDefaultGraph;
    };
    quads.push_back(Quad{id(s, pattern.subject), id(p, pattern.predicate), id(o, pattern.object),
                         distinct_triples ? kDefaultGraph : id(g, pattern.graph)});
  }
  answers_[query] = quads;
  return quads;
}

std::unique_ptr<QuadCursor> RemoteQuadSource::Scan(const QuadPattern& pattern) const {
  auto quads = Quads(pattern, false);
  if (!quads.ok()) return std::make_unique<VectorCursor>(std::vector<Quad>(), quads.status());
  return std::make_unique<VectorCursor>(std::move(*quads));
}

std::unique_ptr<QuadCursor> RemoteQuadSource::ScanUnion(const QuadPattern& pattern) const {
  auto quads = Quads(pattern, true);
  if (!quads.ok()) return std::make_unique<VectorCursor>(std::vector<Quad>(), quads.status());
  return std::make_unique<VectorCursor>(std::move(*quads));
}

Result<PredicateStats> RemoteQuadSource::Stats(TermId predicate) const {
  std::string p;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = stats_.find(predicate); it != stats_.end()) return it->second;
    if (predicate >= terms_.size() || predicate == kDefaultGraph) return PredicateStats{};
    p = ToNTriples(terms_[predicate]);
    ++requests_;
  }
  auto answer = client_.Select("SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?s) (COUNT(DISTINCT ?o) AS ?o) WHERE { GRAPH ?g { ?s " +
                               p + " ?o } }");
  if (!answer.ok()) return answer.status();
  PredicateStats stats;
  if (!answer->rows.empty() && answer->rows[0].size() == 3) {
    auto number = [&](std::size_t i) { return answer->rows[0][i] ? std::stoull(answer->rows[0][i]->value) : 0; };
    stats = PredicateStats{number(0), number(1), number(2)};
  }
  std::lock_guard<std::mutex> lock(mutex_);
  stats_[predicate] = stats;
  return stats;
}

}  // namespace parley::endpoint
