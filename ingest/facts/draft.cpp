#include "ingest/facts/draft.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ingest/facts/kinds.hpp"
#include "rdf/search_key.hpp"

namespace parley::ingest::facts {
namespace {

// A word of a text or a name: its search key and where it stands.
struct Word {
  std::string key;
  std::size_t begin = 0, end = 0;  // bytes of the text, possessive "'s" left out
  bool capitalised = false;
  bool starts_sentence = false;
  bool after_break = false;  // punctuation other than a hyphen stands before it
  bool possessive = false;   // "'s" followed it
  bool hyphenated = false;   // a hyphen alone joins it to the word before ("Jae-in")
};

// Whether a period after word `key` is an abbreviation's ("U.S.", "Mr.", "Gen."), which
// ends no sentence.
bool IsAbbreviation(const std::string& key) {
  static const std::set<std::string> kTitles = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "lt", "col",
                                                "sen", "rep", "gov", "prof", "amb", "no", "vs", "etc"};
  return key.size() == 1 || kTitles.count(key) > 0;
}

bool IsAsciiWordByte(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The length of the apostrophe at text[at] (' or U+2019 or U+2018), or 0.
std::size_t ApostropheAt(std::string_view text, std::size_t at) {
  if (text[at] == '\'') return 1;
  if (text.compare(at, 3, "\xE2\x80\x99") == 0 || text.compare(at, 3, "\xE2\x80\x98") == 0) return 3;
  return 0;
}

// The length of the separator at text[at]: ASCII punctuation and space, U+00A0, and
// general punctuation (dashes, quotes) other than apostrophes; 0 inside a word.
std::size_t SeparatorAt(std::string_view text, std::size_t at) {
  const auto c = static_cast<unsigned char>(text[at]);
  if (c < 0x80) return IsAsciiWordByte(c) || c == '\'' ? 0 : 1;
  if (c == 0xC2 && at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) == 0xA0) return 2;
  if (c == 0xE2 && at + 2 < text.size() && (text[at + 1] == '\x80' || text[at + 1] == '\x81')) {
    return ApostropheAt(text, at) != 0 ? 0 : 3;
  }
  return 0;
}

// Trims apostrophes around a word and a possessive "'s" after it; says whether there
// was one.
bool TrimWord(std::string_view text, std::size_t* begin, std::size_t* end) {
  bool possessive = false;
  while (*begin < *end && ApostropheAt(text, *begin) != 0) *begin += ApostropheAt(text, *begin);
  for (std::size_t length : {1, 3}) {  // "'s" and "’s"
    if (*end >= *begin + length + 2 && (text[*end - 1] == 's' || text[*end - 1] == 'S') &&
        ApostropheAt(text, *end - 1 - length) == length) {
      *end -= length + 1;
      possessive = true;
      break;
    }
  }
  while (*end > *begin) {
    if (text[*end - 1] == '\'') {
      --*end;
    } else if (*end >= *begin + 3 && ApostropheAt(text, *end - 3) == 3) {
      *end -= 3;
    } else {
      break;
    }
  }
  return possessive;
}

std::vector<Word> Words(std::string_view text) {
  std::vector<Word> words;
  bool sentence_end = true;  // the text's start begins a sentence
  bool punctuation = false;
  std::string separator;  // since the last word
  for (std::size_t at = 0; at < text.size();) {
    if (std::size_t length = SeparatorAt(text, at)) {
      separator.append(text.substr(at, length));
      const char c = text[at];
      const bool abbreviation = c == '.' && !words.empty() && IsAbbreviation(words.back().key);
      if ((c == '.' && !abbreviation) || c == '!' || c == '?') sentence_end = true;
      const bool spacing = c == ' ' || c == '\n' || c == '\t' || c == '-' || static_cast<unsigned char>(c) == 0xC2;
      if (!spacing && !abbreviation) punctuation = true;
      at += length;
      continue;
    }
    std::size_t end = at;
    while (end < text.size() && SeparatorAt(text, end) == 0) ++end;
    Word w;
    w.begin = at;
    w.end = end;
    w.possessive = TrimWord(text, &w.begin, &w.end);
    at = end;
    if (w.begin >= w.end) continue;
    w.key = rdf::SearchKey(text.substr(w.begin, w.end - w.begin));
    if (w.key.empty()) continue;
    w.capitalised = text[w.begin] >= 'A' && text[w.begin] <= 'Z';
    w.starts_sentence = sentence_end;
    w.after_break = punctuation || sentence_end;
    w.hyphenated = separator == "-" && !words.empty();
    sentence_end = punctuation = false;
    separator.clear();
    words.push_back(std::move(w));
  }
  return words;
}

// One name of a known entity, as words.
struct Name {
  std::vector<Word> words;
  const KnownEntity* entity;
  bool is_label;
  bool ends_with_period;  // "U.S.": the quote keeps the period
};

// Whether `name` stands at text[at]. A match that ends in a capitalised word right
// before another is not taken: the text names something longer ("the North" in "the
// North Korean official", "Kim" in "Kim Yong Chol"). A possessive or an abbreviation
// ends a name: "South Korea's President", "U.S. Special Envoy".
bool Matches(const Name& name, const std::vector<Word>& text, std::size_t at) {
  const std::size_t end = at + name.words.size();
  if (end > text.size()) return false;
  for (std::size_t i = 0; i < name.words.size(); ++i) {
    const Word& n = name.words[i];
    const Word& t = text[at + i];
    if (n.key != t.key || (n.capitalised && !t.capitalised)) return false;
  }
  const Word& last = text[end - 1];
  const bool name_goes_on = end < text.size() && last.capitalised && !last.possessive && !name.ends_with_period &&
                            text[end].capitalised && !text[end].after_break;
  return !name_goes_on;
}

// The names of `entities` by their first word's key; sources are not offered.
std::map<std::string, std::vector<Name>> NamesByFirstWord(const std::vector<KnownEntity>& entities) {
  std::map<std::string, std::vector<Name>> out;
  auto add = [&](const std::string& text, const KnownEntity* e, bool is_label) {
    Name name{Words(text), e, is_label, !text.empty() && text.back() == '.'};
    if (!name.words.empty()) out[name.words.front().key].push_back(std::move(name));
  };
  for (const auto& e : entities) {
    if (e.kind.empty()) continue;
    add(e.label, &e, true);
    for (const auto& alias : e.aliases) add(alias, &e, false);
  }
  return out;
}

// Titles before a name: the name after one is the candidate ("President Moon Jae-in"
// offers "Moon Jae-in", "Secretary of State Mike Pompeo" offers "Mike Pompeo").
bool IsTitle(const std::string& key) {
  static const std::set<std::string> kTitles = {"president", "premier", "chairman", "secretary", "minister", "envoy",
                                                "ambassador", "senator", "general", "special", "foreign", "vice"};
  return kTitles.count(key) > 0;
}

// Capitalised words that begin no new name: function words, days, months, and titles.
bool IsFunctionWord(const std::string& key) {
  static const std::set<std::string> kWords = {
      "a", "an", "the", "this", "that", "these", "those", "in", "on", "at", "by", "for", "from", "to", "of",
      "and", "but", "or", "if", "as", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her",
      "their", "our", "mr", "mrs", "ms", "dr", "when", "while", "after", "before", "since", "with",
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
      "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"};
  return kWords.count(key) > 0 || IsTitle(key);
}

// Words that may join the capitalised words of one name ("Republic of Korea"); not
// "and", which more often joins two names.
bool IsConnector(const std::string& key) { return key == "of" || key == "the" || key == "for" || key == "de"; }

void FindNames(const std::string& text, const std::map<std::string, std::vector<Name>>& names, DraftBlock* block) {
  const std::vector<Word> words = Words(text);
  std::vector<bool> covered(words.size(), false);
  std::set<const KnownEntity*> offered;
  // At each word, every entity with a name starting there, by its longest such name,
  // so that names inside a longer one are found too: "Secretary Pompeo's visits to
  // Pyongyang" offers the visits, Mike Pompeo, and Pyongyang.
  for (std::size_t at = 0; at < words.size(); ++at) {
    auto it = names.find(words[at].key);
    if (it == names.end()) continue;
    std::map<const KnownEntity*, const Name*> longest;
    for (const Name& name : it->second) {
      if (!Matches(name, words, at)) continue;
      const Name*& best = longest[name.entity];
      if (best == nullptr || name.words.size() > best->words.size()) best = &name;
    }
    std::vector<const Name*> found;
    for (const auto& [entity, name] : longest) found.push_back(name);
    std::sort(found.begin(), found.end(), [](const Name* a, const Name* b) {
      if (a->words.size() != b->words.size()) return a->words.size() > b->words.size();
      if (a->is_label != b->is_label) return a->is_label;
      return a->entity->id < b->entity->id;
    });
    for (const Name* name : found) {
      std::size_t end = words[at + name->words.size() - 1].end;
      if (name->ends_with_period && end < text.size() && text[end] == '.') ++end;  // "U.S."
      if (offered.insert(name->entity).second) {
        block->known.push_back(DraftMention{name->entity, text.substr(words[at].begin, end - words[at].begin)});
      }
      std::fill(covered.begin() + at, covered.begin() + at + name->words.size(), true);
    }
  }
  // Capitalised words that an earlier word of the text shows are not just a sentence's
  // first word.
  std::set<std::string> capitalised_inside;
  for (const Word& w : words) {
    if (w.capitalised && !w.starts_sentence) capitalised_inside.insert(w.key);
  }
  // Whether words[next] continues the capitalised phrase before it, and may end it.
  auto continues = [&](std::size_t next, bool* may_end) {
    const Word& w = words[next];
    *may_end = w.capitalised || w.hyphenated;
    if (covered[next] || w.after_break) return false;
    if (words[next - 1].possessive && IsFunctionWord(w.key)) return false;  // "South Korea's President"
    return *may_end || IsConnector(w.key);
  };
  std::set<std::string> listed;
  for (std::size_t at = 0; at < words.size();) {
    const Word& first = words[at];
    bool may_end = false;
    const bool next_continues = at + 1 < words.size() && continues(at + 1, &may_end) && may_end;
    // A sentence's first word starts a phrase only when the text capitalises it
    // elsewhere too or a capitalised word follows it.
    const bool sentence_case = first.starts_sentence && !capitalised_inside.count(first.key) && !next_continues;
    if (IsTitle(first.key)) {  // the title and its "of State"
      ++at;
      while (at + 1 < words.size() && IsConnector(words[at].key) && words[at + 1].capitalised && !covered[at + 1]) at += 2;
      continue;
    }
    if (covered[at] || !first.capitalised || IsFunctionWord(first.key) || sentence_case) {
      ++at;
      continue;
    }
    std::size_t last = at;
    for (std::size_t next = at + 1; next < words.size() && continues(next, &may_end); ++next) {
      if (may_end) last = next;
    }
    std::string name = text.substr(first.begin, words[last].end - first.begin);
    if (listed.insert(rdf::SearchKey(name)).second) block->new_names.push_back(std::move(name));
    at = last + 1;
  }
}

nlohmann::ordered_json BlockJson(const DraftBlock& block) {
  nlohmann::ordered_json locator;
  if (block.locator == "paragraph") {
    locator["paragraph"] = std::stoi(block.value);
  } else {
    locator[block.locator] = block.value;
  }
  nlohmann::ordered_json j;
  j[block.locator] = locator[block.locator];
  j["text"] = block.text;
  j["known"] = nlohmann::ordered_json::array();
  for (const auto& m : block.known) {
    nlohmann::ordered_json evidence = locator;
    evidence["quote"] = m.quote;
    j["known"].push_back({{"id", m.entity->id},
                          {"kind", m.entity->kind},
                          {"type", m.entity->type},
                          {"label", m.entity->label},
                          {"evidence", evidence}});
  }
  j["new names"] = block.new_names;
  return j;
}

}  // namespace

SourceDraft DraftSource(const SourceText& text, const std::vector<KnownEntity>& entities) {
  const auto names = NamesByFirstWord(entities);
  SourceDraft draft;
  auto add = [&](std::string locator, std::string value, const std::string& body) {
    DraftBlock block{std::move(locator), std::move(value), body, {}, {}};
    FindNames(body, names, &block);
    draft.blocks.push_back(std::move(block));
  };
  for (const auto& [name, body] : text.sections) add("section", name, body);
  for (std::size_t i = 0; i < text.paragraphs.size(); ++i) add("paragraph", std::to_string(i + 1), text.paragraphs[i]);
  return draft;
}

std::string DraftFactFile(const SourceDraft& draft, const std::string& source_id, const std::string& title,
                          const std::string& text_path) {
  nlohmann::ordered_json j;
  j["source"] = {{"id", source_id}, {"title", title}, {"text", text_path}};
  j["draft"] = nlohmann::ordered_json::array();
  for (const auto& block : draft.blocks) j["draft"].push_back(BlockJson(block));
  for (const auto& kind : KindRegistry::Default().kinds()) j[kind.name] = nlohmann::ordered_json::array();
  return j.dump(2) + "\n";
}

}  // namespace parley::ingest::facts
