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
#include "cli/store_access.hpp"
#include "ingest/turtle_writer.hpp"
#include "rdf/vocabulary.hpp"
#include "endpoint/sparql_client.hpp"
#include "rdf/evidence.hpp"
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
  auto label = store.LookupId(Term::Iri(rdf::Rdfs("label")));
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

// Writes text to standard output; a failed write (a full disk, a closed pipe) stops the
// query with the reason.
Status WriteStdout(std::string_view text) {
  if (text.empty() || std::fwrite(text.data(), 1, text.size(), stdout) == text.size()) return Status::OK();
  return Status::IOError(std::string("cannot write the results: ") + std::strerror(errno));
}

// The human table. Column widths come from the first rows (kWidthRows of them), which
// are held until then; later rows are fitted to those widths and written as they come.
class TableWriter final : public query::ResultSink {
 public:
  TableWriter(const store::QuadStore& store, bool labels_only) : store_(store), labels_only_(labels_only) {}

  Status Begin(query::QueryForm form, const std::vector<std::string>& vars) override {
    ask_ = form == query::QueryForm::kAsk;
    vars_ = vars;
    for (const auto& v : vars_) widths_.push_back(Width(v) + 1);
    return Status::OK();
  }
  Status Row(const std::vector<std::optional<Term>>& row) override {
    std::vector<std::string> line;
    for (const auto& value : row) line.push_back(Cell(store_, value, labels_only_));
    ++rows_;
    if (header_written_) return WriteStdout(Line(line));
    for (std::size_t i = 0; i < line.size(); ++i) widths_[i] = std::max(widths_[i], Width(line[i]));
    held_.push_back(std::move(line));
    return held_.size() < kWidthRows ? Status::OK() : WriteHeld();
  }
  Status Triple(const query::Triple&) override { return Status::InvalidArgument("a table holds rows, not triples"); }
  Status Boolean(bool value) override { return WriteStdout(value ? "yes\n" : "no\n"); }
  Status End() override {
    if (ask_) return Status::OK();
    if (!header_written_) PARLEY_RETURN_IF_ERROR(WriteHeld());
    return WriteStdout(std::to_string(rows_) + (rows_ == 1 ? " row\n" : " rows\n"));
  }

 private:
  static constexpr std::size_t kWidthRows = 1000;

  // Shrinks the widest columns until the table fits the terminal, then writes the
  // header and the rows held so far.
  Status WriteHeld() {
    const std::size_t budget = static_cast<std::size_t>(TerminalWidth());
    auto total = [&] {
      std::size_t t = 0;
      for (auto w : widths_) t += w + 3;
      return t;
    };
    while (total() > budget) {
      auto widest = std::max_element(widths_.begin(), widths_.end());
      if (*widest <= 8) break;
      --*widest;
    }
    std::string out;
    for (std::size_t i = 0; i < vars_.size(); ++i) out += (i ? " | " : "") + Fit("?" + vars_[i], widths_[i]);
    out += "\n";
    for (std::size_t i = 0; i < vars_.size(); ++i) out += (i ? "-+-" : "") + std::string(widths_[i], '-');
    out += "\n";
    for (const auto& line : held_) out += Line(line);
    held_.clear();
    header_written_ = true;
    return WriteStdout(out);
  }

  std::string Line(const std::vector<std::string>& cells) const {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? " | " : "") + Fit(cells[i], widths_[i]);
    return out + "\n";
  }

  const store::QuadStore& store_;
  bool labels_only_;
  bool ask_ = false, header_written_ = false;
  std::vector<std::string> vars_;
  std::vector<std::size_t> widths_;
  std::vector<std::vector<std::string>> held_;
  std::uint64_t rows_ = 0;
};

std::string Turtle(const query::QueryResult& r) {
  std::vector<std::array<Term, 3>> triples;
  for (const auto& t : r.triples) triples.push_back({t.subject, t.predicate, t.object});
  ingest::PrefixMap prefixes;
  for (const auto& [p, ns] : query::BuiltinPrefixes()) prefixes.emplace_back(p, ns);
  auto text = ingest::TurtleOfTriples(triples, prefixes);
  return text.ok() ? *text : "";
}

// Answers that are not written: the runs of --repeat before the last.
struct Discard final : query::ResultSink {
  Status Begin(query::QueryForm, const std::vector<std::string>&) override { return Status::OK(); }
  Status Row(const std::vector<std::optional<Term>>&) override { return Status::OK(); }
  Status Triple(const query::Triple&) override { return Status::OK(); }
  Status Boolean(bool) override { return Status::OK(); }
  Status End() override { return Status::OK(); }
};

