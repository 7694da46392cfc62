#include "ingest/turtle_writer.hpp"

#include "store/memory_quad_source.hpp"

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace parley::ingest {
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string_view WithoutSign(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return s;
}

// Whether `lexical` can be written bare, as Turtle's INTEGER, DECIMAL or DOUBLE.
bool ShortNumber(std::string_view lexical, std::string_view type) {
  std::string_view s = WithoutSign(lexical);
  if (type == "integer") return AllDigits(s);
  if (type == "decimal") {
    auto dot = s.find('.');
    return dot != std::string_view::npos && (dot == 0 || AllDigits(s.substr(0, dot))) && AllDigits(s.substr(dot + 1));
  }
  if (type == "double") {
    auto e = s.find_first_of("eE");
    if (e == std::string_view::npos || !AllDigits(WithoutSign(s.substr(e + 1)))) return false;
    std::string_view mantissa = s.substr(0, e);
    auto dot = mantissa.find('.');
    if (dot == std::string_view::npos) return AllDigits(mantissa);
    std::string_view whole = mantissa.substr(0, dot), frac = mantissa.substr(dot + 1);
    return (whole.empty() || AllDigits(whole)) && (frac.empty() || AllDigits(frac)) && !(whole.empty() && frac.empty());
  }
  return false;
}

// Local names we write unescaped: letters, digits, '_' and inner '-' or '.'.
bool SimpleLocalName(std::string_view local) {
  if (local.empty()) return true;
  for (char c : local) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  }
  return local.front() != '-' && local.front() != '.' && local.back() != '.';
}

// Writes the triples of one graph, or of the union of all graphs, as Turtle.
class TurtleWriter {
 public:
  // `graph` unset: the union of all graphs.
  TurtleWriter(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes, std::FILE* out,
               std::optional<TermId> graph = std::nullopt)
      : source_(source), dictionary_(dictionary), prefixes_(prefixes), out_(out), graph_(graph) {}

  Status Write() {
    PARLEY_RETURN_IF_ERROR(WritePrefixes());
    return WriteTriples();
  }

  Status WritePrefixes() {
    for (const auto& [prefix, iri] : prefixes_) buffer_ += "@prefix " + prefix + ": <" + iri + "> .\n";
    if (!prefixes_.empty()) buffer_ += "\n";
    return Flush();
  }

  // TriG: `label {`, the graph's triples, `}`.
  Status WriteGraphBlock() {
    PARLEY_RETURN_IF_ERROR(AppendTerm(*graph_, /*as_predicate=*/false));
    buffer_ += " {\n";
    PARLEY_RETURN_IF_ERROR(WriteTriples());
    buffer_ += "}\n\n";
    return Flush();
  }

  Status WriteTriples() {
    PARLEY_RETURN_IF_ERROR(FindLists());
    auto cursor = Scan(QuadPattern{});
    Quad q;
    std::optional<TermId> subject, predicate;
    while (cursor->Next(&q)) {
      if (inlined_.count(q.subject)) continue;
      if (subject != q.subject) {
        if (subject) buffer_ += " .\n";
        PARLEY_RETURN_IF_ERROR(AppendTerm(q.subject, /*as_predicate=*/false));
        buffer_ += " ";
        subject = q.subject;
        predicate.reset();
      }
      if (predicate == q.predicate) {
        buffer_ += ", ";
      } else {
        if (predicate) buffer_ += " ;\n    ";
        PARLEY_RETURN_IF_ERROR(AppendTerm(q.predicate, /*as_predicate=*/true));
        buffer_ += " ";
        predicate = q.predicate;
      }
      PARLEY_RETURN_IF_ERROR(AppendObject(q.object));
      if (buffer_.size() > (1 << 20)) PARLEY_RETURN_IF_ERROR(Flush());
    }
    PARLEY_RETURN_IF_ERROR(cursor->status());
    if (subject) buffer_ += " .\n";
    return Flush();
  }

