// query/english/ask.hpp
// Questions in controlled English, parsed with a Spirit X3 grammar whose words come
// from the graph (lexicon.hpp), compiled to SPARQL and answered by the same engine.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "query/engine.hpp"
#include "query/english/lexicon.hpp"
#include "rdf/evidence.hpp"
#include "rdf/graded_source.hpp"

namespace parley::query::english {

using Evidence = rdf::EvidenceRef;

struct Answer {
  std::vector<std::string> values;       // one per column: labels for entities, values for literals
  std::vector<Evidence> evidence;        // with --why
  std::string iri;                       // the entity answered, when the answer is one
};

struct AskResult {
  bool understood = false;
  std::string message;                   // why it was not understood, or "No ..." for no answers
  std::string sparql;                    // what the question compiled to
  std::vector<std::string> columns;
  std::vector<Answer> answers;
  bool is_boolean = false, boolean = false;
  std::string reading;                   // "I read this as: ..." when the relaxed reader answered
  std::string spelling;                  // "Reading "sumit" as "summit"." when words were corrected
  std::vector<Answer> counted;           // a count's answers: what was counted, for :why
  rdf::MinimumGrades minimum;            // the grades the answers' evidence met (none: any)
};

// Answers `question`. A question it cannot understand is not an error: `understood`
// is false and `message` says why (unknown word, ambiguous name, outside the grammar).
// Only facts whose evidence meets `minimum` count, and the stricter grades of a phrase
// such as "according to reliable sources" in the question (source_qualifier.hpp).
Result<AskResult> AskQuestion(const std::string& question, const Lexicon& lexicon, const QuadSource& source,
                              const TermDictionary& dictionary, bool why, const std::atomic<bool>* cancel = nullptr,
                              rdf::MinimumGrades minimum = {});

}  // namespace parley::query::english
