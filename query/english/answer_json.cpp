#include "query/english/answer_json.hpp"

#include <nlohmann/json.hpp>

namespace parley::query::english {
namespace {

nlohmann::json EvidenceJson(const std::vector<Evidence>& evidence, bool full) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : evidence) {
    nlohmann::json j = {{"source", e.source_id}, {"title", e.source_title}, {"locator", e.locator}, {"quote", e.quote}};
    if (!e.reliability.empty()) j["reliability"] = e.reliability;
    if (!e.credibility.empty()) j["credibility"] = std::stoi(e.credibility);
    if (full && !e.passage.empty()) j["passage"] = e.passage;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

std::string AnswerJson(const AskResult& r, bool full) {
  nlohmann::json j;
  j["understood"] = r.understood;
  j["sparql"] = r.sparql;
  if (r.is_boolean) {
    j["answer"] = r.boolean;
    if (!r.answers.empty() && !r.answers[0].evidence.empty()) j["evidence"] = EvidenceJson(r.answers[0].evidence, full);
  } else {
    j["answers"] = nlohmann::json::array();
    for (const auto& a : r.answers) {
      nlohmann::json row;
      row["value"] = a.values[0];
      if (!a.iri.empty()) row["iri"] = a.iri;
      if (!a.evidence.empty()) row["evidence"] = EvidenceJson(a.evidence, full);
      j["answers"].push_back(row);
    }
  }
  if (!r.message.empty()) j["message"] = r.message;
  if (!r.reading.empty()) j["reading"] = r.reading;
  if (!r.spelling.empty()) j["spelling"] = r.spelling;
  if (r.minimum.reliability != 0) j["min_reliability"] = std::string(1, r.minimum.reliability);
  if (r.minimum.credibility != 0) j["min_credibility"] = r.minimum.credibility;
  return j.dump(2) + "\n";
}

}  // namespace parley::query::english
