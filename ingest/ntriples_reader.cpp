#include "ingest/ntriples_reader.hpp"

#include "rdf/chars.hpp"
#include "rdf/iri.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

namespace parley::ingest {

using namespace parley::rdf;  // IRIs, characters, vocabulary, positions (rdf/)

namespace {

// Parses the statements of one line. Views point into the line or into scratch strings.
class LineParser {
 public:
  LineParser(RdfFormat format, std::string_view origin, const StatementCallback& callback)
      : format_(format), origin_(origin), callback_(callback) {}

  Status ParseLine(std::string_view line, std::uint64_t line_number) {
    line_ = line;
    line_number_ = line_number;
    pos_ = 0;
    // A byte-order mark at the start of the input (as editors on Windows write) is not data.
    if (line_number == 1 && line_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (true) {
      SkipSpace();
      // A carriage return is a line break too (EOL ::= [#xD#xA]+).
      while (pos_ < line_.size() && line_[pos_] == '\r') {
        ++pos_;
        SkipSpace();
      }
      if (AtEnd() || line_[pos_] == '#') return Status::OK();
      PARLEY_RETURN_IF_ERROR(ParseStatement());
    }
  }

 private:
  bool AtEnd() const { return pos_ >= line_.size(); }
  void SkipSpace() {
    while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
  }

  Status Error(std::size_t at, std::string message, std::size_t span = 1) const {
    std::string shown(line_);
    Diagnostic d{std::string(origin_), line_number_, at + 1, std::move(message), std::move(shown), span};
    return Status::ParseError(std::move(d));
  }

  std::string Describe(std::size_t at) const {
    if (at >= line_.size()) return "end of line";
    char c = line_[at];
    if (c == '\r') return "a carriage return";
    std::string quoted = "'";  // built step by step: GCC 12 warns (falsely) on "'" + string + "'"
    quoted += c;
    quoted += '\'';
    return quoted;
  }

  Status ParseStatement() {
    Statement st;
    st.line = line_number_;
    PARLEY_RETURN_IF_ERROR(ParseSubjectLike(&st.subject, subject_scratch_, "a subject (an IRI or a blank node)"));
    SkipSpace();
    if (AtEnd() || line_[pos_] != '<') return Error(pos_, "expected a predicate (an IRI), found " + Describe(pos_));
    PARLEY_RETURN_IF_ERROR(ParseIri(&st.predicate, predicate_scratch_));
    SkipSpace();
    PARLEY_RETURN_IF_ERROR(ParseObject(&st.object));
    SkipSpace();
    if (!AtEnd() && (line_[pos_] == '<' || line_[pos_] == '_')) {
      if (format_ == RdfFormat::kNTriples) {
        return Error(pos_, "expected '.' after the object; N-Triples has no graph label (is this N-Quads?)");
      }
      TermView graph;
      PARLEY_RETURN_IF_ERROR(ParseSubjectLike(&graph, graph_scratch_, "a graph label"));
      st.graph = graph;
      SkipSpace();
    }
    if (AtEnd() || line_[pos_] != '.') {
      return Error(pos_, std::string("expected '.' to end the ") +
                             (format_ == RdfFormat::kNQuads ? "quad" : "triple") + ", found " + Describe(pos_));
    }
    ++pos_;
    SkipSpace();
    if (!AtEnd() && line_[pos_] != '#' && line_[pos_] != '\r') {
      return Error(pos_, "expected the end of the line after '.', found " + Describe(pos_));
    }
    return callback_(st);
  }

  Status ParseSubjectLike(TermView* out, std::string& scratch, const char* what) {
    if (!AtEnd() && line_[pos_] == '<') return ParseIri(out, scratch);
    if (!AtEnd() && line_[pos_] == '_') return ParseBlankNode(out);
    return Error(pos_, std::string("expected ") + what + ", found " + Describe(pos_));
  }

  Status ParseObject(TermView* out) {
    if (AtEnd()) return Error(pos_, "expected an object (an IRI, a blank node or a literal), found end of line");
    switch (line_[pos_]) {
      case '<': return ParseIri(out, object_scratch_);
      case '_': return ParseBlankNode(out);
      case '"': return ParseLiteral(out);
      default:
        return Error(pos_, "expected an object (an IRI, a blank node or a literal), found " + Describe(pos_));
    }
  }

  // Reads \uXXXX or \UXXXXXXXX at pos_ (which is at the backslash) into `out`.
  Status ParseUchar(std::string* out, std::uint32_t* cp_out) {
    const std::size_t start = pos_;
    const char kind = pos_ + 1 < line_.size() ? line_[pos_ + 1] : '\0';
    const std::size_t digits = kind == 'u' ? 4 : 8;
    std::uint32_t cp = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      std::size_t at = pos_ + 2 + i;
      if (at >= line_.size() || !IsHex(line_[at])) {
        return Error(start, "malformed escape: \\" + std::string(1, kind) + " needs " + std::to_string(digits) +
                                " hex digits", 2 + digits);
      }
      cp = (cp << 4) | HexValue(line_[at]);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Error(start, "escape names no Unicode character", 2 + digits);
    }
    AppendUtf8(cp, out);
    *cp_out = cp;
    pos_ += 2 + digits;
    return Status::OK();
  }