// Turtle groups triples by subject, so it is written once the graph is complete.
class TurtleWriter final : public query::ResultSink {
 public:
  Status Begin(query::QueryForm form, const std::vector<std::string>&) override {
    result_.form = form;
    return Status::OK();
  }
  Status Row(const std::vector<std::optional<Term>>&) override { return Status::InvalidArgument("Turtle holds triples, not rows"); }
  Status Triple(const query::Triple& t) override {
    result_.triples.push_back(t);
    return Status::OK();
  }
  Status Boolean(bool) override { return Status::InvalidArgument("Turtle cannot hold a yes/no answer"); }
  Status End() override { return WriteStdout(Turtle(result_)); }

 private:
  query::QueryResult result_;
};

// The writer for `format`, or null (with the usage error printed) when the format is
// unknown or does not fit the answer's form.
std::unique_ptr<query::ResultSink> OutputFor(const std::string& format, bool graph, const store::QuadStore& store,
                                             bool labels_only) {
  using query::ResultFormat;
  if (graph) {
    if (format == "ntriples" || format == "nt") return query::NewResultWriter(ResultFormat::kNTriples, WriteStdout);
    if (format == "turtle" || format == "ttl" || format == "table") return std::make_unique<TurtleWriter>();
    std::fprintf(stderr, "parley query: CONSTRUCT and DESCRIBE results are written as ntriples or turtle\n");
    return nullptr;
  }
  if (format == "table") return std::make_unique<TableWriter>(store, labels_only);
  if (format == "json") return query::NewResultWriter(ResultFormat::kJson, WriteStdout);
  if (format == "csv") return query::NewResultWriter(ResultFormat::kCsv, WriteStdout);
  if (format == "tsv") return query::NewResultWriter(ResultFormat::kTsv, WriteStdout);
  std::fprintf(stderr, "parley query: unknown format \"%s\" (table, json, csv, tsv, ntriples, turtle)\n", format.c_str());
  return nullptr;
}

}  // namespace

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

int RunExplainCommand(const store::QuadStore& store, const QueryArgs& args, bool analyze) {
  std::string text, origin;
  query::QueryOptions options;
  if (int code = PrepareQuery(args, &text, &origin, &options); code != kExitOk) return code;
  auto state = SnapshotAt(store, args.as_of);
  if (!state.ok()) return Fail(state.status());
  const auto& snapshot = *state;
  auto plan = query::ExplainQuery(text, origin, *snapshot, *snapshot, options, analyze);
  if (!plan.ok()) return Fail(plan.status());
  std::fwrite(plan->data(), 1, plan->size(), stdout);
  return kExitOk;
}

