// rdf/search_key.hpp
// The form names are searched by: lower case, Latin accents taken off ("Kim Yŏng-ch'ŏl"
// and "kim yong-chol" agree), and every run of other characters (spaces, punctuation,
// apostrophes, hyphens) one space. `parley find` and the load's duplicate checks compare
// names this way.
#pragma once

#include <string>
#include <string_view>

namespace parley::rdf {

std::string SearchKey(std::string_view text);

}  // namespace parley::rdf
