// rdf/edit_distance.hpp
// Edit distance as typing errors make it, for "did you mean" suggestions: fact-file keys and kinds, and
// the English front-end's names and words.
#pragma once

#include <cstddef>
#include <string_view>

namespace parley::rdf {

// The fewest single-byte insertions, deletions, substitutions and swaps of two
// neighbouring bytes that turn `a` into `b` ("whne" is one from "when").
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace parley::rdf
