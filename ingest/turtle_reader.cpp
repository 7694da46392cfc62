#include "ingest/turtle_reader.hpp"

#include <cerrno>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <vector>

#include "rdf/iri.hpp"
#include "rdf/chars.hpp"

namespace parley::ingest {

using namespace parley::rdf;  // IRIs, characters, vocabulary, positions (rdf/)
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";

// Characters from a FILE or a string, with lookahead, line and column tracking, and
// the text of the current line for diagnostics.
class Input {
 public:
  explicit Input(std::FILE* file) : file_(file) {}
  explicit Input(std::string_view text) : buffer_(text), eof_(true) {}

  // The byte `ahead` positions on, or -1 past the end.
  int Peek(std::size_t ahead = 0) {
    if (pos_ + ahead >= buffer_.size()) Fill(ahead + 1);
    if (pos_ + ahead >= buffer_.size()) return -1;
    return static_cast<unsigned char>(buffer_[pos_ + ahead]);
  }
  bool AtEnd() { return Peek() < 0; }

  void Advance(std::size_t n = 1) {
    for (std::size_t i = 0; i < n && Peek() >= 0; ++i) {
      char c = buffer_[pos_++];
      if (c == '\n') {
        ++line_;
        column_ = 1;
        line_text_.clear();
      } else {
        ++column_;
        line_text_.push_back(c);
      }
    }
  }

  // Decodes the UTF-8 character `ahead` bytes on; false if malformed or at the end.
  bool PeekCodepoint(std::size_t ahead, std::uint32_t* cp, std::size_t* length) {
    if (Peek(ahead + 3) < 0) Fill(ahead + 4);
    std::size_t start = pos_ + ahead;
    if (start >= buffer_.size()) return false;
    std::size_t end = start;
    if (!DecodeUtf8(buffer_, &end, cp)) return false;
    *length = end - start;
    return true;
  }

  std::uint64_t line() const { return line_; }
  std::uint64_t column() const { return column_; }

  // The current line up to the cursor, completed by reading on to the line's end.
  std::string CurrentLine() {
    std::string text = line_text_;
    for (std::size_t i = 0;; ++i) {
      int c = Peek(i);
      if (c < 0 || c == '\n' || c == '\r' || i > 4096) break;
      text.push_back(static_cast<char>(c));
    }
    return text;
  }

  bool read_error() const { return read_error_; }

 private:
  void Fill(std::size_t want) {
    if (eof_) return;
    if (pos_ > (1u << 20)) {  // drop what has been consumed
      buffer_.erase(0, pos_);
      pos_ = 0;
    }
    while (!eof_ && buffer_.size() - pos_ < want) {
      char block[1 << 16];
      std::size_t n = std::fread(block, 1, sizeof block, file_);
      if (n == 0) {
        read_error_ = std::ferror(file_) != 0;
        eof_ = true;
      }
      buffer_.append(block, n);
    }
  }

  std::FILE* file_ = nullptr;
  std::string buffer_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  bool read_error_ = false;
  std::uint64_t line_ = 1, column_ = 1;
  std::string line_text_;
};

struct Position {
  std::uint64_t line, column;
};

class TurtleParser {
 public:
  // `trig`: the document is TriG, Turtle with graph blocks.
  TurtleParser(Input& in, std::string_view origin, std::string_view base, const StatementCallback& callback,
               bool trig = false)
      : in_(in), origin_(origin), base_(base), callback_(callback), trig_(trig) {}

  Status Parse() {
    // A byte-order mark at the start of the input (as editors on Windows write) is not data.
    if (in_.Peek(0) == 0xEF && in_.Peek(1) == 0xBB && in_.Peek(2) == 0xBF) in_.Advance(3);
    while (true) {
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      if (in_.AtEnd()) break;
      PARLEY_RETURN_IF_ERROR(Statement_());
    }
    if (in_.read_error()) return Status::IOError("error reading " + std::string(origin_) + ": " + std::strerror(errno));
    return Status::OK();
  }

 private:
  // ------------------------------------------------------------ helpers

  Position Here() const { return Position{in_.line(), in_.column()}; }

