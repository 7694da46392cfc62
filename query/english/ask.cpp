// query/english/ask.cpp: the controlled-English grammar (Spirit X3), the compiler from
// a parsed question to SPARQL, and the evidence behind each answer.
#include "query/english/ask.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "ingest/evidence.hpp"
#include "query/english/ambiguity.hpp"
#include "query/english/answer.hpp"
#include "query/english/reading.hpp"
#include "ingest/facts/fact_file.hpp"
#include "query/grammar/config.hpp"

namespace parley::query::english {
namespace {

namespace x3 = boost::spirit::x3;
using grammar::Kw;

const std::string kOnt = "http://parley.example.org/ontology#";
const std::string kRdfsLabel = "http://www.w3.org/2000/01/rdf-schema#label";

// ---------------------------------------------------------------- parsed question

struct Clause {
  std::vector<PropertyWord> verbs;   // the candidates the verb phrase names
  std::string verb_text;
  std::vector<std::string> entity;   // candidates for the name (more than one: ambiguous)
  std::string entity_text;
  bool x_first = true;               // "?x VERB E" (else "E VERB ?x")
  bool joined_by_or = false;
};

struct Modifier {
  enum class Kind : std::uint8_t { kAccordingTo, kAbout, kBefore, kAfter, kIn, kBy };
  Kind kind;
  std::vector<std::string> entity;
  std::string entity_text, date;
};

struct Question {
  enum class Form : std::uint8_t { kWhich, kWho, kHowMany, kWhen, kWhere, kWhatObject, kValue, kAskRelation, kAskType };
  Form form = Form::kWhich;
  std::string cls;                   // class IRI (which, how many, ask type)
  std::string cls_text;
  std::vector<Clause> clauses;
  std::vector<Modifier> modifiers;
  std::size_t rest_offset = 0;       // where the words after the class noun start (for "No ...")
};

// What the actions fill in while the grammar matches. Every top-level alternative
// starts with Reset(), so a failed alternative leaves nothing behind.
struct Builder {
  const Lexicon* lexicon = nullptr;
  std::string::const_iterator begin;
  std::size_t furthest = 0;          // the furthest the input was understood, for messages
  Question q;
  // The last matches, consumed by the actions that follow them.
  std::vector<std::string> entity, cls;
  std::string entity_text, cls_text, verb_text;
  std::vector<PropertyWord> verbs;
  std::string date;
  std::size_t class_end = 0;        // offset just after the last class noun matched
  bool class_end_pending = false;
  bool next_or = false;
  void Reset() { q = Question{}; next_or = false; }
};
struct builder_tag;

template <class Ctx>
Builder& B(const Ctx& ctx) {
  return x3::get<builder_tag>(ctx).get();
}

// ---------------------------------------------------------------- lexicon parsers

enum class Table : std::uint8_t { kEntity, kClass, kVerb, kNoun };

// Matches the longest phrase (whole words) of one lexicon table at the cursor.
struct LexiconParser : x3::parser<LexiconParser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  Table table;
  explicit LexiconParser(Table t) : table(t) {}

  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, const It& last, const Ctx& ctx, RCtx&, Attr&) const {
    x3::skip_over(first, last, ctx);
    Builder& b = B(ctx);
    const Lexicon& lex = *b.lexicon;
    // Word ends (exclusive) from the cursor, up to the longest phrase in the lexicon.
    std::vector<It> ends;
    It it = first;
    while (it != last && ends.size() < lex.max_words) {
      if (*it == '?' || *it == ',' || *it == '.') break;
      while (it != last && *it != ' ' && *it != '?' && *it != ',') ++it;
      // A full stop ends a word only at the end of the question ("U.S." is a word).
      ends.push_back(it);
      if (it == last || *it != ' ') break;
      ++it;
    }
    for (auto e = ends.rbegin(); e != ends.rend(); ++e) {
      std::string phrase(first, *e);
      while (!phrase.empty() && phrase.back() == '.') phrase.pop_back();
      if (Match(b, phrase)) {
        It end = *e;
        if (phrase.size() < static_cast<std::size_t>(end - first)) end = first + static_cast<std::ptrdiff_t>(phrase.size());
        first = end;
        b.furthest = std::max(b.furthest, static_cast<std::size_t>(first - b.begin));
        if (b.class_end_pending) {
          b.class_end = static_cast<std::size_t>(first - b.begin);
          b.class_end_pending = false;
        }
        return true;
      }
    }
    return false;
  }

  static std::vector<std::string> All(const std::multimap<std::string, std::string>& table, const std::string& phrase) {
    std::vector<std::string> out;
    for (auto [i, e] = table.equal_range(phrase); i != e; ++i) out.push_back(i->second);
    return out;
  }

