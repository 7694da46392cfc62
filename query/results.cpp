#include "query/results.hpp"

#include <nlohmann/json.hpp>

namespace parley::query {
namespace {

nlohmann::json TermJson(const Term& t) {
  nlohmann::json j;
  switch (t.kind) {
    case TermKind::kIri:
      j["type"] = "uri";
      j["value"] = t.value;
      break;
    case TermKind::kBlankNode:
      j["type"] = "bnode";
      j["value"] = t.value;
      break;
    case TermKind::kLiteral:
      j["type"] = "literal";
      j["value"] = t.value;
      if (!t.language.empty()) {
        j["xml:lang"] = t.language;
      } else if (!t.datatype.empty() && t.datatype != kXsdString) {
        j["datatype"] = t.datatype;
      }
      break;
  }
  return j;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string ResultsJson(const QueryResult& result) {
  nlohmann::json j;
  if (result.form == QueryForm::kAsk) {
    j["head"] = nlohmann::json::object();
    j["boolean"] = result.boolean;
    return j.dump(2) + "\n";
  }
  j["head"]["vars"] = result.vars;
  nlohmann::json bindings = nlohmann::json::array();
  for (const auto& row : result.rows) {
    nlohmann::json b = nlohmann::json::object();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (row[i]) b[result.vars[i]] = TermJson(*row[i]);
    }
    bindings.push_back(std::move(b));
  }
  j["results"]["bindings"] = std::move(bindings);
  return j.dump(2) + "\n";
}

std::string ResultsCsv(const QueryResult& result) {
  if (result.form == QueryForm::kAsk) return std::string("_askResult\r\n") + (result.boolean ? "true" : "false") + "\r\n";
  std::string out;
  for (std::size_t i = 0; i < result.vars.size(); ++i) out += (i ? "," : "") + CsvField(result.vars[i]);
  out += "\r\n";
  for (const auto& row : result.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ",";
      if (!row[i]) continue;
      out += CsvField(row[i]->kind == TermKind::kBlankNode ? "_:" + row[i]->value : row[i]->value);
    }
    out += "\r\n";
  }
  return out;
}

std::string ResultsTsv(const QueryResult& result) {
  if (result.form == QueryForm::kAsk) return std::string("?_askResult\n") + (result.boolean ? "true" : "false") + "\n";
  std::string out;
  for (std::size_t i = 0; i < result.vars.size(); ++i) out += (i ? "\t?" : "?") + result.vars[i];
  out += "\n";
  for (const auto& row : result.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += "\t";
      if (row[i]) out += ToNTriples(*row[i]);
    }
    out += "\n";
  }
  return out;
}

std::string TriplesNTriples(const QueryResult& result) {
  std::string out;
  for (const auto& t : result.triples) {
    out += ToNTriples(t.subject) + " " + ToNTriples(t.predicate) + " " + ToNTriples(t.object) + " .\n";
  }
  return out;
}

}  // namespace parley::query
