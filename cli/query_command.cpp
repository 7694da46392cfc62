#include "cli/query_command.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "ingest/turtle_writer.hpp"
#include "ingest/vocabulary.hpp"
#include "ingest/evidence.hpp"
#include "query/engine.hpp"
#include "query/parse.hpp"
#include "query/results.hpp"
#include "store/memory_quad_source.hpp"
#include "store/quad_store.hpp"

namespace parley::cli {
namespace {

int TerminalWidth() {
  winsize w{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 20) return w.ws_col;
  return 120;
}

// IRIs as prefixed names where a built-in prefix fits.
std::string ShortIri(const std::string& iri) {
  for (const auto& [prefix, ns] : query::BuiltinPrefixes()) {
    if (iri.size() > ns.size() && iri.compare(0, ns.size(), ns) == 0 &&
        iri.find_first_of("/#", ns.size()) == std::string::npos) {
      return prefix + ":" + iri.substr(ns.size());
    }
  }
  return "<" + iri + ">";
}

std::string Label(const store::QuadStore& store, const std::string& iri) {
  auto id = store.LookupId(Term::Iri(iri));
  auto label = store.LookupId(Term::Iri(ingest::Rdfs("label")));
  if (!id.ok() || !label.ok()) return "";
  auto cursor = store.ScanUnion(QuadPattern{*id, *label, {}, {}});
  Quad q;
  if (!cursor->Next(&q)) return "";
  auto term = store.LookupTerm(q.object);
  return term.ok() ? term->value : "";
}

std::string Cell(const store::QuadStore& store, const std::optional<Term>& t, bool labels_only) {
  if (!t) return "";
  switch (t->kind) {
    case TermKind::kIri: {
      std::string label = Label(store, t->value);
      if (label.empty()) return ShortIri(t->value);
      return labels_only ? label : label + " (" + ShortIri(t->value) + ")";
    }
    case TermKind::kBlankNode: return "_:" + t->value;
    case TermKind::kLiteral: return t->language.empty() ? t->value : t->value + "@" + t->language;
  }
  return "";
}

// Display width of UTF-8 text (code points, which is close enough for labels).
std::size_t Width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Fit(const std::string& s, std::size_t width) {
  if (Width(s) <= width) return s + std::string(width - Width(s), ' ');
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size() && n + 1 < width; ++i) {
    out.push_back(s[i]);
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
    while (i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) out.push_back(s[++i]);
  }
  return out + "…" + std::string(width > n + 1 ? width - n - 1 : 0, ' ');
}

std::string Table(const store::QuadStore& store, const query::QueryResult& r, bool labels_only) {
  if (r.form == query::QueryForm::kAsk) return r.boolean ? "yes\n" : "no\n";
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths;
  for (const auto& v : r.vars) widths.push_back(Width(v) + 1);
  for (const auto& row : r.rows) {
    std::vector<std::string> line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line.push_back(Cell(store, row[i], labels_only));
      widths[i] = std::max(widths[i], Width(line.back()));
    }
    cells.push_back(std::move(line));
  }
  // Shrink the widest columns until the table fits the terminal.
  const std::size_t budget = static_cast<std::size_t>(TerminalWidth());
  auto total = [&] {
    std::size_t t = 0;
    for (auto w : widths) t += w + 3;
    return t;
  };
  while (total() > budget) {
    auto widest = std::max_element(widths.begin(), widths.end());
    if (*widest <= 8) break;
    --*widest;
  }
  std::string out;
  for (std::size_t i = 0; i < r.vars.size(); ++i) out += (i ? " | " : "") + Fit("?" + r.vars[i], widths[i]);
  out += "\n";
  for (std::size_t i = 0; i < r.vars.size(); ++i) out += (i ? "-+-" : "") + std::string(widths[i], '-');
  out += "\n";
  for (const auto& line : cells) {
    for (std::size_t i = 0; i < line.size(); ++i) out += (i ? " | " : "") + Fit(line[i], widths[i]);
    out += "\n";
  }
  out += std::to_string(r.rows.size()) + (r.rows.size() == 1 ? " row\n" : " rows\n");
  return out;
}

std::string Turtle(const query::QueryResult& r) {
  MemoryQuadSource graph;
  for (const auto& t : r.triples) graph.Insert(Quad{graph.Intern(t.subject), graph.Intern(t.predicate), graph.Intern(t.object), kDefaultGraph});
  ingest::PrefixMap prefixes;
  for (const auto& [p, ns] : query::BuiltinPrefixes()) prefixes.emplace_back(p, ns);
  auto text = ingest::TurtleText(graph, graph, prefixes);
  return text.ok() ? *text : "";
}

}  // namespace