 private:
  std::unique_ptr<QuadCursor> Scan(QuadPattern pattern) {
    if (!graph_) return source_.ScanUnion(pattern);
    pattern.graph = *graph_;
    return source_.Scan(pattern);
  }

  Status Flush() {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) return Status::IOError("cannot write output");
    buffer_.clear();
    return std::fflush(out_) == 0 ? Status::OK() : Status::IOError("cannot write output");
  }

  Result<std::vector<Quad>> All(const QuadPattern& pattern) {
    std::vector<Quad> out;
    auto cursor = Scan(pattern);
    PARLEY_RETURN_IF_ERROR(DrainCursor(*cursor, &out));
    return out;
  }

  // Finds collections that can be written as ( ... ): chains of blank nodes that each
  // have exactly one rdf:first and one rdf:rest and nothing else, are referred to once,
  // and end in rdf:nil. Their nodes are then written inline, not as subjects.
  Status FindLists() {
    auto first = dictionary_.LookupId(Term::Iri(std::string(kRdf) + "first"));
    auto rest = dictionary_.LookupId(Term::Iri(std::string(kRdf) + "rest"));
    auto nil = dictionary_.LookupId(Term::Iri(std::string(kRdf) + "nil"));
    if (!first.ok() || !rest.ok() || !nil.ok()) return Status::OK();
    auto firsts = All(QuadPattern{{}, *first, {}, {}});
    if (!firsts.ok()) return firsts.status();
    std::map<TermId, std::pair<TermId, TermId>> cells;  // node -> (item, next)
    std::map<TermId, Quad> referrer;
    for (const Quad& f : *firsts) {
      auto term = dictionary_.LookupTerm(f.subject);
      if (!term.ok() || term->kind != TermKind::kBlankNode) continue;
      auto props = All(QuadPattern{f.subject, {}, {}, {}});
      auto refs = All(QuadPattern{{}, {}, f.subject, {}});
      if (!props.ok() || !refs.ok()) return props.ok() ? refs.status() : props.status();
      if (props->size() != 2 || refs->size() != 1) continue;
      const Quad& other = (*props)[0].predicate == *first ? (*props)[1] : (*props)[0];
      if (other.predicate != *rest) continue;
      cells[f.subject] = {f.object, other.object};
      referrer[f.subject] = (*refs)[0];
    }
    for (const auto& [node, cell] : cells) {
      const Quad& ref = referrer[node];
      if (ref.predicate == *rest && cells.count(ref.subject)) continue;  // not a head
      std::vector<TermId> chain;
      std::set<TermId> seen;
      TermId at = node;
      bool ok = true;
      while (at != *nil) {
        auto it = cells.find(at);
        if (it == cells.end() || !seen.insert(at).second) {
          ok = false;
          break;
        }
        chain.push_back(at);
        at = it->second.second;
      }
      if (!ok || ref.subject == node) continue;
      std::vector<TermId> items;
      for (TermId n : chain) items.push_back(cells[n].first);
      lists_[node] = items;
      inlined_.insert(chain.begin(), chain.end());
    }
    return Status::OK();
  }

  Status AppendObject(TermId id) {
    auto list = lists_.find(id);
    if (list == lists_.end()) return AppendTerm(id, false);
    buffer_ += "(";
    for (TermId item : list->second) {
      buffer_ += " ";
      PARLEY_RETURN_IF_ERROR(AppendObject(item));
    }
    buffer_ += " )";
    return Status::OK();
  }

  Status AppendTerm(TermId id, bool as_predicate) {
    auto cached = cache_.find(id);
    if (cached == cache_.end()) {
      auto term = dictionary_.LookupTerm(id);
      if (!term.ok()) return term.status();
      if (cache_.size() > (1 << 20)) cache_.clear();
      cached = cache_.emplace(id, Render(*term)).first;
    }
    if (as_predicate && cached->second == "rdf:type") {
      buffer_ += "a";
    } else {
      buffer_ += cached->second;
    }
    return Status::OK();
  }

  std::string Iri(const std::string& iri) {
    for (const auto& [prefix, ns] : prefixes_) {
      if (iri.size() >= ns.size() && iri.compare(0, ns.size(), ns) == 0 && SimpleLocalName(std::string_view(iri).substr(ns.size()))) {
        return prefix + ":" + iri.substr(ns.size());
      }
    }
    return "<" + iri + ">";
  }

  std::string Render(const Term& term) {
    if (term.kind == TermKind::kIri) return Iri(term.value);
    if (term.kind == TermKind::kBlankNode) return "_:" + term.value;
    if (term.language.empty() && term.datatype.compare(0, kXsd.size(), kXsd) == 0) {
      const std::string type = term.datatype.substr(kXsd.size());
      if (ShortNumber(term.value, type)) return term.value;
      if (type == "boolean" && (term.value == "true" || term.value == "false")) return term.value;
    }
    std::string out = ToNTriples(Term{term.kind, term.value, std::string(kXsdString), term.language});
    if (term.language.empty() && term.datatype != kXsdString) out += "^^" + Iri(term.datatype);
    return out;
  }

  const QuadSource& source_;
  const TermDictionary& dictionary_;
  const PrefixMap& prefixes_;
  std::FILE* out_;
  const std::optional<TermId> graph_;
  std::string buffer_;
  std::unordered_map<TermId, std::string> cache_;
  std::map<TermId, std::vector<TermId>> lists_;
  std::set<TermId> inlined_;
};

}  // namespace

