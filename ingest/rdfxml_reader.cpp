#include "ingest/rdfxml_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <expat.h>

#include "rdf/iri.hpp"

namespace parley::ingest {

namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
constexpr std::string_view kXmlLiteral = "http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral";
// Expat joins a name's namespace, local part and prefix with this byte.
constexpr char kSeparator = '\x01';
// Elements nest deeper than this only in hostile input; it keeps the stack bounded.
constexpr std::size_t kMaxDepth = 10'000;

// An element or attribute name as expat reports it ("uri\1local\1prefix").
struct Name {
  std::string uri, local, prefix;
  bool qualified = false;
  std::string Iri() const { return uri + local; }
  bool IsRdf(std::string_view name) const { return uri == kRdf && local == name; }
  std::string QName() const { return prefix.empty() ? local : prefix + ":" + local; }
};

Name Split(const char* raw) {
  Name name;
  const std::string text = raw;
  const auto first = text.find(kSeparator);
  if (first == std::string::npos) {
    name.local = text;
    return name;
  }
  name.qualified = true;
  name.uri = text.substr(0, first);
  const auto second = text.find(kSeparator, first + 1);
  name.local = text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  if (second != std::string::npos) name.prefix = text.substr(second + 1);
  return name;
}

// Decodes the UTF-8 code point at s[*at] and moves past it; 0xFFFFFFFF when malformed.
std::uint32_t NextCodePoint(std::string_view s, std::size_t* at) {
  const auto lead = static_cast<unsigned char>(s[*at]);
  const int extra = lead < 0x80 ? 0 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : -1;
  if (extra < 0 || *at + static_cast<std::size_t>(extra) > s.size() - 1) return 0xFFFFFFFF;  // cut short
  std::uint32_t c = extra == 0 ? lead : lead & (0x3F >> extra);
  for (int i = 1; i <= extra; ++i) c = (c << 6) | (static_cast<unsigned char>(s[*at + static_cast<std::size_t>(i)]) & 0x3F);
  *at += static_cast<std::size_t>(extra) + 1;
  return c;
}

// XML 1.0's NameStartChar and NameChar, less the colon (NCName).
bool IsNameStart(std::uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (c >= 0xC0 && c <= 0xD6) ||
         (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
         (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
bool IsNameChar(std::uint32_t c) {
  return IsNameStart(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x203F && c <= 0x2040);
}

bool IsNcName(std::string_view s) {
  if (s.empty()) return false;
  std::size_t at = 0;
  if (!IsNameStart(NextCodePoint(s, &at))) return false;
  while (at < s.size()) {
    if (!IsNameChar(NextCodePoint(s, &at))) return false;
  }
  return true;
}

bool IsSpace(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// Exclusive canonical XML escaping (text and attribute values).
void EscapeText(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '\r': *out += "&#xD;"; break;
      default: out->push_back(c);
    }
  }
}
void EscapeAttribute(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '"': *out += "&quot;"; break;
      case '\t': *out += "&#x9;"; break;
      case '\n': *out += "&#xA;"; break;
      case '\r': *out += "&#xD;"; break;
      default: out->push_back(c);
    }
  }
}

// One open element.
struct Frame {
  enum class Kind { kRoot, kNode, kProperty } kind = Kind::kNode;
  // How a property element's content is read.
  enum class Mode { kPlain, kResource, kCollection, kLiteral } mode = Mode::kPlain;
  std::string base, lang;  // in scope here
  Term subject;            // a node's own term; a property's subject
  int next_li = 1;         // rdf:li numbering of the properties of `subject` (nodes, parseType Resource)
  // Properties:
  Term predicate;
  std::optional<Term> object;  // a child node, the parseType Resource node, or rdf:resource/nodeID
  bool object_from_attribute = false;
  std::string text;            // character data, or the XML literal
  std::string datatype, reify;
  std::vector<std::pair<Name, std::string>> attributes;  // property attributes, for an empty property element
  std::vector<Term> items;     // parseType Collection
  int literal_depth = 0;       // elements open inside a parseType Literal
  // The namespace declarations written so far in the literal, per open element.
  std::vector<std::map<std::string, std::string>> literal_scopes;
};

class RdfXmlParser {
 public:
  RdfXmlParser(std::string_view origin, std::string_view base, const StatementCallback& callback)
      : origin_(origin), document_base_(base), callback_(callback) {
    parser_ = XML_ParserCreateNS(nullptr, kSeparator);
    XML_SetReturnNSTriplet(parser_, 1);
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &StartThunk, &EndThunk);
    XML_SetCharacterDataHandler(parser_, &TextThunk);
    XML_SetNamespaceDeclHandler(parser_, &NamespaceStartThunk, &NamespaceEndThunk);
  }
  ~RdfXmlParser() { XML_ParserFree(parser_); }

