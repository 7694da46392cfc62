#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

// People, states and organisations: who acts, meets, proposes and claims.
RecordKind ActorsKind() {
  return RecordKind{"actors", "actor", {"Person", "State", "Organization", "Actor"},
                    {
                        {"represents", "represents", ValueType::kReference, true, {"actors"}},
                        {"role", "role", ValueType::kString, true, {}},
                        {"memberOf", "memberOf", ValueType::kReference, true, {"actors"}},
                    }};
}

}  // namespace parley::ingest::facts
