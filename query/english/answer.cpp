#include "query/english/answer.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "rdf/evidence.hpp"

namespace parley::query::english {
namespace {

const std::string kOnt = "http://parley.example.org/ontology#";
const std::string kRdfs = "http://www.w3.org/2000/01/rdf-schema#";
const std::string kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::size_t kMostPerLine = 8;

class Answerer {
 public:
  Answerer(const Lexicon& lex, const QuadSource& source, const TermDictionary& dictionary, bool why,
           const std::atomic<bool>* cancel)
      : lex_(lex), source_(source), dictionary_(dictionary), why_(why), cancel_(cancel) {}

  Result<AskResult> Answer(const Interpretation& r) {
    auto answered = AnswerReading(r);
    if (!evidence_status_.ok()) return evidence_status_;
    return answered;
  }

 private:
  Result<AskResult> AnswerReading(const Interpretation& r) {
    result_.understood = true;
    result_.sparql = r.sparql;
    result_.reading = "I read this as: " + r.described + " (SPARQL with :sparql)";
    switch (r.form) {
      case Interpretation::Form::kDescribe: return Profile(r.entity);
      case Interpretation::Form::kWhy: return Explanations(r.entity);
      default: break;
    }
    auto rows = Run(r.sparql, true);
    if (!rows.ok()) return rows.status();
    std::vector<english::Answer> answers = Group(r, *rows);
    switch (r.form) {
      case Interpretation::Form::kCount:
        result_.columns = {"count"};
        result_.counted = std::move(answers);
        result_.answers.push_back(english::Answer{{std::to_string(result_.counted.size())}, {}, ""});
        break;
      case Interpretation::Form::kYesNo:
        result_.is_boolean = true;
        result_.boolean = !rows->rows.empty();
        result_.message = result_.boolean ? "Yes: " + Sentence(r.described) + WhereAndWhen(*rows) + "."
                                          : "The graph has no record that " + Sentence(r.described) + ".";
        if (result_.boolean && !answers.empty()) {
          english::Answer all{{"Yes"}, {}, ""};
          for (auto& a : answers) all.evidence.insert(all.evidence.end(), a.evidence.begin(), a.evidence.end());
          result_.answers.push_back(std::move(all));
        }
        break;
      default:
        result_.columns = {r.form == Interpretation::Form::kWhen ? "date" : r.form == Interpretation::Form::kWhere ? "place" : "answer"};
        result_.answers = std::move(answers);
        if (result_.answers.empty()) result_.message = "No answer in the graph for " + r.described + ".";
        break;
    }
    return result_;
  }

  // " (Panmunjom summit of April 2018, 2018-04-27, Panmunjom; ...)": the events a yes
  // rests on, earliest first, each with its date and place, so that a yes says where
  // and when.
  std::string WhereAndWhen(const QueryResult& q) const {
    std::set<std::string> events;
    for (const auto& row : q.rows) {
      for (const auto& v : row) {
        if (v && v->kind == TermKind::kIri && lex_.IsA(v->value, kOnt + "Event")) events.insert(v->value);
      }
    }
    std::vector<std::pair<std::string, std::string>> described;  // (date, "label, date, place")
    for (const auto& event : events) {
      const std::string e = "<" + event + ">";
      auto facts = Run("SELECT ?d ?pl WHERE { OPTIONAL { " + e + " (<" + kOnt + "date>|<" + kOnt + "startDate>) ?d } OPTIONAL { " +
                       e + " <" + kOnt + "location> ?p . ?p <" + kRdfs + "label> ?pl } } ORDER BY ?d ?pl LIMIT 1", false);
      std::string date, text = Label(event);
      if (facts.ok() && !facts->rows.empty()) {
        if (facts->rows[0][0]) date = facts->rows[0][0]->value;
        for (const auto& v : facts->rows[0]) {
          if (v) text += ", " + v->value;
        }
      }
      described.emplace_back(date, text);
    }
    std::sort(described.begin(), described.end());
    constexpr std::size_t kMostNamed = 4;
    std::string out;
    for (std::size_t i = 0; i < described.size() && i < kMostNamed; ++i) out += (i == 0 ? " (" : "; ") + described[i].second;
    if (described.size() > kMostNamed) out += "; and " + std::to_string(described.size() - kMostNamed) + " more";
    return out.empty() ? out : out + ")";
  }

