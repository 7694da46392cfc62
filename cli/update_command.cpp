#include "cli/update_command.hpp"

#include <chrono>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/store_access.hpp"
#include "ingest/rdf_loader.hpp"

namespace parley::cli {

void AddUpdateOptions(CLI::App* app, QueryArgs* args) {
  args->dataset = "strict";
  args->no_inference = true;
  app->add_option("update", args->text, "The request, e.g. 'DELETE DATA { ... } ; INSERT DATA { ... }'")
      ->type_name("UPDATE");
  app->add_option("-f,--file", args->file, "Read the request from FILE (- for standard input)")->type_name("FILE");
  app->add_option("--base", args->base, "Base IRI for relative IRIs")->type_name("IRI");
  app->add_option("--dataset", args->dataset,
                  "strict: WHERE's default graph is the unnamed graph (default, as the standard says); "
                  "union: all graphs");
  app->add_flag("--inference{false}", args->no_inference, "WHERE applies rdfs:subClassOf/subPropertyOf reasoning");
  AddTimeoutOption(app, &args->timeout_seconds, "Stop a WHERE clause after SECONDS (nothing is written)");
}

query::UpdateOptions LocalUpdateOptions() {
  query::UpdateOptions options;
  options.query.prefixes = query::BuiltinPrefixes();
  options.read_document = ingest::ReadLocalDocument;
  return options;
}

int RunUpdateCommand(const std::filesystem::path& db, const QueryArgs& args) {
  if (args.text.empty() == args.file.empty()) {
    std::fprintf(stderr, "parley update: give the request as an argument or with -f FILE\n");
    return kExitUsage;
  }
  std::string text, origin;
  query::UpdateOptions options = LocalUpdateOptions();
  if (int code = PrepareQuery(args, &text, &origin, &options.query); code != kExitOk) return code;
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenForWriting(db, &store); !s.ok()) return Fail(s);
  const auto start = std::chrono::steady_clock::now();
  auto summary = query::RunUpdate(text, origin == "<query>" ? "<update>" : origin, *store, options);
  if (!summary.ok()) {
    Fail(summary.status());
    std::fprintf(stderr, "parley: nothing was changed\n");
    return kExitFailure;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("updated: %zu operation%s, %s quads added, %s removed in %.2f s\n", summary->operations,
              summary->operations == 1 ? "" : "s", WithThousands(summary->quads_added).c_str(),
              WithThousands(summary->quads_removed).c_str(), seconds);
  return kExitOk;
}

}  // namespace parley::cli