  bool Match(Builder& b, const std::string& phrase) const {
    const Lexicon& lex = *b.lexicon;
    switch (table) {
      case Table::kEntity: {
        b.entity = lex.EntitiesNamed(phrase);
        if (b.entity.empty()) return false;
        b.entity_text = phrase;
        return true;
      }
      case Table::kClass: {
        b.cls = All(lex.classes, phrase);
        if (b.cls.empty()) return false;
        b.cls_text = phrase;
        b.class_end_pending = true;
        return true;
      }
      case Table::kVerb:
      case Table::kNoun: {
        std::vector<PropertyWord> found;
        for (auto [i, e] = lex.properties.equal_range(phrase); i != e; ++i) {
          const bool noun = i->second.reading == Reading::kNoun;
          if (noun == (table == Table::kNoun)) found.push_back(i->second);
        }
        if (found.empty()) return false;
        b.verbs = found;
        b.verb_text = phrase;
        return true;
      }
    }
    return false;
  }
};

// YYYY, YYYY-MM or YYYY-MM-DD.
struct DateParser : x3::parser<DateParser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, const It& last, const Ctx& ctx, RCtx&, Attr&) const {
    x3::skip_over(first, last, ctx);
    It it = first;
    std::string text;
    while (it != last && ((*it >= '0' && *it <= '9') || *it == '-')) text.push_back(*it++);
    if (text.size() != 4 && text.size() != 7 && text.size() != 10) return false;
    B(ctx).date = text;
    first = it;
    return true;
  }
};

const LexiconParser entity_word(Table::kEntity), class_word(Table::kClass), verb_word(Table::kVerb),
    noun_word(Table::kNoun);
const DateParser date_word;

template <class F>
auto Act(F f) {
  return [f](auto& ctx) { f(B(ctx), ctx); };
}

// ---------------------------------------------------------------- the grammar

const auto article = -(Kw("the") | Kw("a") | Kw("an"));
const auto aux = Kw("did") | Kw("does") | Kw("do") | Kw("was") | Kw("were") | Kw("is") | Kw("are") | Kw("has") |
                 Kw("have") | Kw("had") | Kw("will");
const auto relative = Kw("that") | Kw("which") | Kw("who") | Kw("whom");
const auto entity_ref = article >> entity_word;

auto PushClause(bool x_first) {
  return Act([x_first](Builder& b, auto&) {
    Clause c;
    c.verbs = b.verbs;
    c.verb_text = b.verb_text;
    c.entity = b.entity;
    c.entity_text = b.entity_text;
    c.x_first = x_first;
    c.joined_by_or = b.next_or;
    b.next_or = false;
    b.q.clauses.push_back(std::move(c));
  });
}

const auto be_form = Kw("is") | Kw("are") | Kw("was") | Kw("were") | Kw("been") | Kw("be");
// "addressed sovereignty assurances", "that involve China", "were addressed by Mele",
// and passives the lexicon spells without the auxiliary: "were" + "proposed by".
const auto clause_x_first = (-relative >> verb_word >> entity_ref)[PushClause(true)] |
                            (-relative >> be_form >> verb_word >> entity_ref)[PushClause(true)];
// "did Nicholas Mele make" (the answer is the object)
const auto clause_x_second = (-relative >> aux >> entity_ref >> verb_word)[PushClause(false)];
const auto clause = clause_x_second | clause_x_first;
const auto clauses =
    clause >> *((Kw("and") | Kw("or")[Act([](Builder& b, auto&) { b.next_or = true; })]) >> clause);

auto PushModifier(Modifier::Kind kind) {
  return Act([kind](Builder& b, auto&) {
    b.q.modifiers.push_back(Modifier{kind, b.entity, b.entity_text, b.date});
    b.date.clear();
  });
}
const auto when_target = date_word[Act([](Builder& b, auto&) { b.entity.clear(); })] | entity_ref;
const auto modifier = (Kw("according") >> Kw("to") >> entity_ref)[PushModifier(Modifier::Kind::kAccordingTo)] |
                      (Kw("about") >> entity_ref)[PushModifier(Modifier::Kind::kAbout)] |
                      (Kw("before") >> when_target)[PushModifier(Modifier::Kind::kBefore)] |
                      (Kw("after") >> when_target)[PushModifier(Modifier::Kind::kAfter)] |
                      (Kw("in") >> entity_ref)[PushModifier(Modifier::Kind::kIn)];
const auto modifiers = *(-x3::lit(',') >> modifier);

auto Start(Question::Form form) {
  return Act([form](Builder& b, auto&) {
    b.Reset();
    b.q.form = form;
  });
}
const auto set_class = Act([](Builder& b, auto&) {
  b.q.cls = b.cls.front();
  b.q.cls_text = b.cls_text;
  b.q.rest_offset = b.class_end;
});
// A clause made of the question's own subject and verb: "when did X take place".
const auto subject_clause = Act([](Builder& b, auto&) {
  Clause c;
  c.verbs = b.verbs;
  c.verb_text = b.verb_text;
  c.entity = b.entity;
  c.entity_text = b.entity_text;
  c.x_first = false;
  b.q.clauses.push_back(std::move(c));
});
const auto be = Kw("is") | Kw("are") | Kw("was") | Kw("were");

