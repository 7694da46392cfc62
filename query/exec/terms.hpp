// query/exec/terms.hpp
// The terms a query works with: store terms by their store ids, and terms the query
// computes (BIND, VALUES, CONSTRUCT templates, function results) by local ids with the
// top bit set. Equal terms always get equal ids, so solution compatibility is id
// equality. Not thread-safe: one table per query.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/id_map.hpp"
#include "store/prefetch.hpp"
#include "store/quad.hpp"

namespace parley::query::exec {

inline constexpr TermId kUnbound = 0;
inline constexpr TermId kLocalBit = TermId{1} << 63;

class TermTable {
 public:
  explicit TermTable(const TermDictionary& dictionary) : dictionary_(dictionary) {}
  // The id of `term`: its store id when the store has it, else a local one.
  TermId Intern(const Term& term);
  // The store id of `term`, or kUnbound when the store does not have it.
  TermId StoreId(const Term& term);
  // REQUIRES: id != kUnbound. The reference stays valid until at least kCachedTerms
  // more store terms have been decoded.
  const Term& Get(TermId id);
  // Decodes the store ids among `ids` that are not cached yet in one batch, so that the
  // Get calls that follow are cache hits: one sorted pass over the dictionary costs far
  // less than one read per id. Local ids and kUnbound are skipped.
  void Prefetch(std::vector<TermId> ids);
  // The terms of `ids`, in their order, for reading once (a query's output): nullptr for
  // kUnbound. Valid until the next call. Store terms come by address from the dictionary
  // and are not entered in the table: rows printed once are not looked up again, and
  // entering twenty thousand of them cost more than reading them.
  const std::vector<const Term*>& Decode(const std::vector<TermId>& ids);
  // Decode's terms lie scattered over a cache larger than the CPU's: a loop reading
  // them calls this for each, which asks for the term object sixteen places on and its
  // text eight on (the object holds the text's address), so that the misses overlap.
  static void PrefetchTermAhead(const std::vector<const Term*>& terms, std::size_t at) {
    constexpr std::size_t kAhead = 8;
    if (at + 2 * kAhead < terms.size() && terms[at + 2 * kAhead] != nullptr) PrefetchForRead(terms[at + 2 * kAhead]);
    if (at + kAhead < terms.size() && terms[at + kAhead] != nullptr) PrefetchForRead(terms[at + kAhead]->value.data());
  }
  const Status& status() const { return status_; }
  const TermDictionary& dictionary() const { return dictionary_; }

 private:
  // Store terms by address, in two generations of up to kCachedTerms each: a query that
  // decodes millions of terms (SELECT * over a large store) keeps two generations, not
  // all of them. A generation holds its terms alive: the dictionary's pins and the
  // copies the table made itself.
  static constexpr std::size_t kCachedTerms = 1 << 16;
  struct Generation {
    IdMap<const Term*> terms;
    std::vector<std::shared_ptr<const void>> pins;
    std::deque<Term> copies;  // terms the query gave (StoreId) or kept from the generation before
  };
  // Enters the pinned terms of `ids` into the current generation.
  void Enter(const std::vector<TermId>& ids, TermDictionary::PinnedTerms pinned);
  void MakeRoomFor(std::size_t count);

  const TermDictionary& dictionary_;
  std::unordered_map<std::string, TermId> ids_;  // encoded term -> id
  Generation current_, retired_;
  std::vector<Term> locals_;
  // Decode's store ids, their pins and its answer, kept for their memory.
  std::vector<TermId> decode_ids_;
  TermDictionary::PinnedTerms decoded_;
  std::vector<const Term*> decode_out_;
  Status status_;
};

}  // namespace parley::query::exec
