#include "query/english/loose.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "query/english/mentions.hpp"
#include "query/english/morphology.hpp"
#include "query/english/tokens.hpp"
#include "rdf/edit_distance.hpp"

namespace parley::query::english {
namespace {

const std::string kOnt = "http://parley.example.org/ontology#";
const std::string kLabel = "<http://www.w3.org/2000/01/rdf-schema#label>";
// Links a looser reading never follows: bookkeeping, not facts about the world.
const std::vector<std::string> kNotLinks = {"mentions", "source", "alias", "contentHash", "description", "title"};
constexpr std::size_t kMostEntities = 3;     // names joined in one reading
constexpr std::size_t kMostSensesPerName = 6;

std::string Iri(const std::string& iri) { return "<" + iri + ">"; }

bool Capitalised(const Token& t) {
  const bool digit = std::any_of(t.text.begin(), t.text.end(), [](unsigned char c) { return std::isdigit(c); });
  const bool letter = std::any_of(t.text.begin(), t.text.end(), [](unsigned char c) { return std::isalpha(c); });
  return letter && (t.capital || digit);
}

// True when the words of tokens [first, last) name an entity, or any run inside them
// does ("Micheal Cohen": "Cohen"), or they are part of a longer name ("Korean War" in
// "Korean War Armistice Agreement"), or a misspelling of a name ("Singapre").
bool NamesSomething(const std::vector<Token>& t, std::size_t first, std::size_t last, const Lexicon& lex) {
  for (std::size_t i = first; i < last; ++i) {
    std::string phrase;
    for (std::size_t j = i; j < last; ++j) {
      phrase += (phrase.empty() ? "" : " ") + t[j].text;
      if (!lex.EntitiesNamed(phrase).empty()) return true;
    }
  }
  std::string typed;
  for (std::size_t i = first; i < last; ++i) typed += (typed.empty() ? "" : " ") + t[i].text;
  const std::size_t limit = typed.size() >= 8 ? 2 : typed.size() >= 5 ? 1 : 0;
  bool found = false;
  lex.entity_names.ForEachName([&](std::string_view key, std::string_view) {
    if (found) return;
    const std::size_t at = key.find(typed);
    const bool starts = at != std::string_view::npos && (at == 0 || key[at - 1] == ' ');
    const bool ends = at != std::string_view::npos && (at + typed.size() == key.size() || key[at + typed.size()] == ' ');
    found = (starts && ends) ||
            (limit > 0 && key.size() + limit >= typed.size() && typed.size() + limit >= key.size() &&
             rdf::EditDistance(typed, key) <= limit);
  });
  return found;
}

bool IsWordOfTheLexicon(const Token& t, const Lexicon& lex) {
  static const std::set<std::string> calendar = {"january", "february", "march", "april", "may", "june", "july",
                                                 "august", "september", "october", "november", "december", "monday",
                                                 "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  return calendar.count(t.text) > 0 || FunctionWord(t.lemma) || FunctionWord(t.text) || lex.senses.count(t.lemma) > 0 ||
         lex.senses.count(t.text) > 0;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  }
  return out;
}

// ---------------------------------------------------------------- looser readings

struct Named {
  std::vector<std::string> entities;  // what one name may mean
  std::string label;
};

class LooseReader {
 public:
  LooseReader(std::string_view question, const Lexicon& lex) : lex_(lex) {
    tokens_ = Tokenize(question);
    mentions_ = FindMentions(lex_, tokens_);
  }

  std::vector<Interpretation> Readings() {
    ReadMentions();
    std::vector<Interpretation> out;
    if (unknown_ || named_.empty() || named_.size() > kMostEntities) return out;
    out.push_back(Reading(cls_, false));
    // "talks" when the linking meeting is a negotiation: the widest kind of the one asked for.
    const std::string wider = Widest(cls_);
    if (!cls_.empty() && wider != cls_) out.push_back(Reading(wider, false));
    if (named_.size() == 1 && !cls_.empty()) out.push_back(Reading(cls_, true));
    return out;
  }

