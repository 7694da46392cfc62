#include "store/change_overlay.hpp"

#include <algorithm>

namespace parley::store {
namespace {

// The four index orders, as positions of a quad (0 s, 1 p, 2 o, 3 g): spog, posg, ospg, gspo.
constexpr std::array<std::array<int, 4>, 4> kOrders = {{{0, 1, 2, 3}, {1, 2, 0, 3}, {2, 0, 1, 3}, {3, 0, 1, 2}}};

std::array<std::optional<TermId>, 4> Positions(const QuadPattern& p) { return {p.subject, p.predicate, p.object, p.graph}; }
std::array<TermId, 4> Positions(const Quad& q) { return {q.subject, q.predicate, q.object, q.graph}; }

// The order whose key starts with the most bound positions of `pattern`.
int BestOrder(const QuadPattern& pattern, std::size_t* bound_prefix) {
  const auto bound = Positions(pattern);
  int best = 0;
  *bound_prefix = 0;
  for (int order = 0; order < 4; ++order) {
    std::size_t n = 0;
    while (n < 4 && bound[static_cast<std::size_t>(kOrders[order][n])]) ++n;
    if (n > *bound_prefix) {
      *bound_prefix = n;
      best = order;
    }
  }
  return best;
}


// The base's matches less the removed quads, then the added quads that match.
class OverlayCursor final : public QuadCursor {
 public:
  OverlayCursor(std::unique_ptr<QuadCursor> base, const std::set<Quad>& removed, std::vector<Quad> added)
      : base_(std::move(base)), removed_(removed), added_(std::move(added)) {}
  bool Next(Quad* out) override {
    while (base_ != nullptr) {
      if (!base_->Next(out)) {
        status_ = base_->status();
        base_.reset();
        if (!status_.ok()) return false;
        break;
      }
      if (!removed_.contains(*out)) return true;
    }
    return added_.Next(out);
  }
  Status status() const override { return status_; }