const auto question =
    (x3::eps[Start(Question::Form::kHowMany)] >> Kw("how") >> Kw("many") >> class_word[set_class] >> clauses >>
     modifiers) |
    (x3::eps[Start(Question::Form::kWhen)] >> Kw("when") >> aux >> entity_ref >> verb_word[subject_clause] >> modifiers) |
    (x3::eps[Start(Question::Form::kWhere)] >> Kw("where") >> aux >> entity_ref >> verb_word[subject_clause]) |
    (x3::eps[Start(Question::Form::kWhere)] >> Kw("where") >> be >> entity_ref[subject_clause]) |
    (x3::eps[Start(Question::Form::kWho)] >> (Kw("who") | Kw("whom")) >> clauses >> modifiers) |
    (x3::eps[Start(Question::Form::kWhich)] >> (Kw("which") | Kw("what")) >> class_word[set_class] >>
     -(Kw("by") >> entity_ref)[PushModifier(Modifier::Kind::kBy)] >> -clauses >> modifiers) |
    (x3::eps[Start(Question::Form::kWhatObject)] >> Kw("what") >> aux >> entity_ref >> verb_word[subject_clause] >>
     modifiers) |
    (x3::eps[Start(Question::Form::kValue)] >> Kw("what") >> be >> article >> noun_word >> Kw("of") >>
     entity_ref[subject_clause]) |
    (x3::eps[Start(Question::Form::kAskType)] >> be >> entity_ref[Act([](Builder& b, auto&) {
       Clause c;
       c.entity = b.entity;
       c.entity_text = b.entity_text;
       b.q.clauses.push_back(std::move(c));
     })] >> article >> class_word[set_class]) |
    (x3::eps[Start(Question::Form::kAskRelation)] >> aux >> entity_ref[Act([](Builder& b, auto&) {
       Clause c;  // the subject; the verb and object complete it below
       c.entity = b.entity;
       c.entity_text = b.entity_text;
       b.q.clauses.push_back(std::move(c));
     })] >> verb_word >> entity_ref[PushClause(true)]);

const auto full_question = question >> -x3::lit('?') >> -x3::lit('.') >> -x3::lit('?') >> x3::eoi;

// ---------------------------------------------------------------- compiling to SPARQL

std::string Iri(const std::string& iri) { return "<" + iri + ">"; }

class Compiler {
 public:
  Compiler(const Lexicon& lex, const Question& q, const QuadSource& source, const TermDictionary& dictionary)
      : lex_(lex), q_(q), source_(source), dictionary_(dictionary) {}

  // Returns "" and sets `error` when the question cannot be compiled.
  std::string Compile(std::string* error) {
    switch (q_.form) {
      case Question::Form::kWhich:
      case Question::Form::kWho:
      case Question::Form::kHowMany:
      case Question::Form::kWhatObject: return Select(error);
      case Question::Form::kWhen: return Value(lex_domain_date(), error, "date");
      case Question::Form::kWhere: return Value(kOnt + "location", error, "place");
      case Question::Form::kValue: return Value("", error, "value");
      case Question::Form::kAskType: return "ASK { " + Iri(q_.clauses[0].entity[0]) + " a " + Iri(q_.cls) + " }";
      case Question::Form::kAskRelation: {
        // "did A VERB B": A is ?x's stand-in.
        Clause c = q_.clauses[1];
        std::string where = Condition(c, Iri(q_.clauses[0].entity[0]), "", error);
        if (where.empty()) return "";
        return "ASK { " + where + " }";
      }
    }
    return "";
  }

  const std::vector<std::string>& evidence_vars() const { return hidden_; }
  bool no_connection() const { return no_connection_; }

 private:
  std::string lex_domain_date() const { return kOnt + "date"; }

  bool Fits(const std::string& cls, const std::string& expected) const {
    if (cls.empty() || expected.empty()) return true;
    auto up = lex_.superclasses.find(cls);
    if (up != lex_.superclasses.end() && up->second.count(expected)) return true;
    auto down = lex_.superclasses.find(expected);
    return down != lex_.superclasses.end() && down->second.count(cls);
  }
  bool EntityFits(const std::string& entity, const std::string& expected) const {
    return expected.empty() || lex_.IsA(entity, expected);
  }

  std::string Predicate(const std::string& p) const { return Iri(p) + (lex_.transitive.count(p) ? "+" : ""); }