  Status ErrorAt(Position at, std::string message, std::size_t span = 1) {
    std::string line = in_.CurrentLine();
    if (at.line != in_.line()) line.clear();  // the error began on an earlier line
    return Status::ParseError(Diagnostic{std::string(origin_), at.line, at.column, std::move(message), line, span});
  }
  Status Error(std::string message) { return ErrorAt(Here(), std::move(message)); }

  // Blank-node property lists and collections are read by recursion; this bounds its
  // depth, far beyond what any real file nests, so that hostile input meets an error
  // and not the end of the stack.
  static constexpr int kMaxNesting = 256;
  class Nesting {
   public:
    explicit Nesting(int* depth) : depth_(depth) { ++*depth_; }
    ~Nesting() { --*depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    bool too_deep() const { return *depth_ > kMaxNesting; }

   private:
    int* depth_;
  };
  Status TooDeep() {
    return Error("blank nodes and collections are nested more than " + std::to_string(kMaxNesting) + " deep");
  }

  std::string Describe(std::size_t ahead = 0) {
    int c = in_.Peek(ahead);
    if (c < 0) return "end of input";
    if (c == '\n') return "end of line";
    return "'" + std::string(1, static_cast<char>(c)) + "'";
  }

  Status SkipSpace() {
    while (true) {
      int c = in_.Peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        in_.Advance();
      } else if (c == '#') {
        while (in_.Peek() >= 0 && in_.Peek() != '\n') in_.Advance();
      } else {
        return Status::OK();
      }
    }
  }

  Status Expect(char c, const char* context) {
    PARLEY_RETURN_IF_ERROR(SkipSpace());
    if (in_.Peek() != static_cast<unsigned char>(c)) {
      return Error(std::string("expected '") + c + "' " + context + ", found " + Describe());
    }
    in_.Advance();
    return Status::OK();
  }

  // Whether the input continues with `word` (ASCII) and then a character that cannot
  // continue a name.
  bool LooksAtKeyword(std::string_view word, bool case_sensitive = false) {
    for (std::size_t i = 0; i < word.size(); ++i) {
      int c = in_.Peek(i);
      if (c < 0) return false;
      int w = static_cast<unsigned char>(word[i]);
      if (case_sensitive ? c != w : std::tolower(c) != std::tolower(w)) return false;
    }
    int next = in_.Peek(word.size());
    // "@prefix:" declares the empty prefix; a ':' ends the directive's keyword.
    if (word.front() == '@' && next == ':') return true;
    return next < 0 || !(std::isalnum(next) || next == '_' || next == ':' || next == '-' || next >= 0x80);
  }

  Status Emit(const Term& s, const Term& p, const Term& o) {
    Statement st;
    st.subject = View(s);
    st.predicate = View(p);
    st.object = View(o);
    if (graph_) st.graph = View(*graph_);
    st.line = in_.line();
    return callback_(st);
  }
  static TermView View(const Term& t) {
    return TermView{t.kind, t.value, t.kind == TermKind::kLiteral && t.language.empty() ? std::string_view(t.datatype) : std::string_view(),
                    t.language};
  }

  Term FreshBlankNode() { return Term::BlankNode(" g" + std::to_string(++anonymous_)); }

  // ------------------------------------------------------------ statements

  Status Statement_() {
    int c = in_.Peek();
    if (c == '@') {
      // @prefix and @base are case-sensitive, unlike SPARQL's PREFIX and BASE.
      if (LooksAtKeyword("@prefix", /*case_sensitive=*/true)) {
        in_.Advance(7);
        PARLEY_RETURN_IF_ERROR(PrefixDirective());
        return Expect('.', "after an @prefix directive");
      }
      if (LooksAtKeyword("@base", /*case_sensitive=*/true)) {
        in_.Advance(5);
        PARLEY_RETURN_IF_ERROR(BaseDirective());
        return Expect('.', "after an @base directive");
      }
      return Error("unknown directive: expected @prefix or @base");
    }
    if (LooksAtKeyword("PREFIX")) {
      in_.Advance(6);
      return PrefixDirective();
    }
    if (LooksAtKeyword("BASE")) {
      in_.Advance(4);
      return BaseDirective();
    }
    if (trig_) return TrigBlock();
    PARLEY_RETURN_IF_ERROR(Triples());
    return Expect('.', "to end the statement");
  }

  // ------------------------------------------------------------ TriG

