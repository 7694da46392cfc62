#include "query/exec/functions.hpp"

#include <ctime>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <openssl/evp.h>
#include <pcre2.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <unordered_map>

#include "rdf/iri.hpp"
#include "query/exec/values.hpp"

namespace parley::query::exec {
namespace {

using Args = std::vector<std::optional<Term>>;

bool AllPresent(const Args& args) {
  for (const auto& a : args) {
    if (!a) return false;
  }
  return true;
}

bool IsLiteral(const Term& t) { return t.kind == TermKind::kLiteral; }
// A string literal with or without a language tag ("string argument" in the spec).
bool StringLike(const Term& t) { return IsLiteral(t) && (IsStringLiteral(t) || !t.language.empty()); }

// The result of a string function keeps the language or xsd:string of its input.
Term SameKind(const Term& like, std::string value) {
  if (!like.language.empty()) return Term::LangLiteral(std::move(value), like.language);
  if (like.datatype == kXsdString) return Term::Literal(std::move(value), std::string(kXsdString));
  return Term::Literal(std::move(value));
}

// Arguments of STRSTARTS, CONTAINS, ...: compatible when the second has no language
// or the same one as the first.
bool Compatible(const Term& a, const Term& b) {
  return StringLike(a) && StringLike(b) && (b.language.empty() || a.language == b.language);
}

std::size_t Utf8Length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Byte offset of the code point at index `cp` (clamped to the end).
std::size_t Utf8Offset(const std::string& s, std::size_t cp) {
  std::size_t i = 0;
  while (i < s.size() && cp > 0) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    --cp;
  }
  return i;
}

std::string Upper(std::string s, bool up) {
  for (char& c : s) c = static_cast<char>(up ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The digits v[at, at + n) as a number; nullopt unless they are all digits.
std::optional<long long> Digits(const std::string& v, std::size_t at, std::size_t n) {
  if (at > v.size() || n == 0 || n > 18 || v.size() - at < n) return std::nullopt;
  long long out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (v[i] < '0' || v[i] > '9') return std::nullopt;
    out = out * 10 + (v[i] - '0');
  }
  return out;
}

// A part of an xsd:date or xsd:dateTime; nullopt (an error, so unbound) for a value
// that is not well formed.
std::optional<Term> DatePart(const Term& t, const std::string& part) {
  if (!IsLiteral(t) || (t.datatype != kXsdDateTime && t.datatype != kXsdDate)) return std::nullopt;
  const std::string& v = t.value;
  auto num = [&](std::size_t at, std::size_t n) -> std::optional<Term> {
    auto d = Digits(v, at, n);
    return d ? std::optional<Term>(IntegerTerm(*d)) : std::nullopt;
  };
  bool neg = !v.empty() && v[0] == '-';
  std::size_t y = neg ? 1 : 0;
  std::size_t dash = v.find('-', y);
  if (dash == std::string::npos) return std::nullopt;
  if (part == "YEAR") {
    // Years have no upper bound in XML Schema: the digits as they are, less leading zeros.
    if (dash == y || !std::all_of(v.begin() + static_cast<std::ptrdiff_t>(y), v.begin() + static_cast<std::ptrdiff_t>(dash),
                                  [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    std::string digits = v.substr(y, dash - y);
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
    return Term::Literal((neg && digits != "0" ? "-" : "") + digits, kXsdInteger);
  }
  if (part == "MONTH") return num(dash + 1, 2);
  if (part == "DAY") return num(dash + 4, 2);
  auto tpos = v.find('T');
  if (tpos == std::string::npos) return std::nullopt;
  if (part == "HOURS") return num(tpos + 1, 2);
  if (part == "MINUTES") return num(tpos + 4, 2);
  if (part == "SECONDS") {
    std::size_t end = tpos + 7;
    while (end < v.size() && (std::isdigit(static_cast<unsigned char>(v[end])) || v[end] == '.')) ++end;
    return Term::Literal(v.substr(tpos + 7, end - tpos - 7).find('.') == std::string::npos
                             ? v.substr(tpos + 7, end - tpos - 7) + ".0" : v.substr(tpos + 7, end - tpos - 7), kXsdDecimal);
  }
  // Timezone: Z, +hh:mm or -hh:mm at the end.
  std::string tz;
  if (!v.empty() && v.back() == 'Z') {
    tz = "Z";
  } else if (v.size() > 6 && (v[v.size() - 6] == '+' || v[v.size() - 6] == '-') && v[v.size() - 3] == ':') {
    tz = v.substr(v.size() - 6);
  }
  if (part == "TZ") return Term::Literal(tz);
  if (tz.empty()) return std::nullopt;
  if (tz == "Z") return Term::Literal("PT0S", kXsd + "dayTimeDuration");
  const auto tz_hours = Digits(tz, 1, 2), tz_minutes = Digits(tz, 4, 2);
  if (!tz_hours || !tz_minutes) return std::nullopt;
  const int hours = static_cast<int>(*tz_hours), minutes = static_cast<int>(*tz_minutes);
  std::string d = std::string(tz[0] == '-' ? "-" : "") + "PT" + std::to_string(hours) + "H";
  if (minutes) d += std::to_string(minutes) + "M";
  if (hours == 0 && minutes == 0) d = "PT0S";
  return Term::Literal(d, kXsd + "dayTimeDuration");
}

std::optional<Term> Cast(const std::string& type, const Term& t) {
  if (t.kind == TermKind::kBlankNode) return std::nullopt;
  const std::string local = type.substr(kXsd.size());
  if (t.kind == TermKind::kIri) {
    if (local == "string") return Term::Literal(t.value, std::string(kXsdString));
    return std::nullopt;
  }
  if (local == "string") return Term::Literal(t.value, std::string(kXsdString));
  auto n = AsNumeric(t);
  const bool is_bool = t.datatype == kXsdBoolean;
  const bool from_string = IsStringLiteral(t);
  if (local == "boolean") {
    if (is_bool || from_string) {
      if (t.value == "true" || t.value == "1") return BooleanTerm(true);
      if (t.value == "false" || t.value == "0") return BooleanTerm(false);
      return std::nullopt;
    }
    if (n) return BooleanTerm(!(n->value == 0 || std::isnan(n->value)));
    return std::nullopt;
  }
  if (local == "integer" || local == "decimal" || local == "float" || local == "double") {
    Numeric out;
    out.kind = local == "integer" ? Numeric::Kind::kInteger : local == "decimal" ? Numeric::Kind::kDecimal
             : local == "float" ? Numeric::Kind::kFloat : Numeric::Kind::kDouble;
    if (is_bool) {
      out.value = t.value == "true" || t.value == "1" ? 1 : 0;
      return NumericTerm(out);
    }
    if (from_string) {
      auto parsed = AsNumeric(Term::Literal(t.value, type));
      if (!parsed) return std::nullopt;
      if (out.kind == Numeric::Kind::kInteger) return Term::Literal(t.value, type);
      out.value = parsed->value;
      return out.kind == Numeric::Kind::kDecimal ? Term::Literal(t.value.find('.') == std::string::npos ? t.value + ".0" : t.value, type)
                                                 : Term::Literal(t.value, type);
    }
    if (!n) return std::nullopt;
    if (std::isnan(n->value) || std::isinf(n->value)) {
      if (out.kind <= Numeric::Kind::kDecimal) return std::nullopt;
    }
    out.value = out.kind == Numeric::Kind::kInteger ? std::trunc(n->value) : n->value;
    return NumericTerm(out);
  }
  if (local == "dateTime") {
    if (t.datatype == kXsdDateTime) return t;
    if (from_string && t.value.size() >= 19 && t.value[4] == '-' && t.value[10] == 'T') return Term::Literal(t.value, type);
    return std::nullopt;
  }
  return std::nullopt;
}

struct Regex {
  pcre2_code* code = nullptr;
  pcre2_match_data* match = nullptr;
  ~Regex() {
    if (match != nullptr) pcre2_match_data_free(match);
    if (code != nullptr) pcre2_code_free(code);
  }
};

Regex* Compile(const std::string& pattern, const std::string& flags) {
  // A FILTER calls REGEX once per row with the same pattern: remember the last one.
  thread_local std::string last_pattern, last_flags;
  thread_local Regex* last = nullptr;
  if (last != nullptr && pattern == last_pattern && flags == last_flags) return last;
  // One cache a thread (a compiled pattern's match data serves one match at a time),
  // emptied when it holds many patterns.
  thread_local std::map<std::string, std::unique_ptr<Regex>> cache;
  constexpr std::size_t kMaxCached = 256;
  if (cache.size() >= kMaxCached) {
    cache.clear();
    last = nullptr;
  }
  const std::string key = flags + '\0' + pattern;
  auto it = cache.find(key);
  if (it != cache.end()) {
    last = it->second.get();
    last_pattern = pattern;
    last_flags = flags;
    return last;
  }
  uint32_t options = PCRE2_UTF;
  for (char f : flags) {
    switch (f) {
      case 'i': options |= PCRE2_CASELESS; break;
      case 's': options |= PCRE2_DOTALL; break;
      case 'm': options |= PCRE2_MULTILINE; break;
      case 'x': options |= PCRE2_EXTENDED; break;
      case 'q': options |= PCRE2_LITERAL; break;
      default: return nullptr;
    }
  }
  int error = 0;
  PCRE2_SIZE offset = 0;
  auto regex = std::make_unique<Regex>();
  regex->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error, &offset, nullptr);
  if (regex->code == nullptr) return nullptr;
  pcre2_jit_compile(regex->code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter when JIT is unavailable
  regex->match = pcre2_match_data_create_from_pattern(regex->code, nullptr);
  last = (cache[key] = std::move(regex)).get();
  last_pattern = pattern;
  last_flags = flags;
  return last;
}

std::optional<std::string> Replace(const std::string& text, const std::string& pattern, const std::string& replacement,
                                   const std::string& flags) {
  Regex* re = Compile(pattern, flags);
  if (re == nullptr) return std::nullopt;
  // SPARQL (XPath) writes groups as $1; PCRE2's extended substitution reads ${1} and $1 alike.
  std::string out(text.size() * 2 + 64, '\0');
  PCRE2_SIZE length = out.size();
  int rc = pcre2_substitute(re->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                            PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH, nullptr, nullptr,
                            reinterpret_cast<PCRE2_SPTR>(replacement.data()), replacement.size(),
                            reinterpret_cast<PCRE2_UCHAR*>(out.data()), &length);
  if (rc == PCRE2_ERROR_NOMEMORY) {
    out.resize(length);
    rc = pcre2_substitute(re->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, PCRE2_SUBSTITUTE_GLOBAL,
                          nullptr, nullptr, reinterpret_cast<PCRE2_SPTR>(replacement.data()), replacement.size(),
                          reinterpret_cast<PCRE2_UCHAR*>(out.data()), &length);
  }
  if (rc < 0) return std::nullopt;
  out.resize(length);
  return out;
}

std::string EncodeForUri(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string Uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    int v = static_cast<int>(rng() & 15);
    if (i == 12) v = 4;
    if (i == 16) v = 8 | (v & 3);
    s.push_back(kHex[v]);
    if (i == 7 || i == 11 || i == 15 || i == 19) s.push_back('-');
  }
  return s;
}

// MD5, SHA1, SHA256, SHA384 or SHA512 of the UTF-8 text, as lower-case hex.
std::optional<std::string> Digest(const std::string& name, const std::string& text) {
  const EVP_MD* md = name == "MD5" ? EVP_md5() : name == "SHA1" ? EVP_sha1() : name == "SHA256" ? EVP_sha256()
                   : name == "SHA384" ? EVP_sha384() : name == "SHA512" ? EVP_sha512() : nullptr;
  if (md == nullptr) return std::nullopt;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, md, nullptr) != 1) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

}  // namespace

std::optional<bool> RegexMatch(const std::string& text, const std::string& pattern, const std::string& flags) {
  Regex* re = Compile(pattern, flags);
  if (re == nullptr) return std::nullopt;
  int rc = pcre2_match(re->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, re->match, nullptr);
  return rc >= 0;
}

std::optional<bool> RegexTest(const Term& text, const std::string& pattern, const std::string& flags) {
  if (!StringLike(text)) return std::nullopt;
  return RegexMatch(text.value, pattern, flags);
}

namespace {

// The built-in functions by name, looked up once per call: a filter calls one for every
// row, and comparing the name with each built-in's in turn took most of YEAR(?d)'s time.
enum class Builtin : std::uint8_t {
  kNone, kStr, kLang, kDatatype, kLangMatches, kIsIri, kIsUri, kIsBlank, kIsLiteral, kIsNumeric,
  kSameTerm, kIri, kUri, kBnode, kStrDt, kStrLang, kStrLen, kUCase, kLCase, kSubStr, kStrStarts,
  kStrEnds, kContains, kStrBefore, kStrAfter, kConcat, kEncodeForUri, kRegex, kReplace, kAbs,
  kCeil, kFloor, kRound, kRand, kNow, kUuid, kStrUuid, kYear, kMonth, kDay, kHours, kMinutes,
  kSeconds, kTimeZone, kTz, kMd5, kSha1, kSha256, kSha384, kSha512
};

Builtin BuiltinOf(const std::string& name) {
  static const std::unordered_map<std::string, Builtin> kByName = {
      {"STR", Builtin::kStr},
      {"LANG", Builtin::kLang},
      {"DATATYPE", Builtin::kDatatype},
      {"LANGMATCHES", Builtin::kLangMatches},
      {"ISIRI", Builtin::kIsIri},
      {"ISURI", Builtin::kIsUri},
      {"ISBLANK", Builtin::kIsBlank},
      {"ISLITERAL", Builtin::kIsLiteral},
      {"ISNUMERIC", Builtin::kIsNumeric},
      {"SAMETERM", Builtin::kSameTerm},
      {"IRI", Builtin::kIri},
      {"URI", Builtin::kUri},
      {"BNODE", Builtin::kBnode},
      {"STRDT", Builtin::kStrDt},
      {"STRLANG", Builtin::kStrLang},
      {"STRLEN", Builtin::kStrLen},
      {"UCASE", Builtin::kUCase},
      {"LCASE", Builtin::kLCase},
      {"SUBSTR", Builtin::kSubStr},
      {"STRSTARTS", Builtin::kStrStarts},
      {"STRENDS", Builtin::kStrEnds},
      {"CONTAINS", Builtin::kContains},
      {"STRBEFORE", Builtin::kStrBefore},
      {"STRAFTER", Builtin::kStrAfter},
      {"CONCAT", Builtin::kConcat},
      {"ENCODE_FOR_URI", Builtin::kEncodeForUri},
      {"REGEX", Builtin::kRegex},
      {"REPLACE", Builtin::kReplace},
      {"ABS", Builtin::kAbs},
      {"CEIL", Builtin::kCeil},
      {"FLOOR", Builtin::kFloor},
      {"ROUND", Builtin::kRound},
      {"RAND", Builtin::kRand},
      {"NOW", Builtin::kNow},
      {"UUID", Builtin::kUuid},
      {"STRUUID", Builtin::kStrUuid},
      {"YEAR", Builtin::kYear},
      {"MONTH", Builtin::kMonth},
      {"DAY", Builtin::kDay},
      {"HOURS", Builtin::kHours},
      {"MINUTES", Builtin::kMinutes},
      {"SECONDS", Builtin::kSeconds},
      {"TIMEZONE", Builtin::kTimeZone},
      {"TZ", Builtin::kTz},
      {"MD5", Builtin::kMd5},
      {"SHA1", Builtin::kSha1},
      {"SHA256", Builtin::kSha256},
      {"SHA384", Builtin::kSha384},
      {"SHA512", Builtin::kSha512},
  };
  const auto it = kByName.find(name);
  return it == kByName.end() ? Builtin::kNone : it->second;
}

}  // namespace

std::optional<Term> CallFunction(const std::string& name, const Args& args, FunctionContext& ctx) {
  const std::size_t n = args.size();
  const Builtin f = BuiltinOf(name);
  // Casts: xsd:integer(?x) and friends.
  if (f == Builtin::kNone) {
    if (name.compare(0, kXsd.size(), kXsd) != 0 || n != 1 || !args[0]) return std::nullopt;
    return Cast(name, *args[0]);
  }
  // Functions whose arguments may be unbound or erroneous are handled before this.
  if (!AllPresent(args)) return std::nullopt;
  auto arg = [&](std::size_t i) -> const Term& { return *args[i]; };

  if (f == Builtin::kStr) {
    if (n != 1 || arg(0).kind == TermKind::kBlankNode) return std::nullopt;
    return Term::Literal(arg(0).value);
  }
  if (f == Builtin::kLang) {
    if (n != 1 || !IsLiteral(arg(0))) return std::nullopt;
    return Term::Literal(arg(0).language);
  }
  if (f == Builtin::kDatatype) {
    if (n != 1 || !IsLiteral(arg(0))) return std::nullopt;
    const Term& t = arg(0);
    return Term::Iri(!t.language.empty() ? std::string(kRdfLangString) : t.datatype.empty() ? std::string(kXsdString) : t.datatype);
  }
  if (f == Builtin::kLangMatches) {
    if (n != 2 || !IsStringLiteral(arg(0)) || !IsStringLiteral(arg(1))) return std::nullopt;
    std::string tag = Upper(arg(0).value, false), range = Upper(arg(1).value, false);
    if (range == "*") return BooleanTerm(!tag.empty());
    return BooleanTerm(tag == range || (tag.size() > range.size() && tag.compare(0, range.size(), range) == 0 && tag[range.size()] == '-'));
  }
  if (f == Builtin::kIsIri || f == Builtin::kIsUri) return BooleanTerm(arg(0).kind == TermKind::kIri);
  if (f == Builtin::kIsBlank) return BooleanTerm(arg(0).kind == TermKind::kBlankNode);
  if (f == Builtin::kIsLiteral) return BooleanTerm(IsLiteral(arg(0)));
  if (f == Builtin::kIsNumeric) return BooleanTerm(AsNumeric(arg(0)).has_value());
  if (f == Builtin::kSameTerm) return n == 2 ? std::optional<Term>(BooleanTerm(arg(0) == arg(1))) : std::nullopt;
  if (f == Builtin::kIri || f == Builtin::kUri) {
    if (n != 1) return std::nullopt;
    if (arg(0).kind == TermKind::kIri) return arg(0);
    if (!IsStringLiteral(arg(0))) return std::nullopt;
    std::string iri = arg(0).value;
    if (!rdf::IsAbsoluteIri(iri) && !ctx.base.empty()) {
      iri = rdf::ResolveIri(ctx.base, iri);  // relative IRIs resolve against the query's base
    }
    return Term::Iri(iri);
  }
  if (f == Builtin::kBnode) {
    if (n > 1 || (n == 1 && !IsStringLiteral(arg(0)))) return std::nullopt;
    return Term::BlankNode("q" + std::to_string(++*ctx.blank_counter));
  }
  if (f == Builtin::kStrDt) {
    if (n != 2 || !IsStringLiteral(arg(0)) || arg(1).kind != TermKind::kIri) return std::nullopt;
    return Term::Literal(arg(0).value, arg(1).value);
  }
  if (f == Builtin::kStrLang) {
    if (n != 2 || !IsStringLiteral(arg(0)) || !IsStringLiteral(arg(1)) || arg(1).value.empty()) return std::nullopt;
    return Term::LangLiteral(arg(0).value, arg(1).value);
  }
  if (f == Builtin::kStrLen) {
    if (n != 1 || !StringLike(arg(0))) return std::nullopt;
    return IntegerTerm(static_cast<long long>(Utf8Length(arg(0).value)));
  }
  if (f == Builtin::kUCase || f == Builtin::kLCase) {
    if (n != 1 || !StringLike(arg(0))) return std::nullopt;
    return SameKind(arg(0), Upper(arg(0).value, f == Builtin::kUCase));
  }
  if (f == Builtin::kSubStr) {
    if ((n != 2 && n != 3) || !StringLike(arg(0))) return std::nullopt;
    auto start = AsNumeric(arg(1));
    if (!start) return std::nullopt;
    const std::string& s = arg(0).value;
    long double from = std::round(start->value);
    long double to = INFINITY;
    if (n == 3) {
      auto len = AsNumeric(arg(2));
      if (!len) return std::nullopt;
      to = from + std::round(len->value);
    }
    long double begin = std::max<long double>(from, 1), end = std::min<long double>(to, static_cast<long double>(Utf8Length(s)) + 1);
    if (std::isnan(begin) || std::isnan(end) || end <= begin) return SameKind(arg(0), "");
    std::size_t b = Utf8Offset(s, static_cast<std::size_t>(begin - 1)), e = Utf8Offset(s, static_cast<std::size_t>(end - 1));
    return SameKind(arg(0), s.substr(b, e - b));
  }
  if (f == Builtin::kStrStarts || f == Builtin::kStrEnds || f == Builtin::kContains) {
    if (n != 2 || !Compatible(arg(0), arg(1))) return std::nullopt;
    const std::string &s = arg(0).value, &t = arg(1).value;
    bool r = f == Builtin::kContains ? s.find(t) != std::string::npos
           : f == Builtin::kStrStarts ? s.compare(0, t.size(), t) == 0
                                 : s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
    return BooleanTerm(r);
  }
  if (f == Builtin::kStrBefore || f == Builtin::kStrAfter) {
    if (n != 2 || !Compatible(arg(0), arg(1))) return std::nullopt;
    const std::string &s = arg(0).value, &t = arg(1).value;
    auto at = s.find(t);
    if (at == std::string::npos) return Term::Literal("");
    if (t.empty() && f == Builtin::kStrBefore) return SameKind(arg(0), "");
    return SameKind(arg(0), f == Builtin::kStrBefore ? s.substr(0, at) : s.substr(at + t.size()));
  }
  if (f == Builtin::kConcat) {
    std::string out;
    std::optional<std::string> lang;
    bool all_xsd_string = true, first = true;
    for (const auto& a : args) {
      if (!StringLike(*a)) return std::nullopt;
      out += a->value;
      if (first) lang = a->language;
      else if (lang != a->language) lang = std::string();
      all_xsd_string = all_xsd_string && a->datatype == kXsdString && a->language.empty();
      first = false;
    }
    if (lang && !lang->empty()) return Term::LangLiteral(out, *lang);
    return Term::Literal(out, all_xsd_string && n > 0 ? std::string(kXsdString) : std::string(kXsdString));
  }
  if (f == Builtin::kEncodeForUri) {
    if (n != 1 || !StringLike(arg(0))) return std::nullopt;
    return Term::Literal(EncodeForUri(arg(0).value));
  }
  if (f == Builtin::kRegex) {
    if ((n != 2 && n != 3) || !IsStringLiteral(arg(1))) return std::nullopt;
    if (n == 3 && !IsStringLiteral(arg(2))) return std::nullopt;
    auto r = RegexTest(arg(0), arg(1).value, n == 3 ? arg(2).value : "");
    if (!r) return std::nullopt;
    return BooleanTerm(*r);
  }
  if (f == Builtin::kReplace) {
    if ((n != 3 && n != 4) || !StringLike(arg(0)) || !IsStringLiteral(arg(1)) || !IsStringLiteral(arg(2))) return std::nullopt;
    auto r = Replace(arg(0).value, arg(1).value, arg(2).value, n == 4 ? arg(3).value : "");
    if (!r) return std::nullopt;
    return SameKind(arg(0), *r);
  }
  if (f == Builtin::kAbs || f == Builtin::kCeil || f == Builtin::kFloor || f == Builtin::kRound) {
    if (n != 1) return std::nullopt;
    auto v = AsNumeric(arg(0));
    if (!v) return std::nullopt;
    v->value = f == Builtin::kAbs ? std::fabs(v->value) : f == Builtin::kCeil ? std::ceil(v->value)
             : f == Builtin::kFloor ? std::floor(v->value) : std::floor(v->value + 0.5L);
    return NumericTerm(*v);
  }
  if (f == Builtin::kRand) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return Term::Literal(std::to_string(std::uniform_real_distribution<double>(0, 1)(rng)), kXsdDouble);
  }
  if (f == Builtin::kNow) return Term::Literal(ctx.now, kXsdDateTime);
  if (f == Builtin::kUuid) return Term::Iri("urn:uuid:" + Uuid());
  if (f == Builtin::kStrUuid) return Term::Literal(Uuid());
  if (f == Builtin::kYear || f == Builtin::kMonth || f == Builtin::kDay || f == Builtin::kHours || f == Builtin::kMinutes ||
      f == Builtin::kSeconds || f == Builtin::kTimeZone || f == Builtin::kTz) {
    return n == 1 ? DatePart(arg(0), name) : std::nullopt;
  }
  if (f == Builtin::kMd5 || f == Builtin::kSha1 || f == Builtin::kSha256 || f == Builtin::kSha384 || f == Builtin::kSha512) {
    if (n != 1 || !IsStringLiteral(arg(0))) return std::nullopt;
    auto hex = Digest(name, arg(0).value);
    if (!hex) return std::nullopt;
    return Term::Literal(*hex);
  }
  return std::nullopt;
}

std::string QueryStartTime() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace parley::query::exec