  std::string Fresh() {
    std::string v = "?v" + std::to_string(++fresh_);
    hidden_.push_back(v.substr(1));
    return v;
  }

  // The pattern for one clause about `x` (a variable or an IRI), whose class is `cls`.
  std::string Condition(const Clause& c, const std::string& x, const std::string& cls, std::string* error) {
    if (c.entity.size() > 1) {
      *error = Ambiguous(c.entity_text, c.entity);
      return "";
    }
    const std::string& e = c.entity[0];
    const std::string E = Iri(e);
    // Try each reading the verb allows; prefer one whose domain and range fit.
    // Pass 0 wants a declared domain and range that fit (so "dealt with" reads as
    // :addresses for proposals rather than the unconstrained :about); pass 1 accepts
    // undeclared ones; pass 2 bridges through a thing of the expected class.
    for (int pass = 0; pass < 3; ++pass) {
      for (const PropertyWord& w : c.verbs) {
        const std::string dom = lex_.domain.count(w.property) ? lex_.domain.at(w.property) : "";
        const std::string ran = lex_.range.count(w.property) ? lex_.range.at(w.property) : "";
        if (w.reading == Reading::kCo) {
          std::string m = Fresh();
          return m + " " + Predicate(w.property) + " " + x + " . " + m + " " + Predicate(w.property) + " " + E +
                 " . FILTER(" + x + " != " + E + ")";
        }
        // Who holds which end: "x VERB e" reads x as the subject of a forward verb.
        const bool x_is_subject = (w.reading == Reading::kForward) == c.x_first;
        const std::string& x_side = x_is_subject ? dom : ran;
        const std::string& e_side = x_is_subject ? ran : dom;
        if (!Fits(cls, x_side)) continue;
        if (pass == 0 && (e_side.empty() || (x_side.empty() && !cls.empty()))) continue;
        if (pass < 2 && EntityFits(e, e_side)) {
          return x_is_subject ? x + " " + Predicate(w.property) + " " + E : E + " " + Predicate(w.property) + " " + x;
        }
        if (pass == 2 && !e_side.empty()) {
          // Bridge through a thing of the expected class: "who proposed sanctions relief"
          // means who proposed a proposal that addresses sanctions relief.
          for (const auto& [q, qdom] : lex_.domain) {
            auto qr = lex_.range.find(q);
            if (qdom != e_side || qr == lex_.range.end() || !EntityFits(e, qr->second)) continue;
            std::string b = Fresh();
            return (x_is_subject ? x + " " + Predicate(w.property) + " " + b : b + " " + Predicate(w.property) + " " + x) +
                   " . " + b + " " + Predicate(q) + " " + E;
          }
        }
      }
    }
    // Nothing of this kind can stand in this relation to the entity: an empty answer.
    no_connection_ = true;
    return "";
  }

  std::string Modifiers(const std::string& x, std::string* error, std::string* graph_wrap) {
    std::string out;
    for (const Modifier& m : q_.modifiers) {
      if (m.entity.size() > 1) {
        *error = Ambiguous(m.entity_text, m.entity);
        return "";
      }
      switch (m.kind) {
        case Modifier::Kind::kAccordingTo: *graph_wrap = Iri(m.entity[0]); break;
        case Modifier::Kind::kAbout: out += " . " + x + " <" + kOnt + "about> " + Iri(m.entity[0]); break;
        case Modifier::Kind::kBy: {
          // "claims by Mele": the property whose "... by" verb links this class to the name.
          std::string property;
          for (const auto& [phrase, w] : lex_.properties) {
            if (w.reading != Reading::kForward || phrase.size() < 3 || phrase.compare(phrase.size() - 3, 3, " by") != 0) continue;
            const std::string dom = lex_.domain.count(w.property) ? lex_.domain.at(w.property) : "";
            const std::string ran = lex_.range.count(w.property) ? lex_.range.at(w.property) : "";
            if (!dom.empty() && Fits(q_.cls, dom) && EntityFits(m.entity[0], ran)) {
              property = w.property;
              break;
            }
          }
          if (property.empty()) {
            no_connection_ = true;
            return "";
          }
          out += " . " + x + " " + Iri(property) + " " + Iri(m.entity[0]);
          break;
        }
        case Modifier::Kind::kIn: {
          std::string loc = Fresh();
          out += " . " + x + " <" + kOnt + "location> " + loc + " . " + loc + " <" + kOnt + "locatedIn>* " + Iri(m.entity[0]);
          break;
        }
        case Modifier::Kind::kBefore:
        case Modifier::Kind::kAfter: {
          const char* op = m.kind == Modifier::Kind::kBefore ? "<" : ">";
          std::string d = Fresh();
          out += " . " + x + " <" + kOnt + "date> " + d;
          if (!m.date.empty()) {
            out += " FILTER(STR(" + d + ") " + op + " \"" + m.date + "\")";
          } else {
            std::string d2 = Fresh();
            out += " . " + Iri(m.entity[0]) + " <" + kOnt + "date> " + d2 + " FILTER(STR(" + d + ") " + op + " STR(" + d2 + "))";
          }
          break;
        }
      }
    }
    return out;
  }