  static std::string Sentence(std::string described) {
    const std::string lead = "whether the graph records that ";
    if (described.rfind(lead, 0) == 0) described.erase(0, lead.size());
    return described;
  }

  Result<QueryResult> Run(const std::string& sparql, bool inference) const {
    QueryOptions options;
    options.prefixes = BuiltinPrefixes();
    options.cancel = cancel_;
    options.inference = inference;
    return RunQuery(sparql, "<question>", source_, dictionary_, options);
  }

  std::string Label(const Term& t) const {
    if (t.kind != TermKind::kIri) return t.value;
    if (auto label = lex_.LabelOf(t.value)) return std::string(*label);
    return t.value.substr(t.value.find_last_of("#/") + 1);
  }
  std::string Label(const std::string& iri) const { return Label(Term::Iri(iri)); }

  // The stored triples a row's bindings fill into the reading's patterns.
  void AddFacts(const Interpretation& r, const QueryResult& q, const std::vector<std::optional<Term>>& row,
                std::vector<std::array<Term, 3>>* facts) const {
    auto ground = [&](const std::string& s) -> std::optional<Term> {
      if (s.empty()) return std::nullopt;
      if (s[0] == '<') return Term::Iri(s.substr(1, s.size() - 2));
      const std::string name = s.substr(1);
      for (std::size_t i = 0; i < q.vars.size(); ++i) {
        if (q.vars[i] == name) return row[i];
      }
      return std::nullopt;
    };
    for (const auto& f : r.facts) {
      auto s = ground(f[0]), p = ground(f[1]), o = ground(f[2]);
      if (!s || !p || !o) continue;
      facts->push_back({*s, *p, *o});
      facts->push_back({*o, *p, *s});  // a symmetric property's fact may be stored either way
    }
  }

  // The evidence of `facts`; a store error is kept for Answer to return.
  std::vector<Evidence> EvidenceOf(const std::vector<std::array<Term, 3>>& facts) {
    std::vector<Evidence> out;
    if (!why_ || !evidence_status_.ok()) return out;
    auto evidence = rdf::EvidenceFor(source_, dictionary_, facts);
    if (!evidence.ok()) {
      evidence_status_ = evidence.status();
      return out;
    }
    out = std::move(*evidence);
    return out;
  }

  // One answer per value of the first column, in the order the query sorted them.
  std::vector<english::Answer> Group(const Interpretation& r, const QueryResult& q) {
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::size_t>> rows;
    for (std::size_t i = 0; i < q.rows.size(); ++i) {
      if (q.rows[i].empty() || !q.rows[i][0]) continue;
      const std::string key = q.rows[i][0]->value;
      if (!rows.count(key)) order.push_back(key);
      rows[key].push_back(i);
    }
    auto column = [&](const std::string& name) {
      const auto it = std::find(q.vars.begin(), q.vars.end(), name);
      return it == q.vars.end() ? q.vars.size() : static_cast<std::size_t>(it - q.vars.begin());
    };
    const std::size_t label = column("label"), value = column("value"), value_label = column("value_label");
    std::vector<english::Answer> out;
    for (const auto& key : order) {
      const auto& first = q.rows[rows[key][0]];
      std::string text = label < q.vars.size() && first[label] ? first[label]->value : Label(*first[0]);
      std::vector<std::string> values;  // in the query's order: a place before what contains it
      std::vector<std::array<Term, 3>> facts;
      for (std::size_t i : rows[key]) {
        const auto& row = q.rows[i];
        if (value < q.vars.size() && row[value]) {
          const std::string v = value_label < q.vars.size() && row[value_label] ? row[value_label]->value : row[value]->value;
          if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
          if (r.form == Interpretation::Form::kWhen) facts.push_back({*row[0], Term::Iri(kOnt + "date"), *row[value]});
          if (r.form == Interpretation::Form::kWhen) facts.push_back({*row[0], Term::Iri(kOnt + "startDate"), *row[value]});
          if (r.form == Interpretation::Form::kWhen) facts.push_back({*row[0], Term::Iri(kOnt + "endDate"), *row[value]});
          if (r.form == Interpretation::Form::kWhere) facts.push_back({*row[0], Term::Iri(kOnt + "location"), *row[value]});
          if (r.form == Interpretation::Form::kWhere) facts.push_back({*row[0], Term::Iri(kOnt + "locatedIn"), *row[value]});
        }
        AddFacts(r, q, row, &facts);
      }
      if (r.form == Interpretation::Form::kWhen || r.form == Interpretation::Form::kWhere) {
        std::string joined;
        if (r.form == Interpretation::Form::kWhen && values.size() > 1) {
          std::sort(values.begin(), values.end());
          joined = values.front() + " to " + values.back();
        } else {
          for (const auto& v : values) joined += (joined.empty() ? "" : ", ") + v;
        }
        // One thing named in the question: its value alone; several: each with its value.
        text = order.size() == 1 ? joined : text + ": " + joined;
      }
      out.push_back(english::Answer{{text}, EvidenceOf(facts), first[0]->kind == TermKind::kIri ? first[0]->value : ""});
    }
    return out;
  }

