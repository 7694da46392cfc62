// cli/ask_command.hpp
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "query/english/ask.hpp"
#include "store/as_of.hpp"

namespace parley::store {
class QuadStore;
}

namespace parley::cli {

struct AskArgs {
  std::string question;
  bool why = false;
  bool full = false;  // with why: the cited paragraphs, the quote marked
  rdf::MinimumGrades minimum;  // only facts whose evidence is graded so well
  bool sparql = false;
  std::string format = "table";  // table|json|csv|tsv
  const std::atomic<bool>* cancel = nullptr;  // the REPL's Ctrl-C
  // The REPL's lexicon, read once; without it each question reads the lexicon from the graph.
  std::shared_ptr<const query::english::Lexicon> lexicon;
  // A past state to read (--as-of); an "as of ..." phrase in the question overrides it.
  std::optional<store::AsOf> as_of;
};

// Exit 0 when the question was understood (with or without answers), 1 when not.
// `answered`, when given, receives the full result (with evidence) for the REPL's :why and :sparql.
int RunAskCommand(const store::QuadStore& store, const AskArgs& args, query::english::AskResult* answered = nullptr);
// The same question answered on another SPARQL engine's graph (--endpoint URL): the
// lexicon, the answers and their evidence are read from it through the SPARQL Protocol.
// `answered` as for RunAskCommand; `lexicon` (when given) keeps the endpoint's lexicon
// from one question to the next, read on the first.
int RunRemoteAskCommand(const std::string& endpoint, const AskArgs& args, query::english::AskResult* answered = nullptr,
                        std::shared_ptr<const query::english::Lexicon>* lexicon = nullptr);

// The answers as table (with evidence where the result carries it), json, csv or tsv;
// `full` adds each citation's paragraph or section of the stored text.
std::string RenderAnswers(const query::english::AskResult& result, const std::string& format, bool full = false);

}  // namespace parley::cli
