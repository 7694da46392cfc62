#include "ingest/jsonld_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/json_positions.hpp"
#include "rdf/iri.hpp"
#include "rdf/percent_encoding.hpp"

namespace parley::ingest {

namespace {

using json = nlohmann::json;

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
// Documents nest deeper than this only to attack the reader (it recurses).
constexpr int kMaxDepth = 512;
// Contexts that name contexts that name contexts...: a loop, or an attack.
constexpr int kMaxContextDepth = 32;

// A term's definition in an active context.
struct TermDefinition {
  std::optional<std::string> iri;  // unset: the term maps to nothing, and its values are dropped
  std::string type;                // @id, @vocab, @json, a datatype IRI, or ""
  std::set<std::string> container;
  bool has_language = false;
  std::optional<std::string> language;  // with has_language: this language, or none (null)
  bool reverse = false;
  std::optional<json> context;  // a scoped context for the term's values
  bool prefix = true;           // usable as the prefix of a compact IRI
};

struct Context {
  std::string base;
  std::optional<std::string> vocab;
  std::optional<std::string> language;
  std::map<std::string, TermDefinition> terms;
};

// An error found at a JSON pointer; the reader turns it into line:col.
struct Fault {
  std::string pointer, message;
};

bool IsKeyword(const std::string& s) { return s.size() > 1 && s[0] == '@'; }

// Calls f(item, pointer) for each item of an array, or once for a lone value (JSON-LD
// lets one value stand for an array of one), without copying either.
template <class F>
void ForEach(const json& value, const std::string& pointer, F&& f) {
  if (!value.is_array()) return f(value, pointer);
  for (std::size_t i = 0; i < value.size(); ++i) f(value[i], pointer + "/" + std::to_string(i));
}

// xsd:double's canonical form as JSON-LD writes it: 1.5E0, 1.0E-5.
std::string CanonicalDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "INF" : "-INF";
  char text[40];
  std::snprintf(text, sizeof text, "%.15E", value);
  std::string s = text;
  const auto e = s.find('E');
  std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
  while (mantissa.size() > 1 && mantissa.back() == '0' && mantissa[mantissa.size() - 2] != '.') mantissa.pop_back();
  const int power = std::stoi(exponent);
  return mantissa + "E" + std::to_string(power);
}

class JsonLdReader {
 public:
  JsonLdReader(std::string_view base, const StatementCallback& callback) : document_base_(base), callback_(callback) {}

  // Reads the parsed document. A fault carries the pointer of the value at fault; a
  // callback's own error comes back in *callback_error.
  std::optional<Fault> Read(const json& document, Status* callback_error) {
    Context initial;
    initial.base = document_base_;
    try {
      if (document.is_array()) {
        for (std::size_t i = 0; i < document.size(); ++i) Node(initial, document[i], "/" + std::to_string(i), std::nullopt);
      } else if (document.is_object()) {
        TopLevel(initial, document);
      } else {
        throw Fault{"", "a JSON-LD document is an object or an array"};
      }
    } catch (const Fault& fault) {
      return fault;
    } catch (const json::exception& e) {  // a value of an unexpected JSON type somewhere unchecked
      return Fault{"", std::string("unexpected JSON: ") + e.what()};
    } catch (const CallbackError& e) {
      *callback_error = e.status;
      return Fault{"", e.status.message()};
    }
    return std::nullopt;
  }

 private:
  struct CallbackError {
    Status status;
  };

  // ------------------------------------------------------------ contexts

