// query/english/loose.hpp
// The last resorts of reading a question, after the grammar, the relaxed reader and
// spelling correction have failed or found nothing:
// - names the graph does not have: a run of capitalised words that names no entity,
//   exactly or misspelt ("Xi Jinping", "G20"), so that the answer can say so rather
//   than "I don't know" or a false "no record";
// - a looser reading: the entities the question names and the things linked to all of
//   them by one fact each (else, for one entity and a kind asked for, by two), within
//   the question's dates. It answers "what happened between India and Pakistan in
//   February 2019" when no verb or form of the question fits the schema exactly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "query/english/lexicon.hpp"
#include "query/english/reading.hpp"

namespace parley::query::english {

struct UnknownName {
  std::string text;        // as typed: "Xi Jinping"
  bool thing = false;      // after an article or "in"/"at": a thing or place, not a person
  std::size_t offset = 0;  // where it starts in the question
  std::size_t end = 0;     // where it ends
};

// The capitalised names of `question` that name nothing in the graph.
std::vector<UnknownName> UnknownNames(std::string_view question, const Lexicon& lexicon);

// "The graph has no one named "Xi Jinping"." for each name.
std::string NoSuchNames(const std::vector<UnknownName>& names);

// The looser readings of `question`, to be tried in order until one has answers:
// things linked to every entity named by one fact each, then (for one entity and a
// kind asked for) by two. Empty when the question names no entity.
std::vector<Interpretation> LooseReadings(std::string_view question, const Lexicon& lexicon);

}  // namespace parley::query::english