  // ------------------------------------------------------------ profiles

  // The order a profile lists properties in; the rest follow by label.
  static int Rank(const std::string& p) {
    static const std::vector<std::string> order = {kRdfType, kOnt + "alias", kOnt + "role", kOnt + "represents",
                                                   kOnt + "memberOf", kOnt + "date", kOnt + "startDate",
                                                   kOnt + "endDate", kOnt + "location", kOnt + "locatedIn",
                                                   kOnt + "participant", kOnt + "proposedBy", kOnt + "claimedBy",
                                                   kOnt + "addresses", kOnt + "involves", kOnt + "about",
                                                   kOnt + "outcome", kOnt + "description"};
    const auto it = std::find(order.begin(), order.end(), p);
    return it == order.end() ? static_cast<int>(order.size()) : static_cast<int>(it - order.begin());
  }
  static bool Hidden(const std::string& p) {
    return p == kRdfs + "label" || p == kOnt + "mentions" || p == kOnt + "contentHash" || p == kOnt + "source";
  }

  Result<AskResult> Profile(const std::string& entity) {
    result_.columns = {"fact"};
    const std::string e = "<" + entity + ">";
    auto out = Run("SELECT ?p ?o WHERE { " + e + " ?p ?o }", false);
    if (!out.ok()) return out.status();
    auto in = Run("SELECT ?p ?s WHERE { ?s ?p " + e + " }", false);
    if (!in.ok()) return in.status();
    const Term subject = Term::Iri(entity);
    std::string kind;
    for (const auto& row : out->rows) {
      if (row[0] && row[0]->value == kRdfType && row[1]) kind += (kind.empty() ? "" : ", ") + Label(*row[1]);
    }
    result_.answers.push_back(english::Answer{{Label(entity) + (kind.empty() ? "" : " (" + kind + ")")}, {}, entity});
    // Facts about it, one line per property.
    std::map<std::pair<int, std::string>, std::vector<Term>> lines;
    for (const auto& row : out->rows) {
      if (!row[0] || !row[1] || Hidden(row[0]->value) || row[0]->value == kRdfType) continue;
      lines[{Rank(row[0]->value), row[0]->value}].push_back(*row[1]);
    }
    for (const auto& [key, values] : lines) {
      std::vector<std::array<Term, 3>> facts;
      for (const auto& v : values) facts.push_back({subject, Term::Iri(key.second), v});
      AddLine(Label(key.second), values, facts);
    }
    // Facts that point to it, worded from its side: "took part in", "proposed".
    std::map<std::pair<int, std::string>, std::vector<Term>> back;
    for (const auto& row : in->rows) {
      if (!row[0] || !row[1] || Hidden(row[0]->value) || row[0]->value == kRdfType) continue;
      if (row[1]->value.find("/evidence/") != std::string::npos) continue;
      back[{Rank(row[0]->value), row[0]->value}].push_back(*row[1]);
    }
    for (const auto& [key, values] : back) {
      std::vector<std::array<Term, 3>> facts;
      for (const auto& v : values) facts.push_back({v, Term::Iri(key.second), subject});
      auto inverse = lex_.inverse_label.find(key.second);
      const std::string word = inverse != lex_.inverse_label.end() ? inverse->second : Label(key.second) + " of";
      AddLine(word, values, facts);
    }
    return result_;
  }