  // A block of a TriG document: GRAPH label { ... }, label { ... }, { ... } (the
  // default graph), or triples in the default graph as in Turtle.
  Status TrigBlock() {
    const bool keyword = LooksAtKeyword("GRAPH");
    if (keyword) {
      in_.Advance(5);
      PARLEY_RETURN_IF_ERROR(SkipSpace());
    }
    if (!keyword && in_.Peek() == '{') return WrappedGraph(std::nullopt);
    // A graph label, or the subject of triples: an IRI, a blank node label, or [].
    const bool anon = in_.Peek() == '[' && NextNonSpaceIs(1, ']');
    const bool label_like = anon || in_.Peek() == '<' || in_.Peek() == ':' || (in_.Peek() == '_' && in_.Peek(1) == ':') ||
                            StartsPrefixedName();
    if (!label_like) {
      if (keyword) return Error("expected a graph name (an IRI or a blank node) after GRAPH, found " + Describe());
      PARLEY_RETURN_IF_ERROR(Triples());
      return Expect('.', "to end the statement");
    }
    Term label;
    if (anon) {
      in_.Advance();
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      in_.Advance();  // ']'
      label = FreshBlankNode();
    } else if (in_.Peek() == '_') {
      PARLEY_RETURN_IF_ERROR(BlankNodeLabel(&label));
    } else {
      PARLEY_RETURN_IF_ERROR(Iri(&label));
    }
    PARLEY_RETURN_IF_ERROR(SkipSpace());
    if (in_.Peek() == '{') return WrappedGraph(label);
    if (keyword) return Error("expected '{' after the graph name, found " + Describe());
    PARLEY_RETURN_IF_ERROR(PredicateObjectList(label));
    return Expect('.', "to end the statement");
  }

  // Whether the next character that is not white space, from `ahead` on, is `c`.
  bool NextNonSpaceIs(std::size_t ahead, char c) {
    while (in_.Peek(ahead) == ' ' || in_.Peek(ahead) == '\t' || in_.Peek(ahead) == '\n' || in_.Peek(ahead) == '\r') ++ahead;
    return in_.Peek(ahead) == c;
  }

  // { triples . triples . } into `graph` (unset: the default graph); the last '.' may go.
  Status WrappedGraph(std::optional<Term> graph) {
    const Position at = Here();
    in_.Advance();  // '{'
    graph_ = std::move(graph);
    while (true) {
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      if (in_.Peek() == '}') break;
      if (in_.AtEnd()) return ErrorAt(at, "this graph's '{' is never closed");
      PARLEY_RETURN_IF_ERROR(Triples());
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      if (in_.Peek() == '.') {
        in_.Advance();
        continue;
      }
      if (in_.Peek() != '}') return Error("expected '.' or '}' in a graph, found " + Describe());
    }
    in_.Advance();  // '}'
    graph_.reset();
    return Status::OK();
  }

  Status PrefixDirective() {
    PARLEY_RETURN_IF_ERROR(SkipSpace());
    const Position at = Here();
    std::string prefix;
    PARLEY_RETURN_IF_ERROR(PrefixName(&prefix));
    if (in_.Peek() != ':') return ErrorAt(at, "expected a prefix name ending in ':', found " + Describe());
    in_.Advance();
    PARLEY_RETURN_IF_ERROR(SkipSpace());
    if (in_.Peek() != '<') return Error("expected an IRI in angle brackets after the prefix, found " + Describe());
    std::string iri;
    PARLEY_RETURN_IF_ERROR(IriRef(&iri));
    prefixes_[prefix] = iri;
    return Status::OK();
  }

  Status BaseDirective() {
    PARLEY_RETURN_IF_ERROR(SkipSpace());
    if (in_.Peek() != '<') return Error("expected an IRI in angle brackets after BASE, found " + Describe());
    std::string iri;
    PARLEY_RETURN_IF_ERROR(IriRef(&iri));
    base_ = iri;
    return Status::OK();
  }

