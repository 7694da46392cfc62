#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

// Topics that proposals address and claims are about, in a broader/narrower hierarchy.
RecordKind TopicsKind() {
  return RecordKind{"topics", "topic", {"Topic"},
                    {
                        {"broader", "broader", ValueType::kReference, true, {"topics"}},
                    }};
}

}  // namespace parley::ingest::facts
