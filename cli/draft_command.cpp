#include "cli/draft_command.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "ingest/facts/draft.hpp"
#include "ingest/facts/fact_file.hpp"

namespace parley::cli {
namespace {

// How the fact file names its text: relative to the fact file's folder, or to the
// current folder when the draft goes to standard output.
std::string TextPathFromFactFile(const std::string& text_file, const std::string& output) {
  namespace fs = std::filesystem;
  const fs::path base = output.empty() ? fs::current_path() : fs::absolute(output).parent_path();
  return fs::absolute(text_file).lexically_normal().lexically_relative(base).generic_string();
}

std::size_t CountKnown(const ingest::facts::SourceDraft& draft) {
  std::size_t n = 0;
  for (const auto& block : draft.blocks) n += block.known.size();
  return n;
}

std::size_t CountNewNames(const ingest::facts::SourceDraft& draft) {
  std::size_t n = 0;
  for (const auto& block : draft.blocks) n += block.new_names.size();
  return n;
}

}  // namespace

void AddDraftOptions(CLI::App* app, DraftArgs* args) {
  app->add_option("text", args->text_file, "The source's text: paragraphs separated by blank lines")
      ->required()->type_name("TEXT_FILE");
  app->add_option("--source", args->source_id, "The new source's id")->required()->type_name("ID");
  app->add_option("--title", args->title, "The source's title (default: the text file's name)")->type_name("TEXT");
  app->add_option("-o,--output", args->output, "Write the fact file to FILE (it must not exist) instead of standard output")
      ->type_name("FILE");
}

int RunDraftCommand(const store::QuadStore& store, const DraftArgs& args) {
  if (!ingest::facts::ValidId(args.source_id)) {
    std::fprintf(stderr, "parley draft: source id \"%s\" may hold only letters, digits, '-', '_' and '.'\n",
                 args.source_id.c_str());
    return kExitUsage;
  }
  if (!args.output.empty() && std::filesystem::exists(args.output)) {
    std::fprintf(stderr, "parley draft: %s already exists; name a new file\n", args.output.c_str());
    return kExitFailure;
  }
  std::ifstream in(args.text_file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: error: cannot open: %s\n", args.text_file.c_str(), std::strerror(errno));
    return kExitFailure;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const std::string text_path = TextPathFromFactFile(args.text_file, args.output);
  const auto text = ingest::facts::SplitSourceText(text_path, bytes.str());

  auto snapshot = store.GetSnapshot();
  const ingest::facts::KnownEntities known(*snapshot, *snapshot);
  auto entities = known.All();
  if (!entities.ok()) return Fail(entities.status());
  for (const auto& e : *entities) {
    if (e.kind.empty() && e.id == args.source_id) {
      std::fprintf(stderr, "parley draft: note: source \"%s\" is already loaded; loading this file replaces it\n",
                   args.source_id.c_str());
    }
  }
  const auto draft = ingest::facts::DraftSource(text, *entities);
  const std::string title = args.title.empty() ? std::filesystem::path(args.text_file).stem().string() : args.title;
  const std::string json = ingest::facts::DraftFactFile(draft, args.source_id, title, text_path);
  if (args.output.empty()) {
    std::fwrite(json.data(), 1, json.size(), stdout);
  } else {
    std::ofstream out(args.output, std::ios::binary);
    out << json;
    if (!out.flush()) {
      std::fprintf(stderr, "%s: error: cannot write: %s\n", args.output.c_str(), std::strerror(errno));
      return kExitFailure;
    }
  }
  std::fprintf(stderr, "draft: %zu paragraphs and sections, %zu references to known entities, %zu candidate new names\n",
               draft.blocks.size(), CountKnown(draft), CountNewNames(draft));
  return kExitOk;
}

}  // namespace parley::cli