  // Checks the UTF-8 sequence at pos_ and advances past it.
  Status SkipUtf8() {
    std::uint32_t cp;
    std::size_t at = pos_;
    if (!DecodeUtf8(line_, &pos_, &cp)) return Error(at, "invalid UTF-8");
    return Status::OK();
  }

  Status ParseIri(TermView* out, std::string& scratch) {
    const std::size_t start = pos_;
    ++pos_;  // '<'
    const std::size_t body = pos_;
    bool escaped = false;
    scratch.clear();
    while (true) {
      if (AtEnd()) return Error(start, "IRI is not closed: expected '>'");
      auto c = static_cast<unsigned char>(line_[pos_]);
      if (c == '>') break;
      if (c == '\\') {
        if (!escaped) scratch.assign(line_.substr(body, pos_ - body));
        escaped = true;
        char kind = pos_ + 1 < line_.size() ? line_[pos_ + 1] : '\0';
        if (kind != 'u' && kind != 'U') return Error(pos_, "only \\u and \\U escapes are allowed in an IRI", 2);
        std::uint32_t cp;
        const std::size_t at = pos_;
        PARLEY_RETURN_IF_ERROR(ParseUchar(&scratch, &cp));
        if (cp <= 0x20 || (cp < 0x80 && !kIriByte[cp])) {
          return Error(at, "escaped character is not allowed in an IRI", pos_ - at);
        }
        continue;
      }
      if (!kIriByte[c]) {
        return Error(pos_, c == ' ' ? "space in an IRI" : "character " + Describe(pos_) + " is not allowed in an IRI");
      }
      const std::size_t at = pos_;
      if (c >= 0x80) {
        PARLEY_RETURN_IF_ERROR(SkipUtf8());
      } else {
        ++pos_;
      }
      if (escaped) scratch.append(line_.substr(at, pos_ - at));
    }
    std::string_view iri = escaped ? std::string_view(scratch) : line_.substr(body, pos_ - body);
    ++pos_;  // '>'
    if (!IsAbsoluteIri(iri)) {
      return Error(start, "relative IRI <" + std::string(iri) + ">: IRIs must be absolute here", pos_ - start);
    }
    *out = TermView{TermKind::kIri, iri, {}, {}};
    return Status::OK();
  }

  Status ParseBlankNode(TermView* out) {
    const std::size_t start = pos_;
    if (pos_ + 1 >= line_.size() || line_[pos_ + 1] != ':') return Error(pos_, "expected '_:' to start a blank node");
    pos_ += 2;
    const std::size_t body = pos_;
    std::size_t last_non_dot = pos_;  // end of the label without trailing dots
    bool first = true;
    while (!AtEnd()) {
      std::size_t at = pos_;
      std::uint32_t cp;
      if (!DecodeUtf8(line_, &pos_, &cp)) return Error(at, "invalid UTF-8");
      bool ok = first ? (IsPnCharsU(cp) || (cp >= '0' && cp <= '9')) : (IsPnChars(cp) || cp == '.');
      if (!ok) {
        pos_ = at;
        break;
      }
      if (cp != '.') last_non_dot = pos_;
      first = false;
    }
    if (first) return Error(start, "blank node label is empty or starts with a character it may not start with", 2);
    // A label may not end with '.': trailing dots belong to the statement.
    pos_ = last_non_dot;
    *out = TermView{TermKind::kBlankNode, line_.substr(body, pos_ - body), {}, {}};
    return Status::OK();
  }