  Status Triples() {
    Term subject;
    if (in_.Peek() == '[') {
      const Position at = Here();
      in_.Advance();
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      subject = FreshBlankNode();
      if (in_.Peek() == ']') {  // [] as a subject needs predicates after it
        in_.Advance();
        PARLEY_RETURN_IF_ERROR(SkipSpace());
        return PredicateObjectList(subject);
      }
      PARLEY_RETURN_IF_ERROR(PredicateObjectList(subject));
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      if (in_.Peek() != ']') return ErrorAt(at, "expected ']' to close this blank node, found " + Describe());
      in_.Advance();
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      // A property list on its own is a statement (in TriG, also the last of a graph).
      if (in_.Peek() == '.' || (trig_ && in_.Peek() == '}')) return Status::OK();
      return PredicateObjectList(subject);
    }
    if (in_.Peek() == '(') {
      PARLEY_RETURN_IF_ERROR(Collection(&subject));
    } else if (in_.Peek() == '_' && in_.Peek(1) == ':') {
      PARLEY_RETURN_IF_ERROR(BlankNodeLabel(&subject));
    } else if (in_.Peek() == '<' || in_.Peek() == ':' || StartsPrefixedName()) {
      PARLEY_RETURN_IF_ERROR(Iri(&subject));
    } else {
      return Error("expected a subject (an IRI, a blank node or a collection), found " + Describe());
    }
    PARLEY_RETURN_IF_ERROR(SkipSpace());
    return PredicateObjectList(subject);
  }

  Status PredicateObjectList(const Term& subject) {
    PARLEY_RETURN_IF_ERROR(SkipSpace());
    Term predicate;
    PARLEY_RETURN_IF_ERROR(Verb(&predicate));
    PARLEY_RETURN_IF_ERROR(ObjectList(subject, predicate));
    while (true) {
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      if (in_.Peek() != ';') return Status::OK();
      while (in_.Peek() == ';') {
        in_.Advance();
        PARLEY_RETURN_IF_ERROR(SkipSpace());
      }
      int c = in_.Peek();
      if (c == '.' || c == ']' || c < 0 || (trig_ && c == '}')) return Status::OK();
      PARLEY_RETURN_IF_ERROR(Verb(&predicate));
      PARLEY_RETURN_IF_ERROR(ObjectList(subject, predicate));
    }
  }

  Status Verb(Term* out) {
    if (in_.Peek() == 'a') {
      int next = in_.Peek(1);
      if (next < 0 || next == ' ' || next == '\t' || next == '\r' || next == '\n' || next == '<' || next == '"' ||
          next == '\'' || next == '[' || next == '(' || next == '_' || next == '#') {
        in_.Advance();
        *out = Term::Iri(std::string(kRdf) + "type");
        return Status::OK();
      }
    }
    if (in_.Peek() == '<' || in_.Peek() == ':' || StartsPrefixedName()) return Iri(out);
    return Error("expected a predicate (an IRI or 'a'), found " + Describe());
  }

  Status ObjectList(const Term& subject, const Term& predicate) {
    while (true) {
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      Term object;
      PARLEY_RETURN_IF_ERROR(Object(&object));
      PARLEY_RETURN_IF_ERROR(Emit(subject, predicate, object));
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      if (in_.Peek() != ',') return Status::OK();
      in_.Advance();
    }
  }

  Status Object(Term* out) {
    int c = in_.Peek();
    if (c == '<') return Iri(out);
    if (c == '_' && in_.Peek(1) == ':') return BlankNodeLabel(out);
    if (c == '(') return Collection(out);
    if (c == '[') return BlankNodePropertyList(out);
    if (c == '"' || c == '\'') return RdfLiteral(out);
    if (c == '+' || c == '-' || (c == '.' && in_.Peek(1) >= '0' && in_.Peek(1) <= '9') || (c >= '0' && c <= '9')) {
      return NumericLiteral(out);
    }
    if ((LooksAtKeyword("true") || LooksAtKeyword("false"))) {
      const bool value = in_.Peek() == 't';
      // Booleans are case-sensitive: TRUE is not one.
      const std::string_view word = value ? "true" : "false";
      for (std::size_t i = 0; i < word.size(); ++i) {
        if (in_.Peek(i) != word[i]) return Error("booleans are written true or false, in lower case");
      }
      in_.Advance(word.size());
      *out = Term::Literal(std::string(word), std::string(kXsd) + "boolean");
      return Status::OK();
    }
    if (c == ':' || StartsPrefixedName()) return Iri(out);
    return Error("expected an object (an IRI, a blank node, a collection or a literal), found " + Describe());
  }