 private:
  std::unique_ptr<QuadCursor> base_;
  const std::set<Quad>& removed_;
  VectorCursor added_;
  Status status_;
};

}  // namespace

ChangeOverlay::ChangeOverlay(const QuadSource& base, const TermDictionary& base_terms)
    : base_(base), base_terms_(base_terms) {}

Result<TermId> ChangeOverlay::Intern(const Term& term) {
  auto id = LookupId(term);
  if (id.ok() || id.status().code() != Status::Code::kNotFound) return id;
  const TermId fresh = kFirstOverlayId + new_terms_.size();
  new_ids_.emplace(EncodeTerm(term), fresh);
  new_terms_.push_back(term);
  return fresh;
}

Result<bool> ChangeOverlay::BaseHas(const Quad& quad) const {
  if (IsOverlayId(quad.subject) || IsOverlayId(quad.predicate) || IsOverlayId(quad.object) || IsOverlayId(quad.graph)) {
    return false;
  }
  auto cursor = base_.Scan(QuadPattern{quad.subject, quad.predicate, quad.object, quad.graph});
  Quad found;
  const bool has = cursor->Next(&found);
  PARLEY_RETURN_IF_ERROR(cursor->status());
  return has;
}

Result<bool> ChangeOverlay::Contains(const Quad& quad) const {
  if (added_.contains(quad)) return true;
  if (removed_.contains(quad)) return false;
  return BaseHas(quad);
}

Result<bool> ChangeOverlay::Insert(const Quad& quad) {
  if (removed_.erase(quad) > 0) {
    --removed_per_predicate_[quad.predicate];
    return true;
  }
  if (added_.contains(quad)) return false;
  auto in_base = BaseHas(quad);
  if (!in_base.ok()) return in_base;
  if (*in_base) return false;
  added_.insert(quad);
  added_order_built_.fill(false);
  return true;
}

Result<bool> ChangeOverlay::Erase(const Quad& quad) {
  if (added_.erase(quad) > 0) {
    added_order_built_.fill(false);
    return true;
  }
  if (removed_.contains(quad)) return false;
  auto in_base = BaseHas(quad);
  if (!in_base.ok()) return in_base;
  if (!*in_base) return false;
  removed_.insert(quad);
  ++removed_per_predicate_[quad.predicate];
  return true;
}

const std::vector<ChangeOverlay::Key>& ChangeOverlay::AddedInOrder(int order) const {
  auto& keys = added_orders_[static_cast<std::size_t>(order)];
  if (!added_order_built_[static_cast<std::size_t>(order)]) {
    keys.clear();
    keys.reserve(added_.size());
    for (const Quad& q : added_) {
      const auto at = Positions(q);
      Key k;
      for (std::size_t i = 0; i < 4; ++i) k[i] = at[static_cast<std::size_t>(kOrders[order][i])];
      keys.push_back(k);
    }
    std::sort(keys.begin(), keys.end());
    added_order_built_[static_cast<std::size_t>(order)] = true;
  }
  return keys;
}

std::vector<Quad> ChangeOverlay::AddedMatching(const QuadPattern& pattern) const {
  std::vector<Quad> out;
  if (added_.empty()) return out;
  std::size_t prefix = 0;
  const int order = BestOrder(pattern, &prefix);
  const auto& keys = AddedInOrder(order);
  const auto bound = Positions(pattern);
  Key low{}, high;
  high.fill(~TermId{0});
  for (std::size_t i = 0; i < prefix; ++i) low[i] = high[i] = *bound[static_cast<std::size_t>(kOrders[order][i])];
  for (auto it = std::lower_bound(keys.begin(), keys.end(), low); it != keys.end() && *it <= high; ++it) {
    std::array<TermId, 4> at{};
    for (std::size_t i = 0; i < 4; ++i) at[static_cast<std::size_t>(kOrders[order][i])] = (*it)[i];
    Quad q{at[0], at[1], at[2], at[3]};
    if (pattern.Matches(q)) out.push_back(q);
  }
  return out;
}

std::unique_ptr<QuadCursor> ChangeOverlay::Scan(const QuadPattern& pattern) const {
  const bool unknown_term = (pattern.subject && IsOverlayId(*pattern.subject)) ||
                            (pattern.predicate && IsOverlayId(*pattern.predicate)) ||
                            (pattern.object && IsOverlayId(*pattern.object)) || (pattern.graph && IsOverlayId(*pattern.graph));
  if (unknown_term) return std::make_unique<VectorCursor>(AddedMatching(pattern));  // the base cannot hold it
  return std::make_unique<OverlayCursor>(base_.Scan(pattern), removed_, AddedMatching(pattern));
}

// Whether some graph still holds the triple of `triple` once the changes apply.
Result<bool> ChangeOverlay::TripleVisible(const Quad& triple) const {
  auto cursor = Scan(QuadPattern{triple.subject, triple.predicate, triple.object, std::nullopt});
  Quad q;
  const bool any = cursor->Next(&q);
  PARLEY_RETURN_IF_ERROR(cursor->status());
  return any;
}

std::unique_ptr<QuadCursor> ChangeOverlay::ScanUnion(const QuadPattern& pattern) const {
  if (added_.empty() && removed_.empty()) return base_.ScanUnion(pattern);
  std::set<Quad> triples;  // graph kDefaultGraph: each triple once
  Quad q;
  auto base = base_.ScanUnion(pattern);
  while (base->Next(&q)) {
    // A triple survives unless every graph holding it lost it.
    auto first_removed = removed_.lower_bound(Quad{q.subject, q.predicate, q.object, 0});
    const bool touched = first_removed != removed_.end() && first_removed->subject == q.subject &&
                         first_removed->predicate == q.predicate && first_removed->object == q.object;
    if (touched) {
      auto visible = TripleVisible(q);
      if (!visible.ok()) return std::make_unique<VectorCursor>(std::vector<Quad>{}, visible.status());
      if (!*visible) continue;
    }
    triples.insert(Quad{q.subject, q.predicate, q.object, kDefaultGraph});
  }
  if (!base->status().ok()) return std::make_unique<VectorCursor>(std::vector<Quad>{}, base->status());
  for (const Quad& added : AddedMatching(pattern)) {
    triples.insert(Quad{added.subject, added.predicate, added.object, kDefaultGraph});
  }
  return std::make_unique<VectorCursor>(std::vector<Quad>(triples.begin(), triples.end()));
}

Result<PredicateStats> ChangeOverlay::Stats(TermId predicate) const {
  PredicateStats stats;
  if (!IsOverlayId(predicate)) {
    auto base = base_.Stats(predicate);
    if (!base.ok()) return base;
    stats = *base;
  }
  // Estimates for the planner: each added quad counted as a new triple, subject and
  // object, each removed one as taking its triple, subject and object with it.
  const auto added = AddedMatching(QuadPattern{std::nullopt, predicate, std::nullopt, std::nullopt}).size();
  const bool triples_known = stats.TriplesKnown();
  stats.quads += added;
  if (triples_known) stats.triples += added;
  stats.distinct_subjects += added;
  stats.distinct_objects += added;
  if (auto it = removed_per_predicate_.find(predicate); it != removed_per_predicate_.end()) {
    const std::uint64_t removed = it->second;
    stats.quads -= std::min(stats.quads, removed);
    stats.triples -= std::min(stats.triples, removed);
    stats.distinct_subjects -= std::min(stats.distinct_subjects, removed);
    stats.distinct_objects -= std::min(stats.distinct_objects, removed);
    if (stats.quads > 0) stats.distinct_subjects = std::max<std::uint64_t>(stats.distinct_subjects, 1);
    if (stats.quads > 0) stats.distinct_objects = std::max<std::uint64_t>(stats.distinct_objects, 1);
  }
  return stats;
}

Result<TermId> ChangeOverlay::LookupId(const Term& term) const {
  if (!new_ids_.empty()) {
    if (auto it = new_ids_.find(EncodeTerm(term)); it != new_ids_.end()) return it->second;
  }
  return base_terms_.LookupId(term);
}

Result<Term> ChangeOverlay::LookupTerm(TermId id) const {
  if (!IsOverlayId(id)) return base_terms_.LookupTerm(id);
  const TermId index = id - kFirstOverlayId;
  if (index >= new_terms_.size()) return Status::NotFound("no term with id " + std::to_string(id));
  return new_terms_[index];
}

Status ChangeOverlay::LookupTerms(const std::vector<TermId>& ids, std::vector<std::optional<Term>>* out) const {
  std::vector<TermId> base_ids;
  for (TermId id : ids) {
    if (!IsOverlayId(id)) base_ids.push_back(id);
  }
  std::vector<std::optional<Term>> base_terms;
  PARLEY_RETURN_IF_ERROR(base_terms_.LookupTerms(base_ids, &base_terms));
  out->clear();
  std::size_t next_base = 0;
  for (TermId id : ids) {
    if (!IsOverlayId(id)) {
      out->push_back(std::move(base_terms[next_base++]));
    } else {
      auto term = LookupTerm(id);
      out->push_back(term.ok() ? std::optional<Term>(*term) : std::nullopt);
    }
  }
  return Status::OK();
}

bool ChangeOverlay::StringLiteralsWithPrefix(std::string_view prefix, std::size_t limit, std::vector<TermId>* out) const {
  if (!new_terms_.empty()) return false;  // the base cannot list the new ones
  return base_terms_.StringLiteralsWithPrefix(prefix, limit, out);
}

bool ChangeOverlay::TermsBetween(const Term& low, const Term& high, std::size_t limit, std::vector<TermId>* out) const {
  if (!new_terms_.empty()) return false;  // the base cannot list the new ones
  return base_terms_.TermsBetween(low, high, limit, out);
}

bool ChangeOverlay::FirstTermBetween(const Term& low, const Term& high, Term* term, TermId* id) const {
  if (!new_terms_.empty()) return false;
  return base_terms_.FirstTermBetween(low, high, term, id);
}

}  // namespace parley::store
