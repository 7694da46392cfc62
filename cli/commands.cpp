#include "cli/commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/progress.hpp"
#include "cli/store_access.hpp"
#include "ingest/jsonld_writer.hpp"
#include "ingest/ntriples_writer.hpp"
#include "ingest/rdf_loader.hpp"
#include "ingest/facts/fact_loader.hpp"
#include "ingest/facts/source_text.hpp"
#include "ingest/turtle_writer.hpp"
#include "rdf/vocabulary.hpp"
#include "store/quad_store.hpp"

namespace parley::cli {
int Fail(const Status& s) {
  if (s.code() == Status::Code::kParseError) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
  } else {
    std::fprintf(stderr, "parley: error: %s\n", s.ToString().c_str());
  }
  return kExitFailure;
}

namespace {

std::string TermText(const store::QuadStore& store, TermId id) {
  auto term = store.LookupTerm(id);
  return term.ok() ? ToNTriples(*term) : "#" + std::to_string(id);
}

}  // namespace

int RunLoad(const std::filesystem::path& db, const LoadArgs& args) {
  ingest::RdfLoadOptions options;
  if (args.format == "nt" || args.format == "ntriples") {
    options.format = ingest::RdfFormat::kNTriples;
  } else if (args.format == "nq" || args.format == "nquads") {
    options.format = ingest::RdfFormat::kNQuads;
  } else if (args.format == "ttl" || args.format == "turtle") {
    options.format = ingest::RdfFormat::kTurtle;
  } else if (args.format == "trig") {
    options.format = ingest::RdfFormat::kTriG;
  } else if (args.format == "rdfxml" || args.format == "xml" || args.format == "rdf") {
    options.format = ingest::RdfFormat::kRdfXml;
  } else if (args.format == "jsonld") {
    options.format = ingest::RdfFormat::kJsonLd;
  } else if (args.format == "json") {
    options.format = ingest::RdfFormat::kFactsJson;
  } else if (!args.format.empty()) {
    std::fprintf(stderr, "parley load: unknown format \"%s\" (expected nt, nq, ttl, trig, rdfxml, jsonld or json)\n", args.format.c_str());
    return kExitUsage;
  }
  options.graph = args.graph;
  options.base = args.base;
  options.strict = args.strict;
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenForWriting(db, &store); !s.ok()) return Fail(s);

  ProgressLine progress;
  options.progress = [&](std::uint64_t n) { progress.Update(n); };
  options.before_commit = [&] { progress.Phase("sorting and writing indexes"); };
  auto report = ingest::LoadRdfFiles(*store, args.files, options);
  progress.Done();
  if (!report.ok()) {
    Fail(report.status());
    std::fprintf(stderr, "parley: nothing was loaded\n");
    return kExitFailure;
  }
  for (const auto& warning : report->warnings) std::fprintf(stderr, "%s\n", warning.Render().c_str());
  for (const auto& note : report->notes) std::printf("%s\n", note.c_str());
  const store::LoadSummary* summary = &report->store;
  const double seconds = progress.ElapsedSeconds();
  std::printf("loaded %s quads (%s new, %s removed, %s new terms) from %zu file%s in %.2f s (%.0fk quads/s)\n",
              WithThousands(summary->quads_added).c_str(), WithThousands(summary->quads_new).c_str(),
              WithThousands(summary->quads_removed).c_str(),
              WithThousands(summary->terms_new).c_str(), args.files.size(), args.files.size() == 1 ? "" : "s",
              seconds, summary->quads_added / std::max(seconds, 1e-9) / 1000.0);
  return kExitOk;
}

