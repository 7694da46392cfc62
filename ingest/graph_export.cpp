#include "ingest/graph_export.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <set>

#include <nlohmann/json.hpp>

#include "rdf/evidence.hpp"
#include "rdf/vocabulary.hpp"

namespace parley::ingest {

using namespace parley::rdf;  // IRIs, characters, vocabulary, positions (rdf/)
namespace {

const std::string kRdfType = Rdf("type");
const std::string kLabel = Rdfs("label");

// The prefixes of the JSON-LD context and of compact names in DOT.
const std::vector<std::pair<std::string, std::string>>& Prefixes() {
  static const std::vector<std::pair<std::string, std::string>> prefixes = {
      {"rdf", std::string(kRdfNs)}, {"rdfs", std::string(kRdfsNs)}, {"xsd", std::string(kXsdNs)},
      {"parley", std::string(kOntologyNs)}, {"id", std::string(kEntityNs)}};
  return prefixes;
}

std::string Compact(const std::string& iri) {
  for (const auto& [prefix, ns] : Prefixes()) {
    if (iri.size() > ns.size() && iri.compare(0, ns.size(), ns) == 0 && iri.find_first_of("/#", ns.size()) == std::string::npos) {
      return prefix + ":" + iri.substr(ns.size());
    }
  }
  return iri;
}

std::string NodeId(const Term& t) { return t.kind == TermKind::kBlankNode ? "_:" + t.value : t.value; }

// Looks up labels and types in the store, once per term.
class Describer {
 public:
  Describer(const QuadSource& source, const TermDictionary& dictionary) : source_(source), dictionary_(dictionary) {}

  std::string Label(const Term& t) {
    auto it = labels_.find(NodeId(t));
    if (it != labels_.end()) return it->second;
    std::string label;
    auto label_p = dictionary_.LookupId(Term::Iri(kLabel));
    auto id = dictionary_.LookupId(t);
    if (label_p.ok() && id.ok()) {
      auto cursor = source_.ScanUnion(QuadPattern{*id, *label_p, {}, {}});
      Quad q;
      if (cursor->Next(&q)) {
        auto term = dictionary_.LookupTerm(q.object);
        if (term.ok()) label = term->value;
      }
    }
    return labels_[NodeId(t)] = label;
  }

