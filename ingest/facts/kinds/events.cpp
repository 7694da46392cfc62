#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

// Things that happened other than meetings: agreements, testimony, attacks, resolutions.
RecordKind EventsKind() {
  RecordKind kind{"events", "event", {"Event", "Agreement", "Declaration", "Testimony", "Attack", "Resolution"},
                  HappeningProperties()};
  kind.properties.push_back({"madeAt", "madeAt", ValueType::kReference, false, {"meetings", "events"}});
  return kind;
}

}  // namespace parley::ingest::facts