int RunDump(const std::filesystem::path& db, const std::string& format, const std::optional<store::AsOf>& as_of) {
  ingest::DumpFormat dump_format = ingest::DumpFormat::kNQuads;
  const bool turtle = format == "turtle" || format == "ttl";
  const bool trig = format == "trig";
  const bool jsonld = format == "jsonld";
  if (turtle || trig || jsonld) {
    // Handled below.
  } else if (format == "nquads" || format == "nq") {
    dump_format = ingest::DumpFormat::kNQuads;
  } else if (format == "ntriples" || format == "nt") {
    dump_format = ingest::DumpFormat::kNTriples;
  } else {
    std::fprintf(stderr, "parley dump: unknown format \"%s\" (expected nquads, ntriples, turtle, trig or jsonld)\n", format.c_str());
    return kExitUsage;
  }
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenForReading(db, &store); !s.ok()) return Fail(s);
  auto state = SnapshotAt(*store, as_of);
  if (!state.ok()) return Fail(state.status());
  const auto& snapshot = *state;
  ingest::PrefixMap prefixes = ingest::StandardPrefixes();
  prefixes.emplace_back("", std::string(rdf::kOntologyNs));
  prefixes.emplace_back("id", std::string(rdf::kEntityNs));
  Status s = turtle ? ingest::WriteTurtle(*snapshot, *snapshot, prefixes, stdout)
             : trig ? ingest::WriteTriG(*snapshot, *snapshot, prefixes, stdout)
             : jsonld ? ingest::WriteJsonLd(*snapshot, *snapshot, prefixes, stdout)
                    : ingest::Dump(*snapshot, *snapshot, dump_format, stdout);
  if (!s.ok()) return Fail(s);
  return kExitOk;
}

int RunLog(const store::QuadStore& store) {
  auto log = store.Log();
  if (!log.ok()) return Fail(log.status());
  std::printf("%10s  %-20s  %12s  %12s  %s\n", "generation", "time (UTC)", "added", "removed", "command");
  for (const auto& commit : *log) {
    std::printf("%10llu  %-20s  %12s  %12s  %s\n", static_cast<unsigned long long>(commit.generation),
                store::FormatMoment(commit.unix_ms).c_str(), WithThousands(commit.added).c_str(),
                WithThousands(commit.removed).c_str(), commit.command.c_str());
  }
  auto from = store.HistoryFrom();
  if (!from.ok()) return Fail(from.status());
  if (*from > 0) {
    std::fprintf(stderr, "(history before generation %llu is not kept: --as-of reads generation %llu and later)\n",
                 static_cast<unsigned long long>(*from), static_cast<unsigned long long>(*from));
  }
  return kExitOk;
}

int RunCompact(const std::filesystem::path& db, const std::string& before) {
  auto moment = store::ParseMoment(before, store::MomentEdge::kStart);
  if (!moment.ok()) {
    std::fprintf(stderr, "parley compact: --before: %s\n", moment.status().message().c_str());
    return kExitUsage;
  }
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenForWriting(db, &store); !s.ok()) return Fail(s);
  auto from = store->CompactHistory(*moment);
  if (!from.ok()) return Fail(from.status());
  std::printf("history kept from generation %llu: --as-of reads that state and later ones\n",
              static_cast<unsigned long long>(*from));
  return kExitOk;
}

int RunStats(const store::QuadStore& store) {
  auto summary = store.Summary();
  if (!summary.ok()) return Fail(summary.status());
  auto stats = store.AllStats();
  if (!stats.ok()) return Fail(stats.status());
  std::printf("database    %s\n", store.path().c_str());
  std::printf("quads       %s\n", WithThousands(summary->quads).c_str());
  std::printf("terms       %s\n", WithThousands(summary->terms).c_str());
  std::printf("graphs      %s\n", WithThousands(summary->graphs).c_str());
  std::printf("predicates  %s\n", WithThousands(summary->predicates).c_str());
  if (stats->empty()) return kExitOk;

  // Most used predicates first: the planner's view of the data.
  std::sort(stats->begin(), stats->end(),
            [](const auto& a, const auto& b) { return a.second.quads > b.second.quads; });
  // Triples: distinct over the graphs, as a query's default graph (their union) sees
  // them; "?" in a database written before they were counted.
  std::printf("\n%14s %14s %14s %14s  %s\n", "quads", "triples", "subjects", "objects", "predicate");
  for (const auto& [predicate, s] : *stats) {
    const std::string triples = s.TriplesKnown() ? WithThousands(s.triples) : "?";
    std::printf("%14s %14s %14s %14s  %s\n", WithThousands(s.quads).c_str(), triples.c_str(),
                WithThousands(s.distinct_subjects).c_str(), WithThousands(s.distinct_objects).c_str(),
                TermText(store, predicate).c_str());
  }
  return kExitOk;
}