  Context ProcessContext(const Context& active, const json& local, const std::string& pointer, int depth = 0) {
    if (depth > kMaxContextDepth) throw Fault{pointer, "contexts name each other too deeply (a loop?)"};
    Context result = active;
    const json items = local.is_array() ? local : json::array({local});
    for (std::size_t i = 0; i < items.size(); ++i) {
      const json& item = items[i];
      const std::string at = local.is_array() ? pointer + "/" + std::to_string(i) : pointer;
      if (item.is_null()) {  // back to the initial context
        result = Context{};
        result.base = document_base_;
        continue;
      }
      if (item.is_string()) {
        result = ProcessContext(result, LocalContext(result, item.get<std::string>(), at), at, depth + 1);
        continue;
      }
      if (!item.is_object()) throw Fault{at, "a context is an object, an IRI or null"};
      if (item.contains("@import")) throw Fault{at + "/@import", "@import is not supported; merge the contexts instead"};
      if (auto base = item.find("@base"); base != item.end()) {
        if (base->is_null()) {
          result.base.clear();
        } else if (base->is_string()) {
          result.base = Resolve(result.base, base->get<std::string>(), at + "/@base");
        } else {
          throw Fault{at + "/@base", "@base is an IRI or null"};
        }
      }
      if (auto vocab = item.find("@vocab"); vocab != item.end()) {
        if (vocab->is_null()) {
          result.vocab.reset();
        } else if (vocab->is_string()) {
          result.vocab = ExpandIri(result, vocab->get<std::string>(), true, true, at + "/@vocab");
        } else {
          throw Fault{at + "/@vocab", "@vocab is an IRI or null"};
        }
      }
      if (auto language = item.find("@language"); language != item.end()) {
        if (language->is_null()) {
          result.language.reset();
        } else if (language->is_string()) {
          result.language = language->get<std::string>();
        } else {
          throw Fault{at + "/@language", "@language is a string or null"};
        }
      }
      std::map<std::string, bool> defined;
      for (const auto& [term, value] : item.items()) {
        if (IsKeyword(term)) continue;  // @version, @protected, @propagate, @direction: nothing to do here
        DefineTerm(result, item, term, defined, at);
      }
    }
    return result;
  }

  // A context named by IRI: read from a local file, never from the network.
  json LocalContext(const Context& active, const std::string& reference, const std::string& pointer) {
    const std::string iri = Resolve(active.base, reference, pointer);
    if (!iri.starts_with("file://")) {
      throw Fault{pointer, "the context <" + iri + "> is not fetched: Parley reads no network (use a local file or an inline context)"};
    }
    const std::string path = rdf::PercentDecode(iri.substr(7), false);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Fault{pointer, "cannot read the context " + path + ": " + std::strerror(errno)};
    std::ostringstream bytes;
    bytes << in.rdbuf();
    json document = json::parse(bytes.str(), nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("@context")) {
      throw Fault{pointer, "the context file " + path + " is not JSON with an @context"};
    }
    return document["@context"];
  }

