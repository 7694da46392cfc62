#include "query/english/mentions.hpp"

#include <algorithm>
#include <set>

#include "rdf/edit_distance.hpp"
#include "query/english/morphology.hpp"

namespace parley::query::english {
namespace {

const std::string kOnt = "http://parley.example.org/ontology#";

class Segmenter {
 public:
  Segmenter(const Lexicon& lex, const std::vector<Token>& tokens) : lex_(lex), t_(tokens) {}

  std::vector<Mention> Run() {
    std::vector<Mention> out;
    for (std::size_t i = 0; i < t_.size();) {
      Mention m;
      std::size_t next = i;
      if (auto date = ParseDate(t_, i, &next); date && !(t_[i].text == "may" && next == i + 1)) {
        m.kind = Mention::Kind::kDate;
        m.date = *date;
      } else if (!Lookup(i, &m, &next)) {
        m.kind = Mention::Kind::kWord;
        // "regarding" stays itself: a preposition, whatever its lemma.
        m.word = FunctionWord(t_[i].text) ? t_[i].text : t_[i].lemma;
        next = i + 1;
      }
      m.first = i;
      m.last = next;
      for (std::size_t k = i; k < next; ++k) m.text += (m.text.empty() ? "" : " ") + t_[k].text;
      out.push_back(std::move(m));
      i = next;
    }
    Fuzzy(&out);
    MergeNames(&out);
    MergeNameAndKind(&out);
    DropVagueNames(&out);
    return out;
  }

 private:
  // The longest phrase of the lexicon at token i.
  bool Lookup(std::size_t i, Mention* m, std::size_t* next) const {
    // Tokens split off "'s" and commas, so a name may take a few more tokens than words.
    const std::size_t longest = std::min(std::max(lex_.max_key_words, lex_.max_words) + 3, t_.size() - i);
    for (std::size_t n = longest; n >= 1; --n) {
      const std::string key = KeyOf(t_, i, i + n);
      std::vector<Sense> found = Names(i, i + n);
      // A function word is a name only when typed as one ("US", not "us").
      // "regarding" is a preposition, though its lemma is a verb of :about.
      const bool function_word = FunctionWord(key) || FunctionWord(t_[i].text);
      if (n == 1 && function_word && !(t_[i].capital && t_[i].text.size() > 1 && !found.empty())) continue;
      if (auto it = lex_.senses.find(key); it != lex_.senses.end()) found.insert(found.end(), it->second.begin(), it->second.end());
      if (found.empty()) continue;
      // "happened in 2019" is a date, not "happened in" a place.
      std::size_t after = 0;
      if (n > 1 && (t_[i + n - 1].text == "in" || t_[i + n - 1].text == "on") && ParseDate(t_, i + n, &after)) continue;
      m->kind = Mention::Kind::kSense;
      m->senses = std::move(found);
      *next = i + n;
      return true;
    }
    return false;
  }

  // The entities named by tokens [first, last) as typed, in the lexicon's form of a
  // name (Lexicon::Normalize: lower case, "'s" and commas against the word before).
  std::vector<Sense> Names(std::size_t first, std::size_t last) const {
    std::string surface;
    for (std::size_t k = first; k < last; ++k) {
      const bool attached = t_[k].text == "'s" || t_[k].text == ",";
      surface += (surface.empty() || attached ? "" : " ") + t_[k].text;
    }
    std::vector<Sense> out;
    for (const auto& e : lex_.EntitiesNamed(surface)) out.push_back(Sense{Sense::Kind::kEntity, e});
    // "peace treaties" names what "peace treaty" names.
    const Token& last_word = t_[last - 1];
    if (out.empty() && last_word.lemma != last_word.text && surface.size() >= last_word.text.size()) {
      surface.replace(surface.size() - last_word.text.size(), last_word.text.size(), last_word.lemma);
      for (const auto& e : lex_.EntitiesNamed(surface)) out.push_back(Sense{Sense::Kind::kEntity, e});
    }
    return out;
  }

  // Content words no phrase matched: a misspelt name ("Biegan"), a name given by one of
  // its words ("peace" for the peace treaty), or a synonym WordNet knows.
  void Fuzzy(std::vector<Mention>* mentions) const {
    for (auto& m : *mentions) {
      if (m.kind != Mention::Kind::kWord || FunctionWord(m.word) || m.word.size() < 4) continue;
      if (auto synonym = Synonym(m.word); !synonym.empty()) {
        m.kind = Mention::Kind::kSense;
        m.senses = synonym;
        continue;
      }
      // One word of names ("peace", "India-Pakistan"): the topics with it, else every
      // entity with it, narrowed by the next word of the name (MergeNames) or dropped.
      auto words = lex_.Names().words.find(m.word);
      if (words != lex_.Names().words.end() && !Ignorable(m.word)) {
        std::vector<std::string> topics, all(words->second.begin(), words->second.end());
        for (const auto& e : all) {
          if (lex_.IsA(e, kOnt + "Topic")) topics.push_back(e);
        }
        const auto& chosen = topics.empty() || topics.size() > 6 ? all : topics;
        m.kind = Mention::Kind::kSense;
        m.fuzzy = true;
        for (const auto& e : chosen) m.senses.push_back(Sense{Sense::Kind::kEntity, e});
        continue;
      }
      // "supprt" is "support" misspelt, for the spelling pass, not a word of a claim's label.
      if (CloseToLexiconWord(m.text)) continue;
      if (auto close = CloseName(m.text); !close.empty()) {
        m.kind = Mention::Kind::kSense;
        m.senses = close;
        m.fuzzy = true;
      }
    }
  }