int RunCheck(const std::filesystem::path& db) {
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenForReading(db, &store); !s.ok()) return Fail(s);
  auto report = store->Check();
  if (!report.ok()) return Fail(report.status());
  if (!report->ok()) {
    for (const auto& problem : report->problems) std::fprintf(stderr, "parley check: %s\n", problem.c_str());
    std::fprintf(stderr, "parley check: %s is inconsistent\n", db.c_str());
    return kExitFailure;
  }
  std::printf("ok: %s quads and %s terms; the four indexes, the dictionary and the statistics agree\n",
              WithThousands(report->quads).c_str(), WithThousands(report->terms).c_str());
  return kExitOk;
}

}  // namespace parley::cli

namespace parley::cli {

std::filesystem::path DataDirectory() {
  if (const char* dir = std::getenv("PARLEY_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(PARLEY_INSTALLED_DATA_DIR) / "ontology.ttl", ec)) {
    return PARLEY_INSTALLED_DATA_DIR;
  }
  return PARLEY_SOURCE_DATA_DIR;
}

namespace {

// data/ontology.ttl, then every fact file in data/facts, in name order.
Result<std::vector<std::string>> DatasetFiles(const std::filesystem::path& data) {
  const auto ontology = data / "ontology.ttl";
  std::error_code ec;
  if (!std::filesystem::exists(ontology, ec)) {
    return Status::NotFound("the curated dataset is missing: no " + ontology.string() + " (set PARLEY_DATA_DIR)");
  }
  std::vector<std::string> facts;
  for (const auto& entry : std::filesystem::directory_iterator(data / "facts", ec)) {
    if (entry.path().extension() == ".json") facts.push_back(entry.path().string());
  }
  std::sort(facts.begin(), facts.end());
  facts.insert(facts.begin(), ontology.string());
  return facts;
}

int LoadDataset(store::QuadStore& store) {
  auto files = DatasetFiles(DataDirectory());
  if (!files.ok()) return Fail(files.status());
  ingest::RdfLoadOptions options;
  options.graph = std::string(rdf::kOntologyGraph);  // the ontology's triples; fact files name their own graphs
  options.replace_graph = true;
  auto report = ingest::LoadRdfFiles(store, *files, options);
  if (!report.ok()) return Fail(report.status());
  for (const auto& warning : report->warnings) std::fprintf(stderr, "%s\n", warning.Render().c_str());
  for (const auto& note : report->notes) std::printf("%s\n", note.c_str());
  return kExitOk;
}

}  // namespace

int RunInit(const std::filesystem::path& db, bool empty) {
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenForWriting(db, &store); !s.ok()) return Fail(s);
  if (!empty) {
    if (int code = LoadDataset(*store); code != kExitOk) return code;
  }
  auto summary = store->Summary();
  if (!summary.ok()) return Fail(summary.status());
  std::printf("database %s: %s quads\n", db.c_str(), WithThousands(summary->quads).c_str());
  return kExitOk;
}

int SeedIfMissing(const std::filesystem::path& db) {
  std::error_code ec;
  if (std::filesystem::exists(db / "CURRENT", ec)) return kExitOk;
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenForWriting(db, &store); !s.ok()) return Fail(s);
  std::fprintf(stderr, "parley: creating %s with the curated dataset\n", db.c_str());
  if (int code = LoadDataset(*store); code != kExitOk) {
    store.reset();
    std::filesystem::remove_all(db, ec);  // try again from scratch next time
    return code;
  }
  return kExitOk;
}

