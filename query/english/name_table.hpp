// query/english/name_table.hpp
// The names of a graph's entities: every label and alias in the lexicon's normal form
// (Lexicon::Normalize), and each entity's IRI, display label and stated classes.
//
// A large graph has hundreds of thousands of names, and `parley ask` is one process per
// question: the table is a few flat sorted arrays over one string buffer, so that it is
// built with a few sorts, looked up by binary search, and saved and read back whole
// (Serialize, Parse) with no per-name work. Immutable once built; safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace parley::query::english {

class NameTable {
 public:
  // Collects names in any order; Build() sorts them. Entities and classes are told
  // apart by numbers of the caller's choosing (ReadNames uses the store's term ids),
  // so that collecting hashes no strings.
  class Builder {
   public:
    // The IRI of entity or class `id` (the first one given).
    void SetIri(std::uint64_t id, std::string_view iri);
    // The entity's rdfs:label (the first one given is its display label) under `key`,
    // the label's normal form. An empty key adds no name.
    void AddLabel(std::uint64_t entity, std::string_view label, std::string_view key);
    // Another name of the entity (an alias), under its normal form.
    void AddAlias(std::uint64_t entity, std::string_view key);
    // A class the entity is stated to have. Ignored for an entity with no name: a thing
    // without a name is never mentioned.
    void AddClass(std::uint64_t entity, std::uint64_t cls);
    // REQUIRES: SetIri for every entity and class added.
    NameTable Build() &&;

   private:
    struct Span {
      std::size_t offset = 0, size = 0;
    };
    struct Pending {
      Span iri, label, label_key;
      bool labelled = false;
    };
    Span Keep(std::string_view s);
    std::string_view View(Span s) const { return std::string_view(text_).substr(s.offset, s.size); }
    Pending& PendingFor(std::uint64_t id) { return entities_[id]; }

    std::string text_;                                         // the strings given
    std::unordered_map<std::uint64_t, Span> iris_;             // entity or class id -> IRI
    std::unordered_map<std::uint64_t, Pending> entities_;
    std::vector<std::pair<std::uint64_t, Span>> names_;        // entity, key
    std::vector<std::pair<std::uint64_t, std::uint64_t>> classes_;  // entity, class
  };

  // The entities named `key`: those whose label it is first, then those it is an alias
  // of, each group in IRI order.
  std::vector<std::string> Named(std::string_view key) const;
  std::size_t CountNamed(std::string_view key) const;
  // The display label of `iri`; nullopt for an entity with no label, or none at all.
  std::optional<std::string_view> Label(std::string_view iri) const;
  // The classes `iri` is stated to have (none for an unknown IRI).
  std::vector<std::string_view> Classes(std::string_view iri) const;
  // Calls f(key, iri) for every name, in key order.
  template <class F>
  void ForEachName(F f) const {
    for (const Name& n : names_) f(View(n.key), View(entities_[n.entity].iri));
  }
  std::size_t size() const { return names_.size(); }
  // The most words in one name.
  std::size_t max_words() const { return max_words_; }

  // The table as bytes, for Parse() in a later process on the same machine (the
  // numbers are in this machine's byte order).
  std::string Serialize() const;
  // The table Serialize() wrote; nullopt for bytes that are not one, whole.
  static std::optional<NameTable> Parse(std::string_view bytes);

 private:
  struct Span {  // a string in text_
    std::uint32_t offset = 0, size = 0;
  };
  struct Entity {
    Span iri, label;
    std::uint32_t classes_begin = 0, classes_end = 0;  // into class_of_
    std::uint32_t labelled = 0;
  };
  struct Name {
    Span key;
    std::uint32_t entity = 0;  // into entities_
    std::uint32_t alias = 0;   // 1 when the key is not the entity's label
  };

  std::string_view View(Span s) const { return std::string_view(text_).substr(s.offset, s.size); }
  Span Append(std::string_view s);
  const Entity* Find(std::string_view iri) const;
  std::pair<std::size_t, std::size_t> NameRange(std::string_view key) const;
  bool Valid() const;

  std::string text_;               // every string, back to back
  std::vector<Entity> entities_;   // by IRI
  std::vector<Name> names_;        // by key, labels before aliases, then by entity
  std::vector<std::uint32_t> class_of_;  // each entity's classes, into classes_
  std::vector<Span> classes_;      // the class IRIs, once each
  std::size_t max_words_ = 1;
};

}  // namespace parley::query::english
