#include "query/english/as_of_phrase.hpp"

#include <array>
#include <vector>

#include "query/english/tokens.hpp"

namespace parley::query::english {

namespace {

// Word sequences that introduce a moment of the graph's own history; "|" separates
// the words one position accepts.
constexpr std::array<const char*, 16> kOpeners = {
    "as of",
    "as at",
    "as on",
    "as it stood on|in|at|by",
    "as things stood on|in|at|by",
    "as the graph stood on|in|at|by",
    "as the database stood on|in|at|by",
    "as known on|in|at|by",
    "as recorded on|in|at|by",
    "as of the graph on|in|at|of",
    "according to the graph|database as of|at",
    "according to the graph|database on|in|at|of",
    "what did the graph say on|in|at|by",
    "what did the database say on|in|at|by",
    "what was known on|in|at|by",
    "what did we know on|in|at|by",
};

std::vector<std::vector<std::string>> Split(const char* opener) {
  std::vector<std::vector<std::string>> words;
  std::string text = opener;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> choices;
    std::size_t from = at;
    while (from <= end) {
      std::size_t bar = text.find('|', from);
      if (bar == std::string::npos || bar > end) bar = end;
      choices.push_back(text.substr(from, bar - from));
      from = bar + 1;
    }
    words.push_back(std::move(choices));
    at = end + 1;
  }
  return words;
}

// The length in tokens of the opener starting at tokens[at], or 0.
std::size_t MatchOpener(const std::vector<Token>& tokens, std::size_t at, bool* asks_what) {
  static const auto split = [] {
    std::vector<std::vector<std::vector<std::string>>> all;
    for (const char* opener : kOpeners) all.push_back(Split(opener));
    return all;
  }();
  for (std::size_t n = 0; n < kOpeners.size(); ++n) {
    const char* opener = kOpeners[n];
    const auto& words = split[n];
    if (at + words.size() > tokens.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < words.size() && match; ++i) {
      bool any = false;
      for (const auto& choice : words[i]) any = any || tokens[at + i].text == choice;
      match = any;
    }
    if (match) {
      *asks_what = std::string(opener).rfind("what", 0) == 0;
      return words.size();
    }
  }
  return 0;
}

// The moment after an opener: "generation 3" / "commit 3", or a date. Sets *next.
std::optional<store::AsOf> MomentAt(const std::vector<Token>& tokens, std::size_t at, std::size_t* next) {
  std::size_t i = at;
  if (i < tokens.size() && tokens[i].text == "the") ++i;
  if (i + 1 < tokens.size() && (tokens[i].text == "generation" || tokens[i].text == "commit")) {
    const std::string& digits = tokens[i + 1].text;
    if (!digits.empty() && digits.size() <= 18 && digits.find_first_not_of("0123456789") == std::string::npos) {
      *next = i + 2;
      store::AsOf as_of;
      as_of.generation = std::stoull(digits);
      as_of.text = "generation " + digits;
      return as_of;
    }
    return std::nullopt;
  }
  auto date = ParseDate(tokens, i, next);
  if (!date) return std::nullopt;
  auto moment = store::ParseMoment(date->to, store::MomentEdge::kEnd);
  if (!moment.ok()) return std::nullopt;
  store::AsOf as_of;
  as_of.unix_ms = *moment;
  as_of.text = date->to;
  return as_of;
}

bool IsSpaceOrComma(char c) { return c == ' ' || c == ',' || c == '\t' || c == ':' || c == ';' || c == '-'; }

}  // namespace

std::optional<AsOfPhrase> FindAsOfPhrase(const std::string& question) {
  const std::vector<Token> tokens = Tokenize(question);
  for (std::size_t at = 0; at < tokens.size(); ++at) {
    bool asks_what = false;
    const std::size_t opener = MatchOpener(tokens, at, &asks_what);
    if (opener == 0) continue;
    std::size_t next = 0;
    auto as_of = MomentAt(tokens, at + opener, &next);
    if (!as_of) continue;
    // "what did the graph say on DATE about who met Kim": "about" goes with the phrase.
    if (asks_what && next < tokens.size() && tokens[next].text == "about") ++next;
    const std::size_t begin = tokens[at].offset;
    const std::size_t end = next < tokens.size() ? tokens[next].offset : question.size();
    AsOfPhrase found;
    found.as_of = std::move(*as_of);
    std::size_t phrase_end = end;
    while (phrase_end > begin && IsSpaceOrComma(question[phrase_end - 1])) --phrase_end;
    found.phrase = question.substr(begin, phrase_end - begin);
    // The question around the phrase, without the comma or colon that set it off.
    std::string before = question.substr(0, begin), after = question.substr(end);
    while (!before.empty() && IsSpaceOrComma(before.back())) before.pop_back();
    std::size_t skip = 0;
    while (skip < after.size() && IsSpaceOrComma(after[skip])) ++skip;
    after = after.substr(skip);
    found.question = before.empty() ? after : after.empty() ? before : before + " " + after;
    // A phrase that ended the question leaves it without its question mark.
    if (!found.question.empty() && found.question.back() != '?' && question.back() == '?' && after.empty()) {
      found.question += "?";
    }
    if (found.question.empty()) continue;
    return found;
  }
  return std::nullopt;
}

}  // namespace parley::query::english
