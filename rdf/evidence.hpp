// rdf/evidence.hpp
// The evidence behind facts: each quad's graph is an evidence context, which the
// provenance graph ties to a source, a locator (paragraph, section, ...) and a quote.
#pragma once

#include <array>
#include <tuple>
#include <string>
#include <vector>

#include "store/quad.hpp"

namespace parley::rdf {

struct EvidenceRef {
  std::string source_id, source_title, locator, quote;
  std::string reliability;  // the source's grade, "A".."F"; "" when ungraded
  std::string credibility;  // the citation's grade, "1".."6"; "" when ungraded
  std::string passage;      // the cited paragraph or section of the stored text; "" when none
  bool operator<(const EvidenceRef& o) const {
    return std::tie(source_id, locator, quote) < std::tie(o.source_id, o.locator, o.quote);
  }
};

// The evidence for each (subject, predicate, object) in `facts` (missing terms or
// facts outside any evidence context contribute nothing), without repeats, sorted by
// source, locator and quote. The one
// lookup of evidence that `:why` for SPARQL and for questions and `export
// --with-evidence` all use. Errors: the store's, when a scan or a lookup fails.
Result<std::vector<EvidenceRef>> EvidenceFor(const QuadSource& source, const TermDictionary& dictionary,
                                             const std::vector<std::array<Term, 3>>& facts);

// Whether changes made outside fact files keep the evidence model whole. Refused: any
// change to the provenance graph (sources, contexts, passages and grades are written
// only by loading a fact file, which checks them), and quads added to a graph in the
// context namespace that no source owns. Quads added to an existing source's context
// are fine: they become part of that source. `changed` lists the changed quads, read
// through `view`, the state after the changes.
Status CheckEvidenceChanges(const QuadSource& view, const TermDictionary& dictionary,
                            const std::vector<Quad>& added, const std::vector<Quad>& removed);

// The grade as analysts write it: "B2", "B" without a credibility, "-3" for a
// credibility of an ungraded source, "" for neither.
std::string GradeText(const EvidenceRef& e);

}  // namespace parley::rdf