  void DefineTerm(Context& active, const json& local, const std::string& term, std::map<std::string, bool>& defined,
                  const std::string& pointer) {
    if (auto it = defined.find(term); it != defined.end()) {
      if (!it->second) throw Fault{pointer + "/" + PointerToken(term), "the term \"" + term + "\" is defined in terms of itself"};
      return;
    }
    defined[term] = false;
    const json& value = local.at(term);
    const std::string at = pointer + "/" + PointerToken(term);
    TermDefinition definition;
    if (value.is_null()) {
      active.terms[term] = definition;  // maps to nothing
      defined[term] = true;
      return;
    }
    json object = value.is_string() ? json{{"@id", value}} : value;
    if (!object.is_object()) throw Fault{at, "a term's definition is an IRI, an object or null"};
    if (auto reverse = object.find("@reverse"); reverse != object.end()) {
      if (!reverse->is_string()) throw Fault{at + "/@reverse", "@reverse is an IRI"};
      definition.iri = ExpandInContext(active, local, reverse->get<std::string>(), defined, at + "/@reverse");
      definition.reverse = true;
    } else if (auto id = object.find("@id"); id != object.end() && !(id->is_string() && id->get<std::string>() == term)) {
      if (id->is_null()) {
        active.terms[term] = definition;
        defined[term] = true;
        return;
      }
      if (!id->is_string()) throw Fault{at + "/@id", "@id is an IRI or null"};
      definition.iri = ExpandInContext(active, local, id->get<std::string>(), defined, at + "/@id");
    } else if (const auto colon = term.find(':'); colon != std::string::npos && colon > 0) {
      definition.iri = ExpandInContext(active, local, term, defined, at);
    } else if (active.vocab) {
      definition.iri = *active.vocab + term;
    } else {
      throw Fault{at, "the term \"" + term + "\" has no IRI: give it an @id, or set @vocab"};
    }
    if (auto type = object.find("@type"); type != object.end()) {
      if (!type->is_string()) throw Fault{at + "/@type", "@type is an IRI"};
      const std::string t = type->get<std::string>();
      definition.type = t == "@id" || t == "@vocab" || t == "@json" || t == "@none"
                            ? t
                            : ExpandInContext(active, local, t, defined, at + "/@type");
    }
    if (auto container = object.find("@container"); container != object.end() && !container->is_null()) {
      const json values = container->is_array() ? *container : json::array({*container});
      for (const auto& c : values) {
        if (!c.is_string()) throw Fault{at + "/@container", "@container is a keyword or a list of them"};
        definition.container.insert(c.get<std::string>());
      }
    }
    if (auto language = object.find("@language"); language != object.end()) {
      definition.has_language = true;
      if (language->is_string()) definition.language = language->get<std::string>();
    }
    if (auto scoped = object.find("@context"); scoped != object.end()) definition.context = *scoped;
    if (auto prefix = object.find("@prefix"); prefix != object.end() && prefix->is_boolean()) {
      definition.prefix = prefix->get<bool>();
    }
    active.terms[term] = definition;
    defined[term] = true;
  }

  // An IRI in a term definition: the terms it uses (itself, or its prefix) that the
  // same context defines are defined first.
  std::string ExpandInContext(Context& active, const json& local, const std::string& value,
                              std::map<std::string, bool>& defined, const std::string& pointer) {
    const std::string context_pointer = pointer.substr(0, pointer.rfind('/'));
    const auto colon = value.find(':');
    for (const std::string& used : {value, colon == std::string::npos ? std::string() : value.substr(0, colon)}) {
      if (!used.empty() && local.contains(used)) DefineTerm(active, local, used, defined, context_pointer);
    }
    return ExpandIri(active, value, false, true, pointer);
  }

  // JSON-LD's IRI expansion: keywords stay, terms (with `vocab`), compact IRIs,
  // blank node ids, absolute IRIs, then @vocab or the base.
  std::string ExpandIri(const Context& active, const std::string& value, bool document_relative, bool vocab,
                        const std::string& pointer) {
    if (IsKeyword(value)) return value;
    if (vocab) {
      if (auto it = active.terms.find(value); it != active.terms.end()) return it->second.iri.value_or("");
    }
    if (const auto colon = value.find(':'); colon != std::string::npos && colon > 0) {
      const std::string prefix = value.substr(0, colon), suffix = value.substr(colon + 1);
      if (prefix == "_" || suffix.starts_with("//")) return value;
      if (auto it = active.terms.find(prefix); it != active.terms.end() && it->second.iri && it->second.prefix) {
        return *it->second.iri + suffix;
      }
      if (rdf::IsAbsoluteIri(value)) return value;
    }
    if (vocab && active.vocab) return *active.vocab + value;
    if (document_relative) return Resolve(active.base, value, pointer);
    return value;
  }

  std::string Resolve(const std::string& base, const std::string& reference, const std::string& pointer) {
    if (rdf::IsAbsoluteIri(reference)) return rdf::ResolveIri(reference, "");
    if (base.empty()) throw Fault{pointer, "relative IRI \"" + reference + "\" with no base (give --base, or @base)"};
    return rdf::ResolveIri(base, reference);
  }

  // ------------------------------------------------------------ nodes and values