namespace {

// Reads the query (argument or -f FILE) and the options every query command shares.
int PrepareQuery(const QueryArgs& args, std::string* text, std::string* origin, query::QueryOptions* out) {
  *text = args.text;
  *origin = "<query>";
  query::QueryOptions& options = *out;
  options.base = args.base;
  if (args.file == "-") {  // the query on standard input
    std::stringstream ss;
    ss << std::cin.rdbuf();
    *text = ss.str();
    *origin = "<stdin>";
  } else if (!args.file.empty()) {
    std::error_code error;
    if (std::filesystem::is_directory(args.file, error)) {
      std::fprintf(stderr, "parley: cannot read %s: it is a directory\n", args.file.c_str());
      return kExitFailure;
    }
    std::ifstream in(args.file);
    if (!in) {
      std::fprintf(stderr, "parley: cannot open %s: %s\n", args.file.c_str(), std::strerror(errno));
      return kExitFailure;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    *text = ss.str();
    *origin = args.file;
    if (options.base.empty()) options.base = "file://" + std::filesystem::absolute(args.file).string();
  }
  if (args.dataset != "union" && args.dataset != "strict") {
    std::fprintf(stderr, "parley query: --dataset takes union or strict\n");
    return kExitUsage;
  }
  options.dataset = args.dataset == "strict" ? query::DatasetMode::kStrict : query::DatasetMode::kUnion;
  options.inference = !args.no_inference;
  if (args.timeout_seconds > 0) options.timeout = std::chrono::milliseconds(static_cast<long long>(args.timeout_seconds * 1000));
  options.prefixes = query::BuiltinPrefixes();
  options.cancel = args.cancel;
  return kExitOk;
}

// Queries only read: open without the lock (creating an empty database if needed).
Status OpenStore(const std::filesystem::path& db, std::unique_ptr<store::QuadStore>* store) {
  Status s = store::QuadStore::Open(db, store::StoreOptions{store::OpenMode::kReadOnly}, store);
  if (s.code() != Status::Code::kNotFound) return s;
  PARLEY_RETURN_IF_ERROR(store::QuadStore::Open(db, store));
  store->reset();
  return store::QuadStore::Open(db, store::StoreOptions{store::OpenMode::kReadOnly}, store);
}

}  // namespace

int RunExplainCommand(const std::filesystem::path& db, const QueryArgs& args, bool analyze) {
  std::string text, origin;
  query::QueryOptions options;
  if (int code = PrepareQuery(args, &text, &origin, &options); code != kExitOk) return code;
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenStore(db, &store); !s.ok()) return Fail(s);
  auto snapshot = store->GetSnapshot();
  auto plan = query::ExplainQuery(text, origin, *snapshot, *snapshot, options, analyze);
  if (!plan.ok()) return Fail(plan.status());
  std::fwrite(plan->data(), 1, plan->size(), stdout);
  return kExitOk;
}

int RunQueryCommand(const std::filesystem::path& db, const QueryArgs& args) {
  std::string text, origin;
  query::QueryOptions options;
  if (int code = PrepareQuery(args, &text, &origin, &options); code != kExitOk) return code;
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenStore(db, &store); !s.ok()) return Fail(s);
  auto snapshot = store->GetSnapshot();
  std::vector<double> times;
  Result<query::QueryResult> result = Status::OK();
  for (int i = 0; i < std::max(1, args.repeat); ++i) {
    const auto start = std::chrono::steady_clock::now();
    result = query::RunQuery(text, origin, *snapshot, *snapshot, options);
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (!result.ok()) return Fail(result.status());
  }
  std::string format = args.format;
  const bool graph = result->form == query::QueryForm::kConstruct || result->form == query::QueryForm::kDescribe;
  if (format.empty()) format = ::isatty(STDOUT_FILENO) == 1 ? (graph ? "turtle" : "table") : (graph ? "ntriples" : "tsv");
  std::string out;
  if (graph) {
    if (format == "ntriples" || format == "nt") {
      out = query::TriplesNTriples(*result);
    } else if (format == "turtle" || format == "ttl" || format == "table") {
      out = Turtle(*result);
    } else {
      std::fprintf(stderr, "parley query: CONSTRUCT and DESCRIBE results are written as ntriples or turtle\n");
      return kExitUsage;
    }
  } else if (format == "table") {
    out = Table(*store, *result, args.labels_only);
  } else if (format == "json") {
    out = query::ResultsJson(*result);
  } else if (format == "csv") {
    out = query::ResultsCsv(*result);
  } else if (format == "tsv") {
    out = query::ResultsTsv(*result);
  } else {
    std::fprintf(stderr, "parley query: unknown format \"%s\" (table, json, csv, tsv, ntriples, turtle)\n", format.c_str());
    return kExitUsage;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (args.timing) {
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    if (times.size() > 1) {
      std::fprintf(stderr, "time: %.3f ms (median of %zu)\n", median, times.size());
    } else {
      std::fprintf(stderr, "time: %.3f ms\n", median);
    }
  }
  return kExitOk;
}

