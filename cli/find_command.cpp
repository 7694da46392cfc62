#include "cli/find_command.hpp"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "ingest/facts/entity_search.hpp"
#include "ingest/facts/known_entities.hpp"

namespace parley::cli {
namespace {

std::string Joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

void AddFindOptions(CLI::App* app, FindArgs* args) {
  app->add_option("text", args->text, "A name or part of one: a label, an alias or an id")->required()->type_name("TEXT");
  app->add_option("--kind", args->kind, "Only entities of one kind or type: actors, meetings, Person, Summit, sources, ...")
      ->type_name("KIND");
  app->add_option("--limit", args->limit, "Show at most N matches (default 20)")->type_name("N")->check(CLI::PositiveNumber);
}

int RunFindCommand(const store::QuadStore& store, const FindArgs& args) {
  if (!args.kind.empty() && !ingest::facts::IsKnownKindName(args.kind)) {
    std::fprintf(stderr, "parley find: unknown kind \"%s\" (try actors, meetings, events, proposals, claims, topics, places, "
                 "sources, or a type such as Person or Summit)\n", args.kind.c_str());
    return kExitUsage;
  }
  auto snapshot = store.GetSnapshot();
  const ingest::facts::KnownEntities known(*snapshot, *snapshot);
  auto entities = known.All();
  if (!entities.ok()) return Fail(entities.status());
  const auto matches = ingest::facts::SearchEntities(*entities, args.text, args.kind);
  if (matches.empty()) {
    std::fprintf(stderr, "parley find: nothing matches \"%s\"\n", args.text.c_str());
    return kExitFailure;
  }
  std::string out;
  std::size_t shown = 0;
  for (const auto& m : matches) {
    if (shown++ == args.limit) break;
    const auto& e = *m.entity;
    const std::string type = e.kind.empty() ? "source" : e.type.empty() ? "-" : e.type;
    out += e.id + "  " + type + "  " + e.label + "\n";
    if (!e.aliases.empty()) out += "    aliases: " + Joined(e.aliases, "; ") + "\n";
    if (!e.sources.empty()) out += "    sources: " + Joined(e.sources, ", ") + "\n";
  }
  if (matches.size() > args.limit) {
    out += "(" + std::to_string(matches.size() - args.limit) + " more; --limit shows more, --kind narrows)\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace parley::cli