  void TopLevel(const Context& initial, const json& document) {
    Context active = initial;  // copied once, for the document's own @context
    if (auto context = document.find("@context"); context != document.end()) {
      active = ProcessContext(active, *context, "/@context");
    }
    // {"@context": ..., "@graph": [...]}: the nodes of the default graph.
    bool only_graph = document.contains("@graph");
    for (const auto& [key, value] : document.items()) only_graph = only_graph && (key == "@context" || key == "@graph");
    if (!only_graph) {
      Node(active, document, "", std::nullopt, /*context_done=*/true);
      return;
    }
    ForEach(document["@graph"], "/@graph", [&](const json& item, const std::string& at) { Node(active, item, at, std::nullopt); });
  }

  // A node object: emits its statements into `graph` and returns its term.
  Term Node(const Context& outer, const json& node, const std::string& pointer, const std::optional<Term>& graph,
            bool context_done = false) {
    if (!node.is_object()) throw Fault{pointer, "expected a node object"};
    // A node's own @context applies to it and what it holds (copied only then).
    std::optional<Context> own;
    if (auto context = node.find("@context"); context != node.end() && !context_done) {
      own = ProcessContext(outer, *context, pointer + "/@context");
    }
    const Context& active = own ? *own : outer;
    Term subject = FreshBlankNode();
    if (auto id = node.find("@id"); id != node.end()) {
      if (!id->is_string()) throw Fault{pointer + "/@id", "@id is an IRI or a blank node id"};
      subject = Reference(active, id->get<std::string>(), false, pointer + "/@id");
    }
    if (auto types = node.find("@type"); types != node.end()) {
      const json values = types->is_array() ? *types : json::array({*types});
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (!values[i].is_string()) throw Fault{pointer + "/@type", "@type is an IRI or a list of IRIs"};
        Emit(subject, Term::Iri(std::string(kRdf) + "type"),
             Reference(active, values[i].get<std::string>(), true, pointer + "/@type"), graph);
      }
    }
    Properties(active, node, subject, pointer, graph);
    if (auto named = node.find("@graph"); named != node.end()) {
      // A node with @graph names a graph: its nodes are that graph's.
      ForEach(*named, pointer + "/@graph", [&](const json& item, const std::string& at) { Node(active, item, at, subject); });
    }
    if (auto included = node.find("@included"); included != node.end()) {
      ForEach(*included, pointer + "/@included", [&](const json& item, const std::string& at) { Node(active, item, at, graph); });
    }
    return subject;
  }

  // The node's properties: every member that maps to an IRI, @reverse and @nest.
  void Properties(const Context& active, const json& node, const Term& subject, const std::string& pointer,
                  const std::optional<Term>& graph) {
    for (const auto& [key, value] : node.items()) {
      const std::string at = pointer + "/" + PointerToken(key);
      if (key == "@reverse") {
        if (!value.is_object()) throw Fault{at, "@reverse is an object of properties"};
        for (const auto& [property, values] : value.items()) {
          const std::string iri = ExpandIri(active, property, false, true, at);
          if (!IsUsableProperty(iri)) continue;
          for (const Term& object : Values(active, property, values, at + "/" + PointerToken(property), graph)) {
            Emit(object, Term::Iri(iri), subject, graph);
          }
        }
        continue;
      }
      const auto definition = active.terms.find(key);
      if (key == "@nest" || (definition != active.terms.end() && definition->second.iri == "@nest")) {
        ForEach(value, at, [&](const json& item, const std::string& item_at) {
          if (!item.is_object()) throw Fault{item_at, "@nest holds objects of properties"};
          Properties(active, item, subject, item_at, graph);
        });
        continue;
      }
      if (IsKeyword(key)) continue;
      const std::string iri = ExpandIri(active, key, false, true, at);
      if (!IsUsableProperty(iri)) continue;  // JSON-LD drops what maps to no IRI
      const bool reverse = definition != active.terms.end() && definition->second.reverse;
      for (const Term& object : Values(active, key, value, at, graph)) {
        if (reverse) {
          Emit(object, Term::Iri(iri), subject, graph);
        } else {
          Emit(subject, Term::Iri(iri), object, graph);
        }
      }
    }
  }