  Status BlankNodePropertyList(Term* out) {
    const Nesting nesting(&nesting_);
    if (nesting.too_deep()) return TooDeep();
    const Position at = Here();
    in_.Advance();  // '['
    PARLEY_RETURN_IF_ERROR(SkipSpace());
    *out = FreshBlankNode();
    if (in_.Peek() == ']') {
      in_.Advance();
      return Status::OK();
    }
    PARLEY_RETURN_IF_ERROR(PredicateObjectList(*out));
    PARLEY_RETURN_IF_ERROR(SkipSpace());
    if (in_.Peek() != ']') return ErrorAt(at, "expected ']' to close this blank node, found " + Describe());
    in_.Advance();
    return Status::OK();
  }

  Status Collection(Term* out) {
    const Nesting nesting(&nesting_);
    if (nesting.too_deep()) return TooDeep();
    const Position at = Here();
    in_.Advance();  // '('
    const Term first = Term::Iri(std::string(kRdf) + "first"), rest = Term::Iri(std::string(kRdf) + "rest");
    Term head = Term::Iri(std::string(kRdf) + "nil"), previous;
    bool empty = true;
    while (true) {
      PARLEY_RETURN_IF_ERROR(SkipSpace());
      if (in_.Peek() == ')') {
        in_.Advance();
        break;
      }
      if (in_.AtEnd()) return ErrorAt(at, "collection is not closed: expected ')'");
      Term node = FreshBlankNode();
      if (empty) {
        head = node;
      } else {
        PARLEY_RETURN_IF_ERROR(Emit(previous, rest, node));
      }
      Term item;
      PARLEY_RETURN_IF_ERROR(Object(&item));
      PARLEY_RETURN_IF_ERROR(Emit(node, first, item));
      previous = node;
      empty = false;
    }
    if (!empty) PARLEY_RETURN_IF_ERROR(Emit(previous, rest, Term::Iri(std::string(kRdf) + "nil")));
    *out = head;
    return Status::OK();
  }

  // ------------------------------------------------------------ IRIs and names

  bool StartsPrefixedName() {
    std::uint32_t cp;
    std::size_t len;
    return in_.PeekCodepoint(0, &cp, &len) && IsPnCharsBase(cp);
  }

  Status Iri(Term* out) {
    std::string iri;
    if (in_.Peek() == '<') {
      PARLEY_RETURN_IF_ERROR(IriRef(&iri));
    } else {
      PARLEY_RETURN_IF_ERROR(PrefixedName(&iri));
    }
    *out = Term::Iri(std::move(iri));
    return Status::OK();
  }

  // '<' ... '>', unescaped and resolved against the base.
  Status IriRef(std::string* out) {
    const Position at = Here();
    in_.Advance();  // '<'
    std::string raw;
    while (true) {
      int c = in_.Peek();
      if (c < 0 || c == '\n') return ErrorAt(at, "IRI is not closed: expected '>'");
      if (c == '>') break;
      if (c == '\\') {
        const Position esc = Here();
        std::uint32_t cp;
        PARLEY_RETURN_IF_ERROR(Uchar(&raw, &cp, "an IRI"));
        if (cp <= 0x20 || (cp < 0x80 && !kIriByte[cp])) {
          return ErrorAt(esc, "escaped character is not allowed in an IRI");
        }
        continue;
      }
      if (c < 0x80) {
        if (!kIriByte[static_cast<std::size_t>(c)]) {
          return Error(c == ' ' ? "space in an IRI" : "character " + Describe() + " is not allowed in an IRI");
        }
        raw.push_back(static_cast<char>(c));
        in_.Advance();
        continue;
      }
      std::uint32_t cp;
      std::size_t len;
      if (!in_.PeekCodepoint(0, &cp, &len)) return Error("invalid UTF-8");
      for (std::size_t i = 0; i < len; ++i) raw.push_back(static_cast<char>(in_.Peek(i)));
      in_.Advance(len);
    }
    in_.Advance();  // '>'
    if (IsAbsoluteIri(raw)) {
      *out = std::move(raw);
    } else if (base_.empty()) {
      return ErrorAt(at, "relative IRI <" + raw + "> and no base IRI to resolve it against (use --base)");
    } else {
      *out = ResolveIri(base_, raw);
    }
    return Status::OK();
  }

