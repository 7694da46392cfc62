// query/english/ambiguity.hpp
// The message for a name that could mean several entities. Each candidate is told
// apart by its kind, its id and the sources that mention it, so that two entities of
// one kind and label ("North Korea (state)" twice) can still be told apart.
#pragma once

#include <string>
#include <vector>

#include "query/english/lexicon.hpp"
#include "store/quad.hpp"

namespace parley::query::english {

// "\"Kim\" could mean Kim Jong Un (person, id kim-jong-un, in mele-2019-hanoi-summit) or
// Kim Hyok Chol (...). Which one?"
std::string AmbiguityMessage(const std::string& text, const std::vector<std::string>& candidates, const Lexicon& lexicon,
                             const QuadSource& source, const TermDictionary& dictionary);

// True when `message` asks which of several entities a name means: the user's choice,
// which no looser reading may take for them.
bool AsksWhichOne(const std::string& message);

}  // namespace parley::query::english