  static bool IsUsableProperty(const std::string& iri) { return !iri.empty() && !IsKeyword(iri) && iri.find(':') != std::string::npos; }

  // The terms a property's value stands for, by its term's definition.
  std::vector<Term> Values(const Context& active, const std::string& property, const json& value, const std::string& pointer,
                           const std::optional<Term>& graph) {
    TermDefinition definition;
    if (auto it = active.terms.find(property); it != active.terms.end()) definition = it->second;
    std::optional<Context> own;  // the term's scoped context, when it has one
    if (definition.context) own = ProcessContext(active, *definition.context, pointer);
    const Context& scoped = own ? *own : active;
    std::vector<Term> out;
    const auto& container = definition.container;
    if (value.is_object() && !value.contains("@value") && !value.contains("@list") && !value.contains("@set") &&
        (container.count("@language") || container.count("@index") || container.count("@id") || container.count("@type"))) {
      // A map: its keys are languages, indexes, node ids or types.
      for (const auto& entry : value.items()) {
        const std::string key = entry.key();  // a named variable: lambdas may not capture bindings (clang 14)
        ForEach(entry.value(), pointer + "/" + PointerToken(key), [&](const json& item, const std::string& item_at) {
          if (container.count("@language")) {
            if (item.is_null()) return;
            if (!item.is_string()) throw Fault{item_at, "a language map's values are strings"};
            out.push_back(key == "@none" ? Term::Literal(item.get<std::string>())
                                         : Term::LangLiteral(item.get<std::string>(), key));
          } else if (container.count("@id") && item.is_object() && !item.contains("@id")) {
            json node = item;
            if (key != "@none") node["@id"] = key;
            out.push_back(Node(scoped, node, item_at, graph));
          } else if (container.count("@type") && key != "@none") {
            json node = item.is_string() ? json{{"@id", item}} : item;
            json types = node.contains("@type") ? node["@type"] : json::array();
            if (!types.is_array()) types = json::array({types});
            types.insert(types.begin(), key);
            node["@type"] = types;
            out.push_back(Node(scoped, node, item_at, graph));
          } else {
            for (Term& term : Item(scoped, definition, item, item_at, graph)) out.push_back(std::move(term));
          }
        });
      }
      return out;
    }
    if (container.count("@list") && !(value.is_object() && value.contains("@list"))) {
      out.push_back(List(scoped, definition, value.is_array() ? value : json::array({value}), pointer, graph));
      return out;
    }
    ForEach(value, pointer, [&](const json& item, const std::string& at) {
      for (Term& term : Item(scoped, definition, item, at, graph)) out.push_back(std::move(term));
    });
    return out;
  }

  // One value: a literal, a reference, a node, a list or a set.
  std::vector<Term> Item(const Context& active, const TermDefinition& definition, const json& item, const std::string& pointer,
                         const std::optional<Term>& graph) {
    if (item.is_null()) return {};
    if (item.is_array()) {  // an array in a @set
      std::vector<Term> out;
      for (std::size_t i = 0; i < item.size(); ++i) {
        for (Term& t : Item(active, definition, item[i], pointer + "/" + std::to_string(i), graph)) out.push_back(std::move(t));
      }
      return out;
    }
    if (item.is_string()) {
      const std::string s = item.get<std::string>();
      if (definition.type == "@id") return {Reference(active, s, false, pointer)};
      if (definition.type == "@vocab") return {Reference(active, s, true, pointer)};
      return {Literal(active, definition, item, pointer)};
    }
    if (item.is_number() || item.is_boolean()) return {Literal(active, definition, item, pointer)};
    if (!item.is_object()) throw Fault{pointer, "unexpected JSON value"};
    if (definition.type == "@json") return {Term::Literal(item.dump(), std::string(kRdf) + "JSON")};
    if (auto list = item.find("@list"); list != item.end()) {
      return {List(active, definition, list->is_array() ? *list : json::array({*list}), pointer + "/@list", graph)};
    }
    if (auto set = item.find("@set"); set != item.end()) return Item(active, definition, *set, pointer + "/@set", graph);
    if (item.contains("@value")) return ValueObject(active, item, pointer);
    return {Node(active, item, pointer, graph)};
  }