  std::vector<std::string> Types(const Term& t) {
    std::vector<std::string> out;
    auto type_p = dictionary_.LookupId(Term::Iri(kRdfType));
    auto id = dictionary_.LookupId(t);
    if (!type_p.ok() || !id.ok()) return out;
    auto cursor = source_.ScanUnion(QuadPattern{*id, *type_p, {}, {}});
    Quad q;
    while (cursor->Next(&q)) {
      auto term = dictionary_.LookupTerm(q.object);
      if (term.ok()) out.push_back(term->value);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  const QuadSource& source_;
  const TermDictionary& dictionary_;
  std::map<std::string, std::string> labels_;
};

}  // namespace

Result<std::vector<TripleTerms>> Neighbourhood(const QuadSource& source, const TermDictionary& dictionary,
                                               const std::vector<Term>& roots, int depth) {
  std::set<std::string> seen_triples;
  std::vector<TripleTerms> out;
  std::set<TermId> visited;
  std::vector<TermId> frontier;
  for (const Term& r : roots) {
    auto id = dictionary.LookupId(r);
    if (!id.ok()) return Status::NotFound("no " + ToNTriples(r) + " in the database");
    if (visited.insert(*id).second) frontier.push_back(*id);
  }
  auto type_p = dictionary.LookupId(Term::Iri(kRdfType));
  for (int step = 0; step < depth && !frontier.empty(); ++step) {
    std::vector<TermId> next;
    for (TermId node : frontier) {
      for (const QuadPattern& pattern : {QuadPattern{node, {}, {}, {}}, QuadPattern{{}, {}, node, {}}}) {
        auto cursor = source.ScanUnion(pattern);
        Quad q;
        while (cursor->Next(&q)) {
          auto s = dictionary.LookupTerm(q.subject), p = dictionary.LookupTerm(q.predicate),
               o = dictionary.LookupTerm(q.object);
          if (!s.ok() || !p.ok() || !o.ok()) return s.ok() ? (p.ok() ? o.status() : p.status()) : s.status();
          const std::string key = EncodeTerm(*s) + '\1' + EncodeTerm(*p) + '\1' + EncodeTerm(*o);
          if (seen_triples.insert(key).second) out.push_back({*s, *p, *o});
          // Classes and literals end paths: a Summit's neighbours are not all summits.
          const bool is_type = type_p.ok() && q.predicate == *type_p;
          const TermId other = q.subject == node ? q.object : q.subject;
          const Term& other_term = q.subject == node ? *o : *s;
          if (!is_type && other_term.kind != TermKind::kLiteral && visited.insert(other).second) next.push_back(other);
        }
        PARLEY_RETURN_IF_ERROR(cursor->status());
      }
    }
    frontier = std::move(next);
  }
  std::sort(out.begin(), out.end(), [](const TripleTerms& a, const TripleTerms& b) {
    return std::make_tuple(NodeId(a[0]), a[1].value, ToNTriples(a[2])) < std::make_tuple(NodeId(b[0]), b[1].value, ToNTriples(b[2]));
  });
  return out;
}

Result<std::string> ExportJson(const std::vector<TripleTerms>& triples, const QuadSource& source,
                               const TermDictionary& dictionary, bool with_evidence) {
  Describer describe(source, dictionary);
  std::map<std::string, Term> nodes;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> properties;
  for (const auto& t : triples) {
    nodes.emplace(NodeId(t[0]), t[0]);
    if (t[2].kind == TermKind::kLiteral) {
      if (t[1].value != kLabel) properties[NodeId(t[0])][t[1].value].push_back(t[2].value);
    } else if (t[1].value != kRdfType) {
      nodes.emplace(NodeId(t[2]), t[2]);
    }
  }
  nlohmann::json j;
  j["nodes"] = nlohmann::json::array();
  for (const auto& [id, term] : nodes) {
    nlohmann::json node;
    node["id"] = id;
    node["label"] = describe.Label(term);
    node["types"] = describe.Types(term);
    nlohmann::json props = nlohmann::json::object();
    for (auto& [p, values] : properties[id]) {
      std::sort(values.begin(), values.end());
      props[p] = values;
    }
    node["properties"] = props;
    j["nodes"].push_back(node);
  }
  j["edges"] = nlohmann::json::array();
  for (const auto& t : triples) {
    if (t[2].kind == TermKind::kLiteral || t[1].value == kRdfType) continue;
    nlohmann::json edge;
    edge["source"] = NodeId(t[0]);
    edge["target"] = NodeId(t[2]);
    edge["predicate"] = t[1].value;
    edge["predicate_label"] = describe.Label(t[1]);
    if (with_evidence) {
      auto refs = EvidenceFor(source, dictionary, {t});
      if (!refs.ok()) return refs.status();
      std::sort(refs->begin(), refs->end());
      nlohmann::json evidence = nlohmann::json::array();
      for (const auto& e : *refs) {
        evidence.push_back({{"source", e.source_id}, {"title", e.source_title}, {"locator", e.locator}, {"quote", e.quote}});
      }
      edge["evidence"] = evidence;
    }
    j["edges"].push_back(edge);
  }
  std::sort(j["edges"].begin(), j["edges"].end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return std::make_tuple(a["source"].get<std::string>(), a["predicate"].get<std::string>(), a["target"].get<std::string>()) <
           std::make_tuple(b["source"].get<std::string>(), b["predicate"].get<std::string>(), b["target"].get<std::string>());
  });
  return j.dump(2) + "\n";
}

std::string ExportJsonLd(const std::vector<TripleTerms>& triples) {
  nlohmann::json context = nlohmann::json::object();
  for (const auto& [prefix, ns] : Prefixes()) context[prefix] = ns;
  std::map<std::string, nlohmann::json> nodes;
  for (const auto& t : triples) {
    auto& node = nodes[NodeId(t[0])];
    node["@id"] = t[0].kind == TermKind::kBlankNode ? NodeId(t[0]) : Compact(t[0].value);
    if (t[1].value == kRdfType && t[2].kind == TermKind::kIri) {
      node["@type"].push_back(Compact(t[2].value));
      continue;
    }
    nlohmann::json value;
    if (t[2].kind == TermKind::kLiteral) {
      value["@value"] = t[2].value;
      if (!t[2].language.empty()) {
        value["@language"] = t[2].language;
      } else if (!t[2].datatype.empty() && t[2].datatype != kXsdString) {
        value["@type"] = Compact(t[2].datatype);
      }
    } else {
      value["@id"] = t[2].kind == TermKind::kBlankNode ? NodeId(t[2]) : Compact(t[2].value);
    }
    node[Compact(t[1].value)].push_back(value);
  }
  nlohmann::json graph = nlohmann::json::array();
  for (auto& [id, node] : nodes) graph.push_back(std::move(node));
  return nlohmann::json{{"@context", context}, {"@graph", graph}}.dump(2) + "\n";
}

std::string ExportDot(const std::vector<TripleTerms>& triples, const QuadSource& source, const TermDictionary& dictionary) {
  // One colour per kind of thing, by the first of its classes found here.
  static const std::vector<std::pair<std::string, std::string>> kColours = {
      {"Person", "#f4cccc"}, {"State", "#fce5cd"}, {"Organization", "#fff2cc"}, {"Summit", "#cfe2f3"},
      {"Meeting", "#d9e7f5"}, {"Proposal", "#d9ead3"}, {"Claim", "#ead1dc"}, {"Topic", "#e6e0f0"},
      {"Place", "#eeeeee"}, {"Source", "#d0e0e3"}, {"Event", "#fdf1e0"}};
  Describer describe(source, dictionary);
  auto quote = [](const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c == '\n' ? ' ' : c);
    }
    return out + "\"";
  };
  std::map<std::string, Term> nodes;
  for (const auto& t : triples) {
    if (t[2].kind == TermKind::kLiteral || t[1].value == kRdfType) continue;
    nodes.emplace(NodeId(t[0]), t[0]);
    nodes.emplace(NodeId(t[2]), t[2]);
  }
  std::string out = "digraph parley {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fillcolor=\"#ffffff\"];\n"
                    "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& [id, term] : nodes) {
    std::string label = describe.Label(term);
    if (label.empty()) label = Compact(term.value);
    if (label.size() > 60) label = label.substr(0, 57) + "...";
    std::string colour = "#ffffff";
    const auto types = describe.Types(term);
    for (const auto& [cls, c] : kColours) {
      if (std::find(types.begin(), types.end(), Ont(cls)) != types.end()) {
        colour = c;
        break;
      }
    }
    out += "  " + quote(id) + " [label=" + quote(label) + ", fillcolor=\"" + colour + "\"];\n";
  }
  for (const auto& t : triples) {
    if (t[2].kind == TermKind::kLiteral || t[1].value == kRdfType) continue;
    std::string label = describe.Label(t[1]);
    out += "  " + quote(NodeId(t[0])) + " -> " + quote(NodeId(t[2])) + " [label=" + quote(label.empty() ? Compact(t[1].value) : label) + "];\n";
  }
  return out + "}\n";
}

}  // namespace parley::ingest
