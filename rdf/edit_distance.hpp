// rdf/edit_distance.hpp
// Levenshtein distance, for "did you mean" suggestions: fact-file keys and kinds, and
// the English front-end's names and words.
#pragma once

#include <cstddef>
#include <string_view>

namespace parley::rdf {

// The fewest single-byte insertions, deletions and substitutions that turn `a` into `b`.
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace parley::rdf