  // {"@value": ..., "@type" | "@language": ...}
  std::vector<Term> ValueObject(const Context& active, const json& item, const std::string& pointer) {
    const json& value = item["@value"];
    if (value.is_null()) return {};
    if (auto type = item.find("@type"); type != item.end()) {
      if (!type->is_string()) throw Fault{pointer + "/@type", "a value's @type is one IRI"};
      if (type->get<std::string>() == "@json") return {Term::Literal(value.dump(), std::string(kRdf) + "JSON")};
      const std::string datatype = Reference(active, type->get<std::string>(), true, pointer + "/@type").value;
      return {Term::Literal(Lexical(value, datatype, pointer), datatype)};
    }
    if (auto language = item.find("@language"); language != item.end() && !language->is_null()) {
      if (!language->is_string() || !value.is_string()) throw Fault{pointer, "a language-tagged value is a string with a language"};
      return {Term::LangLiteral(value.get<std::string>(), language->get<std::string>())};
    }
    if (value.is_object() || value.is_array()) throw Fault{pointer + "/@value", "@value is a string, a number or a boolean"};
    TermDefinition plain;
    plain.has_language = true;  // no context language: the value object says none
    return {Literal(active, plain, value, pointer)};
  }

  Term Literal(const Context& active, const TermDefinition& definition, const json& value, const std::string& pointer) {
    const bool typed = !definition.type.empty() && !IsKeyword(definition.type);
    if (value.is_string()) {
      if (typed) return Term::Literal(value.get<std::string>(), definition.type);
      const std::optional<std::string> language = definition.has_language ? definition.language : active.language;
      return language ? Term::LangLiteral(value.get<std::string>(), *language) : Term::Literal(value.get<std::string>());
    }
    std::string datatype = value.is_boolean() ? std::string(kXsd) + "boolean"
                           : value.is_number_float() && !IsWhole(value) ? std::string(kXsd) + "double"
                                                                        : std::string(kXsd) + "integer";
    if (typed) datatype = definition.type;
    return Term::Literal(Lexical(value, datatype, pointer), datatype);
  }

  static bool IsWhole(const json& number) {
    const double d = number.get<double>();
    return std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e21;
  }

