// ingest/facts/entity_search.hpp
// Finding the entities a curator means: `parley find kim` and REPL `:find`. Names
// (labels, aliases and the id read as words) are compared by rdf::SearchKey, so case,
// accents and punctuation do not matter. A name that equals the text ranks first, then
// one that starts with it, one with a word that starts with it, one holding every word
// of it as word prefixes, one containing it, and last one within a small edit distance;
// among equals, the shorter name first.
#pragma once

#include <string>
#include <vector>

#include "ingest/facts/known_entities.hpp"

namespace parley::ingest::facts {

struct EntityMatch {
  const KnownEntity* entity;
  int rank;              // lower is better
  std::string matched;   // the name that matched
};

// The entities matching `text`, best first; `kind` (optional) keeps those of one record
// kind or type: "actors", "actor", "Person", "meetings", "Summit", "sources", ...
std::vector<EntityMatch> SearchEntities(const std::vector<KnownEntity>& entities, const std::string& text,
                                        const std::string& kind = "");

// Whether `kind` names a record kind, a type of one, or "sources"; for usage errors.
bool IsKnownKindName(const std::string& kind);

}  // namespace parley::ingest::facts
