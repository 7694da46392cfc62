#include "cli/ask_command.hpp"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/lexicon_cache.hpp"
#include "cli/store_access.hpp"
#include "endpoint/remote_source.hpp"
#include "query/english/answer_json.hpp"
#include "query/english/as_of_phrase.hpp"
#include "query/english/ask.hpp"
#include "query/english/source_qualifier.hpp"
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

namespace {

// CSV or TSV: the answer and its IRI; with evidence, one row per source cited.
std::string RenderDelimited(const query::english::AskResult& r, char sep) {
  const std::string eol = sep == ',' ? "\r\n" : "\n";
  const std::string s(1, sep);
  const bool with_evidence = std::any_of(r.answers.begin(), r.answers.end(), [](const auto& a) { return !a.evidence.empty(); });
  std::string out = (r.columns.empty() ? std::string("answer") : r.columns[0]) + s + "iri" +
                    (with_evidence ? s + "source" + s + "locator" + s + "quote" + s + "grade" : "") + eol;
  for (const auto& a : r.answers) {
    const std::string row = Csv(a.values[0], sep) + s + Csv(a.iri, sep);
    if (!with_evidence) {
      out += row + eol;
      continue;
    }
    if (a.evidence.empty()) out += row + s + s + s + eol;
    for (const auto& e : a.evidence) {
      out += row + s + Csv(e.source_id, sep) + s + Csv(e.locator, sep) + s + Csv(e.quote, sep) + s +
             Csv(rdf::GradeText(e), sep) + eol;
    }
  }
  return out;
}

}  // namespace

std::string RenderAnswers(const query::english::AskResult& r, const std::string& format, bool full) {
  if (format == "json") return query::english::AnswerJson(r, full);
  std::string out;
  if (r.is_boolean) {
    out = !r.message.empty() ? r.message + "\n" : r.boolean ? "Yes.\n" : "No.\n";
    for (const auto& a : r.answers) {
      for (const auto& e : a.evidence) out += EvidenceLine(e, full);
    }
    return out;
  }
  // A message with answers says what they answer ("The graph has no one named ...").
  if (!r.message.empty()) {
    if (r.answers.empty()) return r.message + "\n";
    out = r.message + "\n";
  }
  if (format == "csv" || format == "tsv") return RenderDelimited(r, format == "csv" ? ',' : '\t');
  for (const auto& a : r.answers) {
    out += a.values[0] + "\n";
    for (const auto& e : a.evidence) {
      out += EvidenceLine(e, full);
    }
  }
  return out;
}

namespace {

bool FormatIsKnown(const AskArgs& args) {
  if (args.format == "table" || args.format == "json" || args.format == "csv" || args.format == "tsv") return true;
  std::fprintf(stderr, "parley ask: --format takes table, json, csv or tsv\n");
  return false;
}

// Asks on `source` and prints the answer as `args` says.
int AskAndPrint(const query::english::Lexicon& lexicon, const QuadSource& source, const TermDictionary& dictionary,
                const AskArgs& args, query::english::AskResult* answered) {
  // The REPL keeps the evidence for a later :why even when it is not shown now.
  const bool collect_evidence = args.why || answered != nullptr;
  auto result = query::english::AskQuestion(args.question, lexicon, source, dictionary, collect_evidence, args.cancel,
                                            args.minimum);
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
  if (!result->spelling.empty() && args.format != "json") std::fprintf(stderr, "%s\n", result->spelling.c_str());
  if (!result->reading.empty() && args.format != "json") std::fprintf(stderr, "%s\n", result->reading.c_str());
  if (result->minimum.any() && args.format != "json") {
    std::fprintf(stderr, "(only %s)\n", query::english::DescribeGrades(result->minimum).c_str());
  }
  const std::string out = RenderAnswers(*result, args.format, args.full);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

int RunAskCommand(const store::QuadStore& store, const AskArgs& args, query::english::AskResult* answered) {
  if (!FormatIsKnown(args)) return kExitUsage;
  AskArgs asked = args;
  if (auto phrase = query::english::FindAsOfPhrase(args.question)) {
    asked.question = phrase->question;
    asked.as_of = phrase->as_of;
  }
  auto state = SnapshotAt(store, asked.as_of);
  if (!state.ok()) return Fail(state.status());
  const auto& snapshot = *state;
  // A past state has the words of its own names: the REPL's lexicon is the latest one's.
  std::shared_ptr<const query::english::Lexicon> lexicon = snapshot->past() ? nullptr : args.lexicon;
  if (!lexicon) {
    auto loaded = LoadLexicon(store.path(), *snapshot);
    if (!loaded.ok()) return Fail(loaded.status());
    lexicon = *loaded;
  }
  if (snapshot->past() && args.format != "json") std::fprintf(stderr, "(%s)\n", DescribeState(store, snapshot->generation()).c_str());
  return AskAndPrint(*lexicon, *snapshot, *snapshot, asked, answered);
}

int RunRemoteAskCommand(const std::string& endpoint, const AskArgs& args, query::english::AskResult* answered,
                        std::shared_ptr<const query::english::Lexicon>* lexicon) {
  if (!FormatIsKnown(args)) return kExitUsage;
  auto client = endpoint::SparqlClient::ForUrl(endpoint);
  if (!client.ok()) {
    std::fprintf(stderr, "parley ask: %s\n", client.status().message().c_str());
    return kExitUsage;
  }
  // A source of its own per question: what it caches is this state of the endpoint.
  const endpoint::RemoteQuadSource remote(std::move(*client));
  std::shared_ptr<const query::english::Lexicon> words = lexicon != nullptr ? *lexicon : nullptr;
  if (!words) {
    auto loaded = query::english::Lexicon::Load(remote, remote);
    if (!loaded.ok()) return Fail(loaded.status());
    words = std::make_shared<const query::english::Lexicon>(std::move(*loaded));
    if (lexicon != nullptr) *lexicon = words;
  }
  return AskAndPrint(*words, remote, remote, args, answered);
}

}  // namespace parley::cli
