#include "cli/repl_input.hpp"

#include <sys/select.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>

#include <readline/history.h>
#include <readline/readline.h>

namespace parley::cli {
namespace {

constexpr int kHistoryLimit = 2000;

volatile std::sig_atomic_t g_sigint_pending = 0;
std::vector<std::string> g_completions;
std::map<std::string, std::string> g_names;  // lower-case alias -> the label Tab offers

// Readline's callback interface delivers lines here.
std::optional<std::string> g_line;
bool g_line_done = false;

void OnSigint(int) {
  g_sigint_pending = 1;
  InterruptFlag().store(true);
}

void OnLine(char* line) {
  g_line_done = true;
  if (line == nullptr) {
    g_line.reset();
  } else {
    g_line = std::string(line);
    std::free(line);
  }
  // Removing the handler here stops readline from printing the prompt again.
  rl_callback_handler_remove();
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithIgnoringCase(const std::string& text, const std::string& prefix) {
  if (prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(text[i]) != Lower(prefix[i])) return false;
  }
  return true;
}

char* Copy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

// Readline's array: the common prefix first, then every match, then null.
char** Complete(const char* text, int start, int end) {
  rl_attempted_completion_over = 1;  // never fall back to file names
  const std::string line(rl_line_buffer, static_cast<std::size_t>(rl_end));
  std::vector<std::string> found = CompletePhrase(line, static_cast<std::size_t>(start), static_cast<std::size_t>(end), g_completions, g_names);
  if (found.empty()) return nullptr;
  std::string common = found[0];
  for (const auto& f : found) {
    std::size_t n = 0;
    while (n < common.size() && n < f.size() && Lower(common[n]) == Lower(f[n])) ++n;
    common.resize(n);
  }
  if (common.size() < std::strlen(text)) common = text;
  char** matches = static_cast<char**>(std::malloc((found.size() + 2) * sizeof(char*)));
  matches[0] = Copy(found.size() == 1 ? found[0] : common);
  std::size_t n = 1;
  if (found.size() > 1) {
    for (const auto& f : found) matches[n++] = Copy(f);
  }
  matches[n] = nullptr;
  return matches;
}

}  // namespace

std::atomic<bool>& InterruptFlag() {
  static std::atomic<bool> flag{false};
  return flag;
}

std::vector<std::string> CompletePhrase(const std::string& line, std::size_t start, std::size_t end,
                                        const std::vector<std::string>& words,
                                        const std::map<std::string, std::string>& names) {
  end = std::min(end, line.size());
  start = std::min(start, end);
  // Try the longest context first: from the line's first word start to `start`.
  for (std::size_t from = 0; from <= start; ++from) {
    if (from > 0 && line[from - 1] != ' ') continue;
    if (from < start && line[from] == ' ') continue;
    const std::string fragment = line.substr(from, end - from);
    if (fragment.empty() && from < start) continue;
    std::vector<std::string> found;
    for (const auto& word : words) {
      if (word.size() <= fragment.size() || !StartsWithIgnoringCase(word, fragment)) continue;
      std::string lower = word;
      std::transform(lower.begin(), lower.end(), lower.begin(), Lower);
      const auto name = names.find(lower);
      const bool use_label = name != names.end() && name->second.size() > fragment.size() &&
                             StartsWithIgnoringCase(name->second, fragment);
      found.push_back((use_label ? name->second : word).substr(start - from));
    }
    if (!found.empty()) {
      std::sort(found.begin(), found.end());
      found.erase(std::unique(found.begin(), found.end()), found.end());
      return found;
    }
  }
  return {};
}

LineInput::LineInput(bool interactive, std::filesystem::path history_file)
    : interactive_(interactive), history_file_(std::move(history_file)) {
  if (!interactive_) return;
  rl_readline_name = "parley";
  rl_catch_signals = 0;  // our handler decides what Ctrl-C means
  rl_attempted_completion_function = Complete;
  // ':' and '?' belong to words (prefixed names, variables); quotes and brackets do not.
  rl_basic_word_break_characters = const_cast<char*>(" \t\n\"'`@$><=;|&{}()[],");
  using_history();
  std::error_code ignored;
  std::filesystem::create_directories(history_file_.parent_path(), ignored);
  if (!std::filesystem::exists(history_file_)) std::ofstream(history_file_).flush();
  read_history(history_file_.c_str());
  struct sigaction action {};
  action.sa_handler = OnSigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: select() must wake up
  sigaction(SIGINT, &action, nullptr);
}

LineInput::~LineInput() {
  if (!interactive_) return;
  history_truncate_file(history_file_.c_str(), kHistoryLimit);
  signal(SIGINT, SIG_DFL);
}

void LineInput::SetCompletions(std::vector<std::string> words, std::map<std::string, std::string> names) {
  g_names = std::move(names);
  // One spelling per word, ignoring case; capitals win ("Kim Jong Un" over "kim jong un").
  std::map<std::string, std::string> by_lowercase;
  for (auto& word : words) {
    if (word.empty()) continue;
    std::string key = word;
    std::transform(key.begin(), key.end(), key.begin(), Lower);
    auto [it, added] = by_lowercase.emplace(key, word);
    if (!added && word < it->second) it->second = word;
  }
  g_completions.clear();
  for (auto& [key, word] : by_lowercase) g_completions.push_back(std::move(word));
}

void LineInput::Remember(const std::string& entry) {
  if (!interactive_ || entry.empty()) return;
  std::string one_line = entry;
  std::replace(one_line.begin(), one_line.end(), '\n', ' ');
  add_history(one_line.c_str());
  append_history(1, history_file_.c_str());
}

InputEvent LineInput::Read(const std::string& prompt, std::string* line) {
  if (!interactive_) {
    if (!std::getline(std::cin, *line)) return InputEvent::kEndOfInput;
    return InputEvent::kLine;
  }
  g_line_done = false;
  g_sigint_pending = 0;
  rl_callback_handler_install(prompt.c_str(), OnLine);
  while (!g_line_done) {
    fd_set ready;
    FD_ZERO(&ready);
    FD_SET(STDIN_FILENO, &ready);
    const int n = select(STDIN_FILENO + 1, &ready, nullptr, nullptr, nullptr);
    if (n < 0 && errno == EINTR) {
      if (g_sigint_pending != 0) {
        // Ctrl-C at the prompt drops what was typed, as a shell does.
        g_sigint_pending = 0;
        rl_replace_line("", 0);
        std::fputs("^C", stdout);
        std::fflush(stdout);
        // Readline may return the cursor to the line's start as it restores the terminal.
        rl_callback_handler_remove();
        std::fputs("\n", stdout);
        std::fflush(stdout);
        return InputEvent::kInterrupted;
      }
      continue;
    }
    if (n > 0) rl_callback_read_char();
  }
  if (!g_line) {
    std::fputs("\n", stdout);
    return InputEvent::kEndOfInput;
  }
  *line = *g_line;
  return InputEvent::kLine;
}

}  // namespace parley::cli
