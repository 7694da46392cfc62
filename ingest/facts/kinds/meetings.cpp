#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

// Summits, visits, negotiations and talks: who met whom, when and where.
RecordKind MeetingsKind() {
  return RecordKind{"meetings", "meeting", {"Meeting", "Summit", "Visit", "Negotiation", "Talks"},
                    {
                        {"participants", "participant", ValueType::kReference, true, {"actors"}},
                        {"date", "date", ValueType::kDate, false, {}},
                        {"startDate", "startDate", ValueType::kDate, false, {}},
                        {"endDate", "endDate", ValueType::kDate, false, {}},
                        {"location", "location", ValueType::kReference, false, {"places"}},
                        {"precededBy", "precededBy", ValueType::kReference, true, {"meetings", "events"}},
                        {"outcome", "outcome", ValueType::kString, true, {}},
                        {"about", "about", ValueType::kReference, true, {}},
                    }};
}

}  // namespace parley::ingest::facts
