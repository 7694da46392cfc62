#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

// Proposals: who proposed what, which topics it addresses, which actors it involves.
RecordKind ProposalsKind() {
  return RecordKind{"proposals", "proposal", {"Proposal"},
                    {
                        {"proposedBy", "proposedBy", ValueType::kReference, true, {"actors"}},
                        {"addresses", "addresses", ValueType::kReference, true, {"topics"}},
                        {"involves", "involves", ValueType::kReference, true, {"actors"}},
                        {"madeAt", "madeAt", ValueType::kReference, false, {"meetings", "events"}},
                        {"date", "date", ValueType::kDate, false, {}},
                    }};
}

}  // namespace parley::ingest::facts
