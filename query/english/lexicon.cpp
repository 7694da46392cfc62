#include "query/english/lexicon.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "query/engine.hpp"
#include "query/english/tokens.hpp"

namespace parley::query::english {
namespace {

const std::string kOnt = "http://parley.example.org/ontology#";
const std::string kEntities = "http://parley.example.org/id/";
const std::string kRdfs = "http://www.w3.org/2000/01/rdf-schema#";
const std::string kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

Result<QueryResult> Ask(const QuadSource& source, const TermDictionary& dictionary, const std::string& sparql) {
  QueryOptions options;
  options.prefixes = BuiltinPrefixes();
  options.inference = false;
  return RunQuery(sparql, "<lexicon>", source, dictionary, options);
}

// Reads the triples of one predicate straight from the store, decoding each term id
// once: the names and types of every entity are most of a large graph's lexicon, and a
// scan is several times quicker than the same rows through SPARQL.
class TripleReader {
 public:
  TripleReader(const QuadSource& source, const TermDictionary& dictionary) : source_(source), dictionary_(dictionary) {}

  // Calls f(subject, object) for each triple of `predicate` (none when it is unknown),
  // only for subjects read before (by an earlier ForEach) when `known_subjects`.
  // How many triples `predicate` has (from the planner's statistics), to size tables.
  std::size_t Count(const std::string& predicate) const {
    auto id = dictionary_.LookupId(Term::Iri(predicate));
    if (!id.ok()) return 0;
    auto stats = source_.Stats(*id);
    return stats.ok() ? static_cast<std::size_t>(stats->quads) : 0;
  }

  template <class F>
  Status ForEach(const std::string& predicate, F f, bool known_subjects = false) {
    auto id = dictionary_.LookupId(Term::Iri(predicate));
    if (!id.ok()) return id.status().code() == Status::Code::kNotFound ? Status::OK() : id.status();
    QuadPattern pattern;
    pattern.predicate = *id;
    auto cursor = source_.ScanUnion(pattern);
    std::vector<Quad> quads;
    PARLEY_RETURN_IF_ERROR(DrainCursor(*cursor, &quads));
    if (known_subjects) {
      quads.erase(std::remove_if(quads.begin(), quads.end(), [&](const Quad& q) { return !cache_.count(q.subject); }),
                  quads.end());
    }
    // Decode the ids not seen yet in one batch.
    std::vector<TermId> missing;
    for (const Quad& q : quads) {
      for (TermId term : {q.subject, q.object}) {
        if (cache_.emplace(term, std::nullopt).second) missing.push_back(term);
      }
    }
    std::vector<std::optional<Term>> terms;
    PARLEY_RETURN_IF_ERROR(dictionary_.LookupTerms(missing, &terms));
    for (std::size_t i = 0; i < missing.size(); ++i) cache_[missing[i]] = std::move(terms[i]);
    for (const Quad& q : quads) {
      const auto& s = cache_[q.subject];
      const auto& o = cache_[q.object];
      if (s && o) f(*s, *o);
    }
    return Status::OK();
  }

 private:

  const QuadSource& source_;
  const TermDictionary& dictionary_;
  std::unordered_map<TermId, std::optional<Term>> cache_;
};

std::size_t Words(const std::string& phrase) { return static_cast<std::size_t>(std::count(phrase.begin(), phrase.end(), ' ')) + 1; }

// Words no phrase of the lexicon may consist of alone: the reader's own function words
// ("by" is one of :author's verbs, "when" one of :date's nouns).
bool FunctionPhrase(const std::string& key) {
  static const std::set<std::string> words = {"by", "when", "where", "in", "at", "of", "be", "do", "have", "the",
                                              "a", "an", "and", "or", "to", "for", "on", "with", "from"};
  return words.count(key) > 0;
}

void AddSense(Lexicon* lex, const std::string& phrase, const Sense& given) {
  const std::string key = PhraseKey(phrase);
  if (key.empty() || FunctionPhrase(key)) return;
  Sense sense = given;
  sense.passive = key.rfind("be ", 0) == 0 || (key.size() > 3 && key.compare(key.size() - 3, 3, " by") == 0) ||
                  given.passive;
  auto& list = lex->senses[key];
  for (const Sense& s : list) {
    if (s.kind == sense.kind && s.iri == sense.iri && s.reading == sense.reading) return;
  }
  list.push_back(sense);
  lex->max_key_words = std::max(lex->max_key_words, Words(key));
  // "was held in" is also found as "held in" ("was the summit held in Hanoi").
  if (key.rfind("be ", 0) == 0 && sense.kind == Sense::Kind::kProperty) AddSense(lex, key.substr(3), sense);  // stays passive
}

// The index the relaxed reader looks phrases up in: every class and property word,
// lemmatised. WordNet's synonyms are looked up when a question has a word the
// index lacks (reading.cpp), not here: synonymy goes both ways, and the lexicon stays
// quick to build on a large graph.
void BuildSenses(Lexicon* lex, const std::vector<std::pair<std::string, std::string>>& event_verbs) {
  for (const auto& [phrase, cls] : lex->classes) AddSense(lex, phrase, Sense{Sense::Kind::kClass, cls});
  for (const auto& [phrase, word] : lex->properties) {
    AddSense(lex, phrase, Sense{Sense::Kind::kProperty, word.property, word.reading});
  }
  for (const auto& [phrase, cls] : event_verbs) AddSense(lex, phrase, Sense{Sense::Kind::kEventClass, cls});
}


}  // namespace

std::string Lexicon::Normalize(std::string_view text) {
  std::string out;
  bool space = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    // ’ (U+2019) and ‘ (U+2018) are apostrophes too.
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x99 || static_cast<unsigned char>(text[i + 2]) == 0x98)) {
      out.push_back('\'');
      i += 2;
      space = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!space) out.push_back(' ');
      space = true;
      continue;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    space = false;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.rfind("the ", 0) == 0) out.erase(0, 4);
  return out;
}

