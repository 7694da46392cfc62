#include "query/exec/values.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

namespace parley::query::exec {
namespace {

bool ParseNumber(const std::string& text, bool integer_only, long double* out) {
  if (text.empty()) return false;
  std::size_t i = 0;
  if (text[0] == '+' || text[0] == '-') i = 1;
  bool digits = false, dot = false, exp = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot && !exp && !integer_only) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && !exp && !integer_only) {
      exp = true;
      digits = false;
      if (i + 1 < text.size() && (text[i + 1] == '+' || text[i + 1] == '-')) ++i;
    } else {
      return false;
    }
  }
  if (!digits) return false;
  *out = std::strtold(text.c_str(), nullptr);
  return true;
}

std::string FormatDecimal(long double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.18Lf", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.push_back('0');
  if (s == "-0.0") s = "0.0";
  return s;
}

std::string FormatDouble(long double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15LE", v);
  // Trim the mantissa's trailing zeros: 1.500000000000000E+00 -> 1.5E0
  std::string s = buf;
  auto e = s.find('E');
  std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
  while (mantissa.size() > 1 && mantissa.back() == '0') mantissa.pop_back();
  if (mantissa.back() == '.') mantissa.push_back('0');
  int ex = std::atoi(exponent.c_str());
  return mantissa + "E" + std::to_string(ex);
}

}  // namespace

bool IsNumericType(const std::string& dt) {
  // string_views: compared by length first, with no strlen (every comparison of two
  // terms asks this).
  static constexpr std::string_view kTypes[] = {
      "integer", "decimal", "float", "double", "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
      "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "positiveInteger"};
  if (dt.size() <= kXsd.size() || dt.compare(0, kXsd.size(), kXsd) != 0) return false;
  const std::string_view local = std::string_view(dt).substr(kXsd.size());
  return std::find(std::begin(kTypes), std::end(kTypes), local) != std::end(kTypes);
}

bool IsStringLiteral(const Term& t) {
  return t.kind == TermKind::kLiteral && t.language.empty() && (t.datatype.empty() || t.datatype == kXsdString);
}

std::optional<Numeric> AsNumeric(const Term& t) {
  if (t.kind != TermKind::kLiteral || !IsNumericType(t.datatype)) return std::nullopt;
  const std::string_view local = std::string_view(t.datatype).substr(kXsd.size());  // no copy: called per comparison
  Numeric n;
  if (local == "double" || local == "float") {
    n.kind = local == "double" ? Numeric::Kind::kDouble : Numeric::Kind::kFloat;
    const std::string& v = t.value;
    if (v == "INF" || v == "+INF") {
      n.value = INFINITY;
      return n;
    }
    if (v == "-INF") {
      n.value = -INFINITY;
      return n;
    }
    if (v == "NaN") {
      n.value = NAN;
      return n;
    }
    if (!ParseNumber(v, false, &n.value)) return std::nullopt;
    return n;
  }
  n.kind = local == "decimal" ? Numeric::Kind::kDecimal : Numeric::Kind::kInteger;
  if (!ParseNumber(t.value, n.kind == Numeric::Kind::kInteger, &n.value)) return std::nullopt;
  if (n.kind == Numeric::Kind::kDecimal && t.value.find_first_of("eE") != std::string::npos) return std::nullopt;
  return n;
}

Term NumericTerm(const Numeric& n) {
  switch (n.kind) {
    case Numeric::Kind::kInteger: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.0Lf", n.value);
      return Term::Literal(buf, kXsdInteger);
    }
    case Numeric::Kind::kDecimal: return Term::Literal(FormatDecimal(n.value), kXsdDecimal);
    case Numeric::Kind::kFloat: return Term::Literal(FormatDouble(n.value), kXsdFloat);
    case Numeric::Kind::kDouble: return Term::Literal(FormatDouble(n.value), kXsdDouble);
  }
  return Term::Literal("0", kXsdInteger);
}

