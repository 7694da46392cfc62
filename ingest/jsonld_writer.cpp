#include "ingest/jsonld_writer.hpp"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace parley::ingest {

namespace {

using json = nlohmann::json;

constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

class JsonLdWriter {
 public:
  JsonLdWriter(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes, std::FILE* out)
      : source_(source), dictionary_(dictionary), prefixes_(prefixes), out_(out) {}

  Status Write() {
    json context = json::object();
    // The empty prefix has no JSON-LD form (@vocab would reach unprefixed keys too).
    for (const auto& [prefix, ns] : prefixes_) {
      if (!prefix.empty()) context[prefix] = ns;
    }
    Print("{\n  \"@context\": " + context.dump() + ",\n  \"@graph\": [");
    PARLEY_RETURN_IF_ERROR(WriteNodes(kDefaultGraph, "\n    "));
    auto graphs = NamedGraphs(source_);
    if (!graphs.ok()) return graphs.status();
    for (TermId graph : *graphs) {
      auto name = Reference(graph);
      if (!name.ok()) return name.status();
      Print(std::string(first_ ? "" : ",") + "\n    {\"@id\": " + json(*name).dump() + ", \"@graph\": [");
      first_ = true;
      PARLEY_RETURN_IF_ERROR(WriteNodes(graph, "\n      "));
      Print("\n    ]}");
      first_ = false;
    }
    Print("\n  ]\n}\n");
    return std::ferror(out_) ? Status::IOError("cannot write the JSON-LD output") : Status::OK();
  }

 private:
  void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), out_); }


  // One node object per subject of `graph`: a graph scan meets each subject's quads together.
  Status WriteNodes(TermId graph, const std::string& indent) {
    auto cursor = source_.Scan(QuadPattern{std::nullopt, std::nullopt, std::nullopt, graph});
    std::vector<Quad> node;
    Quad q;
    while (cursor->Next(&q)) {
      if (!node.empty() && node.front().subject != q.subject) {
        PARLEY_RETURN_IF_ERROR(WriteNode(node, indent));
        node.clear();
      }
      node.push_back(q);
    }
    PARLEY_RETURN_IF_ERROR(cursor->status());
    if (!node.empty()) PARLEY_RETURN_IF_ERROR(WriteNode(node, indent));
    return Status::OK();
  }

  Status WriteNode(const std::vector<Quad>& quads, const std::string& indent) {
    json node = json::object();
    auto id = Reference(quads.front().subject);
    if (!id.ok()) return id.status();
    node["@id"] = *id;
    for (const Quad& q : quads) {
      auto predicate = Lookup(q.predicate);
      if (!predicate.ok()) return predicate.status();
      auto object = Lookup(q.object);
      if (!object.ok()) return object.status();
      if (predicate->value == kRdfType && object->kind == TermKind::kIri) {
        node["@type"].push_back(Compact(object->value));
        continue;
      }
      node[Compact(predicate->value)].push_back(Value(*object));
    }
    Print((first_ ? "" : ",") + indent + node.dump());
    first_ = false;
    return Status::OK();
  }

  json Value(const Term& term) const {
    if (term.kind == TermKind::kIri) return json{{"@id", Compact(term.value)}};
    if (term.kind == TermKind::kBlankNode) return json{{"@id", "_:" + term.value}};
    json value{{"@value", term.value}};
    if (!term.language.empty()) {
      value["@language"] = term.language;
    } else if (term.datatype != kXsdString) {
      value["@type"] = Compact(term.datatype);
    }
    return value;
  }

  Result<std::string> Reference(TermId id) {
    auto term = Lookup(id);
    if (!term.ok()) return term.status();
    return term->kind == TermKind::kBlankNode ? "_:" + term->value : Compact(term->value);
  }

  // "prefix:local" when a prefix covers the IRI and the rest cannot be mistaken for
  // an authority ("//"); else the IRI itself.
  std::string Compact(const std::string& iri) const {
    for (const auto& [prefix, ns] : prefixes_) {
      if (prefix.empty() || iri.size() <= ns.size() || iri.compare(0, ns.size(), ns) != 0) continue;
      const std::string local = iri.substr(ns.size());
      if (local.starts_with("//")) continue;
      return prefix + ":" + local;
    }
    return iri;
  }

  Result<Term> Lookup(TermId id) {
    if (auto it = terms_.find(id); it != terms_.end()) return it->second;
    auto term = dictionary_.LookupTerm(id);
    if (!term.ok()) return term.status();
    if (terms_.size() > 100'000) terms_.clear();  // predicates and classes come back soon enough
    terms_.emplace(id, *term);
    return term;
  }

  const QuadSource& source_;
  const TermDictionary& dictionary_;
  const PrefixMap& prefixes_;
  std::FILE* out_;
  bool first_ = true;
  std::unordered_map<TermId, Term> terms_;
};

}  // namespace

Status WriteJsonLd(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes, std::FILE* out) {
  return JsonLdWriter(source, dictionary, prefixes, out).Write();
}

}  // namespace parley::ingest
