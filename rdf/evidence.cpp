#include "rdf/evidence.hpp"

#include <algorithm>
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

// The value of the first (`subject`, `predicate`, ?) triple into *out; nothing when
// there is none or the predicate is not in the store.
Status FirstValue(const QuadSource& source, const TermDictionary& dictionary, TermId subject,
                  const std::optional<TermId>& predicate, std::string* out) {
  if (!predicate) return Status::OK();
  auto cursor = source.ScanUnion(QuadPattern{subject, *predicate, {}, {}});
  Quad q;
  if (cursor->Next(&q)) {
    auto value = dictionary.LookupTerm(q.object);
    if (!value.ok()) return value.status();
    *out = value->value;
  }
  return cursor->status();
}

}  // namespace

Status CheckEvidenceChanges(const QuadSource& view, const TermDictionary& dictionary,
                            const std::vector<Quad>& added, const std::vector<Quad>& removed) {
  Status error;
  const auto provenance = IdOf(dictionary, Term::Iri(std::string(kProvenanceGraph)), &error);
  PARLEY_RETURN_IF_ERROR(error);
  for (const auto* quads : {&added, &removed}) {
    for (const Quad& q : *quads) {
      if (provenance && q.graph == *provenance) {
        return Status::InvalidArgument("the update would change <" + std::string(kProvenanceGraph) +
                                       ">, which holds sources, passages and grades and changes only through fact "
                                       "files: load a corrected fact file (`parley load`) or `parley retract` the source");
      }
    }
  }
  const auto source_predicate = IdOf(dictionary, Term::Iri(Ont("source")), &error);
  PARLEY_RETURN_IF_ERROR(error);
  std::set<TermId> checked;
  for (const Quad& q : added) {
    if (q.graph == kDefaultGraph || !checked.insert(q.graph).second) continue;
    auto graph = dictionary.LookupTerm(q.graph);
    if (!graph.ok()) return graph.status();
    if (!graph->value.starts_with(kContextNs)) continue;
    bool owned = false;
    if (source_predicate && provenance) {
      auto cursor = view.Scan(QuadPattern{q.graph, *source_predicate, std::nullopt, *provenance});
      Quad owner;
      owned = cursor->Next(&owner);
      PARLEY_RETURN_IF_ERROR(cursor->status());
    }
    if (!owned) {
      return Status::InvalidArgument("<" + graph->value + "> is not the evidence context of any source: a context "
                                     "is made by loading a fact file that cites it");
    }
  }
  return Status::OK();
}

std::string GradeText(const EvidenceRef& e) {
  if (e.reliability.empty() && e.credibility.empty()) return "";
  return (e.reliability.empty() ? "-" : e.reliability) + e.credibility;
}

Result<std::vector<EvidenceRef>> EvidenceFor(const QuadSource& source, const TermDictionary& dictionary,
                                             const std::vector<std::array<Term, 3>>& facts) {
  std::vector<EvidenceRef> out;
  std::set<std::string> seen;
  Status error;
  auto id = [&](const Term& t) { return IdOf(dictionary, t, &error); };
  const auto source_p = id(Term::Iri(Ont("source")));
  const auto title_p = id(Term::Iri(Ont("title")));
  const auto quote_p = id(Term::Iri(Ont("quote")));
  const auto reliability_p = id(Term::Iri(Ont("reliability")));
  const auto credibility_p = id(Term::Iri(Ont("credibility")));
  const auto passage_p = id(Term::Iri(Ont("passage")));
  const auto text_p = id(Term::Iri(Ont("text")));
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
          PARLEY_RETURN_IF_ERROR(FirstValue(source, dictionary, a.object, title_p, &e.source_title));
          PARLEY_RETURN_IF_ERROR(FirstValue(source, dictionary, a.object, reliability_p, &e.reliability));
        } else if (quote_p && a.predicate == *quote_p) {
          e.quote = value->value;
        } else if (credibility_p && a.predicate == *credibility_p) {
          e.credibility = value->value;
        } else if (passage_p && a.predicate == *passage_p) {
          PARLEY_RETURN_IF_ERROR(FirstValue(source, dictionary, a.object, text_p, &e.passage));
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
  // In one order whatever the store's: a local store and another engine agree.
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace parley::rdf