 private:
  void ReadMentions() {
    std::size_t i = 0;
    while (i < mentions_.size() && mentions_[i].Is({"please", "can", "could", "you", "tell", "me", "show", "list",
                                                     "give", "find", "name", "i", "want", "know"})) {
      ++i;
    }
    if (i < mentions_.size()) {
      const Mention& first = mentions_[i];
      if (first.Is({"when"})) form_ = Interpretation::Form::kWhen;
      if (first.Is({"where"})) form_ = Interpretation::Form::kWhere;
      if (first.Is({"who", "whom"})) cls_ = kOnt + "Actor";
      if (first.Is({"how"}) && i + 1 < mentions_.size() && mentions_[i + 1].Is({"many"})) form_ = Interpretation::Form::kCount;
      if (first.Is({"count", "number"})) form_ = Interpretation::Form::kCount;
    }
    for (std::size_t k = 0; k < mentions_.size(); ++k) {
      const Mention& m = mentions_[k];
      if (m.kind == Mention::Kind::kDate) dates_.push_back(m.date);
      if (m.kind == Mention::Kind::kWord && Unknown(m.word)) unknown_ = true;
      if (m.kind != Mention::Kind::kSense) continue;
      const bool verb = m.Has(Sense::Kind::kProperty) || m.Has(Sense::Kind::kEventClass);
      if (m.Has(Sense::Kind::kEntity) && !verb) {
        Named n;
        n.label = m.text;
        for (const Sense& s : m.Of(Sense::Kind::kEntity)) {
          if (std::find(n.entities.begin(), n.entities.end(), s.iri) == n.entities.end()) n.entities.push_back(s.iri);
        }
        // Two things of one name ("North Korea" from two sources) are for the user to
        // choose between, not to be read loosely as either.
        std::set<std::string_view> labels;
        for (const auto& e : n.entities) labels.insert(lex_.LabelOf(e).value_or(e));
        if (labels.size() < n.entities.size()) unknown_ = true;
        if (!n.entities.empty() && n.entities.size() <= kMostSensesPerName) {
          if (auto label = lex_.LabelOf(n.entities[0]); label && n.entities.size() == 1) n.label = std::string(*label);
          named_.push_back(std::move(n));
        }
      } else if (m.Has(Sense::Kind::kClass) && cls_.empty() && (!verb || NounAt(k))) {
        cls_ = m.Of(Sense::Kind::kClass)[0].iri;
      }
    }
  }

  // A word that is neither English nor the graph's ("Singapre", "Helsinki"): what the
  // question is about may be just that, so nothing looser is offered.
  static bool Unknown(const std::string& w) {
    if (FunctionWord(w) || Ignorable(w) || w.size() < 3) return false;
    return !IsWordOf(w, WordClass::kNoun) && !IsWordOf(w, WordClass::kVerb) && !IsWordOf(w, WordClass::kAdjective) &&
           !IsWordOf(w, WordClass::kAdverb);
  }

  // "the visits", "count visits", "visits to": a word that is a class and a verb is the class.
  bool NounAt(std::size_t k) const {
    const Token& t = tokens_[mentions_[k].first];
    return t.text != t.lemma ||
           (k > 0 && mentions_[k - 1].Is({"the", "a", "an", "all", "every", "any", "count", "number", "many", "which", "what", "of"}));
  }

  // The class above `cls` that has no class above it: Event for Talks.
  std::string Widest(const std::string& cls) const {
    auto it = lex_.superclasses.find(cls);
    if (it == lex_.superclasses.end()) return cls;
    std::string widest = cls;
    std::size_t fewest = it->second.size();
    for (const auto& above : it->second) {
      auto up = lex_.superclasses.find(above);
      if (up != lex_.superclasses.end() && up->second.size() < fewest) {
        fewest = up->second.size();
        widest = above;
      }
    }
    return widest;
  }

  // ?p is a fact of the ontology between things, not bookkeeping.
  static std::string LinkFilter(const std::string& p) {
    std::string out = "FILTER(STRSTARTS(STR(" + p + "), \"" + kOnt + "\")";
    for (const auto& name : kNotLinks) out += " && " + p + " != <" + kOnt + name + ">";
    return out + ")";
  }

  // `a` and `b` joined by one fact, either way round, through property variable `p`.
  void Link(const std::string& a, const std::string& b, const std::string& p, Interpretation* r, std::string* where) {
    *where += "{ " + a + " " + p + " " + b + " } UNION { " + b + " " + p + " " + a + " } " + LinkFilter(p) + " ";
    r->facts.push_back({a, p, b});
    r->facts.push_back({b, p, a});
  }