  std::string Select(std::string* error) {
    const std::string x = "?answer";
    std::string cls = q_.cls;
    if (q_.form == Question::Form::kWho) cls = kOnt + "Actor";
    std::string where;
    if (!q_.cls.empty()) where = x + " a " + Iri(q_.cls);
    std::string pending_union;
    for (std::size_t i = 0; i < q_.clauses.size(); ++i) {
      std::string cond = Condition(q_.clauses[i], x, cls, error);
      if (cond.empty()) return "";
      const bool next_is_or = i + 1 < q_.clauses.size() && q_.clauses[i + 1].joined_by_or;
      if (next_is_or || q_.clauses[i].joined_by_or) {
        pending_union += (pending_union.empty() ? "{ " : " UNION { ") + cond + " }";
        if (next_is_or) continue;
        cond = pending_union;
        pending_union.clear();
      }
      where += (where.empty() ? "" : " . ") + cond;
    }
    std::string wrap;
    std::string mods = Modifiers(x, error, &wrap);
    if (!error->empty()) return "";
    where += mods;
    if (!wrap.empty()) {
      // "according to" a source, or to an actor: then any source the actor wrote.
      const std::string source = lex_.IsA(wrap.substr(1, wrap.size() - 2), kOnt + "Source") ? wrap : "?source";
      where = "GRAPH ?context { " + where + " } ?context <" + kOnt + "source> " + source;
      if (source == "?source") where += " . ?source <" + kOnt + "author> " + wrap;
    }
    if (q_.form == Question::Form::kHowMany) return "SELECT (COUNT(DISTINCT " + x + ") AS ?count) WHERE { " + where + " }";
    return "SELECT DISTINCT " + x + " ?label WHERE { " + where + " OPTIONAL { " + x + " <" + kRdfsLabel +
           "> ?label } } ORDER BY ?label " + x;
  }

  // "when did X ...", "where is X", "what is the outcome of X": one value of one entity.
  std::string Value(const std::string& fallback, std::string* error, const char* name) {
    const Clause& c = q_.clauses[0];
    if (c.entity.size() > 1) {
      *error = Ambiguous(c.entity_text, c.entity);
      return "";
    }
    std::string property = fallback;
    for (const PropertyWord& w : q_.form == Question::Form::kWhere ? std::vector<PropertyWord>{} : c.verbs) {
      // A verb or noun of a property of the entity's kind: "take place" is :date,
      // "begin" is :startDate, "outcome" is :outcome.
      const std::string dom = lex_.domain.count(w.property) ? lex_.domain.at(w.property) : "";
      if (EntityFits(c.entity[0], dom) && (q_.form != Question::Form::kWhen || w.property.find("ate") != std::string::npos)) {
        property = w.property;
        break;
      }
    }
    if (property.empty()) {
      *error = "I understood the question, but \"" + c.verb_text + "\" is not something " + Label(c.entity[0]) + " has.";
      return "";
    }
    return std::string("SELECT DISTINCT ?") + name + " ?label WHERE { " + Iri(c.entity[0]) + " " + Iri(property) + " ?" +
           name + " OPTIONAL { ?" + name + " <" + kRdfsLabel + "> ?label } } ORDER BY ?" + name;
  }

  std::string Label(const std::string& iri) const {
    auto it = lex_.label.find(iri);
    return it == lex_.label.end() ? iri : it->second;
  }
  std::string Plural(const std::string& cls) const {
    auto it = lex_.plural.find(cls);
    return it == lex_.plural.end() ? Label(cls) : it->second;
  }
  std::string Ambiguous(const std::string& text, const std::vector<std::string>& candidates) const {
    return AmbiguityMessage(text, candidates, lex_, source_, dictionary_);
  }

  const Lexicon& lex_;
  const Question& q_;
  const QuadSource& source_;
  const TermDictionary& dictionary_;
  int fresh_ = 0;
  bool no_connection_ = false;
  std::vector<std::string> hidden_;
};

// ---------------------------------------------------------------- messages

const std::set<std::string>& GrammarWords() {
  static const std::set<std::string> words = {
      "which", "what", "who", "whom", "when", "where", "how", "many", "did", "does", "do", "was", "were", "is", "are",
      "has", "have", "had", "will", "that", "the", "a", "an", "and", "or", "of", "according", "to", "about", "before",
      "after", "in"};
  return words;
}