int RunSources(const store::QuadStore& store, const std::optional<store::AsOf>& as_of) {
  auto state = SnapshotAt(store, as_of);
  if (!state.ok()) return Fail(state.status());
  const auto& snapshot = *state;
  auto sources = ingest::facts::ListSources(*snapshot, *snapshot);
  if (!sources.ok()) return Fail(sources.status());
  if (::isatty(STDOUT_FILENO) != 1) {
    std::printf("id\ttitle\tfacts\tquotes\treliability\n");
    for (const auto& s : *sources) {
      std::printf("%s\t%s\t%llu\t%s\t%s\n", s.id.c_str(), s.title.c_str(), static_cast<unsigned long long>(s.facts),
                  s.verified ? "verified" : "unverified", s.reliability.c_str());
    }
    return kExitOk;
  }
  std::size_t id_width = 2, title_width = 5;
  for (const auto& s : *sources) {
    id_width = std::max(id_width, s.id.size());
    title_width = std::max(title_width, std::min<std::size_t>(s.title.size(), 70));
  }
  std::printf("%-*s  %-*s  %6s  %-10s  %s\n", static_cast<int>(id_width), "id", static_cast<int>(title_width), "title",
              "facts", "quotes", "reliability");
  for (const auto& s : *sources) {
    std::string title = s.title.size() > 70 ? s.title.substr(0, 69) + "…" : s.title;
    std::printf("%-*s  %-*s  %6s  %-10s  %s\n", static_cast<int>(id_width), s.id.c_str(), static_cast<int>(title_width),
                title.c_str(), WithThousands(s.facts).c_str(), s.verified ? "verified" : "unverified",
                s.reliability.empty() ? "-" : s.reliability.c_str());
  }
  if (sources->empty()) std::printf("(no sources: load a fact file with parley load FILE.json)\n");
  return kExitOk;
}

int RunRetract(const std::filesystem::path& db, const std::string& source_id) {
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenForWriting(db, &store); !s.ok()) return Fail(s);
  auto removed = ingest::facts::RetractSource(*store, source_id);
  if (!removed.ok()) return Fail(removed.status());
  std::printf("retracted source %s: %s quads removed\n", source_id.c_str(), WithThousands(*removed).c_str());
  return kExitOk;
}

void AddGradeOptions(CLI::App* app, rdf::MinimumGrades* minimum) {
  app->add_option_function<std::string>(
         "--min-reliability", [minimum](const std::string& text) { minimum->reliability = *rdf::ParseReliability(text); },
         "Only facts from sources graded GRADE or better: A completely reliable, B usually reliable, C fairly "
         "reliable, D not usually reliable, E unreliable, F cannot be judged; ungraded sources do not count")
      ->type_name("GRADE")
      ->check(CLI::Validator(
          [](std::string& text) { return rdf::ParseReliability(text) ? "" : std::string("a grade from A to F"); }, "A..F"));
  app->add_option_function<std::string>(
         "--min-credibility", [minimum](const std::string& text) { minimum->credibility = *rdf::ParseCredibility(text); },
         "Only facts cited with credibility GRADE or better: 1 confirmed, 2 probably true, 3 possibly true, 4 doubtful, "
         "5 improbable, 6 cannot be judged; ungraded citations do not count")
      ->type_name("GRADE")
      ->check(CLI::Validator(
          [](std::string& text) { return rdf::ParseCredibility(text) ? "" : std::string("a grade from 1 to 6"); }, "1..6"));
}

void AddTimeoutOption(CLI::App* app, double* seconds, const std::string& what) {
  const CLI::Validator positive(
      [](std::string& text) -> std::string {
        const std::string wanted = "a number of seconds, greater than 0";
        double value = 0;
        std::size_t used = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          return wanted;
        }
        return used == text.size() && std::isfinite(value) && value > 0 ? "" : wanted;
      },
      "SECONDS > 0");
  app->add_option("--timeout", *seconds, what)->type_name("SECONDS")->check(positive);
}

