// store/memory_quad_source.hpp
// An in-memory QuadSource and TermDictionary: the reference model for the RocksDB
// store's tests and the backing store for the query layer's unit tests.
// Deliberately simple (a sorted set scanned linearly) so that it is obviously right.
// Thread safety: const methods may run concurrently; mutators may not.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/quad.hpp"

namespace parley {

class MemoryQuadSource final : public QuadSource, public TermDictionary {
 public:
  // Returns the id of `term`, assigning the next free id (from 1) if it is new.
  TermId Intern(const Term& term);
  // Adds a quad; already present is fine. Returns whether it was new.
  bool Insert(const Quad& quad);
  // Removes a quad; returns whether it was present.
  bool Remove(const Quad& quad);
  std::size_t size() const { return quads_.size(); }

  std::unique_ptr<QuadCursor> Scan(const QuadPattern& pattern) const override;
  std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern& pattern) const override;
  Result<PredicateStats> Stats(TermId predicate) const override;
  // Exact: the number of quads Scan or ScanUnion gives.
  std::optional<std::uint64_t> EstimateMatches(const QuadPattern& pattern, bool union_view) const override;
  // Scans read the set in (s, p, o, g) order: sorted by the first position left free.
  std::optional<QuadPosition> SortedBy(const QuadPattern& pattern, bool union_view) const override;
  // KeptRange answers the ranges `which` accepts, as the store's range cache answers the
  // ranges it has kept (all of this source's are in memory): the query layer's tests run
  // a join's lookups of kept ranges, and its reads of the others, this way. By default
  // it answers none.
  void KeepRanges(std::function<bool(const QuadPattern&)> which) { keeps_ = std::move(which); }
  bool KeptRange(const QuadPattern& pattern, bool union_view, std::vector<Quad>* small,
                 QuadRange* shared) const override;
  Result<TermId> LookupId(const Term& term) const override;
  Result<Term> LookupTerm(TermId id) const override;
  bool StringLiteralsWithPrefix(std::string_view prefix, std::size_t limit, std::vector<TermId>* out) const override;
  bool TermsBetween(const Term& low, const Term& high, std::size_t limit, std::vector<TermId>* out) const override;
  bool FirstTermBetween(const Term& low, const Term& high, Term* term, TermId* id) const override;

 private:
  std::set<Quad> quads_;
  std::function<bool(const QuadPattern&)> keeps_;
  std::map<std::string, TermId> ids_;
  std::map<TermId, Term> terms_;
  TermId next_id_ = 1;
};

}  // namespace parley
