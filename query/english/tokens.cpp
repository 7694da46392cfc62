#include "query/english/tokens.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "query/english/morphology.hpp"

namespace parley::query::english {
namespace {

bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '?' || c == '!' || c == ';' || c == ':' ||
         c == '(' || c == ')' || c == '"' || c == ',' || c == '[' || c == ']';
}

void Push(std::vector<Token>* out, std::string word, std::size_t offset, bool capital) {
  // A full stop ends the sentence unless the word has another ("U.S.") or is an initial.
  while (!word.empty() && word.back() == '.' && word.find('.') == word.size() - 1 && word.size() > 2) {
    word.pop_back();
  }
  while (!word.empty() && (word.front() == '\'' || word.front() == '.')) {
    word.erase(0, 1);
    ++offset;
  }
  if (word.empty()) return;
  // Contractions: "don't" is "do not", "I'd" is "I would", "what's" is "what is".
  static const std::vector<std::pair<std::string, std::string>> contractions = {
      {"n't", "not"}, {"'d", "would"}, {"'re", "are"}, {"'ve", "have"}, {"'ll", "will"}, {"'m", "am"}};
  for (const auto& [ending, full] : contractions) {
    if (word.size() >= ending.size() + 1 && word.compare(word.size() - ending.size(), ending.size(), ending) == 0) {
      std::string stem = word.substr(0, word.size() - ending.size());
      if (stem == "ca") stem = "can";
      if (stem == "wo") stem = "will";
      out->push_back(Token{stem, Lemma(stem), offset, capital});
      out->push_back(Token{full, Lemma(full), offset + stem.size(), false});
      return;
    }
  }
  static const std::set<std::string> is_before = {"what", "who", "where", "when", "how", "why", "that", "it", "there", "here"};
  if (word.size() > 2 && word.compare(word.size() - 2, 2, "'s") == 0 && is_before.count(word.substr(0, word.size() - 2))) {
    const std::string stem = word.substr(0, word.size() - 2);
    out->push_back(Token{stem, Lemma(stem), offset, capital});
    out->push_back(Token{"is", "be", offset + stem.size(), false});
    return;
  }
  std::string possessive;
  if (word.size() > 2 && word.compare(word.size() - 2, 2, "'s") == 0) {
    possessive = "'s";
    word.resize(word.size() - 2);
  } else if (word.size() > 2 && word.back() == '\'' && word[word.size() - 2] == 's') {
    word.pop_back();  // "the Koreas'"
  }
  while (!word.empty() && word.back() == '\'') word.pop_back();
  if (word.empty()) return;
  out->push_back(Token{word, Lemma(word), offset, capital});
  if (!possessive.empty()) out->push_back(Token{possessive, possessive, offset + word.size(), false});
}

constexpr std::array<const char*, 12> kMonths = {"january", "february", "march",     "april",   "may",      "june",
                                                 "july",    "august",   "september", "october", "november", "december"};

int Month(const std::string& word) {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    const std::string m = kMonths[i];
    if (word == m || (word.size() >= 3 && word.size() < m.size() && m.compare(0, word.size(), word) == 0 &&
                      (word.size() == 3 || word == "sept"))) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
int Year(const std::string& s) { return AllDigits(s) && s.size() == 4 ? std::stoi(s) : 0; }
int Day(const std::string& s) {
  std::string d = s;
  for (const char* suffix : {"st", "nd", "rd", "th"}) {
    if (d.size() > 2 && d.compare(d.size() - 2, 2, suffix) == 0) d.resize(d.size() - 2);
  }
  if (!AllDigits(d) || d.size() > 2) return 0;
  const int n = std::stoi(d);
  return n >= 1 && n <= 31 ? n : 0;
}
std::string Two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> out;
  std::string word;
  std::size_t start = 0;
  bool capital = false;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    // ’ and ‘ (U+2019, U+2018) are apostrophes.
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x99 || static_cast<unsigned char>(text[i + 2]) == 0x98)) {
      if (word.empty()) start = i;
      word.push_back('\'');
      i += 2;
      continue;
    }
    if (IsSeparator(c)) {
      Push(&out, word, start, capital);
      word.clear();
      if (c == ',') out.push_back(Token{",", ",", i, false});
      continue;
    }
    if (word.empty()) {
      start = i;
      capital = c >= 'A' && c <= 'Z';
    }
    word.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::string KeyOf(const std::vector<Token>& tokens, std::size_t first, std::size_t last) {
  std::string key;
  for (std::size_t i = first; i < last; ++i) {
    if (!key.empty() && tokens[i].lemma != "'s") key.push_back(' ');
    key += tokens[i].lemma;
  }
  return key;
}

std::string PhraseKey(std::string_view phrase) {
  const std::vector<Token> tokens = Tokenize(phrase);
  std::size_t first = 0;
  if (tokens.size() > 1 && (tokens[0].text == "the" || tokens[0].text == "a" || tokens[0].text == "an")) first = 1;
  return KeyOf(tokens, first, tokens.size());
}

std::optional<DateRange> ParseDate(const std::vector<Token>& t, std::size_t at, std::size_t* next) {
  auto word = [&](std::size_t i) { return i < t.size() ? t[i].text : std::string(); };
  const std::string w = word(at);
  // 2018-06-12 or 2018-06
  if (w.size() >= 7 && Year(w.substr(0, 4)) && w[4] == '-') {
    *next = at + 1;
    return DateRange{w, w};
  }
  if (int y = Year(w)) {
    *next = at + 1;
    return DateRange{std::to_string(y), std::to_string(y)};
  }
  // 12 June 2018, 12 June
  if (int d = Day(w)) {
    std::size_t i = at + 1;
    if (word(i) == "of") ++i;
    if (int m = Month(word(i))) {
      if (int y = Year(word(i + 1))) {
        *next = i + 2;
        const std::string date = std::to_string(y) + "-" + Two(m) + "-" + Two(d);
        return DateRange{date, date};
      }
    }
    return std::nullopt;
  }
  // June 2018, June 12 2018, June 12, 2018. "may" alone is a verb.
  if (int m = Month(w)) {
    std::size_t i = at + 1;
    int d = Day(word(i));
    if (d) ++i;
    if (word(i) == ",") ++i;
    if (int y = Year(word(i))) {
      *next = i + 1;
      const std::string month = std::to_string(y) + "-" + Two(m);
      const std::string date = d ? month + "-" + Two(d) : month;
      return DateRange{date, date};
    }
    // "between April and June 2018": the first month has the second's year.
    const std::string joiner = word(at + 1);
    if (!d && (joiner == "and" || joiner == "to" || joiner == "through" || joiner == "until" || joiner == "till" ||
               joiner == "-") && Month(word(at + 2))) {
      if (int y = Year(word(at + 3))) {
        *next = at + 1;
        const std::string month = std::to_string(y) + "-" + Two(m);
        return DateRange{month, month};
      }
    }
  }
  return std::nullopt;
}

}  // namespace parley::query::english
