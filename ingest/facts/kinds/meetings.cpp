#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

// Summits, visits, negotiations and talks: who met whom, when and where.
RecordKind MeetingsKind() {
  return RecordKind{"meetings", "meeting", {"Meeting", "Summit", "Visit", "Negotiation", "Talks"}, HappeningProperties()};
}

}  // namespace parley::ingest::facts