  // "the Pyongyang summit": a name followed by a word of its kind is a longer name
  // ("Pyongyang summit of September 2018") when exactly the names holding both words
  // say so; read apart they would be two things with nothing between them.
  void MergeNameAndKind(std::vector<Mention>* mentions) const {
    for (std::size_t i = 0; i + 1 < mentions->size(); ++i) {
      Mention& a = (*mentions)[i];
      Mention& b = (*mentions)[i + 1];
      // Only a word that is nothing but a kind ("summit", not "meet", which is also a verb).
      if (a.kind != Mention::Kind::kSense || !a.Has(Sense::Kind::kEntity) || !b.Has(Sense::Kind::kClass) ||
          b.Has(Sense::Kind::kEntity) || b.Has(Sense::Kind::kProperty) || b.Has(Sense::Kind::kEventClass)) {
        continue;
      }
      const auto& words = lex_.Names().words;
      auto first = words.find(t_[a.last - 1].lemma), second = words.find(t_[b.first].lemma);
      if (first == words.end() || second == words.end()) continue;
      std::vector<Sense> both;
      for (const auto& e : first->second) {
        if (second->second.count(e) && lex_.IsA(e, b.Of(Sense::Kind::kClass)[0].iri)) both.push_back(Sense{Sense::Kind::kEntity, e});
      }
      if (both.empty() || both.size() > 3) continue;
      a.senses = both;
      a.last = b.last;
      a.text += " " + b.text;
      mentions->erase(mentions->begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
  }

  // A word of many names that no neighbour narrowed down names none of them.
  static void DropVagueNames(std::vector<Mention>* mentions) {
    for (auto& m : *mentions) {
      if (!m.fuzzy || m.senses.size() <= 3) continue;
      m.kind = Mention::Kind::kWord;
      m.senses.clear();
      m.fuzzy = false;
    }
  }

  // "India-Pakistan escalation": two words each found in names, read as the names both
  // fit, and of those the ones with the shortest names (the escalation, not a claim
  // whose long label begins with the same words).
  void MergeNames(std::vector<Mention>* mentions) const {
    for (std::size_t i = 0; i + 1 < mentions->size();) {
      Mention& a = (*mentions)[i];
      Mention& b = (*mentions)[i + 1];
      if (a.kind == Mention::Kind::kSense && b.kind == Mention::Kind::kSense && (a.fuzzy || b.fuzzy) &&
          a.Has(Sense::Kind::kEntity) && b.Has(Sense::Kind::kEntity)) {
        std::vector<Sense> both;
        for (const Sense& s : a.senses) {
          for (const Sense& t : b.senses) {
            if (s.kind == Sense::Kind::kEntity && t.kind == Sense::Kind::kEntity && s.iri == t.iri) both.push_back(s);
          }
        }
        if (!both.empty()) {
          auto length = [&](const Sense& s) {
            auto it = lex_.Names().shortest.find(s.iri);
            return it == lex_.Names().shortest.end() ? std::size_t{0} : it->second;
          };
          std::size_t fewest = length(both[0]);
          for (const Sense& s : both) fewest = std::min(fewest, length(s));
          both.erase(std::remove_if(both.begin(), both.end(), [&](const Sense& s) { return length(s) > fewest; }), both.end());
          a.senses = both;
          a.last = b.last;
          a.text += " " + b.text;
          mentions->erase(mentions->begin() + static_cast<std::ptrdiff_t>(i) + 1);
          continue;
        }
      }
      ++i;
    }
  }

  // The senses of a word WordNet relates to `lemma` that the lexicon has: a synonym
  // ("sought" for "asked for"), else a word of the same root ("signatory" for "sign",
  // "sponsorship" for "sponsor"), else a more general word ("inaugurate" is to
  // "begin"). A verb's relative gives a verb's senses, a noun's a class's; a word of
  // another class gives both. Verbs too common to mean one relation are passed over.
  std::vector<Sense> Synonym(const std::string& lemma) const {
    static const std::set<std::string> too_common = {"be", "do", "have", "make", "get", "take", "give", "go", "come",
                                                     "put", "set", "see", "run", "hold", "state", "name", "end",
                                                     "act", "change", "move", "use", "cause", "think", "know", "be"};
    auto senses_of = [&](const std::string& other, WordClass c) {
      std::vector<Sense> out;
      if (too_common.count(other)) return out;
      auto it = lex_.senses.find(PhraseKey(other));
      if (it == lex_.senses.end()) return out;
      for (Sense s : it->second) {
        const bool verb = s.kind == Sense::Kind::kProperty || s.kind == Sense::Kind::kEventClass;
        const bool fits = c == WordClass::kVerb ? verb : s.kind == Sense::Kind::kClass;
        s.synonym = true;
        if (fits) out.push_back(s);
      }
      return out;
    };
    for (WordClass c : {WordClass::kVerb, WordClass::kNoun}) {
      for (const std::string& other : Synonyms(lemma, c, 3)) {
        if (auto out = senses_of(other, c); !out.empty()) return out;
      }
    }
    for (Relation relation : {Relation::kDerivation, Relation::kHypernym}) {
      for (WordClass c : {WordClass::kVerb, WordClass::kNoun}) {
        for (const auto& [other, other_class] : Related(lemma, c, relation, 2)) {
          if (auto out = senses_of(other, other_class); !out.empty()) return out;
        }
      }
    }
    return {};
  }

  // True when `typed` is one edit from a one-word class or property phrase.
  bool CloseToLexiconWord(const std::string& typed) const {
    for (const auto& [key, senses] : lex_.senses) {
      if (key.find(' ') != std::string::npos || key.size() + 1 < typed.size() || typed.size() + 1 < key.size()) continue;
      if (rdf::EditDistance(typed, key) <= 1) return true;
    }
    return false;
  }

  // A name within a small edit distance of one word typed, when exactly one is closest.
  std::vector<Sense> CloseName(const std::string& typed) const {
    if (typed.size() < 5 || typed.size() > 64) return {};  // no name word is longer
    const std::size_t limit = typed.size() >= 8 ? 2 : 1;
    std::size_t best = limit + 1;
    std::set<std::string> found;
    for (const auto& [word, entities] : lex_.Names().words) {
      if (word.size() + limit < typed.size() || typed.size() + limit < word.size()) continue;
      const std::size_t d = rdf::EditDistance(typed, word);
      if (d < best) {
        best = d;
        found = entities;
      } else if (d == best) {
        found.insert(entities.begin(), entities.end());
      }
    }
    std::vector<Sense> out;
    if (best > limit || found.size() > 3) return out;
    for (const auto& e : found) out.push_back(Sense{Sense::Kind::kEntity, e});
    return out;
  }

  const Lexicon& lex_;
  const std::vector<Token>& t_;
};

}  // namespace

namespace {

const std::set<std::string>& FunctionWordSet() {
  static const std::set<std::string> words = {
      "which", "what", "who", "whom", "whose", "when", "where", "why", "how", "many", "much", "often", "be", "do",
      "have", "that", "the", "a", "an", "and", "or", "of", "to", "about", "before", "after", "in", "on", "at", "by",
      "with", "for", "from", "during", "between", "since", "until", "till", "into", "than", "there", "any", "all",
      "some", "each", "every", "other", "me", "us", "i", "we", "you", "it", "its", "they", "them", "their", "his",
      "her", "this", "these", "those", "can", "could", "would", "will", "shall", "should", "may", "might", "must",
      "please", "tell", "show", "list", "give", "find", "name", "display", "get", "both", "either", "also", "ever",
      ",", "'s", "not", "no", "know", "known", "over", "regarding", "concerning", "according", "as", "up", "so",
      "time", "number", "count", "total", "there", "here", "describe", "information",
      "info", "detail", "anything", "something", "everything", "like", "want", "see", "out", "look", "search",
      "let", "just", "only", "one", "ones", "kind", "type", "sort", "re", "relate", "related", "relating", "via",
      "among", "against", "toward", "towards", "under", "through", "whether", "if", "then", "while", "thing",
      "things", "entity", "entities", "record", "recorded", "graph", "database", "data", "fact", "facts"};
  return words;
}

}  // namespace

bool FunctionWord(const std::string& w) { return FunctionWordSet().count(w) > 0; }

const std::vector<std::string>& StructureWords() {
  static const std::vector<std::string> words(FunctionWordSet().begin(), FunctionWordSet().end());
  return words;
}

bool Ignorable(const std::string& w) {
  static const std::set<std::string> words = {
      "exactly", "actually", "really", "currently", "still", "officially", "publicly", "specifically", "main",
      "key", "important", "major", "particular", "specific", "various", "different", "recent", "previous",
      "earlier", "later", "already", "ultimately", "eventually", "originally", "first", "again", "together",
      "ever", "even", "yet", "now", "then", "finally", "precisely", "approximately", "roughly", "overall",
      "altogether", "respectively", "directly", "personally", "formally", "jointly", "new"};
  if (words.count(w)) return true;
  return IsWordOf(w, WordClass::kAdverb) && !IsWordOf(w, WordClass::kNoun) && !IsWordOf(w, WordClass::kVerb);
}

std::vector<Mention> FindMentions(const Lexicon& lexicon, const std::vector<Token>& tokens) {
  return Segmenter(lexicon, tokens).Run();
}

}  // namespace parley::query::english
