#include "query/english/lexicon.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "query/engine.hpp"
#include "query/english/morphology.hpp"
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

// The (subject, object) ids of every triple of `predicate`, read straight from the
// store: the names and classes of every entity are most of a large graph's lexicon,
// and an index scan is many times quicker than the same rows through SPARQL.
Status ReadPairs(const QuadSource& source, const TermDictionary& dictionary, const std::string& predicate,
                 std::vector<std::pair<TermId, TermId>>* out) {
  auto id = dictionary.LookupId(Term::Iri(predicate));
  if (!id.ok()) return id.status().code() == Status::Code::kNotFound ? Status::OK() : id.status();
  QuadPattern pattern;
  pattern.predicate = *id;
  auto cursor = source.ScanUnion(pattern);
  Quad q;
  while (cursor->Next(&q)) out->emplace_back(q.subject, q.object);
  return cursor->status();
}

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

// The English forms of a property's own label, so that a property added to the
// ontology is understood with no other word given: "sponsored by" reads forward
// ("H.Res.152 was sponsored by Khanna") and its verb the other way ("Khanna sponsored
// H.Res.152"); a label that starts with a verb ("located in", "contradicts") reads
// forward; a noun ("participant", "outcome") reads as "the NOUN of X".
void AddLabelForms(Lexicon* lex, const std::string& property, const std::string& label) {
  const std::vector<Token> words = Tokenize(label);
  if (words.empty()) return;
  auto add = [&](const std::string& phrase, Reading reading) {
    AddSense(lex, phrase, Sense{Sense::Kind::kProperty, property, reading});
  };
  const std::string& first = words.front().text;
  const bool verb = IsWordOf(first, WordClass::kVerb) &&
                    (words.size() > 1 || (first.size() > 2 && (first.back() == 's' || first.compare(first.size() - 2, 2, "ed") == 0)));
  if (words.size() > 1 && words.back().text == "by" && verb) {
    add(label, Reading::kForward);
    add(label.substr(0, label.size() - 3), Reading::kInverse);
  } else if (verb) {
    add(label, Reading::kForward);
  }
}

// Nouns WordNet derives from a property's one-word verbs, read as "the NOUN of X":
// "proposer" from "propose", "signatory" from "sign", "sponsor" from "sponsor". A noun
// that already means something keeps only that.
void AddDerivedNouns(Lexicon* lex) {
  std::vector<std::pair<std::string, std::string>> nouns;  // noun -> property
  for (const auto& [key, senses] : lex->senses) {
    if (key.find(' ') != std::string::npos) continue;
    for (const Sense& s : senses) {
      if (s.kind != Sense::Kind::kProperty || s.reading == Reading::kNoun || s.reading == Reading::kCo) continue;
      if (lex->datatype.count(s.iri)) continue;
      for (const auto& [noun, cls] : Related(key, WordClass::kVerb, Relation::kDerivation, 2)) {
        if (cls == WordClass::kNoun) nouns.emplace_back(noun, s.iri);
      }
    }
  }
  for (const auto& [noun, property_iri] : nouns) {
    // A named copy: lambdas may not capture structured bindings before C++20's clang 16.
    const std::string& property = property_iri;
    auto it = lex->senses.find(PhraseKey(noun));
    if (it != lex->senses.end() && std::any_of(it->second.begin(), it->second.end(), [&](const Sense& s) { return s.iri != property; })) {
      continue;
    }
    AddSense(lex, noun, Sense{Sense::Kind::kProperty, property, Reading::kNoun, true});
  }
}

