// rdf/graded_source.hpp
// Facts by the grade of their evidence. Sources may carry a reliability (A completely
// reliable .. F cannot be judged) and citations a credibility (1 confirmed .. 6 cannot
// be judged), as intelligence analysts grade them (the Admiralty code). A graded view
// of a store hides the facts of every evidence context below a minimum grade: its
// source less reliable than asked, or ungraded, and likewise for credibility. A fact
// stays while any context supporting it passes. Queries, questions and evidence run on
// the view unchanged; graphs that are not evidence contexts (provenance, ontology,
// plain RDF) are never hidden. Nor are the names and classes of entities (rdfs:label,
// :alias, rdf:type): they say what an entity is called, not what happened, and
// without them a well-sourced fact about an entity first named by a weaker source
// could not be asked about or shown.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

#include "store/quad.hpp"

namespace parley::rdf {

struct MinimumGrades {
  char reliability = 0;  // 'A'..'F'; 0 = any
  int credibility = 0;   // 1..6; 0 = any
  bool any() const { return reliability != 0 || credibility != 0; }
};

// "A".."F" (either case) as a reliability; nullopt for anything else.
std::optional<char> ParseReliability(const std::string& text);
// "1".."6" as a credibility; nullopt for anything else.
std::optional<int> ParseCredibility(const std::string& text);

class GradedSource : public QuadSource {
 public:
  // The view of `base` (read through `dictionary`) without the contexts below `minimum`.
  static Result<std::unique_ptr<GradedSource>> Make(const QuadSource& base, const TermDictionary& dictionary,
                                                    MinimumGrades minimum);

  std::unique_ptr<QuadCursor> Scan(const QuadPattern& pattern) const override;
  std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern& pattern) const override;
  Result<PredicateStats> Stats(TermId predicate) const override { return base_.Stats(predicate); }

  std::size_t hidden_contexts() const { return hidden_.size(); }

 private:
  GradedSource(const QuadSource& base, std::unordered_set<TermId> hidden, std::unordered_set<TermId> naming)
      : base_(base), hidden_(std::move(hidden)), naming_(std::move(naming)) {}
  // Whether the view holds the triple of `q`: a naming one, or one in a graph that is
  // not hidden.
  bool Visible(const Quad& q, Status* error) const;

  const QuadSource& base_;
  std::unordered_set<TermId> hidden_;  // evidence contexts below the minimum
  std::unordered_set<TermId> naming_;  // predicates never hidden
};

}  // namespace parley::rdf