  Status ParseLiteral(TermView* out) {
    const std::size_t start = pos_;
    ++pos_;  // '"'
    const std::size_t body = pos_;
    bool escaped = false;
    literal_scratch_.clear();
    while (true) {
      if (AtEnd()) return Error(start, "string is not closed: expected '\"'");
      auto c = static_cast<unsigned char>(line_[pos_]);
      if (c == '"') break;
      if (c == '\r') return Error(pos_, "raw carriage return in a string (write \\r)");
      if (c == '\\') {
        if (!escaped) literal_scratch_.assign(line_.substr(body, pos_ - body));
        escaped = true;
        char kind = pos_ + 1 < line_.size() ? line_[pos_ + 1] : '\0';
        if (kind == 'u' || kind == 'U') {
          std::uint32_t cp;
          PARLEY_RETURN_IF_ERROR(ParseUchar(&literal_scratch_, &cp));
          continue;
        }
        const char decoded = DecodeEchar(kind);
        if (decoded == 0) return Error(pos_, "unknown escape '\\" + std::string(1, kind) + "' in a string", 2);
        literal_scratch_.push_back(decoded);
        pos_ += 2;
        continue;
      }
      const std::size_t at = pos_;
      if (c >= 0x80) {
        PARLEY_RETURN_IF_ERROR(SkipUtf8());
      } else {
        ++pos_;
      }
      if (escaped) literal_scratch_.append(line_.substr(at, pos_ - at));
    }
    TermView lit{TermKind::kLiteral, escaped ? std::string_view(literal_scratch_) : line_.substr(body, pos_ - body),
                 {}, {}};
    ++pos_;  // '"'
    if (!AtEnd() && line_[pos_] == '@') {
      PARLEY_RETURN_IF_ERROR(ParseLanguage(&lit.language));
    } else if (pos_ + 1 < line_.size() && line_[pos_] == '^' && line_[pos_ + 1] == '^') {
      pos_ += 2;
      if (AtEnd() || line_[pos_] != '<') return Error(pos_, "expected a datatype IRI after '^^'");
      TermView datatype;
      PARLEY_RETURN_IF_ERROR(ParseIri(&datatype, datatype_scratch_));
      lit.datatype = datatype.value;
    } else if (!AtEnd() && line_[pos_] == '^') {
      return Error(pos_, "expected '^^' before a datatype IRI");
    }
    *out = lit;
    return Status::OK();
  }

  Status ParseLanguage(std::string_view* out) {
    const std::size_t start = pos_;
    ++pos_;  // '@'
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    auto alnum = [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); };
    std::size_t n = 0;
    while (!AtEnd() && alpha(line_[pos_])) ++pos_, ++n;
    if (n == 0) return Error(start, "expected a language tag after '@'");
    while (!AtEnd() && line_[pos_] == '-') {
      ++pos_;
      n = 0;
      while (!AtEnd() && alnum(line_[pos_])) ++pos_, ++n;
      if (n == 0) return Error(pos_, "expected letters or digits after '-' in a language tag");
    }
    *out = line_.substr(start + 1, pos_ - start - 1);
    return Status::OK();
  }

  RdfFormat format_;
  std::string_view origin_;
  const StatementCallback& callback_;
  std::string_view line_;
  std::uint64_t line_number_ = 0;
  std::size_t pos_ = 0;
  std::string subject_scratch_, predicate_scratch_, object_scratch_, graph_scratch_, literal_scratch_,
      datatype_scratch_;
};

constexpr std::size_t kBlockBytes = 4 << 20;
// The longest line read: a statement this long is not data but a runaway input
// (/dev/zero, a binary file), which must meet an error before it exhausts memory.
constexpr std::size_t kMaxLineBytes = std::size_t{256} << 20;

}  // namespace

Status ReadNTriples(std::FILE* file, RdfFormat format, std::string_view origin, const StatementCallback& on_statement) {
  LineParser parser(format, origin, on_statement);
  std::vector<char> buffer(kBlockBytes);
  std::size_t filled = 0;
  std::uint64_t line_number = 0;
  bool eof = false;
  while (!eof) {
    if (filled == buffer.size()) {  // one very long line
      if (buffer.size() >= kMaxLineBytes) {
        return Status::ParseError(Diagnostic{std::string(origin), line_number + 1, 0,
                                             "a line longer than " + std::to_string(kMaxLineBytes >> 20) +
                                                 " MiB: this is not N-Triples or N-Quads",
                                             "", 1});
      }
      buffer.resize(buffer.size() * 2);
    }
    std::size_t n = std::fread(buffer.data() + filled, 1, buffer.size() - filled, file);
    if (n == 0) {
      if (std::ferror(file)) return Status::IOError("error reading " + std::string(origin) + ": " + std::strerror(errno));
      eof = true;
    }
    filled += n;
    std::size_t start = 0;
    while (true) {
      const char* data = buffer.data() + start;
      const void* nl = std::memchr(data, '\n', filled - start);
      std::size_t end;
      if (nl != nullptr) {
        end = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data());
      } else if (eof && start < filled) {
        end = filled;  // the last line has no line break
      } else {
        break;
      }
      ++line_number;
      std::string_view line(data, end - start);
      PARLEY_RETURN_IF_ERROR(parser.ParseLine(line, line_number));
      start = end + 1;
      if (start > filled) start = filled;
    }
    // Keep the unfinished line for the next block.
    std::memmove(buffer.data(), buffer.data() + start, filled - start);
    filled -= start;
  }
  return Status::OK();
}

Status ReadNTriplesText(std::string_view text, RdfFormat format, std::string_view origin,
                        const StatementCallback& on_statement) {
  LineParser parser(format, origin, on_statement);
  std::uint64_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    PARLEY_RETURN_IF_ERROR(parser.ParseLine(text.substr(start, end - start), ++line_number));
    start = end + 1;
  }
  return Status::OK();
}

}  // namespace parley::ingest