// The first word of `text` that is in neither the grammar nor the lexicon.
std::optional<std::pair<std::size_t, std::string>> UnknownWord(const std::string& text, const Lexicon& lex) {
  std::set<std::string> known = GrammarWords();
  for (const auto& phrase : lex.Vocabulary()) {
    std::size_t start = 0;
    while (start <= phrase.size()) {
      std::size_t end = phrase.find(' ', start);
      if (end == std::string::npos) end = phrase.size();
      known.insert(phrase.substr(start, end - start));
      start = end + 1;
    }
  }
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    while (!word.empty() && (word.back() == '?' || word.back() == '.' || word.back() == ',')) word.pop_back();
    std::string bare = word;
    if (bare.size() > 2 && bare.compare(bare.size() - 2, 2, "'s") == 0) bare.resize(bare.size() - 2);
    if (!word.empty() && !known.count(word) && !known.count(bare) &&
        !std::all_of(word.begin(), word.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; })) {
      return std::make_pair(start, word);
    }
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace
bool ParseQuestion(const std::string& text, const Lexicon& lexicon, Builder* builder);
namespace {

// The closest word that makes the question readable when put in place of `word` at
// `at`, or "" when none does: a near word that still fails would only mislead.
std::string Suggestion(const std::string& text, std::size_t at, const std::string& word, const Lexicon& lex,
                       const QuadSource& source, const TermDictionary& dictionary) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::set<std::string> candidates = GrammarWords();
  for (const auto& phrase : lex.Vocabulary()) {
    candidates.insert(phrase);
    std::size_t space = phrase.find(' ');
    if (space != std::string::npos) candidates.insert(phrase.substr(0, space));
  }
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const auto& c : candidates) {
    const std::size_t d = ingest::facts::EditDistance(word, c);
    if (d <= limit) near.emplace_back(d, c);
  }
  std::sort(near.begin(), near.end());
  for (std::size_t i = 0; i < near.size() && i < 24; ++i) {
    const std::string fixed = text.substr(0, at) + near[i].second + text.substr(at + word.size());
    Builder attempt;
    if (ParseQuestion(fixed, lex, &attempt) || Readable(fixed, lex, source, dictionary)) return near[i].second;
  }
  return "";
}

std::string Label(const Lexicon& lex, const std::string& iri) {
  auto it = lex.label.find(iri);
  return it == lex.label.end() ? iri : it->second;
}

// The relaxed reader's example questions, from its refusal, to end another message.
std::string ExamplesIn(const std::string& refusal) {
  const auto at = refusal.find("\nQuestions like these work");
  return at == std::string::npos ? "" : refusal.substr(at);
}

std::string Caret(const std::string& text, std::size_t at) { return text + "\n" + std::string(at, ' ') + "^"; }

}  // namespace

// The subjects with both `a` and `b` as values of `property` (the meetings two actors attended).
std::vector<Term> SharedSubjects(const std::string& property, const std::string& a, const std::string& b,
                                 const QuadSource& source, const TermDictionary& dictionary) {
  const std::string text = "SELECT DISTINCT ?s WHERE { ?s <" + property + "> <" + a + "> , <" + b + "> }";
  QueryOptions options;
  auto rows = RunQuery(text, "<evidence>", source, dictionary, options);
  std::vector<Term> out;
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) {
    if (row[0]) out.push_back(*row[0]);
  }
  return out;
}

// Parses `text` into a fresh `builder`; true when all of it is a question.
bool ParseQuestion(const std::string& text, const Lexicon& lexicon, Builder* builder) {
  *builder = Builder{};
  builder->lexicon = &lexicon;
  builder->begin = text.begin();
  auto first = text.cbegin();
  try {
    return x3::phrase_parse(first, text.cend(), x3::with<builder_tag>(std::ref(*builder))[full_question],
                            grammar::kAsciiSpace);
  } catch (const std::exception&) {
    return false;
  }
}

// The longest phrase of `table` made of words[from, from + n), or 0 words.
template <class Table>
std::size_t LongestPhrase(const std::vector<std::string>& words, std::size_t from, bool backwards, const Table& table) {
  std::size_t best = 0;
  std::string phrase;
  for (std::size_t n = 1; n <= words.size() && (backwards ? n <= from : from + n <= words.size()); ++n) {
    phrase = backwards ? words[from - n] + (phrase.empty() ? "" : " " + phrase)
                       : phrase + (phrase.empty() ? "" : " ") + words[from + n - 1];
    if (table.count(phrase) != 0) best = n;
  }
  return best;
}