Result<Lexicon> Lexicon::Load(const QuadSource& source, const TermDictionary& dictionary) {
  auto names = ReadNames(source, dictionary);
  if (!names.ok()) return names.status();
  return Load(source, dictionary, std::move(*names));
}

Result<Lexicon> Lexicon::Load(const QuadSource& source, const TermDictionary& dictionary, NameTable names) {
  Lexicon lex;
  auto rows = [&](const std::string& sparql) -> Result<std::vector<std::vector<std::string>>> {
    auto r = Ask(source, dictionary, sparql);
    if (!r.ok()) return r.status();
    std::vector<std::vector<std::string>> out;
    for (const auto& row : r->rows) {
      std::vector<std::string> cells;
      for (const auto& t : row) cells.push_back(t ? t->value : "");
      out.push_back(std::move(cells));
    }
    return out;
  };
  auto add = [&](auto& table, const std::string& phrase, auto value) {
    std::string key = Normalize(phrase);
    if (key.empty()) return;
    for (auto [it, end] = table.equal_range(key); it != end; ++it) {
      if (it->second == value) return;
    }
    table.emplace(key, value);
    lex.max_words = std::max(lex.max_words, Words(key));
  };

  auto classes = rows("SELECT ?c ?w ?kind WHERE { ?c a owl:Class . "
                      "{ ?c rdfs:label ?w BIND('label' AS ?kind) } UNION { ?c :plural ?w BIND('plural' AS ?kind) } "
                      "UNION { ?c :noun ?w BIND('noun' AS ?kind) } }");
  if (!classes.ok()) return classes.status();
  for (const auto& r : *classes) {
    add(lex.classes, r[1], r[0]);
    if (r[2] == "plural" && !lex.plural.count(r[0])) lex.plural[r[0]] = r[1];
    if (r[2] == "label") lex.label[r[0]] = r[1];
  }

  auto words = rows("SELECT ?p ?w ?kind WHERE { "
                    "{ ?p :verb ?w BIND('verb' AS ?kind) } UNION { ?p :inverseVerb ?w BIND('inverse' AS ?kind) } "
                    "UNION { ?p :coVerb ?w BIND('co' AS ?kind) } UNION { ?p :noun ?w BIND('noun' AS ?kind) FILTER NOT EXISTS { ?p a owl:Class } } "
                    "UNION { ?p :inverseLabel ?w BIND('inverseLabel' AS ?kind) } "
                    "UNION { ?p a owl:ObjectProperty ; rdfs:label ?w BIND('label' AS ?kind) } "
                    "UNION { ?p a owl:DatatypeProperty ; rdfs:label ?w BIND('label' AS ?kind) } }");
  if (!words.ok()) return words.status();
  for (const auto& r : *words) {
    if (r[2] == "inverseLabel") {
      lex.inverse_label[r[0]] = r[1];
      continue;
    }
    Reading reading = r[2] == "verb" ? Reading::kForward : r[2] == "inverse" ? Reading::kInverse
                    : r[2] == "co" ? Reading::kCo : Reading::kNoun;
    if (r[2] == "label") lex.label[r[0]] = r[1];
    add(lex.properties, r[1], PropertyWord{r[0], reading});
  }

  auto shape = rows("SELECT ?p ?d ?r WHERE { { ?p a owl:ObjectProperty } UNION { ?p a owl:DatatypeProperty } "
                    "OPTIONAL { ?p rdfs:domain ?d } OPTIONAL { ?p rdfs:range ?r } }");
  if (!shape.ok()) return shape.status();
  for (const auto& r : *shape) {
    if (!r[1].empty()) lex.domain[r[0]] = r[1];
    if (!r[2].empty()) lex.range[r[0]] = r[2];
  }
  auto transitive = rows("SELECT ?p WHERE { ?p a owl:TransitiveProperty }");
  if (!transitive.ok()) return transitive.status();
  for (const auto& r : *transitive) lex.transitive.insert(r[0]);

  auto datatype = rows("SELECT ?p WHERE { ?p a owl:DatatypeProperty }");
  if (!datatype.ok()) return datatype.status();
  for (const auto& r : *datatype) lex.datatype.insert(r[0]);
  auto symmetric = rows("SELECT ?p WHERE { ?p a owl:SymmetricProperty }");
  if (!symmetric.ok()) return symmetric.status();
  for (const auto& r : *symmetric) lex.symmetric.insert(r[0]);
  auto event_verbs = rows("SELECT ?c ?w WHERE { ?c :eventVerb ?w }");
  if (!event_verbs.ok()) return event_verbs.status();

  auto supers = rows("SELECT ?c ?s WHERE { ?c a owl:Class . ?c rdfs:subClassOf* ?s }");
  if (!supers.ok()) return supers.status();
  for (const auto& r : *supers) lex.superclasses[r[0]].insert(r[1]);

  lex.entity_names = std::move(names);
  lex.max_words = std::max(lex.max_words, lex.entity_names.max_words());
  std::vector<std::pair<std::string, std::string>> verbs;
  for (const auto& r : *event_verbs) verbs.emplace_back(r[1], r[0]);
  BuildSenses(&lex, verbs);
  return lex;
}