Term BooleanTerm(bool value) { return Term::Literal(value ? "true" : "false", kXsdBoolean); }
Term IntegerTerm(long long value) { return Term::Literal(std::to_string(value), kXsdInteger); }

std::optional<bool> EffectiveBoolean(const Term& t) {
  if (t.kind != TermKind::kLiteral) return std::nullopt;
  if (t.datatype == kXsdBoolean) {
    if (t.value == "true" || t.value == "1") return true;
    if (t.value == "false" || t.value == "0") return false;
    return false;  // an ill-formed boolean is false
  }
  if (IsStringLiteral(t)) return !t.value.empty();
  if (IsNumericType(t.datatype)) {
    auto n = AsNumeric(t);
    if (!n) return false;
    return !(n->value == 0 || std::isnan(n->value));
  }
  return std::nullopt;
}

namespace {

// xsd:integer has no bound, so +, - and * of two integers are computed exactly on their
// digits. Operands past kMostDigits are an error (the product's cost grows with the
// square of the length).
constexpr std::size_t kMostDigits = 10'000;

std::optional<boost::multiprecision::cpp_int> ExactInteger(std::string text) {
  if (!text.empty() && text[0] == '+') text.erase(0, 1);
  const std::size_t first = !text.empty() && text[0] == '-' ? 1 : 0;
  if (text.size() == first || text.size() > kMostDigits ||
      text.find_first_not_of("0123456789", first) != std::string::npos) {
    return std::nullopt;
  }
  // Leading zeros go: cpp_int would read "012" as octal.
  text.erase(first, std::min(text.find_first_not_of('0', first), text.size() - 1) - first);
  return boost::multiprecision::cpp_int(text);
}

std::optional<Term> ExactIntegerArithmetic(char op, const Term& a, const Term& b) {
  auto x = ExactInteger(a.value), y = ExactInteger(b.value);
  if (!x || !y) return std::nullopt;
  boost::multiprecision::cpp_int r;
  if (op == '+') {
    r = *x + *y;
  } else if (op == '-') {
    r = *x - *y;
  } else {
    r = *x * *y;
  }
  return Term::Literal(r.str(), kXsdInteger);
}

// Two integers compared exactly: a long double holds 18 digits, so longer ones are
// compared on their digits.
std::optional<int> CompareIntegers(const Term& a, const Term& b, const Numeric& x, const Numeric& y) {
  constexpr std::size_t kDigitsADoubleHolds = 18;
  if (a.value.size() <= kDigitsADoubleHolds && b.value.size() <= kDigitsADoubleHolds) {
    return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
  }
  auto p = ExactInteger(a.value), q = ExactInteger(b.value);
  if (!p || !q) return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
  return *p < *q ? -1 : *p > *q ? 1 : 0;
}

bool BothIntegers(const Numeric& x, const Numeric& y) {
  return x.kind == Numeric::Kind::kInteger && y.kind == Numeric::Kind::kInteger;
}

}  // namespace

std::optional<Term> Arithmetic(char op, const Term& a, const Term& b) {
  auto x = AsNumeric(a), y = AsNumeric(b);
  if (!x || !y) return std::nullopt;
  if (x->kind == Numeric::Kind::kInteger && y->kind == Numeric::Kind::kInteger && op != '/') {
    return ExactIntegerArithmetic(op, a, b);
  }
  Numeric r;
  r.kind = std::max(x->kind, y->kind);
  switch (op) {
    case '+': r.value = x->value + y->value; break;
    case '-': r.value = x->value - y->value; break;
    case '*': r.value = x->value * y->value; break;
    case '/':
      if (r.kind <= Numeric::Kind::kDecimal) {
        if (y->value == 0) return std::nullopt;
        r.kind = Numeric::Kind::kDecimal;  // integer division gives a decimal
      }
      r.value = x->value / y->value;
      break;
    default: return std::nullopt;
  }
  return NumericTerm(r);
}