PrefixMap StandardPrefixes() {
  return {{"rdf", std::string(kRdf)},
          {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
          {"xsd", std::string(kXsd)},
          {"owl", "http://www.w3.org/2002/07/owl#"}};
}

Status WriteTurtle(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes,
                   std::FILE* out) {
  return TurtleWriter(source, dictionary, prefixes, out).Write();
}

Status WriteTriG(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes,
                 std::FILE* out) {
  PARLEY_RETURN_IF_ERROR(TurtleWriter(source, dictionary, prefixes, out).WritePrefixes());
  PARLEY_RETURN_IF_ERROR(TurtleWriter(source, dictionary, {}, out, kDefaultGraph).WriteTriples());
  auto graphs = NamedGraphs(source);
  if (!graphs.ok()) return graphs.status();
  if (!graphs->empty()) std::fputs("\n", out);
  for (TermId graph : *graphs) PARLEY_RETURN_IF_ERROR(TurtleWriter(source, dictionary, prefixes, out, graph).WriteGraphBlock());
  return Status::OK();
}

Result<std::vector<TermId>> NamedGraphs(const QuadSource& source) {
  std::vector<TermId> graphs;
  auto cursor = source.Scan(QuadPattern{});
  Quad q;
  while (cursor->Next(&q)) {
    if (q.graph != kDefaultGraph && (graphs.empty() || graphs.back() != q.graph)) graphs.push_back(q.graph);
  }
  PARLEY_RETURN_IF_ERROR(cursor->status());
  std::sort(graphs.begin(), graphs.end());
  graphs.erase(std::unique(graphs.begin(), graphs.end()), graphs.end());
  return graphs;
}

Result<std::string> TurtleText(const QuadSource& source, const TermDictionary& dictionary, const PrefixMap& prefixes) {
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&data, &size);
  if (out == nullptr) return Status::IOError("cannot open a memory stream");
  Status s = WriteTurtle(source, dictionary, prefixes, out);
  std::fclose(out);
  std::string text(data, size);
  std::free(data);
  if (!s.ok()) return s;
  return text;
}

Result<std::string> TurtleOfTriples(const std::vector<std::array<Term, 3>>& triples, const PrefixMap& prefixes) {
  MemoryQuadSource graph;
  for (const auto& t : triples) graph.Insert(Quad{graph.Intern(t[0]), graph.Intern(t[1]), graph.Intern(t[2]), kDefaultGraph});
  return TurtleText(graph, graph, prefixes);
}

}  // namespace parley::ingest
