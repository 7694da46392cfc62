// store/term_cache.hpp
// Decoded terms shared by the queries on every snapshot of a store. An id names one term
// for good, so a REPL session, a server or --repeat decodes each term once, across
// writes too. Queries get the terms by
// address, without copies (a copy was three strings and a node of a hash map per term,
// half of the time of a query that prints twenty thousand claims).
//
// The cache fills one generation at a time. A full generation is let go rather than
// cleared: a query that holds terms of it also holds the generation, which lives on
// until that query ends. What the cache itself holds stays bounded.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <vector>

#include "store/id_map.hpp"
#include "store/quad.hpp"

namespace parley::store {

class TermCache {
 public:
  // Reads terms the cache lacks, as TermDictionary::LookupTerms does.
  using Reader = std::function<Status(const std::vector<TermId>& ids, std::vector<std::optional<Term>>* out)>;
  explicit TermCache(std::size_t generation_terms = 1 << 18) : generation_terms_(generation_terms) {}

  // The terms of `ids` (see TermDictionary::PinTerms), from the cache or else through
  // `read`, which runs without the cache's lock; what it reads is cached.
  Status Pin(const std::vector<TermId>& ids, const Reader& read, TermDictionary::PinnedTerms* out);

 private:
  struct Generation {
    explicit Generation(std::size_t capacity) { terms.reserve(capacity); }
    std::vector<Term> terms;  // reserved once and never past capacity: addresses stay put
    IdMap<std::uint32_t> at;  // id -> index into terms
  };
  // Adds `term` for `id` to the current generation, starting a new one when it is full.
  const Term* Add(TermId id, Term term, TermDictionary::PinnedTerms* out);

  const std::size_t generation_terms_;
  // Lookups share it, so that the threads of a query decode at once; Add takes it alone.
  std::shared_mutex mutex_;
  std::shared_ptr<Generation> current_ = std::make_shared<Generation>(generation_terms_);
};

}  // namespace parley::store