// The index the relaxed reader looks phrases up in: every class and property word,
// lemmatised, the forms of each property's label, and the nouns WordNet derives from
// the verbs. WordNet's synonyms and hypernyms are looked up when a question has a
// word the index lacks (mentions.cpp), not here: synonymy goes both ways, and the
// lexicon stays quick to build on a large graph.
void BuildSenses(Lexicon* lex, const std::vector<std::pair<std::string, std::string>>& event_verbs) {
  for (const auto& [phrase, cls] : lex->classes) AddSense(lex, phrase, Sense{Sense::Kind::kClass, cls});
  for (const auto& [phrase, word] : lex->properties) {
    AddSense(lex, phrase, Sense{Sense::Kind::kProperty, word.property, word.reading});
  }
  std::set<std::string> properties;
  for (const auto& [phrase, word] : lex->properties) properties.insert(word.property);
  for (const auto& [iri, label] : lex->label) {
    if (properties.count(iri) && !lex->datatype.count(iri)) AddLabelForms(lex, iri, label);
  }
  for (const auto& [phrase, cls] : event_verbs) AddSense(lex, phrase, Sense{Sense::Kind::kEventClass, cls});
  AddDerivedNouns(lex);
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
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
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

  // The class pattern inside each branch: the engine evaluates a UNION before joining
  // it, and every entity's rdfs:label is a large set to join (90 ms on a 1M graph).
  auto classes = rows("SELECT ?c ?w ?kind WHERE { { ?c a owl:Class ; rdfs:label ?w BIND('label' AS ?kind) } "
                      "UNION { ?c a owl:Class ; :plural ?w BIND('plural' AS ?kind) } "
                      "UNION { ?c a owl:Class ; :noun ?w BIND('noun' AS ?kind) } }");
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
  std::vector<std::pair<TermId, TermId>> labels, aliases, types;
  PARLEY_RETURN_IF_ERROR(ReadPairs(source, dictionary, kRdfs + "label", &labels));
  PARLEY_RETURN_IF_ERROR(ReadPairs(source, dictionary, kOnt + "alias", &aliases));
  PARLEY_RETURN_IF_ERROR(ReadPairs(source, dictionary, kRdfType, &types));

  // Only the classes of the named: a thing without a name is never mentioned.
  std::vector<TermId> named;
  for (const auto* pairs : {&labels, &aliases}) {
    for (const auto& [subject, name] : *pairs) named.push_back(subject);
  }
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  auto is_named = [&](TermId id) { return std::binary_search(named.begin(), named.end(), id); };
  types.erase(std::remove_if(types.begin(), types.end(), [&](const auto& t) { return !is_named(t.first); }),
              types.end());

  // Every term needed, decoded once, in id order (the dictionary reads them with one
  // iterator).
  std::vector<TermId> ids = named;
  for (const auto* pairs : {&labels, &aliases, &types}) {
    for (const auto& [subject, object] : *pairs) ids.push_back(object);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::optional<Term>> terms;
  PARLEY_RETURN_IF_ERROR(dictionary.LookupTerms(ids, &terms));
  auto term = [&](TermId id) -> const Term* {
    const auto at = std::lower_bound(ids.begin(), ids.end(), id) - ids.begin();
    return terms[static_cast<std::size_t>(at)] ? &*terms[static_cast<std::size_t>(at)] : nullptr;
  };
  auto entity = [&](TermId id) {
    const Term* t = term(id);
    return t != nullptr && t->kind == TermKind::kIri && t->value.rfind(kEntities, 0) == 0;
  };
  auto literal = [&](TermId id) -> const Term* {
    const Term* t = term(id);
    return t != nullptr && t->kind == TermKind::kLiteral ? t : nullptr;
  };

  NameTable::Builder names;
  for (TermId e : named) {
    if (entity(e)) names.SetIri(e, term(e)->value);
  }
  for (const auto& [e, name] : labels) {
    if (const Term* l = literal(name); l && entity(e)) names.AddLabel(e, l->value, Normalize(l->value));
  }
  for (const auto& [e, name] : aliases) {
    if (const Term* l = literal(name); l && entity(e)) names.AddAlias(e, Normalize(l->value));
  }
  for (const auto& [e, cls] : types) {
    const Term* c = term(cls);
    if (c == nullptr || c->kind != TermKind::kIri || !entity(e)) continue;
    names.SetIri(cls, c->value);
    names.AddClass(e, cls);
  }
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
      index->vocabulary.insert(t.text);
      index->vocabulary.insert(t.lemma);
    }
  });
  auto add_words = [&](const std::string& phrase) {
    for (const Token& t : Tokenize(phrase)) {
      index->vocabulary.insert(t.text);
      index->vocabulary.insert(t.lemma);
    }
  };
  for (const auto& [phrase, cls] : classes) add_words(phrase);
  for (const auto& [phrase, word] : properties) add_words(phrase);
  for (const auto& entry : senses) add_words(entry.first);
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