Result<NameTable> Lexicon::ReadNames(const QuadSource& source, const TermDictionary& dictionary) {
  TripleReader reader(source, dictionary);
  NameTable::Builder names;
  auto entity = [](const Term& t) { return t.kind == TermKind::kIri && t.value.rfind(kEntities, 0) == 0; };
  PARLEY_RETURN_IF_ERROR(reader.ForEach(kRdfs + "label", [&](const Term& e, const Term& name) {
    if (entity(e) && name.kind == TermKind::kLiteral) names.AddLabel(e.value, name.value, Normalize(name.value));
  }));
  PARLEY_RETURN_IF_ERROR(reader.ForEach(kOnt + "alias", [&](const Term& e, const Term& name) {
    if (entity(e) && name.kind == TermKind::kLiteral) names.AddAlias(e.value, Normalize(name.value));
  }));
  PARLEY_RETURN_IF_ERROR(reader.ForEach(kRdfType, [&](const Term& e, const Term& cls) {
    if (entity(e) && cls.kind == TermKind::kIri) names.AddClass(e.value, cls.value);
  }, true));
  return std::move(names).Build();
}

std::vector<std::string> Lexicon::Vocabulary() const {
  std::set<std::string> out;
  for (const auto& [w, c] : classes) out.insert(w);
  for (const auto& [w, p] : properties) out.insert(w);
  entity_names.ForEachName([&](std::string_view key, std::string_view) { out.emplace(key); });
  return {out.begin(), out.end()};
}

const Lexicon::NameIndex& Lexicon::Names() const {
  std::lock_guard<std::mutex> lock(names_->mutex);
  if (names_->index) return *names_->index;
  auto index = std::make_unique<NameIndex>();
  entity_names.ForEachName([&](std::string_view phrase_view, std::string_view entity_view) {
    const std::string phrase(phrase_view), entity(entity_view);
    const std::size_t words = Words(phrase);
    auto [shortest, added] = index->shortest.emplace(entity, words);
    if (!added) shortest->second = std::min(shortest->second, words);
    for (const Token& t : Tokenize(phrase)) {
      if (t.text.size() > 3 && !FunctionPhrase(t.lemma)) index->words[t.lemma].insert(entity);
    }
  });
  // A word in the names of many entities ("meeting" in "Meeting 123") names none of
  // them; the reader uses a word only when it picks out a few.
  constexpr std::size_t kMostNamesPerWord = 24;
  for (auto it = index->words.begin(); it != index->words.end();) {
    it = it->second.size() > kMostNamesPerWord ? index->words.erase(it) : std::next(it);
  }
  names_->index = std::move(index);
  return *names_->index;
}

std::vector<std::string> Lexicon::EntitiesNamed(const std::string& phrase) const {
  return entity_names.Named(phrase);
}

bool Lexicon::IsA(const std::string& entity, const std::string& cls) const {
  for (std::string_view c : entity_names.Classes(entity)) {
    if (c == cls) return true;
    auto up = superclasses.find(std::string(c));
    if (up != superclasses.end() && up->second.count(cls) > 0) return true;
  }
  return false;
}

std::optional<std::string_view> Lexicon::LabelOf(std::string_view iri) const {
  if (auto l = entity_names.Label(iri)) return l;
  auto it = label.find(std::string(iri));
  if (it == label.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace parley::query::english