  // A native JSON value's lexical form: integers as integers, other numbers (and any
  // number typed xsd:double) in xsd:double's canonical form.
  std::string Lexical(const json& value, const std::string& datatype, const std::string& pointer) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (!value.is_number()) throw Fault{pointer, "@value is a string, a number or a boolean"};
    const bool as_double = datatype == std::string(kXsd) + "double" || (value.is_number_float() && !IsWhole(value));
    if (as_double) return CanonicalDouble(value.get<double>());
    if (value.is_number_float()) return std::to_string(static_cast<long long>(value.get<double>()));
    return value.dump();
  }

  Term List(const Context& active, const TermDefinition& definition, const json& items, const std::string& pointer,
            const std::optional<Term>& graph) {
    std::vector<Term> members;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string at = pointer + "/" + std::to_string(i);
      if (items[i].is_array()) {  // a list of lists
        members.push_back(List(active, definition, items[i], at, graph));
        continue;
      }
      for (Term& t : Item(active, definition, items[i], at, graph)) members.push_back(std::move(t));
    }
    Term rest = Term::Iri(std::string(kRdf) + "nil");
    for (auto member = members.rbegin(); member != members.rend(); ++member) {
      const Term cell = FreshBlankNode();
      Emit(cell, Term::Iri(std::string(kRdf) + "first"), *member, graph);
      Emit(cell, Term::Iri(std::string(kRdf) + "rest"), rest, graph);
      rest = cell;
    }
    return rest;
  }

  // An @id or @type value: a blank node id or an IRI.
  Term Reference(const Context& active, const std::string& value, bool vocab, const std::string& pointer) {
    if (value.starts_with("_:")) return Term::BlankNode(value.substr(2));
    const std::string iri = ExpandIri(active, value, true, vocab, pointer);
    if (iri.starts_with("_:")) return Term::BlankNode(iri.substr(2));
    if (!rdf::IsAbsoluteIri(iri)) throw Fault{pointer, "\"" + value + "\" does not expand to an IRI"};
    return Term::Iri(iri);
  }

  Term FreshBlankNode() { return Term::BlankNode(" j" + std::to_string(++anonymous_)); }

  void Emit(const Term& s, const Term& p, const Term& o, const std::optional<Term>& graph) {
    if (s.kind == TermKind::kLiteral) return;  // a literal subject of @reverse: not RDF
    Statement statement;
    statement.subject = ToView(s);
    statement.predicate = ToView(p);
    statement.object = ToView(o);
    if (graph) statement.graph = ToView(*graph);
    Status status = callback_(statement);
    if (!status.ok()) throw CallbackError{status};
  }

  std::string document_base_;
  const StatementCallback& callback_;
  std::uint64_t anonymous_ = 0;
};

// Line and column (1-based) of a byte offset.
std::pair<std::uint64_t, std::uint64_t> LineAndColumn(std::string_view text, std::size_t offset) {
  std::uint64_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string LineAt(std::string_view text, std::size_t offset) {
  const std::size_t begin = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t start = begin == std::string_view::npos || offset == 0 ? 0 : begin + 1;
  const std::size_t end = text.find('\n', start);
  return std::string(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

Status ErrorAt(std::string_view text, std::string_view origin, std::size_t offset, std::string message) {
  const auto [line, column] = LineAndColumn(text, offset);
  return Status::ParseError(Diagnostic{std::string(origin), line, column, std::move(message), LineAt(text, offset), 1});
}

}  // namespace

Status ReadJsonLdText(std::string_view text, std::string_view origin, std::string_view base,
                      const StatementCallback& on_statement) {
  if (auto deep = NestedBeyond(text, kMaxDepth)) return ErrorAt(text, origin, *deep, "JSON nested too deeply");
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    std::string message = e.what();
    if (auto colon = message.rfind(": "); colon != std::string::npos) message = message.substr(colon + 2);
    return ErrorAt(text, origin, e.byte > 0 ? e.byte - 1 : 0, "malformed JSON: " + message);
  } catch (const json::exception& e) {  // a number too large for a double, say: no position
    std::string message = e.what();
    if (auto bracket = message.find("] "); bracket != std::string::npos) message = message.substr(bracket + 2);
    return ErrorAt(text, origin, 0, "malformed JSON: " + message);
  }
  JsonLdReader reader(base, on_statement);
  Status callback_error;
  if (auto fault = reader.Read(document, &callback_error)) {
    if (!callback_error.ok()) return callback_error;
    const JsonPositions positions(text);
    const std::size_t offset = positions.ValueOffset(fault->pointer).value_or(0);
    return ErrorAt(text, origin, offset, fault->message);
  }
  return Status::OK();
}

Status ReadJsonLd(std::FILE* file, std::string_view origin, std::string_view base, const StatementCallback& on_statement) {
  std::string text;
  char block[1 << 16];
  while (true) {
    const std::size_t n = std::fread(block, 1, sizeof block, file);
    text.append(block, n);
    if (n < sizeof block) {
      if (std::ferror(file)) return Status::IOError("error reading " + std::string(origin) + ": " + std::strerror(errno));
      break;
    }
  }
  return ReadJsonLdText(text, origin, base, on_statement);
}

}  // namespace parley::ingest
