// query/english/as_of_phrase.hpp
// Phrases that ask what the graph said at a past moment of its own history
// (transaction time), as opposed to when events happened: "as of 1 March 2019, who
// met Kim?", "who proposed a treaty, as it stood in February 2019?", "what did the
// graph say on 2019-03-01 about who met Kim?", "as of generation 3, ...". A bare date
// ("meetings in 2018", "on 12 June 2018") is an event date and is left alone.
// The question is answered without the phrase on the past state (store/as_of.hpp).
#pragma once

#include <optional>
#include <string>

#include "store/as_of.hpp"

namespace parley::query::english {

struct AsOfPhrase {
  std::string question;  // the question without the phrase
  store::AsOf as_of;     // the state it names: a generation, or the end of a date's period
  std::string phrase;    // the phrase as written
};

// The question's as-of phrase, or nullopt when it has none.
std::optional<AsOfPhrase> FindAsOfPhrase(const std::string& question);

}  // namespace parley::query::english
