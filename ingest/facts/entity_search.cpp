#include "ingest/facts/entity_search.hpp"

#include <algorithm>

#include "ingest/facts/kinds.hpp"
#include "rdf/edit_distance.hpp"
#include "rdf/search_key.hpp"

namespace parley::ingest::facts {
namespace {

constexpr int kNoMatch = 1000;

std::vector<std::string> Words(const std::string& key) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t end = std::min(key.find(' ', start), key.size());
    if (end > start) words.push_back(key.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// How well name key `name` matches query key `query` (see the header); kNoMatch if not.
int Rank(const std::string& name, const std::string& query) {
  if (name.empty() || query.empty()) return kNoMatch;
  if (name == query) return 0;
  if (StartsWith(name, query)) return 1;
  if (name.find(" " + query) != std::string::npos) return 2;
  const auto name_words = Words(name), query_words = Words(query);
  const bool every_word = std::all_of(query_words.begin(), query_words.end(), [&](const std::string& q) {
    return std::any_of(name_words.begin(), name_words.end(), [&](const std::string& n) { return StartsWith(n, q); });
  });
  if (every_word) return 3;
  if (query.size() >= 3 && name.find(query) != std::string::npos) return 4;
  // Misspellings: the whole name, or each word of the query against some word of the name.
  const std::size_t allowed = query.size() < 5 ? 1 : query.size() < 10 ? 2 : 3;
  if (const std::size_t d = rdf::EditDistance(name, query); d <= allowed) return 5 + static_cast<int>(d);
  std::size_t total = 0;
  for (const auto& q : query_words) {
    std::size_t best = q.size();
    for (const auto& n : name_words) {
      best = std::min(best, rdf::EditDistance(n, q));
      if (StartsWith(n, q)) best = 0;
    }
    if (best > (q.size() < 5 ? 1u : 2u)) return kNoMatch;
    total += best;
  }
  return 8 + static_cast<int>(total);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

bool OfKind(const KnownEntity& e, const std::string& wanted) {
  if (wanted.empty()) return true;
  const std::string w = Lower(wanted);
  if (w == "source" || w == "sources") return e.kind.empty();
  if (Lower(e.type) == w) return true;
  const RecordKind* kind = KindRegistry::Default().Find(e.kind);
  return kind != nullptr && (w == kind->name || w == kind->singular);
}

}  // namespace

bool IsKnownKindName(const std::string& kind) {
  const std::string w = Lower(kind);
  if (w == "source" || w == "sources") return true;
  for (const RecordKind& k : KindRegistry::Default().kinds()) {
    if (w == k.name || w == k.singular) return true;
    for (const auto& t : k.types) {
      if (Lower(t) == w) return true;
    }
  }
  return false;
}

std::vector<EntityMatch> SearchEntities(const std::vector<KnownEntity>& entities, const std::string& text,
                                        const std::string& kind) {
  const std::string query = rdf::SearchKey(text);
  std::vector<EntityMatch> out;
  for (const KnownEntity& e : entities) {
    if (!OfKind(e, kind)) continue;
    EntityMatch best{&e, kNoMatch, ""};
    auto consider = [&](const std::string& name) {
      const int r = Rank(rdf::SearchKey(name), query);
      if (r < best.rank || (r == best.rank && name.size() < best.matched.size())) best = EntityMatch{&e, r, name};
    };
    consider(e.label);
    for (const auto& a : e.aliases) consider(a);
    consider(e.id);
    if (best.rank < kNoMatch) out.push_back(best);
  }
  std::stable_sort(out.begin(), out.end(), [](const EntityMatch& a, const EntityMatch& b) {
    // Equally good: the shorter name is the closer one ("Singapore summit" before a
    // statement's title that mentions the Singapore Summit).
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.matched.size() != b.matched.size()) return a.matched.size() < b.matched.size();
    return a.entity->label < b.entity->label;
  });
  return out;
}

}  // namespace parley::ingest::facts