  // PN_PREFIX, possibly empty; stops before ':'.
  Status PrefixName(std::string* out) {
    std::uint32_t cp;
    std::size_t len;
    if (!in_.PeekCodepoint(0, &cp, &len) || !IsPnCharsBase(cp)) return Status::OK();
    return NameChars(out, /*local=*/false);
  }

  Status PrefixedName(std::string* out) {
    const Position at = Here();
    std::string prefix;
    PARLEY_RETURN_IF_ERROR(PrefixName(&prefix));
    if (in_.Peek() != ':') return ErrorAt(at, "expected ':' in the prefixed name \"" + prefix + "\"");
    in_.Advance();
    auto it = prefixes_.find(prefix);
    if (it == prefixes_.end()) return ErrorAt(at, "undeclared prefix \"" + prefix + ":\"", prefix.size() + 1);
    std::string local;
    PARLEY_RETURN_IF_ERROR(LocalName(&local));
    *out = it->second + local;
    return Status::OK();
  }

  Status LocalName(std::string* out) {
    std::uint32_t cp;
    std::size_t len;
    int c = in_.Peek();
    const bool starts = c == ':' || (c >= '0' && c <= '9') || c == '%' || c == '\\' ||
                        (in_.PeekCodepoint(0, &cp, &len) && IsPnCharsU(cp));
    if (!starts) return Status::OK();
    return NameChars(out, /*local=*/true);
  }

  // Whether the character `ahead` bytes on may continue a name (a '.' may, but only
  // when a name character follows the dots).
  bool ContinuesName(std::size_t ahead, bool local) {
    int c = in_.Peek(ahead);
    if (c < 0) return false;
    if (local && (c == ':' || c == '%' || c == '\\')) return true;
    std::uint32_t cp;
    std::size_t len;
    return in_.PeekCodepoint(ahead, &cp, &len) && IsPnChars(cp);
  }

  // The rest of a PN_PREFIX (local = false) or PN_LOCAL (local = true), whose first
  // character the caller has checked.
  Status NameChars(std::string* out, bool local, bool first = true) {
    while (true) {
      int c = in_.Peek();
      if (c == '.') {
        std::size_t dots = 1;
        while (in_.Peek(dots) == '.') ++dots;
        if (!ContinuesName(dots, local)) return Status::OK();  // the dots end the statement
        out->append(dots, '.');
        in_.Advance(dots);
        continue;
      }
      if (local && c == '%') {
        if (!IsHex(static_cast<char>(in_.Peek(1))) || !IsHex(static_cast<char>(in_.Peek(2)))) {
          return Error("'%' in a local name must be followed by two hex digits");
        }
        for (int i = 0; i < 3; ++i) out->push_back(static_cast<char>(in_.Peek(static_cast<std::size_t>(i))));
        in_.Advance(3);
      } else if (local && c == '\\') {
        static constexpr std::string_view kEscapable = "_~.-!$&'()*+,;=/?#@%";
        int e = in_.Peek(1);
        if (e < 0 || kEscapable.find(static_cast<char>(e)) == std::string_view::npos) {
          return Error("invalid escape in a local name");
        }
        out->push_back(static_cast<char>(e));
        in_.Advance(2);
      } else if (local && (c == ':' || (first && c >= '0' && c <= '9'))) {
        out->push_back(static_cast<char>(c));
        in_.Advance();
      } else {
        std::uint32_t cp;
        std::size_t len;
        if (c < 0 || !in_.PeekCodepoint(0, &cp, &len)) return Status::OK();
        if (!(first ? (local ? IsPnCharsU(cp) : IsPnCharsBase(cp)) : IsPnChars(cp))) return Status::OK();
        for (std::size_t i = 0; i < len; ++i) out->push_back(static_cast<char>(in_.Peek(i)));
        in_.Advance(len);
      }
      first = false;
    }
  }

