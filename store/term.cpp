#include "store/term.hpp"

#include <algorithm>
#include <cctype>

namespace parley {

Term Term::Iri(std::string iri) { return Term{TermKind::kIri, std::move(iri), {}, {}}; }

Term ToTerm(const TermView& v) {
  if (v.kind == TermKind::kLiteral && !v.language.empty()) {
    return Term::LangLiteral(std::string(v.value), std::string(v.language));
  }
  if (v.kind == TermKind::kLiteral) {
    return Term::Literal(std::string(v.value), v.datatype.empty() ? std::string(kXsdString) : std::string(v.datatype));
  }
  return Term{v.kind, std::string(v.value), {}, {}};
}

TermView ToView(const Term& term) {
  TermView view;
  view.kind = term.kind;
  view.value = term.value;
  if (term.kind == TermKind::kLiteral) {
    if (!term.language.empty()) {
      view.language = term.language;
    } else if (term.datatype != kXsdString) {
      view.datatype = term.datatype;
    }
  }
  return view;
}

Term Term::BlankNode(std::string label) { return Term{TermKind::kBlankNode, std::move(label), {}, {}}; }

Term Term::Literal(std::string lexical, std::string datatype) {
  return Term{TermKind::kLiteral, std::move(lexical), std::move(datatype), {}};
}

Term Term::LangLiteral(std::string lexical, std::string language) {
  std::transform(language.begin(), language.end(), language.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return Term{TermKind::kLiteral, std::move(lexical), std::string(kRdfLangString), std::move(language)};
}

void EncodeTerm(const TermView& term, std::string* out) {
  switch (term.kind) {
    case TermKind::kIri:
      out->push_back('I');
      break;
    case TermKind::kBlankNode:
      out->push_back('B');
      break;
    case TermKind::kLiteral:
      if (!term.language.empty()) {
        out->push_back('L');
        // Language tags compare case-insensitively (RDF 1.1 §3.3); store them lower-case.
        for (char c : term.language) out->push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        out->push_back('\0');
      } else if (term.datatype.empty() || term.datatype == kXsdString) {
        out->push_back('S');
      } else {
        out->push_back('D');
        out->append(term.datatype);
        out->push_back('\0');
      }
      break;
  }
  out->append(term.value);
}

std::string EncodeTerm(const Term& term) {
  std::string out;
  EncodeTerm(TermView{term.kind, term.value, term.datatype, term.language}, &out);
  return out;
}

Result<Term> DecodeTerm(std::string_view encoded) {
  if (encoded.empty()) return Status::Corruption("empty term encoding");
  std::string_view rest = encoded.substr(1);
  auto split = [&](std::string* head) -> bool {
    auto nul = rest.find('\0');
    if (nul == std::string_view::npos) return false;
    *head = std::string(rest.substr(0, nul));
    rest.remove_prefix(nul + 1);
    return true;
  };
  switch (encoded[0]) {
    case 'I':
      return Term::Iri(std::string(rest));
    case 'B':
      return Term::BlankNode(std::string(rest));
    case 'S':
      return Term::Literal(std::string(rest));
    case 'L': {
      std::string lang;
      if (!split(&lang)) break;
      return Term{TermKind::kLiteral, std::string(rest), std::string(kRdfLangString), std::move(lang)};
    }
    case 'D': {
      std::string datatype;
      if (!split(&datatype)) break;
      return Term::Literal(std::string(rest), std::move(datatype));
    }
    default:
      break;
  }
  return Status::Corruption("undecodable term encoding");
}

namespace {

void AppendHex(std::uint32_t value, int digits, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (int i = digits - 1; i >= 0; --i) out->push_back(kHex[(value >> (4 * i)) & 0xF]);
}

// Escapes what N-Triples requires in a string literal and control characters that
// would otherwise be invisible; everything else, UTF-8 included, is written as is.
void AppendEscapedLexical(std::string_view text, std::string* out) {
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out->append("\\u");
          AppendHex(c, 4, out);
        } else {
          out->push_back(ch);
        }
    }
  }
}

}  // namespace

void AppendNTriples(const Term& term, std::string* out) {
  switch (term.kind) {
    case TermKind::kIri:
      out->push_back('<');
      out->append(term.value);
      out->push_back('>');
      return;
    case TermKind::kBlankNode:
      out->append("_:");
      out->append(term.value);
      return;
    case TermKind::kLiteral:
      out->push_back('"');
      AppendEscapedLexical(term.value, out);
      out->push_back('"');
      if (!term.language.empty()) {
        out->push_back('@');
        out->append(term.language);
      } else if (!term.datatype.empty() && term.datatype != kXsdString) {
        out->append("^^<");
        out->append(term.datatype);
        out->push_back('>');
      }
      return;
  }
}

std::string ToNTriples(const Term& term) {
  std::string out;
  AppendNTriples(term, &out);
  return out;
}

}  // namespace parley