namespace {

// The plain triple patterns of a WHERE clause, nested groups included; paths, MINUS
// (whose matches are not in the answer) and sub-selects (their own variables) are left out.
void CollectPatterns(const query::ast::GroupPattern& group, std::vector<const query::ast::TriplePattern*>* out) {
  using Kind = query::ast::Element::Kind;
  for (const auto& element : group.elements) {
    if (element.kind == Kind::kTriples) {
      for (const auto& t : element.triples) {
        if (t.predicate_is_var || t.path.IsLink()) out->push_back(&t);
      }
    } else if (element.kind == Kind::kGroup || element.kind == Kind::kOptional || element.kind == Kind::kUnion ||
               element.kind == Kind::kGraph) {
      for (const auto& sub : element.groups) CollectPatterns(sub, out);
    }
  }
}

std::optional<Term> Fill(const query::ast::PatternTerm& t, const std::map<std::string, Term>& row) {
  if (!t.is_var) return t.term;
  auto it = row.find(t.var);
  if (it == row.end()) return std::nullopt;
  return it->second;
}

}  // namespace

int RunQueryEvidence(const std::filesystem::path& db, const std::string& text, const std::atomic<bool>* cancel) {
  query::ParseOptions parse_options;
  parse_options.prefixes = query::BuiltinPrefixes();
  auto parsed = query::ParseQuery(text, "<query>", parse_options);
  if (!parsed.ok()) return Fail(parsed.status());
  if (parsed->form != query::ast::Query::Form::kSelect) {
    std::fprintf(stderr, ":why shows the evidence of SELECT rows; this query is not a SELECT\n");
    return kExitFailure;
  }
  QueryArgs args;
  args.text = text;
  args.cancel = cancel;
  std::string query_text, origin;
  query::QueryOptions options;
  if (int code = PrepareQuery(args, &query_text, &origin, &options); code != kExitOk) return code;
  std::unique_ptr<store::QuadStore> store;
  if (Status s = OpenStore(db, &store); !s.ok()) return Fail(s);
  auto snapshot = store->GetSnapshot();
  auto result = query::RunQuery(query_text, origin, *snapshot, *snapshot, options);
  if (!result.ok()) return Fail(result.status());
  std::vector<const query::ast::TriplePattern*> patterns;
  CollectPatterns(parsed->where, &patterns);
  std::string out;
  for (const auto& values : result->rows) {
    std::map<std::string, Term> row;
    std::string line;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i]) row.emplace(result->vars[i], *values[i]);
      line += (i ? " | " : "") + Cell(*store, values[i], true);
    }
    // Each pattern whose variables the row binds is a stored fact, or an inferred one
    // (which has no evidence of its own and adds nothing).
    std::vector<std::array<Term, 3>> facts;
    for (const auto* t : patterns) {
      auto subject = Fill(t->subject, row), object = Fill(t->object, row);
      std::optional<Term> predicate = t->predicate_is_var ? Fill(query::ast::PatternTerm::Var(t->predicate_var), row)
                                                          : std::optional<Term>(Term::Iri(t->path.iri));
      if (subject && predicate && object) facts.push_back({*subject, *predicate, *object});
    }
    out += line + "\n";
    const auto evidence = ingest::EvidenceFor(*snapshot, *snapshot, facts);
    if (evidence.empty()) out += "    (no evidence: the row's facts are not from a curated source, or its variables are not selected)\n";
    for (const auto& e : evidence) {
      out += EvidenceLine(e.source_id, e.locator, e.quote, e.source_title);
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace parley::cli
