// query/english/spelling.hpp
// Misspelt common words put right ("whne was the singapore sumit" reads as "when was
// the singapore summit"). A word is misspelt when neither the lexicon (the ontology's
// words, the entities' names) nor WordNet knows it; its candidates are the known words
// within a small edit distance, the question's own words (grammar, ontology, names)
// before WordNet's, then the more common first. A correction is made only when the
// corrected question reads, so a rare word or an unknown name is never bent into a
// question nobody asked. Names are matched fuzzily elsewhere (mentions.cpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/english/lexicon.hpp"

namespace parley::query::english {

struct SpellingFix {
  std::string typed, word;
};

struct Respelled {
  std::string question;  // the question with every fix made
  std::vector<SpellingFix> fixes;
};

// The question with its misspelt words corrected, when some correction makes
// `reads(corrected)` true; nullopt when no word is misspelt or no correction reads.
std::optional<Respelled> Respell(std::string_view question, const Lexicon& lexicon,
                                 const std::function<bool(const std::string&)>& reads);

// What was corrected, for the user: Reading "sumit" as "summit".
std::string DescribeFixes(const std::vector<SpellingFix>& fixes);

}  // namespace parley::query::english