  Status Feed(const char* data, std::size_t size, bool last) {
    if (XML_Parse(parser_, data, static_cast<int>(size), last ? 1 : 0) == XML_STATUS_ERROR && status_.ok()) {
      status_ = ErrorHere(std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser_)));
    }
    return status_;
  }

 private:
  static void StartThunk(void* self, const XML_Char* name, const XML_Char** attributes) {
    static_cast<RdfXmlParser*>(self)->Guard([&] { return static_cast<RdfXmlParser*>(self)->Start(name, attributes); });
  }
  static void EndThunk(void* self, const XML_Char* name) {
    static_cast<RdfXmlParser*>(self)->Guard([&] { return static_cast<RdfXmlParser*>(self)->End(name); });
  }
  static void TextThunk(void* self, const XML_Char* text, int length) {
    static_cast<RdfXmlParser*>(self)->Guard(
        [&] { return static_cast<RdfXmlParser*>(self)->Text(std::string_view(text, static_cast<std::size_t>(length))); });
  }
  static void NamespaceStartThunk(void* self, const XML_Char* prefix, const XML_Char* uri) {
    auto* parser = static_cast<RdfXmlParser*>(self);
    parser->namespaces_[prefix != nullptr ? prefix : ""].push_back(uri != nullptr ? uri : "");
  }
  static void NamespaceEndThunk(void* self, const XML_Char* prefix) {
    auto& bound = static_cast<RdfXmlParser*>(self)->namespaces_[prefix != nullptr ? prefix : ""];
    if (!bound.empty()) bound.pop_back();
  }

  // Runs one handler; its first error stops the parse.
  template <class F>
  void Guard(F handler) {
    if (!status_.ok()) return;
    Status s = handler();
    if (!s.ok()) {
      status_ = std::move(s);
      XML_StopParser(parser_, XML_FALSE);
    }
  }

  Status ErrorHere(std::string message) const {
    return Status::ParseError(Diagnostic{origin_, static_cast<std::uint64_t>(XML_GetCurrentLineNumber(parser_)),
                                         static_cast<std::uint64_t>(XML_GetCurrentColumnNumber(parser_)) + 1,
                                         std::move(message), "", 1});
  }

  Term FreshBlankNode() { return Term::BlankNode(" x" + std::to_string(++anonymous_)); }

  Status Emit(const Term& s, const Term& p, const Term& o) {
    Statement statement;
    statement.subject = ToView(s);
    statement.predicate = ToView(p);
    statement.object = ToView(o);
    statement.line = XML_GetCurrentLineNumber(parser_);
    return callback_(statement);
  }
  Status Emit(const Term& s, std::string_view rdf_name, const Term& o) {
    return Emit(s, Term::Iri(std::string(kRdf) + std::string(rdf_name)), o);
  }

  Term Literal(const std::string& text, const std::string& datatype, const std::string& lang) const {
    if (!datatype.empty()) return Term::Literal(text, datatype);
    if (!lang.empty()) return Term::LangLiteral(text, lang);
    return Term::Literal(text);
  }

  // "#id" against the base; each rdf:ID may name one thing per document base.
  Result<Term> IdIri(const std::string& id, const std::string& base) {
    if (!IsNcName(id)) return ErrorHere("rdf:ID \"" + id + "\" is not an XML name");
    Term iri = Term::Iri(rdf::ResolveIri(base, "#" + id));
    if (!ids_.insert(iri.value).second) return ErrorHere("rdf:ID \"" + id + "\" is used twice (" + iri.value + ")");
    return iri;
  }
  Result<Term> NodeId(const std::string& id) {
    if (!IsNcName(id)) return ErrorHere("rdf:nodeID \"" + id + "\" is not an XML name");
    return Term::BlankNode(id);
  }
  Result<std::string> Resolve(const std::string& base, const std::string& reference) {
    if (base.empty() && !rdf::IsAbsoluteIri(reference)) {
      return ErrorHere("relative IRI \"" + reference + "\" with no base (give --base, or xml:base)");
    }
    return rdf::ResolveIri(base, reference);
  }

  // ------------------------------------------------------------ attributes

  // An element's attributes, sorted out: xml:base and xml:lang applied to `frame`,
  // the RDF syntax attributes by name, the rest (property attributes) in order.
  struct Attributes {
    std::map<std::string, std::string> syntax;  // local names of rdf: attributes: about, ID, ...
    std::vector<std::pair<Name, std::string>> properties;
  };

  Result<Attributes> ReadAttributes(const XML_Char** raw, Frame* frame) {
    Attributes out;
    for (std::size_t i = 0; raw[i] != nullptr; i += 2) {
      Name name = Split(raw[i]);
      const std::string value = raw[i + 1];
      if (name.uri == kXmlNs) {
        if (name.local == "lang") frame->lang = value;
        if (name.local == "base") {
          auto base = Resolve(frame->base, value);
          if (!base.ok()) return base.status();
          frame->base = *base;
          // A base's fragment never counts.
          if (auto hash = frame->base.find('#'); hash != std::string::npos) frame->base.resize(hash);
        }
        continue;
      }
      if (!name.qualified) {
        // RDF/XML's unqualified forms of old: these five mean the rdf: attributes.
        static const std::set<std::string> kOld = {"ID", "about", "resource", "parseType", "type"};
        if (!kOld.count(name.local)) continue;  // other unqualified attributes carry no RDF
        name.uri = std::string(kRdf);
      }
      static const std::set<std::string> kSyntax = {"about", "ID", "nodeID", "resource", "parseType", "datatype"};
      static const std::set<std::string> kRemoved = {"aboutEach", "aboutEachPrefix", "bagID"};
      if (name.uri == kRdf && kRemoved.count(name.local)) {
        return ErrorHere("rdf:" + name.local + " was removed from RDF and is not allowed");
      }
      if (name.uri == kRdf && kSyntax.count(name.local)) {
        out.syntax[name.local] = value;
        continue;
      }
      if (name.uri == kRdf && (name.local == "li" || name.local == "Description" || name.local == "RDF")) {
        return ErrorHere("rdf:" + name.local + " is not allowed as an attribute");
      }
      out.properties.emplace_back(std::move(name), value);
    }
    return out;
  }

  // ------------------------------------------------------------ elements

  Status Start(const XML_Char* raw_name, const XML_Char** raw_attributes) {
    if (frames_.size() >= kMaxDepth) return ErrorHere("elements nest too deeply");
    Frame* parent = frames_.empty() ? nullptr : &frames_.back();
    if (parent != nullptr && parent->kind == Frame::Kind::kProperty && parent->mode == Frame::Mode::kLiteral) {
      return LiteralStart(*parent, Split(raw_name), raw_attributes);
    }
    Frame frame;
    frame.base = parent != nullptr ? parent->base : document_base_;
    if (auto hash = frame.base.find('#'); parent == nullptr && hash != std::string::npos) frame.base.resize(hash);
    frame.lang = parent != nullptr ? parent->lang : std::string();
    const Name name = Split(raw_name);
    auto attributes = ReadAttributes(raw_attributes, &frame);
    if (!attributes.ok()) return attributes.status();
    if (parent == nullptr && name.IsRdf("RDF")) {
      frame.kind = Frame::Kind::kRoot;
      frames_.push_back(std::move(frame));
      return Status::OK();
    }
    if (parent != nullptr && parent->kind == Frame::Kind::kNode) {
      return PropertyStart(*parent, parent->subject, name, *attributes, std::move(frame));
    }
    if (parent != nullptr && parent->kind == Frame::Kind::kProperty && parent->mode == Frame::Mode::kResource) {
      return PropertyStart(*parent, *parent->object, name, *attributes, std::move(frame));
    }
    return NodeStart(parent, name, *attributes, std::move(frame));
  }

  Status NodeStart(Frame* parent, const Name& name, const Attributes& attributes, Frame frame) {
    static const std::set<std::string> kNotNodes = {"RDF",      "ID",        "about", "bagID",     "parseType",
                                                    "resource", "nodeID",    "li",    "aboutEach", "aboutEachPrefix",
                                                    "datatype"};
    if (name.uri == kRdf && kNotNodes.count(name.local)) return ErrorHere("rdf:" + name.local + " cannot name a node");
    if (!name.qualified) return ErrorHere("element <" + name.local + "> has no namespace, so it names no IRI");
    if (parent != nullptr && parent->kind == Frame::Kind::kProperty) {
      if (parent->mode == Frame::Mode::kPlain) {
        if (parent->object) return ErrorHere("a property element holds one node, or text, not more");
        if (!IsSpace(parent->text)) return ErrorHere("a property element holds text or a node, not both");
      }
    }
    const auto& syntax = attributes.syntax;
    const int naming = static_cast<int>(syntax.count("about") + syntax.count("ID") + syntax.count("nodeID"));
    if (naming > 1) return ErrorHere("a node takes one of rdf:about, rdf:ID and rdf:nodeID");
    if (syntax.count("resource") || syntax.count("parseType") || syntax.count("datatype")) {
      return ErrorHere("rdf:resource, rdf:parseType and rdf:datatype belong on property elements, not nodes");
    }
    if (auto it = syntax.find("about"); it != syntax.end()) {
      auto iri = Resolve(frame.base, it->second);
      if (!iri.ok()) return iri.status();
      frame.subject = Term::Iri(*iri);
    } else if (auto id = syntax.find("ID"); id != syntax.end()) {
      auto iri = IdIri(id->second, frame.base);
      if (!iri.ok()) return iri.status();
      frame.subject = *iri;
    } else if (auto node = syntax.find("nodeID"); node != syntax.end()) {
      auto blank = NodeId(node->second);
      if (!blank.ok()) return blank.status();
      frame.subject = *blank;
    } else {
      frame.subject = FreshBlankNode();
    }
    if (!name.IsRdf("Description")) PARLEY_RETURN_IF_ERROR(Emit(frame.subject, "type", Term::Iri(name.Iri())));
    PARLEY_RETURN_IF_ERROR(EmitPropertyAttributes(frame.subject, attributes.properties, frame));
    if (parent != nullptr && parent->kind == Frame::Kind::kProperty) {
      if (parent->mode == Frame::Mode::kCollection) {
        parent->items.push_back(frame.subject);
      } else {
        parent->object = frame.subject;
      }
    }
    frame.kind = Frame::Kind::kNode;
    frames_.push_back(std::move(frame));
    return Status::OK();
  }

  Status EmitPropertyAttributes(const Term& subject, const std::vector<std::pair<Name, std::string>>& properties,
                                const Frame& frame) {
    for (const auto& [name, value] : properties) {
      if (name.IsRdf("type")) {
        auto iri = Resolve(frame.base, value);
        if (!iri.ok()) return iri.status();
        PARLEY_RETURN_IF_ERROR(Emit(subject, Term::Iri(name.Iri()), Term::Iri(*iri)));
      } else {
        PARLEY_RETURN_IF_ERROR(Emit(subject, Term::Iri(name.Iri()), Literal(value, "", frame.lang)));
      }
    }
    return Status::OK();
  }

  Status PropertyStart(Frame& owner, const Term& subject, const Name& name, const Attributes& attributes, Frame frame) {
    static const std::set<std::string> kNotProperties = {"Description", "RDF",      "ID",     "about",     "bagID",
                                                         "parseType",   "resource", "nodeID", "aboutEach", "aboutEachPrefix",
                                                         "datatype"};
    if (name.uri == kRdf && kNotProperties.count(name.local)) {
      return ErrorHere("rdf:" + name.local + " cannot name a property");
    }
    if (!name.qualified) return ErrorHere("element <" + name.local + "> has no namespace, so it names no property");
    frame.kind = Frame::Kind::kProperty;
    frame.subject = subject;
    frame.predicate = Term::Iri(name.IsRdf("li") ? std::string(kRdf) + "_" + std::to_string(owner.next_li++) : name.Iri());
    const auto& syntax = attributes.syntax;
    if (syntax.count("about")) return ErrorHere("rdf:about belongs on node elements, not property elements");
    if (auto id = syntax.find("ID"); id != syntax.end()) {
      if (!IsNcName(id->second)) return ErrorHere("rdf:ID \"" + id->second + "\" is not an XML name");
      frame.reify = id->second;
    }
    if (auto datatype = syntax.find("datatype"); datatype != syntax.end()) {
      auto iri = Resolve(frame.base, datatype->second);
      if (!iri.ok()) return iri.status();
      frame.datatype = *iri;
    }
    if (auto parse_type = syntax.find("parseType"); parse_type != syntax.end()) {
      if (syntax.count("resource") || syntax.count("nodeID") || syntax.count("datatype") || !attributes.properties.empty()) {
        return ErrorHere("rdf:parseType takes no rdf:resource, rdf:nodeID, rdf:datatype or property attributes");
      }
      const std::string& kind = parse_type->second;
      if (kind == "Resource") {
        frame.mode = Frame::Mode::kResource;
        frame.object = FreshBlankNode();
      } else if (kind == "Collection") {
        frame.mode = Frame::Mode::kCollection;
      } else {
        frame.mode = Frame::Mode::kLiteral;  // "Literal", and any other value
      }
    }
    if (syntax.count("resource") && syntax.count("nodeID")) {
      return ErrorHere("a property element takes rdf:resource or rdf:nodeID, not both");
    }
    if (auto resource = syntax.find("resource"); resource != syntax.end()) {
      auto iri = Resolve(frame.base, resource->second);
      if (!iri.ok()) return iri.status();
      frame.object = Term::Iri(*iri);
      frame.object_from_attribute = true;
    } else if (auto node = syntax.find("nodeID"); node != syntax.end()) {
      auto blank = NodeId(node->second);
      if (!blank.ok()) return blank.status();
      frame.object = *blank;
      frame.object_from_attribute = true;
    }
    frame.attributes = attributes.properties;
    frames_.push_back(std::move(frame));
    return Status::OK();
  }

  Status End(const XML_Char* raw_name) {
    Frame& frame = frames_.back();
    if (frame.kind == Frame::Kind::kProperty && frame.mode == Frame::Mode::kLiteral && frame.literal_depth > 0) {
      return LiteralEnd(frame, Split(raw_name));
    }
    Status s = frame.kind == Frame::Kind::kProperty ? PropertyEnd(frame) : Status::OK();
    frames_.pop_back();
    return s;
  }

  Status PropertyEnd(Frame& frame) {
    Term object;
    switch (frame.mode) {
      case Frame::Mode::kResource:
        object = *frame.object;
        break;
      case Frame::Mode::kCollection: {
        object = Term::Iri(std::string(kRdf) + "nil");
        // Built from the end, so each cell knows its rest.
        for (auto item = frame.items.rbegin(); item != frame.items.rend(); ++item) {
          const Term cell = FreshBlankNode();
          PARLEY_RETURN_IF_ERROR(Emit(cell, "first", *item));
          PARLEY_RETURN_IF_ERROR(Emit(cell, "rest", object));
          object = cell;
        }
        break;
      }
      case Frame::Mode::kLiteral:
        object = Term::Literal(frame.text, std::string(kXmlLiteral));
        break;
      case Frame::Mode::kPlain: {
        const auto& properties = frame.attributes;
        const bool child = frame.object && !frame.object_from_attribute;
        if (child) {
          object = *frame.object;
        } else if (frame.object || !properties.empty()) {
          // An empty property element: its object is rdf:resource, rdf:nodeID or a new
          // blank node, described by the property attributes.
          if (!IsSpace(frame.text)) return ErrorHere("a property element with rdf:resource or rdf:nodeID has no text");
          if (!frame.datatype.empty()) return ErrorHere("rdf:datatype needs a text value, not a resource");
          object = frame.object ? *frame.object : FreshBlankNode();
          PARLEY_RETURN_IF_ERROR(EmitPropertyAttributes(object, properties, frame));
        } else {
          object = Literal(frame.text, frame.datatype, frame.lang);
        }
        break;
      }
    }
    PARLEY_RETURN_IF_ERROR(Emit(frame.subject, frame.predicate, object));
    if (!frame.reify.empty()) {
      auto statement = IdIri(frame.reify, frame.base);
      if (!statement.ok()) return statement.status();
      PARLEY_RETURN_IF_ERROR(Emit(*statement, "type", Term::Iri(std::string(kRdf) + "Statement")));
      PARLEY_RETURN_IF_ERROR(Emit(*statement, "subject", frame.subject));
      PARLEY_RETURN_IF_ERROR(Emit(*statement, "predicate", frame.predicate));
      PARLEY_RETURN_IF_ERROR(Emit(*statement, "object", object));
    }
    return Status::OK();
  }

  Status Text(std::string_view text) {
    if (frames_.empty()) return Status::OK();
    Frame& frame = frames_.back();
    if (frame.kind == Frame::Kind::kProperty && frame.mode == Frame::Mode::kLiteral) {
      EscapeText(text, &frame.text);
      return Status::OK();
    }
    if (frame.kind == Frame::Kind::kProperty && frame.mode == Frame::Mode::kPlain) {
      if (frame.object && !frame.object_from_attribute && !IsSpace(text)) {
        return ErrorHere("a property element holds text or a node, not both");
      }
      frame.text.append(text);
      return Status::OK();
    }
    if (!IsSpace(text)) return ErrorHere("text is allowed only inside property elements");
    return Status::OK();
  }

  // ------------------------------------------------------------ parseType="Literal"

  // The namespace a prefix has here ("" for none).
  std::string NamespaceOf(const std::string& prefix) const {
    auto it = namespaces_.find(prefix);
    return it == namespaces_.end() || it->second.empty() ? std::string() : it->second.back();
  }

  // What a literal element must declare: the namespaces its own name and attributes
  // use that no enclosing element of the literal declared the same (exclusive XML
  // canonicalisation's "visibly utilised" rule).
  Status LiteralStart(Frame& frame, const Name& name, const XML_Char** raw_attributes) {
    std::map<std::string, std::string> scope = frame.literal_scopes.empty() ? std::map<std::string, std::string>()
                                                                            : frame.literal_scopes.back();
    std::map<std::string, std::string> declare;
    auto need = [&](const std::string& prefix, const std::string& uri) {
      auto it = scope.find(prefix);
      const std::string current = it == scope.end() ? std::string() : it->second;
      if (current != uri) {
        declare[prefix] = uri;
        scope[prefix] = uri;
      }
    };
    need(name.prefix, name.qualified ? name.uri : std::string());
    std::vector<std::pair<std::string, std::string>> attributes;  // (sort key, rendered)
    for (std::size_t i = 0; raw_attributes[i] != nullptr; i += 2) {
      const Name attribute = Split(raw_attributes[i]);
      std::string rendered = " " + attribute.QName() + "=\"";
      EscapeAttribute(raw_attributes[i + 1], &rendered);
      rendered += "\"";
      if (attribute.qualified && attribute.uri != kXmlNs) need(attribute.prefix, attribute.uri);
      attributes.emplace_back(attribute.uri + kSeparator + attribute.local, std::move(rendered));
    }
    std::sort(attributes.begin(), attributes.end());
    std::string& out = frame.text;
    out += "<" + name.QName();
    for (const auto& [prefix, uri] : declare) {
      out += prefix.empty() ? " xmlns=\"" : " xmlns:" + prefix + "=\"";
      EscapeAttribute(uri, &out);
      out += "\"";
    }
    for (const auto& [key, rendered] : attributes) out += rendered;
    out += ">";
    frame.literal_scopes.push_back(std::move(scope));
    ++frame.literal_depth;
    return Status::OK();
  }

  Status LiteralEnd(Frame& frame, const Name& name) {
    frame.text += "</" + name.QName() + ">";
    frame.literal_scopes.pop_back();
    --frame.literal_depth;
    return Status::OK();
  }

  XML_Parser parser_;
  std::string origin_, document_base_;
  const StatementCallback& callback_;
  Status status_;
  std::vector<Frame> frames_;
  std::map<std::string, std::vector<std::string>> namespaces_;  // prefix -> URIs bound, innermost last
  std::set<std::string> ids_;                                   // rdf:ID IRIs used so far
  std::uint64_t anonymous_ = 0;
};

}  // namespace

Status ReadRdfXml(std::FILE* file, std::string_view origin, std::string_view base, const StatementCallback& on_statement) {
  RdfXmlParser parser(origin, base, on_statement);
  char block[1 << 16];
  while (true) {
    const std::size_t n = std::fread(block, 1, sizeof block, file);
    if (n < sizeof block && std::ferror(file)) {
      return Status::IOError("error reading " + std::string(origin) + ": " + std::strerror(errno));
    }
    const bool last = n < sizeof block;
    PARLEY_RETURN_IF_ERROR(parser.Feed(block, n, last));
    if (last) return Status::OK();
  }
}

Status ReadRdfXmlText(std::string_view text, std::string_view origin, std::string_view base,
                      const StatementCallback& on_statement) {
  RdfXmlParser parser(origin, base, on_statement);
  return parser.Feed(text.data(), text.size(), true);
}

}  // namespace parley::ingest