int RunQueryCommand(const store::QuadStore& store, const QueryArgs& args) {
  std::string text, origin;
  query::QueryOptions options;
  if (int code = PrepareQuery(args, &text, &origin, &options); code != kExitOk) return code;
  auto state = SnapshotAt(store, args.as_of);
  if (!state.ok()) return Fail(state.status());
  const auto& snapshot = *state;
  auto graded = rdf::GradedSource::Make(*snapshot, *snapshot, args.minimum);
  if (!graded.ok()) return Fail(graded.status());
  const QuadSource& source = args.minimum.any() ? static_cast<const QuadSource&>(**graded) : *snapshot;
  // The answer's form decides which formats apply; a query that does not parse is
  // reported by RunQuery below.
  query::ParseOptions parse_options;
  parse_options.base = options.base;
  parse_options.prefixes = options.prefixes;
  auto parsed = query::ParseQuery(text, origin, parse_options);
  const bool graph = parsed.ok() && (parsed->form == query::ast::Query::Form::kConstruct ||
                                     parsed->form == query::ast::Query::Form::kDescribe);
  std::string format = args.format;
  if (format.empty()) format = ::isatty(STDOUT_FILENO) == 1 ? (graph ? "turtle" : "table") : (graph ? "ntriples" : "tsv");
  auto sink = OutputFor(format, graph, store, args.labels_only);
  if (sink == nullptr) return kExitUsage;
  // Repeated runs (--repeat, for timing) count their rows; the last one writes them.
  std::vector<double> times;
  for (int i = 0; i < std::max(1, args.repeat); ++i) {
    const bool last = i + 1 >= std::max(1, args.repeat);
    Discard discard;
    const auto start = std::chrono::steady_clock::now();
    Status s = query::RunQuery(text, origin, source, *snapshot, options, last ? *sink : discard);
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (!s.ok()) return Fail(s);
  }
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

int RunRemoteQueryCommand(const std::string& endpoint, const QueryArgs& args) {
  std::string text, origin;
  query::QueryOptions options;
  if (int code = PrepareQuery(args, &text, &origin, &options); code != kExitOk) return code;
  auto client = endpoint::SparqlClient::ForUrl(endpoint);
  if (!client.ok()) {
    std::fprintf(stderr, "parley query: %s\n", client.status().message().c_str());
    return kExitUsage;
  }
  // Checked here first, so that a bad query gets Parley's message with its place.
  query::ParseOptions parse_options;
  parse_options.prefixes = options.prefixes;
  auto parsed = query::ParseQuery(text, origin, parse_options);
  if (!parsed.ok()) return Fail(parsed.status());
  // The other engine does not know Parley's built-in prefixes: they go first.
  std::string sent;
  for (const auto& [prefix, ns] : options.prefixes) sent += "PREFIX " + prefix + ": <" + ns + ">\n";
  sent += text;
  const bool graph = parsed->form == query::ast::Query::Form::kConstruct || parsed->form == query::ast::Query::Form::kDescribe;
  std::string format = args.format;
  if (graph) {
    if (!format.empty() && format != "ntriples" && format != "nt") {
      std::fprintf(stderr, "parley query: with --endpoint, CONSTRUCT and DESCRIBE results are written as ntriples\n");
      return kExitUsage;
    }
    auto body = client->Post(sent, "application/n-triples");
    if (!body.ok()) return Fail(body.status());
    return WriteStdout(*body).ok() ? kExitOk : kExitFailure;
  }
  if (format.empty() || format == "table") format = "tsv";  // labels would need the local store
  query::ResultFormat result_format;
  if (format == "json") result_format = query::ResultFormat::kJson;
  else if (format == "csv") result_format = query::ResultFormat::kCsv;
  else if (format == "tsv") result_format = query::ResultFormat::kTsv;
  else {
    std::fprintf(stderr, "parley query: with --endpoint, rows are written as json, csv or tsv\n");
    return kExitUsage;
  }
  auto answer = client->Select(sent);
  if (!answer.ok()) return Fail(answer.status());
  auto writer = query::NewResultWriter(result_format, WriteStdout);
  const bool ask = answer->boolean.has_value();
  Status s = writer->Begin(ask ? query::QueryForm::kAsk : query::QueryForm::kSelect, answer->vars);
  if (ask && s.ok()) s = writer->Boolean(*answer->boolean);
  for (std::size_t i = 0; !ask && s.ok() && i < answer->rows.size(); ++i) s = writer->Row(answer->rows[i]);
  if (s.ok()) s = writer->End();
  return s.ok() ? kExitOk : Fail(s);
}

int RunQueryEvidence(const store::QuadStore& store, const std::string& text, bool full, const rdf::MinimumGrades& minimum,
                     const std::atomic<bool>* cancel, const std::optional<store::AsOf>& as_of) {
  QueryArgs args;
  args.text = text;
  args.cancel = cancel;
  std::string query_text, origin;
  query::QueryOptions options;
  if (int code = PrepareQuery(args, &query_text, &origin, &options); code != kExitOk) return code;
  auto state = SnapshotAt(store, as_of);
  if (!state.ok()) return Fail(state.status());
  const auto& snapshot = *state;
  auto graded = rdf::GradedSource::Make(*snapshot, *snapshot, minimum);
  if (!graded.ok()) return Fail(graded.status());
  const QuadSource& source = minimum.any() ? static_cast<const QuadSource&>(**graded) : *snapshot;
  auto rows = query::RunSelectWithFacts(query_text, origin, source, *snapshot, options);
  if (!rows.ok()) return Fail(rows.status());
  std::string out;
  for (const auto& [values, facts] : *rows) {
    std::string line;
    for (std::size_t i = 0; i < values.size(); ++i) line += (i ? " | " : "") + Cell(store, values[i], true);
    out += line + "\n";
    // A row's facts are stored ones, or inferred ones (which have no evidence of their own).
    const auto evidence = rdf::EvidenceFor(source, *snapshot, facts);
    if (!evidence.ok()) return Fail(evidence.status());
    if (evidence->empty()) out += "    (no evidence: the row's facts are not from a curated source, or its variables are not selected)\n";
    for (const auto& e : *evidence) out += EvidenceLine(e, full);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace parley::cli
