// cli/repl_input.hpp
// Where the REPL's lines come from: GNU readline on a terminal (history, Tab
// completion, Ctrl-C that clears the line), plain lines from a pipe otherwise.
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <map>
#include <string>
#include <vector>

namespace parley::cli {

// Set by Ctrl-C; a running query polls it (QueryOptions::cancel).
std::atomic<bool>& InterruptFlag();

enum class InputEvent { kLine, kInterrupted, kEndOfInput };

class LineInput {
 public:
  // `interactive`: readline with prompts; otherwise lines are read from standard input as they are.
  LineInput(bool interactive, std::filesystem::path history_file);
  ~LineInput();
  LineInput(const LineInput&) = delete;
  LineInput& operator=(const LineInput&) = delete;

  InputEvent Read(const std::string& prompt, std::string* line);
  // Adds one entered command (several lines joined) to the history and its file.
  void Remember(const std::string& entry);
  // What Tab completes: commands, keywords, prefixes, ontology terms, entity labels.
  // `names` maps a name's other spellings (aliases, in any case) to the one Tab offers,
  // so that the aliases of one entity are one candidate.
  void SetCompletions(std::vector<std::string> words, std::map<std::string, std::string> names = {});

 private:
  bool interactive_;
  std::filesystem::path history_file_;
};

// The completions of the word ending at `end` in `line`: a word or phrase from `words`
// that continues the text from some earlier word start, returned as the part from
// `start` on (so "who met kim jo" + Tab gives "Jong Un" for "Kim Jong Un").
// With `names`, a matching alias counts as its entity's label when the label also
// continues the text ("Kim J" gives "Kim Jong Un", not also "Kim Jong-un").
std::vector<std::string> CompletePhrase(const std::string& line, std::size_t start, std::size_t end,
                                        const std::vector<std::string>& words,
                                        const std::map<std::string, std::string>& names = {});

}  // namespace parley::cli
