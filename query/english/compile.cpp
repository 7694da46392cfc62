// query/english/compile.cpp: from a parsed Question to SPARQL. Each verb reading is
// tried against the declared domain and range, most specific first; a name of another
// kind than the verb expects is bridged through one thing of the kind it does expect.
#include <algorithm>
#include <set>

#include "query/english/ambiguity.hpp"
#include "query/english/question.hpp"

namespace parley::query::english {
namespace {

const std::string kOnt = "http://parley.example.org/ontology#";
const std::string kRdfsLabel = "http://www.w3.org/2000/01/rdf-schema#label";

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
    auto label = lex_.LabelOf(iri);
    return label ? std::string(*label) : iri;
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


}  // namespace

Compiled CompileQuestion(const Question& question, const Lexicon& lexicon, const QuadSource& source,
                         const TermDictionary& dictionary) {
  Compiler compiler(lexicon, question, source, dictionary);
  Compiled out;
  out.sparql = compiler.Compile(&out.error);
  out.no_connection = compiler.no_connection();
  return out;
}

}  // namespace parley::query::english