namespace {

bool IsDateTime(const Term& t) { return t.kind == TermKind::kLiteral && (t.datatype == kXsdDateTime || t.datatype == kXsdDate); }

// Seconds since 0001-01-01 (proleptic Gregorian, UTC when a timezone is given).
struct Instant {
  long double seconds = 0;
  bool has_timezone = false;
};

// Reads `width` digits at `*at` in `v` (at least `width`, and then any more when
// `more`), no greater than `most`, and then `then` when it is not 0; moves *at past them.
bool ReadField(std::string_view v, std::size_t* at, long long* out, std::size_t width, long long most, char then = 0,
               bool more = false) {
  std::size_t end = *at;
  while (end < v.size() && end - *at < 18 && v[end] >= '0' && v[end] <= '9') ++end;
  if (end - *at < width || (!more && end - *at != width)) return false;
  *out = 0;
  for (std::size_t i = *at; i < end; ++i) *out = *out * 10 + (v[i] - '0');
  if (*out > most) return false;
  *at = end;
  if (then == 0) return true;
  if (*at >= v.size() || v[*at] != then) return false;
  ++*at;
  return true;
}

// An xsd:date or xsd:dateTime value in XML Schema's form: a year of four digits or more
// (no leading zero past four), two-digit fields in their ranges, an optional fraction of
// a second and an optional timezone of at most 14 hours. A day past its month's end
// (30 February) and 24:00:00 count on, as instants. Anything else is not a date: it
// compares as an error. (Being strict keeps every value within days of its text's order,
// which a FILTER on a date range relies on to read only the dates near it.)
std::optional<Instant> ParseInstant(std::string_view v) {
  long long year = 0, month = 0, day = 0, hour = 0, minute = 0, whole_seconds = 0;
  long double second = 0;
  std::size_t at = v.starts_with('-') ? 1 : 0;
  const std::size_t year_at = at;
  if (!ReadField(v, &at, &year, 4, 999999999, '-', true) || (at - year_at > 5 && v[year_at] == '0')) return std::nullopt;
  if (year_at == 1) year = -year;
  if (!ReadField(v, &at, &month, 2, 12, '-') || !ReadField(v, &at, &day, 2, 31) || month < 1 || day < 1) return std::nullopt;
  if (at < v.size() && v[at] == 'T') {
    ++at;
    if (!ReadField(v, &at, &hour, 2, 24, ':') || !ReadField(v, &at, &minute, 2, 59, ':') ||
        !ReadField(v, &at, &whole_seconds, 2, 59)) {
      return std::nullopt;
    }
    second = static_cast<long double>(whole_seconds);
    if (at < v.size() && v[at] == '.') {
      const std::size_t from = at;
      ++at;
      while (at < v.size() && v[at] >= '0' && v[at] <= '9') ++at;
      if (at == from + 1) return std::nullopt;
      second += std::strtold(std::string(v.substr(from, at - from)).c_str(), nullptr);
    }
  }
  Instant out;
  long long offset_minutes = 0;
  if (at < v.size()) {
    if (v[at] == 'Z' && at + 1 == v.size()) {
      out.has_timezone = true;
    } else if (v[at] == '+' || v[at] == '-') {
      const bool behind = v[at] == '-';
      long long h = 0, m = 0;
      ++at;
      if (!ReadField(v, &at, &h, 2, 14, ':') || !ReadField(v, &at, &m, 2, 59) || at != v.size()) return std::nullopt;
      offset_minutes = (behind ? -1 : 1) * (h * 60 + m);
      out.has_timezone = true;
    } else {
      return std::nullopt;
    }
  }
  // Days from civil (Howard Hinnant's algorithm).
  const long long y = year - (month <= 2);
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long long days = era * 146097 + doe;
  out.seconds = static_cast<long double>(days) * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return out;
}

// A date "YYYY-MM-DD" or dateTime "YYYY-MM-DDThh:mm:ss" of a four-digit year, with no
// fraction or timezone, and a day its month has and a time of day under 24:00: two such
// values of one type order as their text does. (ParseInstant takes "02-30" as 2 March
// and "T24:00:00" as the next midnight, which the text's order does not.)
bool PlainDateText(std::string_view v) {
  if (v.size() != 10 && v.size() != 19) return false;
  auto number = [&](std::size_t at, std::size_t n) {
    int out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (v[i] < '0' || v[i] > '9') return -1;
      out = out * 10 + (v[i] - '0');
    }
    return out;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (year < 0 || v[4] != '-' || v[7] != '-' || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  if (day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) return false;
  if (v.size() == 10) return true;
  const int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  return v[10] == 'T' && v[13] == ':' && v[16] == ':' && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 &&
         second >= 0 && second < 60;
}

// Compares dateTimes; with a timezone on one side only, the answer is known only when
// the two are more than 14 hours apart (XML Schema's rule).
std::optional<int> CompareDateTime(const Term& a, const Term& b) {
  if (a.datatype != b.datatype) return std::nullopt;
  // An ORDER BY or a filter on dates compares thousands of them: most need no parsing.
  if (a.value.size() == b.value.size() && PlainDateText(a.value) && PlainDateText(b.value)) {
    const int c = a.value.compare(b.value);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  auto x = ParseInstant(a.value), y = ParseInstant(b.value);
  if (!x || !y) return std::nullopt;
  if (x->has_timezone != y->has_timezone) {
    if (std::fabs(static_cast<double>(x->seconds - y->seconds)) <= 14 * 3600) return std::nullopt;
  }
  return x->seconds < y->seconds ? -1 : x->seconds > y->seconds ? 1 : 0;
}

// An xsd:integer of at most 18 digits, as a 64-bit integer, exactly.
bool SmallInteger(const Term& t, long long* out) {
  if (t.datatype != kXsdInteger || t.value.empty() || t.value.size() > 18) return false;
  const char* end = t.value.data() + t.value.size();
  auto [at, error] = std::from_chars(t.value.data(), end, *out);
  return error == std::errc() && at == end;
}

}  // namespace

std::optional<bool> ValueEquals(const Term& a, const Term& b) {
  if (a.kind != TermKind::kLiteral || b.kind != TermKind::kLiteral) return a == b;
  // YEAR(?d) = 2001 and the like, without parsing floating point.
  if (long long x = 0, y = 0; SmallInteger(a, &x) && SmallInteger(b, &y)) return x == y;
  auto x = AsNumeric(a), y = AsNumeric(b);
  if (x && y && BothIntegers(*x, *y)) return CompareIntegers(a, b, *x, *y) == 0;
  if (x && y) return x->value == y->value;
  if (IsNumericType(a.datatype) || IsNumericType(b.datatype)) {
    if (a == b) return true;
    if (IsNumericType(a.datatype) && IsNumericType(b.datatype)) return std::nullopt;  // ill-formed
    if ((x || IsNumericType(a.datatype)) && (IsStringLiteral(b) || !b.language.empty())) return false;
    if ((y || IsNumericType(b.datatype)) && (IsStringLiteral(a) || !a.language.empty())) return false;
    return std::nullopt;
  }
  if (IsStringLiteral(a) && IsStringLiteral(b)) return a.value == b.value;
  if (!a.language.empty() || !b.language.empty()) return a == b;
  if (a.datatype == kXsdBoolean && b.datatype == kXsdBoolean) {
    return EffectiveBoolean(a) == EffectiveBoolean(b);
  }
  if (IsDateTime(a) && IsDateTime(b)) {
    auto c = CompareDateTime(a, b);
    if (!c) return a == b ? std::optional<bool>(true) : std::nullopt;
    return *c == 0;
  }
  if (a == b) return true;
  if (IsStringLiteral(a) || IsStringLiteral(b)) return false;
  return std::nullopt;  // unknown datatypes: cannot tell
}

std::optional<int> ValueCompare(const Term& a, const Term& b) {
  if (a.kind != TermKind::kLiteral || b.kind != TermKind::kLiteral) return std::nullopt;
  // Two dates or two dateTimes (ORDER BY a date), before the numeric and string types'
  // tests, which are of other datatypes and compare each one's name.
  if (IsDateTime(a) && a.datatype == b.datatype) return CompareDateTime(a, b);
  // The common case of ORDER BY a count, without parsing floating point.
  if (long long x = 0, y = 0; SmallInteger(a, &x) && SmallInteger(b, &y)) return x < y ? -1 : x > y ? 1 : 0;
  auto x = AsNumeric(a), y = AsNumeric(b);
  if (x && y) {
    if (BothIntegers(*x, *y)) return CompareIntegers(a, b, *x, *y);
    if (std::isnan(x->value) || std::isnan(y->value)) return std::nullopt;
    return x->value < y->value ? -1 : x->value > y->value ? 1 : 0;
  }
  if (IsStringLiteral(a) && IsStringLiteral(b)) {
    int c = a.value.compare(b.value);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.datatype == kXsdBoolean && b.datatype == kXsdBoolean) {
    bool p = *EffectiveBoolean(a), q = *EffectiveBoolean(b);
    return p == q ? 0 : (p ? 1 : -1);
  }
  if (IsDateTime(a) && IsDateTime(b)) return CompareDateTime(a, b);
  return std::nullopt;
}

int OrderCompare(const Term* a, const Term* b) {
  auto rank = [](const Term* t) {
    if (t == nullptr) return 0;
    if (t->kind == TermKind::kBlankNode) return 1;
    if (t->kind == TermKind::kIri) return 2;
    return 3;
  };
  int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) return 0;
  if (ra == 3) {
    if (auto c = ValueCompare(*a, *b); c && *c != 0) return *c;
    // Incomparable literals: order by their lexical form, then datatype and language.
    if (int c = a->value.compare(b->value); c != 0) return c < 0 ? -1 : 1;
    if (int c = a->datatype.compare(b->datatype); c != 0) return c < 0 ? -1 : 1;
    int c = a->language.compare(b->language);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  int c = a->value.compare(b->value);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

namespace {

// An xsd:integer written the one way its value is (no sign but '-', no leading zero)
// in at most 18 digits: two such are equal exactly when their texts are.
bool CanonicalSmallInteger(const Term& t, long long* out) {
  const std::string_view v = t.value;
  const std::size_t digits = v.size() - (!v.empty() && v[0] == '-' ? 1 : 0);
  if (digits == 0 || digits > 18 || (v[v.size() - digits] == '0' && v != "0")) return false;
  const auto [at, error] = std::from_chars(v.data(), v.data() + v.size(), *out);
  return error == std::errc() && at == v.data() + v.size();
}

// The digits of a PlainDateText value, as one number: same-length plain texts order
// as these numbers do, and are equal exactly when they are.
std::int64_t DateDigits(std::string_view v) {
  std::int64_t out = 0;
  for (char c : v) {
    if (c >= '0' && c <= '9') out = out * 10 + (c - '0');
  }
  return out;
}

}  // namespace

SortKey SortKeyOf(const Term* term) {
  using Kind = SortKey::Kind;
  if (term == nullptr) return {Kind::kNone, 0};
  if (term->kind != TermKind::kLiteral || !term->language.empty()) return {};
  const std::string& type = term->datatype;
  // The datatype's length tells them apart before its text is read.
  if (type.size() == kXsdDate.size() && term->value.size() == 10 && type == kXsdDate && PlainDateText(term->value)) {
    return {Kind::kDate, DateDigits(term->value)};
  }
  if (type.size() == kXsdDateTime.size() && term->value.size() == 19 && type == kXsdDateTime &&
      PlainDateText(term->value)) {
    return {Kind::kDateTime, DateDigits(term->value)};
  }
  if (long long n = 0; type.size() == kXsdInteger.size() && type == kXsdInteger && CanonicalSmallInteger(*term, &n)) {
    return {Kind::kInteger, n};
  }
  return {};
}

}  // namespace parley::query::exec
