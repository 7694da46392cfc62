// store/change_overlay.hpp
// A state of the store with changes on top, readable like the store itself: quads
// added and removed, and terms the base has not seen (given ids from kFirstOverlayId
// up, which no store reaches). An update request reads its own writes through one
// before committing them, and a past state of the graph is the present with the
// changes since undone.
// Not thread-safe while it changes; const methods may run concurrently afterwards.
#pragma once

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/quad.hpp"

namespace parley::store {

inline constexpr TermId kFirstOverlayId = TermId{1} << 62;

class ChangeOverlay final : public QuadSource, public TermDictionary {
 public:
  // `base` and `base_terms` must outlive the overlay and not change under it.
  ChangeOverlay(const QuadSource& base, const TermDictionary& base_terms);

  // The id of `term`: the base's, or a new overlay id the first time it is seen.
  Result<TermId> Intern(const Term& term);
  static bool IsOverlayId(TermId id) { return id >= kFirstOverlayId; }

  Result<bool> Contains(const Quad& quad) const;
  // Each returns whether the view changed.
  Result<bool> Insert(const Quad& quad);
  Result<bool> Erase(const Quad& quad);

  // Quads the base lacks that the view has, and quads of the base the view lacks.
  const std::set<Quad>& added() const { return added_; }
  const std::set<Quad>& removed() const { return removed_; }

  std::unique_ptr<QuadCursor> Scan(const QuadPattern& pattern) const override;
  std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern& pattern) const override;
  Result<PredicateStats> Stats(TermId predicate) const override;
  Result<TermId> LookupId(const Term& term) const override;
  Result<Term> LookupTerm(TermId id) const override;
  Status LookupTerms(const std::vector<TermId>& ids, std::vector<std::optional<Term>>* out) const override;
  bool StringLiteralsWithPrefix(std::string_view prefix, std::size_t limit, std::vector<TermId>* out) const override;
  bool TermsBetween(const Term& low, const Term& high, std::size_t limit, std::vector<TermId>* out) const override;
  bool FirstTermBetween(const Term& low, const Term& high, Term* term, TermId* id) const override;

 private:
  using Key = std::array<TermId, 4>;
  // The added quads sorted in one index order, built when a scan needs it and dropped
  // when the added quads change.
  const std::vector<Key>& AddedInOrder(int order) const;
  std::vector<Quad> AddedMatching(const QuadPattern& pattern) const;
  Result<bool> BaseHas(const Quad& quad) const;
  Result<bool> TripleVisible(const Quad& triple) const;

  const QuadSource& base_;
  const TermDictionary& base_terms_;
  std::set<Quad> added_, removed_;
  std::map<TermId, std::uint64_t> removed_per_predicate_;  // for Stats
  mutable std::array<std::vector<Key>, 4> added_orders_;
  mutable std::array<bool, 4> added_order_built_{};
  std::map<std::string, TermId> new_ids_;  // encoded term -> overlay id
  std::vector<Term> new_terms_;            // overlay id - kFirstOverlayId -> term
};

}  // namespace parley::store
