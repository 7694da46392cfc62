#include "query/english/ambiguity.hpp"

#include <algorithm>

#include "query/engine.hpp"

namespace parley::query::english {
namespace {

std::string Tail(const std::string& iri) { return iri.substr(iri.find_last_of("/#") + 1); }

std::string Label(const Lexicon& lex, const std::string& iri) {
  auto label = lex.LabelOf(iri);
  return label ? std::string(*label) : Tail(iri);
}

// The most specific of the entity's classes: the one none of its other classes is below.
std::string Kind(const Lexicon& lex, const std::string& entity) {
  const std::vector<std::string_view> classes = lex.entity_names.Classes(entity);
  std::string kind;
  for (std::string_view cls_view : classes) {
    const std::string cls(cls_view);
    const bool most_specific = std::none_of(classes.begin(), classes.end(), [&](std::string_view o) {
      const std::string other(o);
      return other != cls && lex.superclasses.count(other) && lex.superclasses.at(other).count(cls);
    });
    if (most_specific) kind = Label(lex, cls);
  }
  return kind;
}

std::vector<std::string> Sources(const std::string& entity, const QuadSource& source, const TermDictionary& dictionary) {
  QueryOptions options;
  options.prefixes = BuiltinPrefixes();
  auto rows = RunQuery("SELECT DISTINCT ?s WHERE { ?s :mentions <" + entity + "> } ORDER BY ?s", "<ambiguity>", source,
                       dictionary, options);
  std::vector<std::string> out;
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) {
    if (row[0]) out.push_back(Tail(row[0]->value));
  }
  return out;
}

}  // namespace

std::string AmbiguityMessage(const std::string& text, const std::vector<std::string>& candidates, const Lexicon& lexicon,
                             const QuadSource& source, const TermDictionary& dictionary) {
  std::string out = "\"" + text + "\" could mean ";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string& e = candidates[i];
    std::string details;
    if (const std::string kind = Kind(lexicon, e); !kind.empty()) details = kind + ", ";
    details += "id " + Tail(e);
    const auto sources = Sources(e, source, dictionary);
    for (std::size_t s = 0; s < sources.size() && s < 3; ++s) details += (s == 0 ? ", in " : ", ") + sources[s];
    if (sources.size() > 3) details += " and " + std::to_string(sources.size() - 3) + " more";
    out += (i == 0 ? "" : i + 1 == candidates.size() ? " or " : ", ") + Label(lexicon, e) + " (" + details + ")";
  }
  return out + ". Which one?";
}

bool AsksWhichOne(const std::string& message) {
  return message.find(" could mean ") != std::string::npos && message.find(". Which one?") != std::string::npos;
}

}  // namespace parley::query::english