  Interpretation Reading(const std::string& cls, bool two_steps) {
    Interpretation r;
    r.form = form_;
    std::string where, hidden;
    if (!cls.empty()) where += "?x a " + Iri(cls) + " . ";
    std::vector<std::string> names, terms;
    for (std::size_t i = 0; i < named_.size(); ++i) {
      std::string term = Iri(named_[i].entities[0]);
      if (named_[i].entities.size() > 1) {
        term = "?e" + std::to_string(i);
        where += "VALUES " + term + " {";
        for (const auto& e : named_[i].entities) where += " " + Iri(e);
        where += " } ";
      }
      terms.push_back(term);
      names.push_back(named_[i].label);
      const std::string p = "?p" + std::to_string(i);
      hidden += " " + p;
      if (two_steps) {
        const std::string m = "?m" + std::to_string(i), q = "?q" + std::to_string(i);
        hidden += " " + m + " " + q;
        Link("?x", m, p, &r, &where);
        Link(m, term, q, &r, &where);
        where += "FILTER(" + m + " != ?x && " + m + " != " + term + ") ";
      } else {
        Link("?x", term, p, &r, &where);
      }
      where += "FILTER(?x != " + term + ") ";
    }
    std::vector<std::string> when;
    for (std::size_t i = 0; i < dates_.size(); ++i) {
      // "between April and June 2018": from the first to the last.
      DateRange d = dates_[i];
      if (i + 1 < dates_.size()) d.to = dates_.back().to;
      where += "FILTER(" + DateOverlap("?x", d.from, d.to + "~") + ") ";
      when.push_back(d.from == d.to ? d.from : d.from + " to " + d.to);
      if (i + 1 < dates_.size()) break;
    }
    const std::string label = "OPTIONAL { ?x " + kLabel + " ?label } ";
    const std::string dates = "(<" + kOnt + "date>|<" + kOnt + "startDate>|<" + kOnt + "endDate>)";
    if (form_ == Interpretation::Form::kWhen) {
      r.sparql = "SELECT DISTINCT ?x ?label ?value" + hidden + " WHERE { " + where + "?x " + dates + " ?value . " + label +
                 "} ORDER BY ?value ?label";
    } else if (form_ == Interpretation::Form::kWhere) {
      r.sparql = "SELECT DISTINCT ?x ?label ?value ?value_label" + hidden + " WHERE { " + where + "?x <" + kOnt +
                 "location>/<" + kOnt + "locatedIn>* ?value . OPTIONAL { ?value " + kLabel + " ?value_label } " + label +
                 "} ORDER BY ?label ?value_label";
    } else {
      r.sparql = "SELECT DISTINCT ?x ?label" + hidden + " WHERE { " + where + label + "} ORDER BY ?label ?x";
    }
    const std::string kind = cls.empty() ? "things" : Plural(cls);
    r.described = kind + " linked to " + Join(names) + (two_steps ? " through one thing in between" : "") +
                  (when.empty() ? "" : ", in " + Join(when)) +
                  " (a looser reading: the question did not read exactly, so these are the facts that link what it names)";
    return r;
  }

  std::string Plural(const std::string& cls) const {
    auto it = lex_.plural.find(cls);
    if (it != lex_.plural.end()) return it->second;
    auto label = lex_.LabelOf(cls);
    return label ? std::string(*label) : "things";
  }

  const Lexicon& lex_;
  std::vector<Token> tokens_;
  std::vector<Mention> mentions_;
  std::vector<Named> named_;
  std::vector<DateRange> dates_;
  std::string cls_;
  bool unknown_ = false;  // a word or a name that the looser reading must not pass over
  Interpretation::Form form_ = Interpretation::Form::kList;
};

}  // namespace

std::vector<UnknownName> UnknownNames(std::string_view question, const Lexicon& lexicon) {
  const std::vector<Token> t = Tokenize(question);
  std::vector<UnknownName> out;
  std::size_t i = 0;
  while (i < t.size()) {
    if (!Capitalised(t[i])) {
      ++i;
      continue;
    }
    std::size_t last = i;
    while (last < t.size() && Capitalised(t[last])) ++last;
    // "Did", "Who", "Summits" begin a question; they are words, not names.
    std::size_t first = i;
    while (first < last && IsWordOfTheLexicon(t[first], lexicon) && !NamesSomething(t, first, first + 1, lexicon)) ++first;
    while (first < last && IsWordOfTheLexicon(t[last - 1], lexicon) && !NamesSomething(t, last - 1, last, lexicon)) --last;
    if (first < last && !NamesSomething(t, first, last, lexicon)) {
      UnknownName name;
      name.offset = t[first].offset;
      name.end = t[last - 1].offset + t[last - 1].text.size();
      name.end = std::min(name.end, question.size());
      name.offset = std::min(name.offset, name.end);
      name.text = std::string(question.substr(name.offset, name.end - name.offset));
      if (first > 0) {
        const std::string& before = t[first - 1].text;
        name.thing = before == "the" || before == "a" || before == "an" || before == "in" || before == "at";
      }
      out.push_back(std::move(name));
    }
    i = last;
  }
  return out;
}

std::string NoSuchNames(const std::vector<UnknownName>& names) {
  std::vector<std::string> parts;
  for (const auto& n : names) parts.push_back((n.thing ? "nothing named \"" : "no one named \"") + n.text + "\"");
  return "The graph has " + Join(parts) + ".";
}

std::vector<Interpretation> LooseReadings(std::string_view question, const Lexicon& lexicon) {
  return LooseReader(question, lexicon).Readings();
}

}  // namespace parley::query::english
