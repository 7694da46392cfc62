// parley: the command line. Parses arguments and hands each subcommand to commands.cpp.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/database_path.hpp"
#include "cli/draft_command.hpp"
#include "cli/export_command.hpp"
#include "cli/find_command.hpp"
#include "cli/ask_command.hpp"
#include "cli/query_command.hpp"
#include "cli/repl.hpp"
#include "cli/serve_command.hpp"
#include "cli/update_command.hpp"
#include "cli/store_access.hpp"
#include "query/engine.hpp"

namespace {

int Run(int argc, char** argv) {
  using namespace parley::cli;
  CLI::App app{"Parley: a knowledge graph of sourced diplomatic facts, in RocksDB.", "parley"};
  app.require_subcommand(0, 1);
  app.fallthrough();  // --db, --memory-limit and --threads may also come after the command
  app.footer("Without a command, parley opens the REPL: questions in English, SPARQL, and :help for its commands.");
  std::string db;
  app.add_option("--db", db, "Database directory (default: $PARLEY_DB, else $XDG_DATA_HOME/parley/db)")
      ->type_name("DIR");
  std::size_t memory_limit = 0;
  AddMemoryLimitOption(&app, &memory_limit);
  unsigned threads = 0;
  app.add_option("--threads", threads,
                 "Threads one query may use (default: this machine's cores); the answer is the same for any number")
      ->type_name("N")
      ->check(CLI::Range(1u, 256u));
  std::string endpoint;
  app.add_option("--endpoint", endpoint,
                 "query, ask, export and the REPL: use another SPARQL 1.1 endpoint's graph (loaded from parley dump) "
                 "instead of the database")
      ->type_name("URL");

  std::string as_of_text;
  app.add_option("--as-of", as_of_text,
                 "query, ask, explain, export, dump, sources and the REPL: read the graph as it stood after "
                 "generation N (see parley log), or at the end of DATE or at DATETIME (UTC unless a zone is given)")
      ->type_name("N|DATE|DATETIME");

  LoadArgs load;
  auto* load_cmd = app.add_subcommand("load", "Load RDF and JSON fact files in one atomic transaction");
  AddLoadOptions(load_cmd, &load);

  std::string dump_format = "nquads";
  auto* dump_cmd = app.add_subcommand("dump", "Write the database as N-Quads, TriG, N-Triples or Turtle to standard output");
  dump_cmd->add_option("--format", dump_format,
                       "nquads: every quad with its graph; trig: every graph, as Turtle blocks; jsonld: every graph, "
                       "as one JSON-LD document; "
                       "ntriples or turtle: the union of all graphs, each triple once");

  bool init_empty = false;
  auto* init_cmd = app.add_subcommand("init", "Create a database and load the curated dataset (data/)");
  init_cmd->add_flag("--empty", init_empty, "Create the database without loading anything");

  auto* sources_cmd = app.add_subcommand("sources", "List the sources with their number of facts");
  FindArgs finding;
  auto* find_cmd = app.add_subcommand("find", "Find entities by name, alias or id, with the ids to cite them by");
  AddFindOptions(find_cmd, &finding);
  DraftArgs drafting;
  auto* draft_cmd = app.add_subcommand("draft", "Write a starting fact file for a new source's text, with the known "
                                       "entities of each paragraph as ready references");
  AddDraftOptions(draft_cmd, &drafting);
  std::string retract_source;
  auto* retract_cmd = app.add_subcommand("retract", "Remove exactly one source's facts and provenance");
  retract_cmd->add_option("--source", retract_source, "The source's id (see parley sources)")->required()->type_name("ID");

  QueryArgs query;
  auto* query_cmd = app.add_subcommand("query", "Run a SPARQL 1.1 query");
  query_cmd->add_option("query", query.text, "The query text")->type_name("QUERY");
  query_cmd->add_option("-f,--file", query.file, "Read the query from FILE")->type_name("FILE");
  query_cmd->add_option("--format", query.format,
                        "table|json|csv|tsv (SELECT, ASK), ntriples|turtle (CONSTRUCT, DESCRIBE); "
                        "default: table or turtle on a terminal, else tsv or ntriples");
  AddTimeoutOption(query_cmd, &query.timeout_seconds, "Stop the query after SECONDS");
  query_cmd->add_option("--dataset", query.dataset,
                        "union: the default graph is all graphs (default); strict: the unnamed graph only");
  query_cmd->add_flag("--no-inference", query.no_inference, "No rdfs:subClassOf/subPropertyOf reasoning");
  query_cmd->add_option("--base", query.base, "Base IRI for relative IRIs")->type_name("IRI");
  query_cmd->add_flag("--timing", query.timing, "Print 'time: X ms' (parse, plan, evaluate) to stderr");
  query_cmd->add_option("--repeat", query.repeat, "Run N times; --timing gives the median")
      ->type_name("N")->check(CLI::PositiveNumber);
  AddGradeOptions(query_cmd, &query.minimum);


  QueryArgs updating;
  auto* update_cmd = app.add_subcommand("update", "Run a SPARQL 1.1 Update request: all of it in one atomic write, or nothing");
  AddUpdateOptions(update_cmd, &updating);

  AskArgs ask;
  auto* ask_cmd = app.add_subcommand("ask", "Ask a question in plain English");
  ask_cmd->add_option("question", ask.question, "The question, e.g. \"which proposals addressed sovereignty assurances\"")
      ->required()->type_name("QUESTION");
  ask_cmd->add_flag("--why", ask.why, "Under each answer, the sources, paragraphs and quotes behind it");
  ask_cmd->add_flag("--full", ask.full, "With --why: each cited paragraph of the source's text, the quote marked");
  ask_cmd->add_flag("--sparql", ask.sparql, "Print the SPARQL the question compiles to");
  ask_cmd->add_option("--format", ask.format, "table (default), json, csv or tsv");
  AddGradeOptions(ask_cmd, &ask.minimum);


  ExportArgs exporting;
  auto* export_cmd = app.add_subcommand("export", "Write a subgraph: around named entities, or from a CONSTRUCT query");
  AddExportOptions(export_cmd, &exporting);


  QueryArgs explain;
  bool analyze = false;
  auto* explain_cmd = app.add_subcommand("explain", "Show a SPARQL query's plan");
  explain_cmd->add_option("query", explain.text, "The query text")->type_name("QUERY");
  explain_cmd->add_option("-f,--file", explain.file, "Read the query from FILE")->type_name("FILE");
  explain_cmd->add_flag("--analyze", analyze, "Run the query and show rows and time per operator");
  AddTimeoutOption(explain_cmd, &explain.timeout_seconds, "With --analyze: stop the query after SECONDS");
  explain_cmd->add_option("--dataset", explain.dataset, "union (default) or strict");
  explain_cmd->add_flag("--no-inference", explain.no_inference, "No rdfs:subClassOf/subPropertyOf reasoning");

  ServeArgs serving;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the database over HTTP: the SPARQL 1.1 Protocol at /query, "
                                       "questions at /ask, the store at /store");
  AddServeOptions(serve_cmd, &serving);

