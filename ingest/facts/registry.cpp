#include "ingest/facts/kinds.hpp"

namespace parley::ingest::facts {

const std::vector<PropertySpec>& CommonProperties() {
  static const std::vector<PropertySpec> common = {
      {"aliases", "alias", ValueType::kString, true, {}},
      {"description", "description", ValueType::kString, false, {}},
  };
  return common;
}

std::vector<PropertySpec> HappeningProperties() {
  return {
      {"participants", "participant", ValueType::kReference, true, {"actors"}},
      {"date", "date", ValueType::kDate, false, {}},
      {"startDate", "startDate", ValueType::kDate, false, {}},
      {"endDate", "endDate", ValueType::kDate, false, {}},
      {"location", "location", ValueType::kReference, false, {"places"}},
      {"precededBy", "precededBy", ValueType::kReference, true, {"meetings", "events"}},
      {"outcome", "outcome", ValueType::kString, true, {}},
      {"about", "about", ValueType::kReference, true, {}},
  };
}

const KindRegistry& KindRegistry::Default() {
  static const KindRegistry registry = [] {
    KindRegistry r;
    r.Register(ActorsKind());
    r.Register(MeetingsKind());
    r.Register(EventsKind());
    r.Register(ProposalsKind());
    r.Register(ClaimsKind());
    r.Register(TopicsKind());
    r.Register(PlacesKind());
    return r;
  }();
  return registry;
}

void KindRegistry::Register(RecordKind kind) { kinds_.push_back(std::move(kind)); }

const RecordKind* KindRegistry::Find(const std::string& name) const {
  for (const auto& kind : kinds_) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

std::string KindRegistry::Names() const {
  std::string out;
  for (const auto& kind : kinds_) out += (out.empty() ? "" : ", ") + kind.name;
  return out;
}

}  // namespace parley::ingest::facts