// What people type at a prompt that the grammar reads once reworded: a possessive
// ("mele's claims" as "claims by mele") and a bare noun phrase ("claims by mele" as
// "which claims by mele").
std::vector<std::string> Rephrasings(const std::string& text, const Lexicon& lexicon) {
  std::vector<std::string> candidates;
  std::vector<std::string> words;
  for (std::size_t start = 0; start < text.size();) {
    const auto end = std::min(text.find(' ', start), text.size());
    words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::string reworded = text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() < 3 || w.compare(w.size() - 2, 2, "'s") != 0) continue;
    std::vector<std::string> left(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    left.back().resize(left.back().size() - 2);
    const std::size_t name = LongestPhrase(left, left.size(), true, lexicon.entities);
    const std::size_t noun = LongestPhrase(words, i + 1, false, lexicon.classes);
    if (name == 0 || noun == 0) continue;
    auto join = [](auto first, auto last) {
      std::string out;
      for (auto it = first; it != last; ++it) out += (out.empty() ? "" : " ") + *it;
      return out;
    };
    const auto name_begin = left.end() - static_cast<std::ptrdiff_t>(name);
    const auto noun_begin = words.begin() + static_cast<std::ptrdiff_t>(i) + 1;
    const auto noun_end = noun_begin + static_cast<std::ptrdiff_t>(noun);
    std::string before = join(left.begin(), name_begin), after = join(noun_end, words.end());
    reworded = (before.empty() ? "" : before + " ") + join(noun_begin, noun_end) + " by " + join(name_begin, left.end()) +
               (after.empty() ? "" : " " + after);
    candidates.push_back(reworded);
    break;
  }
  candidates.push_back("which " + text);
  if (reworded != text) candidates.push_back("which " + reworded);
  return candidates;
}

