#include "store/memory_quad_source.hpp"

#include <tuple>

namespace parley {

TermId MemoryQuadSource::Intern(const Term& term) {
  auto [it, inserted] = ids_.emplace(EncodeTerm(term), next_id_);
  if (inserted) terms_.emplace(next_id_++, term);
  return it->second;
}

bool MemoryQuadSource::Insert(const Quad& quad) { return quads_.insert(quad).second; }

bool MemoryQuadSource::Remove(const Quad& quad) { return quads_.erase(quad) > 0; }

std::unique_ptr<QuadCursor> MemoryQuadSource::Scan(const QuadPattern& pattern) const {
  std::vector<Quad> out;
  for (const Quad& q : quads_) {
    if (pattern.Matches(q)) out.push_back(q);
  }
  return std::make_unique<VectorCursor>(std::move(out));
}

std::unique_ptr<QuadCursor> MemoryQuadSource::ScanUnion(const QuadPattern& pattern) const {
  std::set<std::tuple<TermId, TermId, TermId>> seen;
  std::vector<Quad> out;
  for (const Quad& q : quads_) {
    if (!pattern.Matches(q)) continue;
    if (seen.emplace(q.subject, q.predicate, q.object).second) {
      out.push_back(Quad{q.subject, q.predicate, q.object, kDefaultGraph});
    }
  }
  return std::make_unique<VectorCursor>(std::move(out));
}

std::optional<std::uint64_t> MemoryQuadSource::EstimateMatches(const QuadPattern& pattern, bool union_view) const {
  auto matches = union_view ? ScanUnion(pattern) : Scan(pattern);
  std::uint64_t n = 0;
  for (Quad q; matches->Next(&q);) ++n;
  return n;
}

bool MemoryQuadSource::KeptRange(const QuadPattern& pattern, bool union_view, std::vector<Quad>* small,
                                 QuadRange* shared) const {
  if (!keeps_ || !keeps_(pattern)) return false;
  auto matches = union_view ? ScanUnion(pattern) : Scan(pattern);
  std::vector<Quad> quads;
  for (Quad q; matches->Next(&q);) quads.push_back(q);
  // Small ranges are copied and larger ones shared, as the range cache gives them.
  if (quads.size() <= 16) {
    small->insert(small->end(), quads.begin(), quads.end());
  } else {
    *shared = std::make_shared<const std::vector<Quad>>(std::move(quads));
  }
  return true;
}

std::optional<QuadPosition> MemoryQuadSource::SortedBy(const QuadPattern& pattern, bool union_view) const {
  (void)union_view;  // the union keeps the first of each triple, in the same order
  if (!pattern.subject) return QuadPosition::kSubject;
  if (!pattern.predicate) return QuadPosition::kPredicate;
  if (!pattern.object) return QuadPosition::kObject;
  return std::nullopt;
}

Result<PredicateStats> MemoryQuadSource::Stats(TermId predicate) const {
  PredicateStats stats;
  std::set<TermId> subjects, objects;
  std::set<std::pair<TermId, TermId>> triples;
  for (const Quad& q : quads_) {
    if (q.predicate != predicate) continue;
    ++stats.quads;
    subjects.insert(q.subject);
    objects.insert(q.object);
    triples.emplace(q.subject, q.object);
  }
  stats.distinct_subjects = subjects.size();
  stats.distinct_objects = objects.size();
  stats.triples = triples.size();
  return stats;
}

Result<TermId> MemoryQuadSource::LookupId(const Term& term) const {
  auto it = ids_.find(EncodeTerm(term));
  if (it == ids_.end()) return Status::NotFound("unknown term " + ToNTriples(term));
  return it->second;
}

Result<Term> MemoryQuadSource::LookupTerm(TermId id) const {
  auto it = terms_.find(id);
  if (it == terms_.end()) return Status::NotFound("unknown term id " + std::to_string(id));
  return it->second;
}

// The same key ranges as StoreSnapshot's, over the encoded terms in ids_.
bool MemoryQuadSource::StringLiteralsWithPrefix(std::string_view prefix, std::size_t limit,
                                                std::vector<TermId>* out) const {
  auto collect = [&](const std::string& start) {
    for (auto it = ids_.lower_bound(start); it != ids_.end() && it->first.starts_with(start); ++it) {
      if (out->size() >= limit) return false;
      out->push_back(it->second);
    }
    return true;
  };
  if (!collect("S" + std::string(prefix))) return false;
  for (auto it = ids_.lower_bound("L"); it != ids_.end() && it->first.starts_with("L");) {
    const auto nul = it->first.find('\0');
    if (nul == std::string::npos) return false;
    std::string tag = it->first.substr(0, nul + 1);
    if (!collect(tag + std::string(prefix))) return false;
    tag.back() = '\x01';
    it = ids_.lower_bound(tag);
  }
  return true;
}

bool MemoryQuadSource::FirstTermBetween(const Term& low, const Term& high, Term* term, TermId* id) const {
  const auto it = ids_.lower_bound(EncodeTerm(low));
  if (it == ids_.end() || it->first >= EncodeTerm(high)) return false;
  *id = it->second;
  *term = terms_.at(it->second);
  return true;
}

bool MemoryQuadSource::TermsBetween(const Term& low, const Term& high, std::size_t limit, std::vector<TermId>* out) const {
  const std::string end = EncodeTerm(high);
  for (auto it = ids_.lower_bound(EncodeTerm(low)); it != ids_.end() && it->first < end; ++it) {
    if (out->size() >= limit) return false;
    out->push_back(it->second);
  }
  return true;
}

}  // namespace parley
