#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

// Things that happened other than meetings: agreements, testimony, attacks, resolutions.
RecordKind EventsKind() {
  return RecordKind{"events", "event", {"Event", "Agreement", "Declaration", "Testimony", "Attack", "Resolution"},
                    {
                        {"participants", "participant", ValueType::kReference, true, {"actors"}},
                        {"date", "date", ValueType::kDate, false, {}},
                        {"startDate", "startDate", ValueType::kDate, false, {}},
                        {"endDate", "endDate", ValueType::kDate, false, {}},
                        {"location", "location", ValueType::kReference, false, {"places"}},
                        {"precededBy", "precededBy", ValueType::kReference, true, {"meetings", "events"}},
                        {"outcome", "outcome", ValueType::kString, true, {}},
                        {"about", "about", ValueType::kReference, true, {}},
                        {"madeAt", "madeAt", ValueType::kReference, false, {"meetings", "events"}},
                    }};
}

}  // namespace parley::ingest::facts
