#include "cli/ask_command.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "query/english/ask.hpp"
#include "store/quad_store.hpp"

namespace parley::cli {
namespace {

std::string Csv(const std::string& s, char sep) {
  if (sep == '\t') return s;
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string RenderAnswers(const query::english::AskResult& r, const std::string& format) {
  if (format == "json") {
    nlohmann::json j;
    j["sparql"] = r.sparql;
    if (r.is_boolean) {
      j["answer"] = r.boolean;
    } else {
      j["answers"] = nlohmann::json::array();
      for (const auto& a : r.answers) {
        nlohmann::json row;
        row["value"] = a.values[0];
        nlohmann::json evidence = nlohmann::json::array();
        for (const auto& e : a.evidence) {
          evidence.push_back({{"source", e.source_id}, {"title", e.source_title}, {"locator", e.locator}, {"quote", e.quote}});
        }
        if (!a.evidence.empty()) row["evidence"] = evidence;
        j["answers"].push_back(row);
      }
    }
    if (!r.message.empty()) j["message"] = r.message;
    if (!r.reading.empty()) j["reading"] = r.reading;
    return j.dump(2) + "\n";
  }
  std::string out;
  if (r.is_boolean) {
    out = !r.message.empty() ? r.message + "\n" : r.boolean ? "Yes.\n" : "No.\n";
    for (const auto& a : r.answers) {
      for (const auto& e : a.evidence) out += EvidenceLine(e.source_id, e.locator, e.quote, e.source_title);
    }
    return out;
  }
  if (!r.message.empty()) return r.message + "\n";
  if (format == "csv" || format == "tsv") {
    const char sep = format == "csv" ? ',' : '\t';
    out = r.columns[0] + (format == "csv" ? "\r\n" : "\n");
    for (const auto& a : r.answers) out += Csv(a.values[0], sep) + (format == "csv" ? "\r\n" : "\n");
    return out;
  }
  for (const auto& a : r.answers) {
    out += a.values[0] + "\n";
    for (const auto& e : a.evidence) {
      out += EvidenceLine(e.source_id, e.locator, e.quote, e.source_title);
    }
  }
  return out;
}

int RunAskCommand(const std::filesystem::path& db, const AskArgs& args, query::english::AskResult* answered) {
  if (args.format != "table" && args.format != "json" && args.format != "csv" && args.format != "tsv") {
    std::fprintf(stderr, "parley ask: --format takes table, json, csv or tsv\n");
    return kExitUsage;
  }
  std::unique_ptr<store::QuadStore> store;
  Status s = store::QuadStore::Open(db, store::StoreOptions{store::OpenMode::kReadOnly}, &store);
  if (!s.ok()) return Fail(s);
  auto snapshot = store->GetSnapshot();
  std::shared_ptr<const query::english::Lexicon> lexicon = args.lexicon;
  if (!lexicon) {
    auto loaded = query::english::Lexicon::Load(*snapshot, *snapshot);
    if (!loaded.ok()) return Fail(loaded.status());
    lexicon = std::make_shared<const query::english::Lexicon>(std::move(*loaded));
  }
  // The REPL keeps the evidence for a later :why even when it is not shown now.
  const bool collect_evidence = args.why || answered != nullptr;
  auto result = query::english::AskQuestion(args.question, *lexicon, *snapshot, *snapshot, collect_evidence, args.cancel);
  if (!result.ok()) return Fail(result.status());
  if (answered != nullptr) *answered = *result;
  if (!args.why) {
    for (auto& answer : result->answers) answer.evidence.clear();
  }
  if (!result->understood) {
    std::fprintf(stderr, "%s\n", result->message.c_str());
    return kExitFailure;
  }
  if (args.sparql && args.format != "json") std::printf("%s\n\n", result->sparql.c_str());
  // How a question outside the grammar was read, where a script reading stdout won't trip on it.
  if (!result->reading.empty() && args.format != "json") std::fprintf(stderr, "%s\n", result->reading.c_str());
  const std::string out = RenderAnswers(*result, args.format);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace parley::cli