std::optional<std::size_t> ParseByteSize(const std::string& text) {
  double value = 0;
  std::size_t used = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  for (const char* tail : {"iB", "B"}) {
    if (unit.size() > std::strlen(tail) && unit.ends_with(tail)) unit.resize(unit.size() - std::strlen(tail));
  }
  static const std::map<std::string, double> kUnits = {{"", 1.0},           {"k", 0x1p10}, {"K", 0x1p10}, {"m", 0x1p20},
                                                        {"M", 0x1p20},       {"g", 0x1p30}, {"G", 0x1p30}, {"t", 0x1p40},
                                                        {"T", 0x1p40},       {"B", 1.0}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end() || !std::isfinite(value) || value < 0) return std::nullopt;
  const double bytes = value * it->second;
  if (bytes >= 0x1p63) return std::nullopt;
  return static_cast<std::size_t>(bytes);
}

void AddMemoryLimitOption(CLI::App* app, std::size_t* bytes) {
  constexpr std::size_t kSmallest = 16 << 20;
  app->add_option_function<std::string>(
         "--memory-limit",
         [bytes](const std::string& text) { *bytes = *ParseByteSize(text); },
         "Stop a query with \"memory limit reached\" when it makes Parley grow by more than SIZE "
         "(e.g. 512M, 4G; default: half of this machine's memory)")
      ->type_name("SIZE")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            auto size = ParseByteSize(text);
            return size && *size >= kSmallest ? "" : "a size of at least 16M, such as 512M or 4G";
          },
          "SIZE"));
}

void AddLoadOptions(CLI::App* app, LoadArgs* args) {
  app->add_option("--format", args->format, "Input format: nt, nq, ttl, trig, rdfxml, jsonld or json (fact files); default: from each file's extension (.nt .nq .ttl .trig .rdf/.owl/.xml .jsonld .json)");
  app->add_option("--graph", args->graph, "Put triples without a graph into this named graph")
      ->type_name("IRI")->check(CLI::Validator([](std::string& iri) { return iri.empty() ? "an IRI, not empty" : ""; },
                                               "IRI"));
  app->add_option("--base", args->base, "Base IRI for Turtle's relative IRIs (default: the file's file:// IRI)")->type_name("IRI");
  app->add_flag("--strict", args->strict,
                "Fail when a fact file's record repeats an entity already known (same name, or same meeting)");
  app->add_option("files", args->files, "Files to load; - reads standard input")->required()->type_name("FILE");
}

namespace {

// `passage` with `quote` marked, found as verification finds it (whitespace, quotes and
// dashes aside); the passage in quote form when only that form holds the quote.
std::string MarkedPassage(const std::string& passage, const std::string& quote) {
  if (quote.empty()) return passage;
  if (auto at = passage.find(quote); at != std::string::npos) {
    return passage.substr(0, at) + "**" + quote + "**" + passage.substr(at + quote.size());
  }
  const std::string text = ingest::facts::QuoteForm(passage), words = ingest::facts::QuoteForm(quote);
  const auto at = text.find(words);
  if (at == std::string::npos) return passage;
  return text.substr(0, at) + "**" + words + "**" + text.substr(at + words.size());
}

}  // namespace

std::string EvidenceLine(const rdf::EvidenceRef& e, bool full) {
  const std::string grade = rdf::GradeText(e);
  std::string out = "    " + e.source_id + (grade.empty() ? "" : " [" + grade + "]") +
                    (e.locator.empty() ? "" : ", " + e.locator) + (e.quote.empty() ? "" : ": \"" + e.quote + "\"") +
                    (e.source_title.empty() ? "" : " (" + e.source_title + ")") + "\n";
  if (!full || e.passage.empty()) return out;
  std::istringstream lines(MarkedPassage(e.passage, e.quote));
  for (std::string line; std::getline(lines, line);) out += "      | " + line + "\n";
  return out;
}

}  // namespace parley::cli