  void AddLine(const std::string& name, const std::vector<Term>& values, const std::vector<std::array<Term, 3>>& facts) {
    std::vector<std::string> labels;
    for (const auto& v : values) labels.push_back(Label(v));
    std::sort(labels.begin(), labels.end());
    labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
    std::string text = name + ": ";
    for (std::size_t i = 0; i < labels.size() && i < kMostPerLine; ++i) text += (i == 0 ? "" : "; ") + labels[i];
    if (labels.size() > kMostPerLine) text += "; and " + std::to_string(labels.size() - kMostPerLine) + " more";
    result_.answers.push_back(english::Answer{{text}, EvidenceOf(facts), ""});
  }

  // ------------------------------------------------------------ explanations

  Result<AskResult> Explanations(const std::string& entity) {
    result_.columns = {"claim"};
    const std::string e = "<" + entity + ">";
    const std::string sparql = "SELECT DISTINCT ?claim ?text ?who ?name WHERE { ?claim a :Claim ; :claimedBy ?who . "
                               "{ ?claim :about " + e + " } UNION { ?claim :claimedBy " + e + " } "
                               "OPTIONAL { ?claim rdfs:label ?text } OPTIONAL { ?who rdfs:label ?name } } ORDER BY ?name ?text";
    result_.sparql = sparql;
    auto rows = Run(sparql, true);
    if (!rows.ok()) return rows.status();
    std::map<std::string, std::vector<std::size_t>> by_claim;
    std::vector<std::string> order;
    for (std::size_t i = 0; i < rows->rows.size(); ++i) {
      const auto& row = rows->rows[i];
      if (!row[0]) continue;
      if (!by_claim.count(row[0]->value)) order.push_back(row[0]->value);
      by_claim[row[0]->value].push_back(i);
    }
    // By who claims it: "Nicholas Mele: ...", all of one claimant together.
    std::vector<std::pair<std::string, english::Answer>> answers;
    for (const auto& claim : order) {
      std::string names;
      std::vector<std::array<Term, 3>> facts;
      const auto& first = rows->rows[by_claim[claim][0]];
      for (std::size_t i : by_claim[claim]) {
        const auto& row = rows->rows[i];
        names += (names.empty() ? "" : " and ") + (row[3] ? row[3]->value : Label(*row[2]));
        facts.push_back({*row[0], Term::Iri(kOnt + "about"), Term::Iri(entity)});
        facts.push_back({*row[0], Term::Iri(kOnt + "claimedBy"), *row[2]});
      }
      const std::string text = first[1] ? first[1]->value : Label(*first[0]);
      answers.push_back({names, english::Answer{{names + ": " + text}, EvidenceOf(facts), claim}});
    }
    std::stable_sort(answers.begin(), answers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [name, a] : answers) result_.answers.push_back(std::move(a));
    if (result_.answers.empty()) result_.message = "The graph records no claims about " + Label(entity) + ".";
    return result_;
  }

  const Lexicon& lex_;
  const QuadSource& source_;
  const TermDictionary& dictionary_;
  bool why_;
  const std::atomic<bool>* cancel_;
  AskResult result_;
  Status evidence_status_;  // the first failed evidence lookup
};

}  // namespace

Result<AskResult> AnswerReading(const Interpretation& reading, const Lexicon& lexicon, const QuadSource& source,
                                const TermDictionary& dictionary, bool why, const std::atomic<bool>* cancel) {
  return Answerer(lexicon, source, dictionary, why, cancel).Answer(reading);
}

}  // namespace parley::query::english
