// store/term.hpp
// RDF 1.1 terms and their compact binary encoding, the form the dictionary stores.
//
// Encoding (first byte is the kind, then the parts; '\0' cannot occur in an IRI or a
// language tag, so it safely ends the datatype or tag before the lexical form):
//   'I' iri                      IRI
//   'B' label                    blank node
//   'S' lexical                  simple literal (datatype xsd:string)
//   'L' lang '\0' lexical        language-tagged string (datatype rdf:langString)
//   'D' datatype '\0' lexical    literal with any other datatype
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/status.hpp"

namespace parley {

inline constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view kRdfLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

enum class TermKind : std::uint8_t { kIri, kBlankNode, kLiteral };

// A term by value. For literals `datatype` is always set (xsd:string for simple literals,
// rdf:langString when `language` is set); language tags are kept in lower case.
struct Term {
  TermKind kind = TermKind::kIri;
  std::string value;  // IRI, blank node label (without "_:"), or lexical form
  std::string datatype;
  std::string language;

  static Term Iri(std::string iri);
  static Term BlankNode(std::string label);
  static Term Literal(std::string lexical, std::string datatype = std::string(kXsdString));
  static Term LangLiteral(std::string lexical, std::string language);

  bool operator==(const Term&) const = default;
};

// A term whose parts point into someone else's buffer; what parsers produce.
struct TermView {
  TermKind kind = TermKind::kIri;
  std::string_view value;
  std::string_view datatype;  // empty for a simple literal
  std::string_view language;  // empty unless language-tagged
};

// An owned copy of a view (a simple literal gets xsd:string).
Term ToTerm(const TermView& view);
// A view of `term`, valid while it lives; the reverse of ToTerm (xsd:string and
// rdf:langString literals have no datatype in a view).
TermView ToView(const Term& term);

// Appends the binary encoding of `term` to `out`.
void EncodeTerm(const TermView& term, std::string* out);
std::string EncodeTerm(const Term& term);
// Reverses EncodeTerm; Corruption for bytes it did not produce.
Result<Term> DecodeTerm(std::string_view encoded);

// The term in N-Triples syntax (canonical form: minimal escapes, upper-case hex).
std::string ToNTriples(const Term& term);
void AppendNTriples(const Term& term, std::string* out);

}  // namespace parley
