#include "store/term_cache.hpp"

#include <algorithm>
#include <utility>

namespace parley::store {

Status TermCache::Pin(const std::vector<TermId>& ids, const Reader& read, TermDictionary::PinnedTerms* out) {
  out->terms.assign(ids.size(), nullptr);
  out->keep.clear();
  std::vector<TermId> missing;
  std::vector<std::size_t> missing_at;
  {
    std::shared_lock lock(mutex_);
    out->keep.push_back(current_);
    constexpr std::size_t kAhead = 8;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i + kAhead < ids.size()) current_->at.Prefetch(ids[i + kAhead]);
      if (const std::uint32_t* at = current_->at.Find(ids[i])) {
        out->terms[i] = &current_->terms[*at];
      } else {
        missing.push_back(ids[i]);
        missing_at.push_back(i);
      }
    }
  }
  if (missing.empty()) return Status::OK();
  std::vector<std::optional<Term>> found;
  PARLEY_RETURN_IF_ERROR(read(missing, &found));
  std::unique_lock lock(mutex_);
  for (std::size_t j = 0; j < missing.size(); ++j) {
    if (found[j]) out->terms[missing_at[j]] = Add(missing[j], std::move(*found[j]), out);
  }
  return Status::OK();
}

const Term* TermCache::Add(TermId id, Term term, TermDictionary::PinnedTerms* out) {
  // Another query may have read the same term meanwhile.
  if (const std::uint32_t* at = current_->at.Find(id)) return &current_->terms[*at];
  if (current_->terms.size() == generation_terms_) {
    current_ = std::make_shared<Generation>(generation_terms_);
    out->keep.push_back(current_);
  } else if (out->keep.back() != current_) {
    out->keep.push_back(current_);  // a new generation another query started
  }
  current_->at.Set(id, static_cast<std::uint32_t>(current_->terms.size()));
  current_->terms.push_back(std::move(term));
  return &current_->terms.back();
}

}  // namespace parley::store
