#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

// Claims: an actor's account or judgement, what it is about, and which other claims it
// supports or contradicts. The label is the claim in the curator's words.
RecordKind ClaimsKind() {
  return RecordKind{"claims", "claim", {"Claim"},
                    {
                        {"claimedBy", "claimedBy", ValueType::kReference, true, {"actors"}},
                        {"about", "about", ValueType::kReference, true, {}},
                        {"supports", "supports", ValueType::kReference, true, {"claims"}},
                        {"contradicts", "contradicts", ValueType::kReference, true, {"claims"}},
                        {"madeAt", "madeAt", ValueType::kReference, false, {"meetings", "events"}},
                        {"date", "date", ValueType::kDate, false, {}},
                    }};
}

}  // namespace parley::ingest::facts
