// ingest/facts/kinds.hpp
// Record kinds of curated fact files (actors, meetings, ...) and the registry that
// finds them. Each kind is one module in kinds/: its name, the types its records may
// have, and the properties they may carry. Adding a kind is adding one module and
// registering it in registry.cpp.
#pragma once

#include <string>
#include <vector>

namespace parley::ingest::facts {

enum class ValueType : std::uint8_t {
  kReference,  // the id of another record or source: an entity IRI
  kString,     // a plain string literal
  kDate,       // YYYY, YYYY-MM or YYYY-MM-DD: xsd:gYear, xsd:gYearMonth or xsd:date
  kIri,        // an absolute IRI, such as a URL
};

struct PropertySpec {
  std::string key;        // the member name in the record
  std::string predicate;  // local name in the ontology
  ValueType type = ValueType::kString;
  bool many = false;      // takes an array
  // For references: the record kinds a reference may point to when the target is
  // in the same load ("" in the list means a source). Empty: any.
  std::vector<std::string> targets;
};

struct RecordKind {
  std::string name;                // the array's name in the file: "actors"
  std::string singular;            // for messages: "actor"
  std::vector<std::string> types;  // allowed values of "type"; the first is the default
  std::vector<PropertySpec> properties;
};

// Properties every record may carry (aliases, description).
const std::vector<PropertySpec>& CommonProperties();
// What meetings and events share: participants, dates, place, predecessors, outcomes.
std::vector<PropertySpec> HappeningProperties();

class KindRegistry {
 public:
  // The kinds shipped with Parley.
  static const KindRegistry& Default();
  void Register(RecordKind kind);
  const RecordKind* Find(const std::string& name) const;
  const std::vector<RecordKind>& kinds() const { return kinds_; }
  // "actors, meetings, ..." for messages.
  std::string Names() const;

 private:
  std::vector<RecordKind> kinds_;
};

// The modules (kinds/*.cpp).
RecordKind ActorsKind();
RecordKind MeetingsKind();
RecordKind EventsKind();
RecordKind ProposalsKind();
RecordKind ClaimsKind();
RecordKind TopicsKind();
RecordKind PlacesKind();

}  // namespace parley::ingest::facts
