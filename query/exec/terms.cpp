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
  if (!current_.terms.contains(*id)) {
    MakeRoomFor(1);
    current_.terms.Set(*id, &current_.copies.emplace_back(term));
  }
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
  if (const Term* const* term = current_.terms.Find(id)) return **term;
  if (const Term* const* old = retired_.terms.Find(id)) {
    // Copied into the current generation, which outlives the retired one.
    const Term copy = **old;
    MakeRoomFor(1);
    const Term* kept = &current_.copies.emplace_back(copy);
    current_.terms.Set(id, kept);
    return *kept;
  }
  TermDictionary::PinnedTerms pinned;
  Status s = dictionary_.PinTerms({id}, &pinned);
  if (s.ok() && pinned.terms[0] == nullptr) s = Status::NotFound("unknown term id " + std::to_string(id));
  if (!s.ok()) {
    status_ = s;
    static const Term kMissing = Term::Iri("urn:parley:missing-term");
    return kMissing;
  }
  const Term& term = *pinned.terms[0];
  Enter({id}, std::move(pinned));
  return term;
}

const std::vector<const Term*>& TermTable::Decode(const std::vector<TermId>& ids) {
  decode_ids_.clear();
  for (TermId id : ids) {
    if (id != kUnbound && (id & kLocalBit) == 0) decode_ids_.push_back(id);
  }
  decode_out_.assign(ids.size(), nullptr);
  if (Status s = dictionary_.PinTerms(decode_ids_, &decoded_); !s.ok()) {
    status_ = s;
    return decode_out_;
  }
  std::size_t next = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const TermId id = ids[i];
    if (id == kUnbound) continue;
    if ((id & kLocalBit) != 0) {
      decode_out_[i] = &locals_[id & ~kLocalBit];
      continue;
    }
    decode_out_[i] = decoded_.terms[next++];
    if (decode_out_[i] == nullptr && status_.ok()) status_ = Status::NotFound("unknown term id " + std::to_string(id));
  }
  return decode_out_;
}

// The loops over a block's ids ask for the slot of the id kAhead places on (see
// IdMap::Prefetch): a query that prints twenty thousand rows looks up each of their
// terms here, in tables larger than the CPU's caches.
constexpr std::size_t kAhead = 8;

void TermTable::Prefetch(std::vector<TermId> ids) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i + kAhead < ids.size()) current_.terms.Prefetch(ids[i + kAhead]);
    const TermId id = ids[i];
    if (id == kUnbound || (id & kLocalBit) != 0 || current_.terms.contains(id) || retired_.terms.contains(id)) continue;
    ids[kept++] = id;
  }
  ids.resize(kept);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return;
  TermDictionary::PinnedTerms pinned;
  if (Status s = dictionary_.PinTerms(ids, &pinned); !s.ok()) {
    status_ = s;
    return;
  }
  Enter(ids, std::move(pinned));  // an unknown id fails later, in Get
}

void TermTable::Enter(const std::vector<TermId>& ids, TermDictionary::PinnedTerms pinned) {
  MakeRoomFor(ids.size());
  const std::size_t n = ids.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) current_.terms.Prefetch(ids[i + kAhead]);
    // The block's rows read these terms and their text next: both are brought in now,
    // the term object well ahead and its text (whose address is in the object) nearer.
    if (i + 2 * kAhead < n && pinned.terms[i + 2 * kAhead] != nullptr) PrefetchForRead(pinned.terms[i + 2 * kAhead]);
    if (i + kAhead < n && pinned.terms[i + kAhead] != nullptr) PrefetchForRead(pinned.terms[i + kAhead]->value.data());
    if (pinned.terms[i] != nullptr) current_.terms.Set(ids[i], pinned.terms[i]);
  }
  for (auto& pin : pinned.keep) {
    auto& pins = current_.pins;
    if (std::find(pins.begin(), pins.end(), pin) == pins.end()) pins.push_back(std::move(pin));
  }
}

void TermTable::MakeRoomFor(std::size_t count) {
  if (current_.terms.size() + count <= kCachedTerms) return;
  // A reference handed out lives at least as long as the generation after its own.
  retired_ = std::move(current_);
  current_ = Generation{};
}

}  // namespace parley::query::exec