  auto* stats_cmd = app.add_subcommand("stats", "Show counts and per-predicate statistics");
  auto* log_cmd = app.add_subcommand("log", "List every commit: generation, time, quads added and removed, and the command");
  std::string compact_before;
  auto* compact_cmd = app.add_subcommand("compact", "Drop the history of the commits made before a date (--as-of can "
                                         "then read only later states)");
  compact_cmd->add_option("--before", compact_before, "The date or date-time (UTC unless a zone is given)")
      ->required()->type_name("DATE");
  auto* check_cmd = app.add_subcommand("check", "Verify that every index and the dictionary agree");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  if (memory_limit != 0) parley::query::SetDefaultMemoryLimit(memory_limit);
  if (threads != 0) parley::query::SetDefaultThreads(threads);
  if (app.count("--db") > 0 && db.empty()) {
    std::fprintf(stderr, "parley: --db needs a directory (leave it out for the default database)\n");
    return kExitUsage;
  }
  const std::filesystem::path db_path = db.empty() ? DefaultDatabasePath() : std::filesystem::path(db);
  {
    std::string command_line = "parley";
    for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
    parley::store::SetCommandLine(command_line);
  }
  std::optional<parley::store::AsOf> as_of;
  if (app.count("--as-of") > 0) {
    auto parsed = parley::store::ParseAsOf(as_of_text);
    if (!parsed.ok()) {
      std::fprintf(stderr, "parley: --as-of: %s\n", parsed.status().message().c_str());
      return kExitUsage;
    }
    const bool reads = *query_cmd || *ask_cmd || *explain_cmd || *export_cmd || *dump_cmd || *sources_cmd ||
                       app.get_subcommands().empty();
    if (!reads || !endpoint.empty()) {
      std::fprintf(stderr, "parley: --as-of works with query, ask, explain, export, dump, sources and the REPL "
                           "on the local database\n");
      return kExitUsage;
    }
    as_of = *parsed;
    query.as_of = explain.as_of = exporting.as_of = ask.as_of = as_of;
  }
  if (*init_cmd) return RunInit(db_path, init_empty);
  // On another engine: the local database is not opened.
  if (!endpoint.empty() && *query_cmd) {
    if (query.text.empty() == query.file.empty()) {
      std::fprintf(stderr, "parley query: give the query as an argument or with -f FILE\n");
      return kExitUsage;
    }
    return RunRemoteQueryCommand(endpoint, query);
  }
  if (!endpoint.empty() && *export_cmd) return RunRemoteExportCommand(endpoint, exporting);
  if (!endpoint.empty() && app.get_subcommands().empty()) return RunRepl(db_path, endpoint);
  if (!endpoint.empty() && !*query_cmd && !*ask_cmd) {
    std::fprintf(stderr, "parley: --endpoint works with query, ask, export and the REPL\n");
    return kExitUsage;
  }
  if (!endpoint.empty() && *ask_cmd) {
    ask.why = ask.why || ask.full;
    return RunRemoteAskCommand(endpoint, ask);
  }
  // The default database is created and seeded on first use; --db names a database to
  // create empty when it does not exist.
  if (db.empty()) {
    if (int code = SeedIfMissing(db_path); code != kExitOk) return code;
  }
  if (*load_cmd) return RunLoad(db_path, load);
  if (*update_cmd) return RunUpdateCommand(db_path, updating);
  if (*serve_cmd) return RunServeCommand(db_path, serving);
  // The commands that read run on one store opened without the write lock.
  std::unique_ptr<parley::store::QuadStore> reading;
  if (*query_cmd || *ask_cmd || *explain_cmd || *sources_cmd || *find_cmd || *draft_cmd || *export_cmd || *stats_cmd ||
      *log_cmd) {
    if (parley::Status s = OpenForReading(db_path, &reading); !s.ok()) return Fail(s);
  }
  if (*sources_cmd) return RunSources(*reading, as_of);
  if (*find_cmd) return RunFindCommand(*reading, finding);
  if (*draft_cmd) return RunDraftCommand(*reading, drafting);
  if (*query_cmd) {
    if (query.text.empty() == query.file.empty()) {
      std::fprintf(stderr, "parley query: give the query as an argument or with -f FILE\n");
      return kExitUsage;
    }
    return RunQueryCommand(*reading, query);
  }
  if (*ask_cmd) {
    ask.why = ask.why || ask.full;  // the passages are the evidence, at length
    return RunAskCommand(*reading, ask);
  }
  if (*export_cmd) return RunExportCommand(*reading, exporting);
  if (*explain_cmd) {
    if (explain.text.empty() == explain.file.empty()) {
      std::fprintf(stderr, "parley explain: give the query as an argument or with -f FILE\n");
      return kExitUsage;
    }
    return RunExplainCommand(*reading, explain, analyze);
  }
  if (*retract_cmd) return RunRetract(db_path, retract_source);
  if (*dump_cmd) return RunDump(db_path, dump_format, as_of);
  if (*compact_cmd) return RunCompact(db_path, compact_before);
  if (*stats_cmd) return RunStats(*reading);
  if (*log_cmd) return RunLog(*reading);
  if (*check_cmd) return RunCheck(db_path);
  return RunRepl(db_path, "", as_of);
}

}  // namespace

// Output that could not be written (a full disk, a closed pipe) is a failure, whatever
// the command: the user must never take a cut-short result for a whole one.
int main(int argc, char** argv) {
  const int code = Run(argc, argv);
  if (code == parley::cli::kExitOk && (std::fflush(stdout) != 0 || std::ferror(stdout))) {
    std::fprintf(stderr, "parley: error: cannot write output: %s\n", std::strerror(errno));
    return parley::cli::kExitFailure;
  }
  return code;
}
