#include "query/exec/terms.hpp"

#include <algorithm>
#include <optional>

namespace parley::query::exec {

TermId TermTable::StoreId(const Term& term) {
  std::string key = EncodeTerm(term);
  auto it = ids_.find(key);
  if (it != ids_.end()) return (it->second & kLocalBit) != 0 ? kUnbound : it->second;
  auto id = dictionary_.LookupId(term);
  if (!id.ok()) {
    if (id.status().code() != Status::Code::kNotFound) status_ = id.status();
    return kUnbound;
  }
  ids_.emplace(std::move(key), *id);
  terms_.emplace(*id, term);
  return *id;
}

TermId TermTable::Intern(const Term& term) {
  TermId id = StoreId(term);
  if (id != kUnbound) return id;
  std::string key = EncodeTerm(term);
  auto it = ids_.find(key);
  if (it != ids_.end()) return it->second;
  id = kLocalBit | locals_.size();
  locals_.push_back(term);
  ids_.emplace(std::move(key), id);
  return id;
}

const Term& TermTable::Get(TermId id) {
  if ((id & kLocalBit) != 0) return locals_[id & ~kLocalBit];
  auto it = terms_.find(id);
  if (it != terms_.end()) return it->second;
  if (auto old = retired_.find(id); old != retired_.end()) {
    // The node itself moves back, so references to the term stay valid.
    return terms_.insert(retired_.extract(old)).position->second;
  }
  auto term = dictionary_.LookupTerm(id);
  if (!term.ok()) {
    status_ = term.status();
    static const Term kMissing = Term::Iri("urn:parley:missing-term");
    return kMissing;
  }
  MakeRoomFor(1);
  return terms_.emplace(id, std::move(*term)).first->second;
}

void TermTable::Prefetch(std::vector<TermId> ids) {
  std::erase_if(ids, [&](TermId id) {
    return id == kUnbound || (id & kLocalBit) != 0 || terms_.count(id) != 0 || retired_.count(id) != 0;
  });
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return;
  std::vector<std::optional<Term>> found;
  if (Status s = dictionary_.LookupTerms(ids, &found); !s.ok()) {
    status_ = s;
    return;
  }
  MakeRoomFor(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (found[i]) terms_.emplace(ids[i], std::move(*found[i]));  // an unknown id fails later, in Get
  }
}

void TermTable::MakeRoomFor(std::size_t count) {
  if (terms_.size() + count <= kCachedTerms) return;
  // A query that decodes millions of terms (SELECT * over a large store) keeps two
  // generations, not all of them; a reference handed out lives at least as long as
  // the generation after its own.
  retired_.clear();
  retired_.swap(terms_);
}

}  // namespace parley::query::exec