  Status BlankNodeLabel(Term* out) {
    const Position at = Here();
    in_.Advance(2);  // "_:"
    std::uint32_t cp = 0;
    std::size_t len = 0;
    const bool valid_start = in_.PeekCodepoint(0, &cp, &len) && (IsPnCharsU(cp) || (cp >= '0' && cp <= '9'));
    if (!valid_start) {
      return ErrorAt(at, "blank node label is empty or starts with a character it may not start with", 2);
    }
    // The first character is checked; the rest follow PN_CHARS, with inner dots.
    std::string label;
    for (std::size_t i = 0; i < len; ++i) label.push_back(static_cast<char>(in_.Peek(i)));
    in_.Advance(len);
    PARLEY_RETURN_IF_ERROR(NameChars(&label, /*local=*/false, /*first=*/false));
    *out = Term::BlankNode(std::move(label));
    return Status::OK();
  }

  // ------------------------------------------------------------ literals

  // Reads \uXXXX or \UXXXXXXXX (the cursor is at the backslash).
  Status Uchar(std::string* out, std::uint32_t* cp_out, const char* where) {
    const Position at = Here();
    const int kind = in_.Peek(1);
    if (kind != 'u' && kind != 'U') return ErrorAt(at, std::string("only \\u and \\U escapes are allowed in ") + where, 2);
    const std::size_t digits = kind == 'u' ? 4 : 8;
    std::uint32_t cp = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      int h = in_.Peek(2 + i);
      if (h < 0 || !IsHex(static_cast<char>(h))) {
        return ErrorAt(at, "malformed escape: \\" + std::string(1, static_cast<char>(kind)) + " needs " +
                               std::to_string(digits) + " hex digits", 2 + digits);
      }
      cp = (cp << 4) | HexValue(static_cast<char>(h));
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return ErrorAt(at, "escape names no Unicode character", 2 + digits);
    AppendUtf8(cp, out);
    *cp_out = cp;
    in_.Advance(2 + digits);
    return Status::OK();
  }

  Status String(std::string* out) {
    const Position at = Here();
    const int quote = in_.Peek();
    const bool long_form = in_.Peek(1) == quote && in_.Peek(2) == quote;
    in_.Advance(long_form ? 3 : 1);
    while (true) {
      int c = in_.Peek();
      if (c < 0) return ErrorAt(at, "string is not closed");
      if (c == quote) {
        if (!long_form) {
          in_.Advance();
          return Status::OK();
        }
        if (in_.Peek(1) == quote && in_.Peek(2) == quote) {  // the first three quotes close it
          in_.Advance(3);
          return Status::OK();
        }
        out->push_back(static_cast<char>(c));
        in_.Advance();
        continue;
      }
      if (!long_form && (c == '\n' || c == '\r')) {
        return ErrorAt(at, "line break in a short string (use \"\"\" for multi-line strings)");
      }
      if (c == '\\') {
        int e = in_.Peek(1);
        if (e == 'u' || e == 'U') {
          std::uint32_t cp;
          PARLEY_RETURN_IF_ERROR(Uchar(out, &cp, "a string"));
          continue;
        }
        const char decoded = DecodeEchar(e);
        if (decoded == 0) {
          return Error("unknown escape '\\" + std::string(1, static_cast<char>(e < 0 ? ' ' : e)) + "' in a string");
        }
        out->push_back(decoded);
        in_.Advance(2);
        continue;
      }
      if (c < 0x80) {
        out->push_back(static_cast<char>(c));
        in_.Advance();
        continue;
      }
      std::uint32_t cp;
      std::size_t len;
      if (!in_.PeekCodepoint(0, &cp, &len)) return Error("invalid UTF-8");
      for (std::size_t i = 0; i < len; ++i) out->push_back(static_cast<char>(in_.Peek(i)));
      in_.Advance(len);
    }
  }

