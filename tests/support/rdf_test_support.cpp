#include "tests/support/rdf_test_support.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "ingest/ntriples_reader.hpp"
#include "ingest/rdf_loader.hpp"
#include "rdf/vocabulary.hpp"
#include "ingest/turtle_reader.hpp"

namespace parley::testing {

std::filesystem::path ConformanceDir() {
  if (const char* dir = std::getenv("PARLEY_CONFORMANCE_DIR"); dir != nullptr && *dir != '\0') return dir;
  return PARLEY_DEFAULT_CONFORMANCE_DIR;
}

std::string ReadFileText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<ManifestEntry> ReadManifest(const std::filesystem::path& manifest) {
  const std::string base = "file://" + std::filesystem::absolute(manifest).string();
  std::multimap<std::string, std::pair<std::string, Term>> by_subject;  // encoded subject -> (predicate, object)
  Status s = ingest::ReadTurtleText(ReadFileText(manifest), manifest.string(), base, [&](const ingest::Statement& st) {
    by_subject.emplace(EncodeTerm(ToTerm(st.subject)), std::make_pair(std::string(st.predicate.value), ToTerm(st.object)));
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  auto all = [&](const Term& subject, std::string_view predicate) {
    std::vector<Term> out;
    auto [lo, hi] = by_subject.equal_range(EncodeTerm(subject));
    for (auto it = lo; it != hi; ++it) {
      if (it->second.first == predicate) out.push_back(it->second.second);
    }
    return out;
  };
  auto get = [&](const Term& subject, std::string_view predicate) -> std::optional<Term> {
    auto [lo, hi] = by_subject.equal_range(EncodeTerm(subject));
    for (auto it = lo; it != hi; ++it) {
      if (it->second.first == predicate) return it->second.second;
    }
    return std::nullopt;
  };
  const std::string rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
  const std::string mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
  const std::string qt = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#";
  const std::string rdfs = "http://www.w3.org/2000/01/rdf-schema#";
  auto to_path = [](const Term& iri) {
    const std::string file = "file://";
    return iri.kind == TermKind::kIri && iri.value.rfind(file, 0) == 0 ? std::filesystem::path(iri.value.substr(file.size()))
                                                                       : std::filesystem::path();
  };
  const std::string ut = "http://www.w3.org/2009/sparql/tests/test-update#";
  auto contents = [&](const Term& node) {
    StoreContents c;
    for (const Term& d : all(node, ut + "data")) c.data.push_back(to_path(d));
    for (const Term& g : all(node, ut + "graphData")) {
      auto file = get(g, ut + "graph");
      auto label = get(g, rdfs + "label");
      if (file && label) c.graphs.emplace_back(label->value, to_path(*file));
    }
    return c;
  };
  std::vector<ManifestEntry> entries;
  // The manifest is `<>` in most suites and `[]` in some: find it by its type.
  Term manifest_node = Term::Iri(base);
  for (const auto& [subject, po] : by_subject) {
    if (po.first == rdf + "type" && po.second.value == mf + "Manifest") {
      auto decoded = DecodeTerm(subject);
      if (decoded.ok()) manifest_node = *decoded;
    }
  }
  auto list = get(manifest_node, mf + "entries");
  while (list && !(list->kind == TermKind::kIri && list->value == rdf + "nil")) {
    auto item = get(*list, rdf + "first");
    if (!item) break;
    ManifestEntry e;
    e.name = item->value.substr(item->value.find('#') + 1);
    if (auto type = get(*item, rdf + "type")) e.type = type->value.substr(type->value.find('#') + 1);
    if (auto action = get(*item, mf + "action")) {
      if (action->kind == TermKind::kIri) {
        e.action = to_path(*action);
      } else {
        if (auto q = get(*action, qt + "query")) e.query = to_path(*q);
        for (const Term& d : all(*action, qt + "data")) e.data.push_back(to_path(d));
        for (const Term& g : all(*action, qt + "graphData")) e.graph_data.push_back(to_path(g));
        if (auto r = get(*action, ut + "request")) e.request = to_path(*r);
        e.before = contents(*action);
      }
    }
    for (const Term& r : all(*item, mf + "requires")) e.requires_.push_back(r.value.substr(r.value.find('#') + 1));
    if (auto result = get(*item, mf + "result")) {
      e.result = to_path(*result);
      if (result->kind == TermKind::kBlankNode) e.after = contents(*result);
    }
    entries.push_back(std::move(e));
    list = get(*list, rdf + "rest");
  }
  return entries;
}

std::vector<Triple> ParseNTriples(const std::string& text) {
  std::vector<Triple> out;
  Status s = ingest::ReadNTriplesText(text, ingest::RdfFormat::kNTriples, "<expected>", [&](const ingest::Statement& st) {
    out.push_back(Triple{ToTerm(st.subject), ToTerm(st.predicate), ToTerm(st.object)});
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

std::vector<Triple> ParseNQuads(const std::string& text) {
  std::vector<Triple> out;
  Status s = ingest::ReadNTriplesText(text, ingest::RdfFormat::kNQuads, "<expected>", [&](const ingest::Statement& st) {
    Triple t{ToTerm(st.subject), ToTerm(st.predicate), ToTerm(st.object), std::nullopt};
    if (st.graph) t.graph = ToTerm(*st.graph);
    out.push_back(std::move(t));
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

namespace {

// A triple with blank nodes replaced by numbers, for matching.
using Key = std::tuple<std::string, std::string, std::string>;

class Matcher {
 public:
  Matcher(const std::vector<Triple>& a, const std::vector<Triple>& b) {
    Index(a, &nodes_a_, &triples_a_);
    Index(b, &nodes_b_, &triples_b_);
  }

  bool Run() {
    if (triples_a_.size() != triples_b_.size() || nodes_a_.size() != nodes_b_.size()) return false;
    colors_a_ = Colors(nodes_a_, triples_a_);
    colors_b_ = Colors(nodes_b_, triples_b_);
    std::multiset<std::size_t> ca, cb;
    for (auto& [n, c] : colors_a_) ca.insert(c);
    for (auto& [n, c] : colors_b_) cb.insert(c);
    if (ca != cb) return false;
    order_.assign(nodes_a_.begin(), nodes_a_.end());
    return Assign(0);
  }

 private:
  static void Index(const std::vector<Triple>& graph, std::set<std::string>* nodes, std::set<std::vector<std::string>>* triples) {
    for (const Triple& t : graph) {
      std::vector<std::string> row;
      for (const Term* term : {&t.subject, &t.predicate, &t.object}) {
        if (term->kind == TermKind::kBlankNode) nodes->insert(term->value);
        row.push_back((term->kind == TermKind::kBlankNode ? "_:" : "") + EncodeTerm(*term));
      }
      if (t.graph && t.graph->kind == TermKind::kBlankNode) nodes->insert(t.graph->value);
      row.push_back(!t.graph ? std::string() : (t.graph->kind == TermKind::kBlankNode ? "_:" : "") + EncodeTerm(*t.graph));
      triples->insert(row);
    }
  }

  // Colour refinement: a node's colour summarises its ground neighbourhood.
  static std::map<std::string, std::size_t> Colors(const std::set<std::string>& nodes,
                                                   const std::set<std::vector<std::string>>& triples) {
    std::map<std::string, std::size_t> color;
    for (const auto& n : nodes) color["_:B" + n] = 1;
    for (int round = 0; round < 4; ++round) {
      std::map<std::string, std::vector<std::string>> sig;
      for (const auto& t : triples) {
        for (int pos = 0; pos < 4; ++pos) {
          if (!color.count(t[static_cast<std::size_t>(pos)])) continue;
          std::string s = std::to_string(pos);
          for (int k = 0; k < 4; ++k) {
            const auto& x = t[static_cast<std::size_t>(k)];
            s += "|" + (k == pos ? std::string("*") : color.count(x) ? std::to_string(color[x]) : x);
          }
          sig[t[static_cast<std::size_t>(pos)]].push_back(s);
        }
      }
      std::map<std::string, std::size_t> next;
      for (auto& [n, c] : color) {
        auto& v = sig[n];
        std::sort(v.begin(), v.end());
        std::string joined = std::to_string(c);
        for (auto& s : v) joined += "#" + s;
        next[n] = std::hash<std::string>{}(joined);
      }
      color = next;
    }
    std::map<std::string, std::size_t> out;
    for (auto& [n, c] : color) out[n.substr(3)] = c;
    return out;
  }

  bool Assign(std::size_t i) {
    if (i == order_.size()) return Check();
    const std::string& a = order_[i];
    for (const auto& b : nodes_b_) {
      if (used_.count(b) || colors_a_[a] != colors_b_[b]) continue;
      mapping_[a] = b;
      used_.insert(b);
      if (Assign(i + 1)) return true;
      used_.erase(b);
      mapping_.erase(a);
    }
    return false;
  }

  bool Check() {
    std::set<std::vector<std::string>> mapped;
    for (auto row : triples_a_) {
      for (auto& x : row) {
        if (x.rfind("_:B", 0) == 0) x = "_:B" + mapping_[x.substr(3)];
      }
      mapped.insert(row);
    }
    return mapped == triples_b_;
  }

  std::set<std::string> nodes_a_, nodes_b_;
  std::set<std::vector<std::string>> triples_a_, triples_b_;
  std::map<std::string, std::size_t> colors_a_, colors_b_;
  std::vector<std::string> order_;
  std::map<std::string, std::string> mapping_;
  std::set<std::string> used_;
};

}  // namespace

bool Isomorphic(const std::vector<Triple>& a, const std::vector<Triple>& b) { return Matcher(a, b).Run(); }

CommandResult RunCommand(const std::string& command, const std::filesystem::path& scratch_dir) {
  const auto out = scratch_dir / "cmd.stdout", err = scratch_dir / "cmd.stderr";
  const std::string full = "(" + command + ") >" + out.string() + " 2>" + err.string() + " </dev/null";
  int status = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFileText(out);
  r.err = ReadFileText(err);
  return r;
}

Status LoadCuratedDataset(store::QuadStore& store) {
  const std::filesystem::path data = PARLEY_SOURCE_DIR "/data";
  std::vector<std::string> files = {(data / "ontology.ttl").string()};
  for (const auto& entry : std::filesystem::directory_iterator(data / "facts")) files.push_back(entry.path().string());
  ingest::RdfLoadOptions options;
  options.graph = std::string(rdf::kOntologyGraph);
  options.replace_graph = true;
  auto report = ingest::LoadRdfFiles(store, files, options);
  return report.ok() ? Status::OK() : report.status();
}

ingest::StatementCallback SpellInto(std::vector<std::string>* out) {
  return [out](const ingest::Statement& st) {
    auto spell = [](const TermView& term) {
      if (term.kind == TermKind::kBlankNode) return std::string("_:") + (term.value[0] == ' ' ? "anon" : std::string(term.value));
      return ToNTriples(ToTerm(term));
    };
    out->push_back(spell(st.subject) + " " + spell(st.predicate) + " " + spell(st.object));
    return Status::OK();
  };
}

}  // namespace parley::testing
