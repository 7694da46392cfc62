// query/english/source_qualifier.hpp
// Phrases that limit a question to well-graded sources: "according to reliable
// sources", "from usually reliable sources", "in sources graded A", "citing only
// confirmed information". They may open or close the question ("According to reliable
// sources, who proposed a peace treaty?"). The question is answered without the phrase
// on a graded view of the graph (rdf/graded_source.hpp).
//
// Reliability as the Admiralty code words it: "completely reliable" is A, "usually
// reliable" and plain "reliable" (or "trustworthy", "credible", "trusted") are B, "fairly
// reliable" is C; "graded X" or "X-rated" is X or better. Credibility: "confirmed" is 1,
// "probably true" is 2, "graded 1..6" that or better.
#pragma once

#include <optional>
#include <string>

#include "rdf/graded_source.hpp"

namespace parley::query::english {

struct SourceQualifier {
  std::string question;        // the question without the phrase
  rdf::MinimumGrades minimum;  // what the phrase asks for
  std::string phrase;          // the phrase as written
};

// The question's source qualifier, or nullopt when it has none.
std::optional<SourceQualifier> FindSourceQualifier(const std::string& question);

// In words: "sources graded B or better", "citations graded 2 or better", both joined.
std::string DescribeGrades(const rdf::MinimumGrades& minimum);

}  // namespace parley::query::english