  Status RdfLiteral(Term* out) {
    std::string lexical;
    PARLEY_RETURN_IF_ERROR(String(&lexical));
    if (in_.Peek() == '@') {
      const Position at = Here();
      in_.Advance();
      std::string language;
      auto alpha = [](int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
      while (alpha(in_.Peek())) {
        language.push_back(static_cast<char>(in_.Peek()));
        in_.Advance();
      }
      if (language.empty()) return ErrorAt(at, "expected a language tag after '@'");
      while (in_.Peek() == '-') {
        language.push_back('-');
        in_.Advance();
        std::size_t n = 0;
        while (alpha(in_.Peek()) || (in_.Peek() >= '0' && in_.Peek() <= '9')) {
          language.push_back(static_cast<char>(in_.Peek()));
          in_.Advance();
          ++n;
        }
        if (n == 0) return Error("expected letters or digits after '-' in a language tag");
      }
      *out = Term::LangLiteral(std::move(lexical), std::move(language));
      return Status::OK();
    }
    if (in_.Peek() == '^' && in_.Peek(1) == '^') {
      in_.Advance(2);
      Term datatype;
      if (!(in_.Peek() == '<' || in_.Peek() == ':' || StartsPrefixedName())) {
        return Error("expected a datatype IRI after '^^', found " + Describe());
      }
      PARLEY_RETURN_IF_ERROR(Iri(&datatype));
      *out = Term::Literal(std::move(lexical), std::move(datatype.value));
      return Status::OK();
    }
    *out = Term::Literal(std::move(lexical));
    return Status::OK();
  }

  Status NumericLiteral(Term* out) {
    const Position at = Here();
    std::string text;
    auto digit = [](int c) { return c >= '0' && c <= '9'; };
    auto take_digits = [&] {
      std::size_t n = 0;
      while (digit(in_.Peek())) {
        text.push_back(static_cast<char>(in_.Peek()));
        in_.Advance();
        ++n;
      }
      return n;
    };
    if (in_.Peek() == '+' || in_.Peek() == '-') {
      text.push_back(static_cast<char>(in_.Peek()));
      in_.Advance();
    }
    const std::size_t whole = take_digits();
    std::string type = "integer";
    // A '.' belongs to the number only if digits or an exponent follow it.
    auto exponent_at = [&](std::size_t ahead) {
      int e = in_.Peek(ahead);
      if (e != 'e' && e != 'E') return false;
      int next = in_.Peek(ahead + 1);
      return digit(next) || ((next == '+' || next == '-') && digit(in_.Peek(ahead + 2)));
    };
    if (in_.Peek() == '.' && (digit(in_.Peek(1)) || (whole > 0 && exponent_at(1)))) {
      text.push_back('.');
      in_.Advance();
      take_digits();
      type = "decimal";
    }
    if (exponent_at(0)) {
      text.push_back(static_cast<char>(in_.Peek()));
      in_.Advance();
      if (in_.Peek() == '+' || in_.Peek() == '-') {
        text.push_back(static_cast<char>(in_.Peek()));
        in_.Advance();
      }
      take_digits();
      type = "double";
    } else if (in_.Peek() == 'e' || in_.Peek() == 'E') {
      return Error("expected digits in the exponent");
    }
    const bool has_digits = text.find_first_of("0123456789") != std::string::npos;
    if (!has_digits) return ErrorAt(at, "expected a number, found " + Describe());
    *out = Term::Literal(std::move(text), std::string(kXsd) + type);
    return Status::OK();
  }

  Input& in_;
  std::string_view origin_;
  std::string base_;
  const StatementCallback& callback_;
  const bool trig_;
  std::optional<Term> graph_;  // TriG: the graph of the block being read; unset for the default graph
  int nesting_ = 0;  // blank-node property lists and collections open now
  std::unordered_map<std::string, std::string> prefixes_;
  std::uint64_t anonymous_ = 0;
};

}  // namespace

Status ReadTurtle(std::FILE* file, std::string_view origin, std::string_view base,
                  const StatementCallback& on_statement) {
  Input input(file);
  return TurtleParser(input, origin, base, on_statement).Parse();
}

Status ReadTurtleText(std::string_view text, std::string_view origin, std::string_view base,
                      const StatementCallback& on_statement) {
  Input input(text);
  return TurtleParser(input, origin, base, on_statement).Parse();
}

Status ReadTriG(std::FILE* file, std::string_view origin, std::string_view base, const StatementCallback& on_statement) {
  Input input(file);
  return TurtleParser(input, origin, base, on_statement, /*trig=*/true).Parse();
}

Status ReadTriGText(std::string_view text, std::string_view origin, std::string_view base,
                    const StatementCallback& on_statement) {
  Input input(text);
  return TurtleParser(input, origin, base, on_statement, /*trig=*/true).Parse();
}

}  // namespace parley::ingest
