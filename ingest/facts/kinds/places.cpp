#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

// Places where meetings and events happen.
RecordKind PlacesKind() {
  return RecordKind{"places", "place", {"Place", "City", "Country"},
                    {
                        {"locatedIn", "locatedIn", ValueType::kReference, false, {"places", "actors"}},
                    }};
}

}  // namespace parley::ingest::facts
