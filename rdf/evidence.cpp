#include "rdf/evidence.hpp"

#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "rdf/vocabulary.hpp"

namespace parley::rdf {

namespace {

// The id of `term`, or none when the store does not have it; other errors are kept.
std::optional<TermId> IdOf(const TermDictionary& dictionary, const Term& term, Status* error) {
  auto id = dictionary.LookupId(term);
  if (id.ok()) return *id;
  if (id.status().code() != Status::Code::kNotFound && error->ok()) *error = id.status();
  return std::nullopt;
}

}  // namespace

Result<std::vector<EvidenceRef>> EvidenceFor(const QuadSource& source, const TermDictionary& dictionary,
                                             const std::vector<std::array<Term, 3>>& facts) {
  std::vector<EvidenceRef> out;
  std::set<std::string> seen;
  Status error;
  auto id = [&](const Term& t) { return IdOf(dictionary, t, &error); };
  const auto source_p = id(Term::Iri(Ont("source")));
  const auto title_p = id(Term::Iri(Ont("title")));
  const auto quote_p = id(Term::Iri(Ont("quote")));
  PARLEY_RETURN_IF_ERROR(error);
  if (!source_p) return out;
  std::map<TermId, std::string> locator_names;
  for (const char* locator : {"paragraph", "page", "line", "section", "timestamp"}) {
    if (auto l = id(Term::Iri(Ont(locator)))) locator_names[*l] = locator;
  }
  for (const auto& f : facts) {
    auto s = id(f[0]), p = id(f[1]), o = id(f[2]);
    PARLEY_RETURN_IF_ERROR(error);
    if (!s || !p || !o) continue;
    auto cursor = source.Scan(QuadPattern{*s, *p, *o, {}});
    Quad q;
    while (cursor->Next(&q)) {
      if (q.graph == kDefaultGraph) continue;
      EvidenceRef e;
      auto about = source.Scan(QuadPattern{q.graph, {}, {}, {}});
      Quad a;
      while (about->Next(&a)) {
        auto value = dictionary.LookupTerm(a.object);
        if (!value.ok()) return value.status();
        if (a.predicate == *source_p) {
          e.source_id = std::string(EntityId(value->value));
          if (title_p) {
            auto titles = source.ScanUnion(QuadPattern{a.object, *title_p, {}, {}});
            Quad t;
            if (titles->Next(&t)) {
              auto title = dictionary.LookupTerm(t.object);
              if (!title.ok()) return title.status();
              e.source_title = title->value;
            }
            PARLEY_RETURN_IF_ERROR(titles->status());
          }
        } else if (quote_p && a.predicate == *quote_p) {
          e.quote = value->value;
        } else if (auto it = locator_names.find(a.predicate); it != locator_names.end()) {
          e.locator = it->second + " " + value->value;
        }
      }
      PARLEY_RETURN_IF_ERROR(about->status());
      if (e.source_id.empty()) continue;
      if (seen.insert(e.source_id + "|" + e.locator + "|" + e.quote).second) out.push_back(e);
    }
    PARLEY_RETURN_IF_ERROR(cursor->status());
  }
  return out;
}

}  // namespace parley::rdf
