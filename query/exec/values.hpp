// query/exec/values.hpp
// SPARQL operator semantics on terms (§17): effective boolean value, numeric type
// promotion and arithmetic, comparison, and the ordering ORDER BY uses. A result of
// std::nullopt is a SPARQL "error".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/term.hpp"

namespace parley::query::exec {

inline const std::string kXsd = "http://www.w3.org/2001/XMLSchema#";
// Datatypes that expressions make and test for every row: made once, not per use.
inline const std::string kXsdBoolean = kXsd + "boolean", kXsdInteger = kXsd + "integer", kXsdDecimal = kXsd + "decimal",
                         kXsdFloat = kXsd + "float", kXsdDouble = kXsd + "double", kXsdDate = kXsd + "date",
                         kXsdDateTime = kXsd + "dateTime";

struct Numeric {
  enum class Kind : std::uint8_t { kInteger, kDecimal, kFloat, kDouble };
  Kind kind = Kind::kInteger;
  long double value = 0;
};

std::optional<Numeric> AsNumeric(const Term& term);
Term NumericTerm(const Numeric& n);
Term BooleanTerm(bool value);
Term IntegerTerm(long long value);
bool IsNumericType(const std::string& datatype);
bool IsStringLiteral(const Term& term);  // simple literal or xsd:string

std::optional<bool> EffectiveBoolean(const Term& term);
std::optional<Term> Arithmetic(char op, const Term& a, const Term& b);

// '=' and '<' per the operator mapping; nullopt when the terms cannot be compared.
std::optional<bool> ValueEquals(const Term& a, const Term& b);
std::optional<int> ValueCompare(const Term& a, const Term& b);  // <0, 0, >0
// ORDER BY: total order (unbound first, then blank nodes, IRIs, literals).
int OrderCompare(const Term* a, const Term* b);

// What ORDER BY compares of a term, worked out once per row rather than once per
// comparison. The values most sorted on (integers, dates and dateTimes in their usual
// form) become a number that orders as OrderCompare does; other terms are kOther.
struct SortKey {
  enum class Kind : std::uint8_t { kOther, kNone, kInteger, kDate, kDateTime };  // kNone: unbound
  Kind kind = Kind::kOther;
  std::int64_t value = 0;
};
SortKey SortKeyOf(const Term* term);
// OrderCompare(a, b), where `ka` and `kb` are SortKeyOf(a) and SortKeyOf(b): two keys of
// one kind compare as numbers, without reading the terms. (Inline: a top-k or a sort
// calls it for every comparison.)
inline int OrderCompare(const Term* a, const SortKey& ka, const Term* b, const SortKey& kb) {
  if (ka.kind == kb.kind && ka.kind != SortKey::Kind::kOther) return (ka.value > kb.value) - (ka.value < kb.value);
  return OrderCompare(a, b);
}

}  // namespace parley::query::exec
