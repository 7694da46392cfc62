// parley: the command line. Parses arguments and hands each subcommand to commands.cpp.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/database_path.hpp"

int main(int argc, char** argv) {
  using namespace parley::cli;
  CLI::App app{"Parley: a knowledge graph of sourced diplomatic facts, in RocksDB.", "parley"};
  app.require_subcommand(0, 1);
  std::string db;
  app.add_option("--db", db, "Database directory (default: $PARLEY_DB, else $XDG_DATA_HOME/parley/db)")
      ->type_name("DIR");

  LoadArgs load;
  auto* load_cmd = app.add_subcommand("load", "Load RDF files in one atomic transaction");
  load_cmd->add_option("--format", load.format, "Input format: nt, nq or ttl (default: from each file's extension)");
  load_cmd->add_option("--graph", load.graph, "Put triples without a graph into this named graph")
      ->type_name("IRI");
  load_cmd->add_option("--base", load.base, "Base IRI for Turtle's relative IRIs (default: the file's file:// IRI)")->type_name("IRI");
  load_cmd->add_option("files", load.files, "Files to load; - reads standard input")->required()->type_name("FILE");

  std::string dump_format = "nquads";
  auto* dump_cmd = app.add_subcommand("dump", "Write the database as N-Quads or N-Triples to standard output");
  dump_cmd->add_option("--format", dump_format,
                       "nquads: every quad with its graph; ntriples or turtle: the union of all graphs, each triple once");

  auto* stats_cmd = app.add_subcommand("stats", "Show counts and per-predicate statistics");
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

  const std::filesystem::path db_path = db.empty() ? DefaultDatabasePath() : std::filesystem::path(db);
  if (*load_cmd) return RunLoad(db_path, load);
  if (*dump_cmd) return RunDump(db_path, dump_format);
  if (*stats_cmd) return RunStats(db_path);
  if (*check_cmd) return RunCheck(db_path);
  std::printf("%s", app.help().c_str());
  return kExitOk;
}
