// query/english/lexicon.hpp
// The words the English front-end understands, all read from the graph: class nouns
// and plurals, property verbs (forward and inverse readings) and nouns, entity labels
// and aliases, plus the ontology facts that compiling needs (domains, ranges,
// subclasses, transitive properties). New facts bring new words with no code change.
#pragma once

#include <map>
#include <unordered_map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "query/english/name_table.hpp"
#include "store/quad.hpp"

namespace parley::query::english {

// How a property word reads, for "X WORD Y".
enum class Reading : std::uint8_t {
  kForward,  // X property Y            ("proposal addressed topic")
  kInverse,  // Y property X            ("actor proposed proposal")
  kCo,       // X and Y share a subject ("X met Y": a meeting with both as participants)
  kNoun,     // "the WORD of X"         ("outcome", "date")
};

// What a phrase of the question can mean, keyed by PhraseKey() (tokens.hpp).
struct Sense {
  enum class Kind : std::uint8_t {
    kEntity,      // an entity by label or alias
    kClass,       // a class by label, plural or noun
    kProperty,    // a property by verb or noun (`reading` says which way it reads)
    kEventClass,  // a class by :eventVerb ("testified": a Testimony the subject took part in)
  };
  Kind kind;
  std::string iri;
  Reading reading = Reading::kForward;
  bool synonym = false;  // found through a WordNet synonym of the ontology's own word
  bool passive = false;  // the phrase is passive already ("was proposed by", "held in" from "was held in")
};

struct PropertyWord {
  std::string property;
  Reading reading = Reading::kForward;
  bool operator==(const PropertyWord&) const = default;
};

class Lexicon {
 public:
  // Reads every word from the graph: the ontology's by SPARQL, the entities' names by
  // index scans (ReadNames).
  static Result<Lexicon> Load(const QuadSource& source, const TermDictionary& dictionary);
  // The same with the entities' names given (as ReadNames read them from this graph,
  // perhaps in an earlier process).
  static Result<Lexicon> Load(const QuadSource& source, const TermDictionary& dictionary, NameTable names);
  static Result<NameTable> ReadNames(const QuadSource& source, const TermDictionary& dictionary);

  // Lower-case ASCII, curly apostrophes straightened, spaces collapsed, no leading "the".
  static std::string Normalize(std::string_view text);

  std::multimap<std::string, std::string> classes;          // phrase -> class IRI
  std::multimap<std::string, PropertyWord> properties;      // phrase -> property
  NameTable entity_names;                                    // entity names, labels and classes
  std::map<std::string, std::string> label;                 // class or property IRI -> its label
  std::map<std::string, std::set<std::string>> superclasses; // class -> itself and every superclass
  std::map<std::string, std::string> domain, range;         // property -> class
  std::set<std::string> transitive;
  std::map<std::string, std::string> plural;                // class -> plural noun
  std::size_t max_words = 1;                                // longest phrase, in words
  std::set<std::string> symmetric;                          // owl:SymmetricProperty
  std::map<std::string, std::string> inverse_label;         // property -> its first :inverseVerb
  std::set<std::string> datatype;                           // owl:DatatypeProperty (literal values)

  // The relaxed reader's index of class and property words: lemmatised phrase -> what
  // it can mean. Names are looked up in `entity_names` as typed (names do not inflect).
  std::map<std::string, std::vector<Sense>, std::less<>> senses;
  std::size_t max_key_words = 1;

  // The words of entity names, for a name given by one of its words or misspelt. Built
  // on first use: a large graph has hundreds of thousands of names, and most questions
  // name things in full.
  struct NameIndex {
    std::map<std::string, std::set<std::string>, std::less<>> words;  // lemma -> entities whose names hold it
    std::map<std::string, std::size_t> shortest;                      // entity -> words in its shortest name
    // Every word of every name, class and property phrase, as written and as lemma:
    // what the question's own words are, for spelling.
    std::set<std::string, std::less<>> vocabulary;
  };
  const NameIndex& Names() const;
  const std::set<std::string, std::less<>>& KnownWords() const { return Names().vocabulary; }

  // The entities `phrase` names: those whose label it is first, then those it is an
  // alias of, each group by IRI, so that the order never depends on hashing.
  std::vector<std::string> EntitiesNamed(const std::string& phrase) const;

  // Every word and phrase, for "did you mean".
  std::vector<std::string> Vocabulary() const;
  bool IsA(const std::string& entity, const std::string& cls) const;
  // The display label of an entity, class or property; nullopt when it has none.
  std::optional<std::string_view> LabelOf(std::string_view iri) const;

 private:
  struct NameCache {
    std::mutex mutex;
    std::unique_ptr<NameIndex> index;
  };
  std::shared_ptr<NameCache> names_ = std::make_shared<NameCache>();
};

}  // namespace parley::query::english
