// ingest/facts/known_entities.hpp
// What the database already holds about Parley's entities, for curating new sources:
// the record kind of an id (so that references into the database are kind-checked
// like references within a load), all ids (for suggestions), entities by exact name
// and meetings by date (for duplicate warnings), and every entity with its names and
// the sources that mention it (for `parley find`). Reads one snapshot; each lookup is
// an index range, except All() and Ids(), which read every label.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/quad.hpp"

namespace parley::ingest::facts {

struct KnownEntity {
  std::string id;
  std::string type;  // local name of its ontology class ("Summit"); "" when none
  std::string kind;  // its record kind ("meetings"), "" for a source, "*" when no kind has its type
  std::string label;
  std::vector<std::string> aliases;
  std::vector<std::string> sources;  // ids of the sources that mention it
};

class KnownEntities {
 public:
  KnownEntities(const QuadSource& source, const TermDictionary& dictionary) : source_(source), dictionary_(dictionary) {}

  // The record kind of entity `id` as KnownEntity::kind; nullopt when the database
  // has no statement about it.
  Result<std::optional<std::string>> KindOf(const std::string& id) const;
  // The ids of every labelled entity.
  Result<std::vector<std::string>> Ids() const;
  // The entities whose label or an alias is exactly `name`.
  Result<std::vector<std::string>> Named(const std::string& name) const;
  // The ids of the sources that mention entity `id`.
  Result<std::vector<std::string>> SourcesMentioning(const std::string& id) const;
  // The entities of class `type` on `date` (a date literal as fact files write it) at
  // place `location` (an id).
  Result<std::vector<std::string>> Happenings(const std::string& type, const std::string& date,
                                              const std::string& location) const;
  // Every labelled entity, with its type, kind, names and sources.
  Result<std::vector<KnownEntity>> All() const;

 private:
  // The subjects of the quads with predicate `p` and object `o` (union of graphs).
  Result<std::vector<TermId>> Subjects(const std::string& p, const Term& o) const;
  Result<std::optional<TermId>> Id(const Term& term) const;
  Result<std::string> TypeOf(TermId entity) const;

  const QuadSource& source_;
  const TermDictionary& dictionary_;
};

// The record kind whose types include `type` ("Summit" -> "meetings"), "" for
// "Source", "*" when there is none.
std::string KindOfType(const std::string& type);

}  // namespace parley::ingest::facts