Result<AskResult> AskQuestion(const std::string& raw, const Lexicon& lexicon, const QuadSource& source,
                              const TermDictionary& dictionary, bool why,
                              const std::atomic<bool>* cancel) {
  AskResult result;
  std::string text = Lexicon::Normalize(raw);
  Builder builder;
  bool parsed = ParseQuestion(text, lexicon, &builder);
  if (!parsed) {
    for (const std::string& rephrased : Rephrasings(text, lexicon)) {
      Builder attempt;
      if (ParseQuestion(rephrased, lexicon, &attempt)) {
        text = rephrased;
        parsed = ParseQuestion(text, lexicon, &builder);
        break;
      }
    }
  }
  std::string relaxed_message;
  // The yes/no questions the grammar reads are read again by the relaxed reader, which
  // answers with the facts behind a yes and says what the graph lacks for a no.
  // So are counts (so that :why shows what was counted), dates and places, and time
  // modifiers, which the relaxed reader reads by dates as well as by :precededBy.
  const bool timed = std::any_of(builder.q.modifiers.begin(), builder.q.modifiers.end(), [](const Modifier& m) {
    return m.kind == Modifier::Kind::kBefore || m.kind == Modifier::Kind::kAfter;
  });
  if (!parsed || timed || builder.q.form == Question::Form::kAskRelation || builder.q.form == Question::Form::kHowMany ||
      builder.q.form == Question::Form::kWhen || builder.q.form == Question::Form::kWhere) {
    ReadResult relaxed = ReadQuestion(raw, lexicon, source, dictionary);
    if (relaxed.reading) return AnswerReading(*relaxed.reading, lexicon, source, dictionary, why, cancel);
    relaxed_message = relaxed.message;
    if (!parsed && !relaxed.message.empty() && !UnknownWord(text, lexicon)) {
      result.message = relaxed.message;
      return result;
    }
  }
  if (!parsed) {
    if (auto unknown = UnknownWord(text, lexicon)) {
      result.message = "I don't know \"" + unknown->second + "\".";
      std::string suggestion = Suggestion(text, unknown->first, unknown->second, lexicon, source, dictionary);
      if (!suggestion.empty()) result.message += " Did you mean \"" + suggestion + "\"?";
      result.message += "\n" + Caret(text, unknown->first);
      result.message += ExamplesIn(relaxed_message);
      return result;
    }
    const std::size_t at = std::min(builder.furthest, text.size());
    result.message = at == 0 ? "I could not make sense of the question from its start."
                             : "I understood \"" + text.substr(0, at) + "\" but could not go on from there.";
    result.message += "\n" + Caret(text, at == 0 ? 0 : std::min(at + 1, text.size()));
    return result;
  }
  Compiler compiler(lexicon, builder.q, source, dictionary);
  std::string error;
  result.sparql = compiler.Compile(&error);
  if (!error.empty()) {
    ReadResult relaxed = ReadQuestion(raw, lexicon, source, dictionary);
    if (relaxed.reading) return AnswerReading(*relaxed.reading, lexicon, source, dictionary, why, cancel);
    result.message = error;
    return result;
  }
  result.understood = true;
  QueryResult no_rows;
  if (compiler.no_connection()) {
    // The words fit together, but nothing of this kind relates so to that entity.
    result.sparql = "# no pattern can match: the verb does not connect these kinds of things";
    no_rows.vars = {"answer"};
  }
  QueryOptions options;
  options.prefixes = BuiltinPrefixes();
  options.cancel = cancel;
  auto answer = compiler.no_connection() ? Result<QueryResult>(no_rows)
                                         : RunQuery(result.sparql, "<question>", source, dictionary, options);
  if (!answer.ok()) return answer.status();
  if (answer->form == QueryForm::kAsk) {
    result.is_boolean = true;
    result.boolean = answer->boolean;
    std::string statement = raw;
    while (!statement.empty() && (statement.back() == '?' || statement.back() == ' ')) statement.pop_back();
    const std::size_t space = statement.find(' ');
    statement = space == std::string::npos ? statement : statement.substr(space + 1);
    result.message = answer->boolean ? "Yes: " + Label(lexicon, builder.q.clauses[0].entity[0]) + " is a " +
                                           builder.q.cls_text + "."
                                     : "The graph has no record that " + statement + ".";
    return result;
  }
  // Entities by label; literals by value.
  // A second column named "label" holds the label of the entity in the first.
  const bool entity_rows = answer->vars.size() > 1 && answer->vars[1] == "label";
  result.columns = {answer->vars[0]};
  for (const auto& row : answer->rows) {
    Answer a;
    const auto& v = row[0];
    if (!v) continue;
    if (v->kind == TermKind::kIri) a.iri = v->value;
    if (entity_rows && row.size() > 1 && row[1]) {
      a.values.push_back(row[1]->value);
    } else {
      a.values.push_back(v->value);
    }
    if (why) {
      // The facts the answer rests on: each triple pattern with the answer put in.
      std::vector<std::array<Term, 3>> facts;
      for (const auto& c : builder.q.clauses) {
        if (c.entity.empty()) continue;
        for (const auto& w : c.verbs) {
          facts.push_back({*v, Term::Iri(w.property), Term::Iri(c.entity[0])});
          facts.push_back({Term::Iri(c.entity[0]), Term::Iri(w.property), *v});
          if (w.reading == Reading::kCo && v->kind == TermKind::kIri) {
            // "X met Y": the evidence is each meeting's participation of both.
            for (const auto& shared : SharedSubjects(w.property, v->value, c.entity[0], source, dictionary)) {
              facts.push_back({shared, Term::Iri(w.property), *v});
              facts.push_back({shared, Term::Iri(w.property), Term::Iri(c.entity[0])});
            }
          }
        }
      }
      if (!builder.q.cls.empty()) facts.push_back({*v, Term::Iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Term::Iri(builder.q.cls)});
      for (const auto& m : builder.q.modifiers) {
        if (m.kind == Modifier::Kind::kAbout && !m.entity.empty()) facts.push_back({*v, Term::Iri(kOnt + "about"), Term::Iri(m.entity[0])});
      }
      for (const auto& e : ingest::EvidenceFor(source, dictionary, facts)) {
        a.evidence.push_back(Evidence{e.source_id, e.source_title, e.locator, e.quote});
      }
    }
    result.answers.push_back(std::move(a));
  }
  if (result.answers.empty()) {
    // The strict reading found nothing; the relaxed one may read the words otherwise
    // ("where is Hanoi" follows :locatedIn, "who disagrees with Trump" bridges claims).
    ReadResult relaxed = ReadQuestion(raw, lexicon, source, dictionary);
    if (relaxed.reading) {
      auto second = AnswerReading(*relaxed.reading, lexicon, source, dictionary, why, cancel);
      if (!second.ok()) return second.status();
      if (!second->answers.empty()) return second;
    }
  }
  if (result.answers.empty()) {
    // "No proposals addressed climate change.", in the question's own capitalisation
    // when normalising changed nothing but case and spacing.
    std::string display;
    for (char c : raw) {
      const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      if (space && (display.empty() || display.back() == ' ')) continue;
      display.push_back(space ? ' ' : c);
    }
    while (!display.empty() && display.back() == ' ') display.pop_back();
    const bool same_shape = display.size() == text.size() && Lexicon::Normalize(display) == text;
    const std::string& source_text = same_shape ? display : text;
    std::string rest = builder.q.rest_offset > 0 ? source_text.substr(builder.q.rest_offset) : "";
    while (!rest.empty() && (rest.back() == '?' || rest.back() == '.')) rest.pop_back();
    if (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
    std::string plural = builder.q.cls_text;
    if (builder.q.form == Question::Form::kWho) {
      result.message = "Nobody " + source_text.substr(source_text.find(' ') + 1);
      while (!result.message.empty() && (result.message.back() == '?' || result.message.back() == '.')) result.message.pop_back();
      result.message += ".";
    } else if (!plural.empty()) {
      result.message = "No " + plural + (rest.empty() ? "" : " " + rest) + ".";
    } else {
      result.message = "No answer in the graph.";
    }
    result.message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(result.message[0])));
  }
  return result;
}

}  // namespace parley::query::english
