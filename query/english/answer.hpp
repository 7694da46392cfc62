// query/english/answer.hpp
// Runs a relaxed reading (reading.hpp) through the query engine and turns its rows into
// answers: labels, dates and places, counts with what was counted, yes or no with the
// facts behind it, profiles and explanations, each row with the evidence of the
// stored triples its bindings fill in.
#pragma once

#include <atomic>

#include "query/english/ask.hpp"
#include "query/english/reading.hpp"

namespace parley::query::english {

Result<AskResult> AnswerReading(const Interpretation& reading, const Lexicon& lexicon, const QuadSource& source,
                                const TermDictionary& dictionary, bool why, const std::atomic<bool>* cancel);

}  // namespace parley::query::english
