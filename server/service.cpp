#include "server/service.hpp"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "ingest/ntriples_writer.hpp"
#include "ingest/rdf_loader.hpp"
#include "ingest/turtle_writer.hpp"
#include "query/engine.hpp"
#include "query/update.hpp"
#include "query/english/answer_json.hpp"
#include "query/english/ask.hpp"
#include "query/parse.hpp"
#include "query/results.hpp"
#include "server/page.hpp"
#include "server/protocol.hpp"

namespace parley::server {
namespace {

constexpr const char* kSparqlJson = "application/sparql-results+json";
constexpr const char* kSparqlXml = "application/sparql-results+xml";
constexpr const char* kCsv = "text/csv";
constexpr const char* kTsv = "text/tab-separated-values";
constexpr const char* kTurtle = "text/turtle";
constexpr const char* kNTriples = "application/n-triples";
constexpr const char* kJsonLd = "application/ld+json";
constexpr const char* kNQuads = "application/n-quads";

// The media types for rows (SELECT, ASK) and for graphs (CONSTRUCT, DESCRIBE), the
// first the default; `format=` names one of them for clients that cannot set Accept.
const std::vector<std::string>& RowTypes() {
  static const std::vector<std::string> types = {kSparqlJson, kSparqlXml, kCsv, kTsv, "application/json",
                                                 "application/xml", "text/plain"};
  return types;
}
const std::vector<std::string>& GraphTypes() {
  static const std::vector<std::string> types = {kTurtle, kNTriples, kJsonLd, "application/x-turtle", "text/plain"};
  return types;
}
std::string FormatParameter(const std::string& format) {
  static const std::map<std::string, std::string> names = {
      {"json", kSparqlJson}, {"xml", kSparqlXml}, {"csv", kCsv},         {"tsv", kTsv},
      {"turtle", kTurtle},   {"ttl", kTurtle},    {"ntriples", kNTriples}, {"nt", kNTriples},
      {"jsonld", kJsonLd},   {"json-ld", kJsonLd}};
  auto it = names.find(format);
  return it == names.end() ? "" : it->second;
}

// The only value of parameter `name`, "" when absent; false when it is given twice.
bool Single(const Parameters& parameters, const std::string& name, std::string* value) {
  auto it = parameters.find(name);
  if (it == parameters.end()) return true;
  if (it->second.size() != 1) return false;
  *value = it->second.front();
  return true;
}

std::vector<std::string> All(const Parameters& parameters, const std::string& name) {
  auto it = parameters.find(name);
  return it == parameters.end() ? std::vector<std::string>() : it->second;
}

// JSON-LD in expanded form: one node object per subject, every value an object.
std::string JsonLd(const std::vector<query::Triple>& triples) {
  auto id = [](const Term& t) { return t.kind == TermKind::kBlankNode ? "_:" + t.value : t.value; };
  std::map<std::string, nlohmann::ordered_json> nodes;
  std::vector<std::string> order;
  for (const auto& t : triples) {
    const std::string subject = id(t.subject);
    if (!nodes.count(subject)) {
      order.push_back(subject);
      nodes[subject]["@id"] = subject;
    }
    nlohmann::ordered_json value;
    if (t.object.kind == TermKind::kLiteral) {
      value["@value"] = t.object.value;
      if (!t.object.language.empty()) {
        value["@language"] = t.object.language;
      } else if (!t.object.datatype.empty() && t.object.datatype != kXsdString) {
        value["@type"] = t.object.datatype;
      }
    } else {
      value["@id"] = id(t.object);
    }
    nodes[subject][t.predicate.value].push_back(std::move(value));
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& subject : order) out.push_back(std::move(nodes[subject]));
  return out.dump(2) + "\n";
}

Result<std::string> GraphText(const std::string& media, const std::vector<query::Triple>& triples) {
  if (media == kJsonLd) return JsonLd(triples);
  std::vector<std::array<Term, 3>> plain;
  for (const auto& t : triples) plain.push_back({t.subject, t.predicate, t.object});
  if (media == kTurtle || media == "application/x-turtle") {
    ingest::PrefixMap prefixes;
    for (const auto& [p, ns] : query::BuiltinPrefixes()) prefixes.emplace_back(p, ns);
    return ingest::TurtleOfTriples(plain, prefixes);
  }
  std::string out;
  for (const auto& t : plain) out += ToNTriples(t[0]) + " " + ToNTriples(t[1]) + " " + ToNTriples(t[2]) + " .\n";
  return out;
}

std::string RowsText(const std::string& media, const query::QueryResult& result) {
  if (media == kSparqlXml || media == "application/xml") return query::ResultsXml(result);
  if (media == kCsv) return query::ResultsCsv(result);
  if (media == kTsv || media == "text/plain") return query::ResultsTsv(result);
  return query::ResultsJson(result);
}

// The content type a response declares for `media`.
std::string Declared(const std::string& media) {
  if (media == "application/json") return std::string(kSparqlJson) + "; charset=utf-8";
  if (media == "application/xml") return std::string(kSparqlXml) + "; charset=utf-8";
  if (media == "text/plain") return "text/plain; charset=utf-8";
  if (media == "application/x-turtle") return std::string(kTurtle) + "; charset=utf-8";
  return media + "; charset=utf-8";
}

// Sets a cancel flag once `timeout` has passed, unless destroyed first: questions
// have no deadline of their own.
class CancelAfter {
 public:
  CancelAfter(std::atomic<bool>* flag, std::chrono::milliseconds timeout)
      : thread_([this, flag, timeout] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (!done_cv_.wait_for(lock, timeout, [this] { return done_; })) flag->store(true);
        }) {}
  ~CancelAfter() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

namespace {

// A POST to the query endpoint that carries an update (as the Protocol lets one
// endpoint take both): an application/sparql-update body or a form with update=.
bool IsUpdateRequest(const HttpRequest& request, const std::string& query_string) {
  if (request.method != "POST") return false;
  const std::string media = MediaType(request.content_type);
  if (media == "application/sparql-update") return true;
  return media == "application/x-www-form-urlencoded" &&
         (ParseParameters(request.body).count("update") > 0 || ParseParameters(query_string).count("update") > 0);
}

// The SPARQL Protocol's text of a request (`what` is "query" or "update") and its other
// parameters: from the URL, a form body, or the body itself sent as
// application/sparql-`what`. A refusal when the request breaks the Protocol's rules.
std::optional<HttpResponse> ProtocolText(const HttpRequest& request, const std::string& query_string, const std::string& what,
                                         Parameters* parameters, std::string* text) {
  *parameters = ParseParameters(query_string);
  if (request.method == "POST") {
    const std::string media = MediaType(request.content_type);
    if (media == "application/x-www-form-urlencoded") {
      for (auto& [name, values] : ParseParameters(request.body)) {
        auto& all = (*parameters)[name];
        all.insert(all.end(), values.begin(), values.end());
      }
    } else if (media == "application/sparql-" + what) {
      if (parameters->count(what)) return TextResponse(400, "give the " + what + " in the body or in the URL, not both");
      (*parameters)[what].push_back(request.body);
    } else {
      return TextResponse(415, "POST a " + what + " as application/sparql-" + what +
                                   " or application/x-www-form-urlencoded, not \"" + media + "\"");
    }
  }
  if (!Single(*parameters, what, text)) return TextResponse(400, "give one " + what + " parameter, not several");
  if (text->empty()) return TextResponse(400, "missing the " + what + ": /" + what + "?" + what + "=...");
  if (!IsUtf8(*text)) return TextResponse(400, "the " + what + " is not UTF-8");
  const auto charset_at = request.content_type.find("charset=");
  const std::string charset = charset_at == std::string::npos ? "utf-8" : MediaType(request.content_type.substr(charset_at + 8));
  if (request.method == "POST" && charset != "utf-8" && charset != "utf8" && charset != "us-ascii") {
    return TextResponse(400, "the " + what + " must be sent as UTF-8, not " + charset);
  }
  return std::nullopt;
}

}  // namespace

HttpResponse TextResponse(int status, std::string message) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(message);
  if (r.body.empty() || r.body.back() != '\n') r.body += '\n';
  return r;
}

HttpResponse Service::Handle(const HttpRequest& request) {
  const std::size_t question = request.target.find('?');
  const std::string path = request.target.substr(0, question);
  const std::string query_string = question == std::string::npos ? "" : request.target.substr(question + 1);
  const bool get = request.method == "GET" || request.method == "HEAD";
  auto only = [&](const char* allow) {
    HttpResponse r = TextResponse(405, "method " + request.method + " is not allowed here");
    r.headers.emplace_back("Allow", allow);
    return r;
  };
  if (path == "/update") {
    if (request.method != "POST") return only("POST");
    return Update(request, query_string);
  }
  if (path == "/query" || path == "/sparql" || path == "/sparql/") {
    if (!get && request.method != "POST") return only("GET, POST");
    if (IsUpdateRequest(request, query_string)) return Update(request, query_string);
    return Query(request, query_string);
  }
  if (path == "/" || path == "/index.html") {
    if (!get) return only("GET");
    HttpResponse page;
    page.content_type = "text/html; charset=utf-8";
    page.body = std::string(QueryPage());
    return page;
  }
  if (path == "/ask") return get ? Ask(query_string) : only("GET");
  if (path == "/store") {
    if (get) return Store(request, query_string);
    if (request.method == "POST" && writer_ != nullptr) return Load(request, query_string, false);
    return writer_ != nullptr ? only("GET, POST") : only("GET (start the server with --writable to add data)");
  }
  if (path == "/facts") {
    if (request.method == "POST" && writer_ != nullptr) return Load(request, query_string, true);
    return writer_ != nullptr ? only("POST") : TextResponse(405, "start the server with --writable to load fact files");
  }
  return TextResponse(404, "no such resource: " + path + " (try /, /query, /ask or /store)");
}

HttpResponse Service::Query(const HttpRequest& request, const std::string& query_string) {
  Parameters parameters;
  std::string text;
  if (auto refused = ProtocolText(request, query_string, "query", &parameters, &text)) return *refused;
  std::string format;
  if (!Single(parameters, "format", &format)) return TextResponse(400, "give one format parameter, not several");

  query::QueryOptions options;
  options.prefixes = query::BuiltinPrefixes();
  options.timeout = options_.timeout;
  options.default_graphs = All(parameters, "default-graph-uri");
  options.named_graphs = All(parameters, "named-graph-uri");
  query::ParseOptions parse_options;
  parse_options.prefixes = options.prefixes;
  auto parsed = query::ParseQuery(text, "query", parse_options);
  if (!parsed.ok()) return TextResponse(400, parsed.status().ToString());
  const bool graph = parsed->form == query::ast::Query::Form::kConstruct || parsed->form == query::ast::Query::Form::kDescribe;
  const auto& offered = graph ? GraphTypes() : RowTypes();
  std::string media;
  if (!format.empty()) {
    media = FormatParameter(format);
    if (media.empty() || std::find(offered.begin(), offered.end(), media) == offered.end()) {
      return TextResponse(400, "format \"" + format + "\" does not fit this query");
    }
  } else {
    media = Negotiate(request.accept, offered);
  }
  if (media.empty()) {
    std::string list;
    for (std::size_t i = 0; i < 4; ++i) list += (i ? ", " : "") + offered[i];
    return TextResponse(406, "cannot answer as \"" + request.accept + "\"; this query's answer can be " + list);
  }

  auto store = store_();
  auto snapshot = store->GetSnapshot();
  // The whole answer, then written in the negotiated format.
  auto answer = query::RunQuery(text, "query", *snapshot, *snapshot, options);
  if (!answer.ok()) return TextResponse(StatusFor(answer.status()), answer.status().ToString());
  HttpResponse r;
  r.content_type = Declared(media);
  r.headers.emplace_back("Vary", "Accept");
  if (graph) {
    auto body = GraphText(media, answer->triples);
    if (!body.ok()) return TextResponse(500, body.status().ToString());
    r.body = std::move(*body);
  } else {
    r.body = RowsText(media, *answer);
  }
  return r;
}

Service::Service(const store::QuadStore& store, ServiceOptions options)
    : Service([&store] { return std::shared_ptr<const store::QuadStore>(&store, [](const store::QuadStore*) {}); },
              nullptr, options) {}

Result<std::shared_ptr<const query::english::Lexicon>> Service::Lexicon(
    const std::shared_ptr<const store::QuadStore>& store) {
  std::lock_guard<std::mutex> lock(lexicon_mutex_);
  if (!lexicon_ || lexicon_store_ != store.get() || lexicon_writes_ != writes_) {
    auto snapshot = store->GetSnapshot();
    auto loaded = query::english::Lexicon::Load(*snapshot, *snapshot);
    if (!loaded.ok()) return loaded.status();
    lexicon_ = std::make_shared<const query::english::Lexicon>(std::move(*loaded));
    lexicon_store_ = store.get();
    lexicon_writes_ = writes_;
  }
  return lexicon_;
}

HttpResponse Service::Ask(const std::string& query_string) {
  const Parameters parameters = ParseParameters(query_string);
  std::string question, why, full;
  if (!Single(parameters, "q", &question) || !Single(parameters, "why", &why) || !Single(parameters, "full", &full)) {
    return TextResponse(400, "give each of q, why and full at most once");
  }
  if (question.empty()) return TextResponse(400, "missing the question: /ask?q=who+met+Kim+Jong+Un");
  auto store = store_();
  auto lexicon = Lexicon(store);
  if (!lexicon.ok()) return TextResponse(500, lexicon.status().ToString());
  const bool with_full = full == "1" || full == "true";
  const bool with_why = with_full || why == "1" || why == "true";
  std::atomic<bool> cancel{false};
  auto snapshot = store->GetSnapshot();
  std::optional<Result<query::english::AskResult>> answer;
  {
    CancelAfter deadline(&cancel, options_.timeout);
    answer.emplace(query::english::AskQuestion(question, **lexicon, *snapshot, *snapshot, with_why, &cancel));
  }
  if (!answer->ok() && cancel.load()) return TextResponse(503, "the question took longer than the server's timeout");
  if (!answer->ok()) return TextResponse(StatusFor(answer->status()), answer->status().ToString());
  HttpResponse r;
  r.content_type = "application/json; charset=utf-8";
  r.body = query::english::AnswerJson(**answer, with_full);
  return r;
}

HttpResponse Service::Store(const HttpRequest& request, const std::string& query_string) {
  const Parameters parameters = ParseParameters(query_string);
  std::string graph;
  if (!Single(parameters, "graph", &graph)) return TextResponse(400, "give one graph parameter, not several");
  auto store = store_();
  auto snapshot = store->GetSnapshot();
  if (graph.empty() && !parameters.count("default")) {
    char* data = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&data, &size);
    if (out == nullptr) return TextResponse(500, "cannot open a memory stream");
    Status s = ingest::Dump(*snapshot, *snapshot, ingest::DumpFormat::kNQuads, out);
    std::fclose(out);
    HttpResponse r;
    r.body.assign(data, size);
    std::free(data);
    if (!s.ok()) return TextResponse(500, s.ToString());
    r.content_type = std::string(kNQuads) + "; charset=utf-8";
    return r;
  }
  TermId graph_id = kDefaultGraph;
  if (!graph.empty()) {
    auto id = snapshot->LookupId(Term::Iri(graph));
    if (!id.ok()) return TextResponse(404, "no graph <" + graph + ">");
    graph_id = *id;
  }
  std::vector<query::Triple> triples;
  auto cursor = snapshot->Scan(QuadPattern{{}, {}, {}, graph_id});
  Quad q;
  while (cursor->Next(&q)) {
    auto s = snapshot->LookupTerm(q.subject), p = snapshot->LookupTerm(q.predicate), o = snapshot->LookupTerm(q.object);
    if (!s.ok() || !p.ok() || !o.ok()) return TextResponse(500, "a term of the graph cannot be read");
    triples.push_back({*s, *p, *o});
  }
  if (!cursor->status().ok()) return TextResponse(500, cursor->status().ToString());
  if (triples.empty() && !graph.empty()) return TextResponse(404, "no graph <" + graph + ">");
  const std::string media = Negotiate(request.accept, {kNTriples, kTurtle, kJsonLd, "text/plain"});
  if (media.empty()) return TextResponse(406, "a graph can be application/n-triples, text/turtle or application/ld+json");
  auto body = GraphText(media, triples);
  if (!body.ok()) return TextResponse(500, body.status().ToString());
  HttpResponse r;
  r.content_type = Declared(media);
  r.body = std::move(*body);
  return r;
}

HttpResponse Service::Update(const HttpRequest& request, const std::string& query_string) {
  if (writer_ == nullptr) return TextResponse(403, "this server is read-only: start it with --writable to accept updates");
  Parameters parameters;
  std::string text;
  if (auto refused = ProtocolText(request, query_string, "update", &parameters, &text)) return *refused;

  query::UpdateOptions options;
  options.query.prefixes = query::BuiltinPrefixes();
  options.query.timeout = options_.timeout;
  options.query.base = "http://" + (request.host.empty() ? std::string("localhost") : request.host) + "/update";
  options.using_graphs = All(parameters, "using-graph-uri");
  options.using_named = All(parameters, "using-named-graph-uri");
  options.command = "POST /update";
  // LOAD reads no files for a remote client: only what the server's user loads may be read.
  options.read_document = [](const std::string& iri, const query::StatementEmitter&) {
    return Status::InvalidArgument("LOAD is not available over HTTP; POST the document to /store instead (" + iri + ")");
  };
  std::optional<Result<query::UpdateSummary>> done;
  {
    std::lock_guard<std::mutex> lock(write_mutex_);
    done.emplace(query::RunUpdate(text, "update", *writer_, options));
  }
  const Result<query::UpdateSummary>& summary = *done;
  if (!summary.ok()) {
    const auto code = summary.status().code();
    const bool client = code == Status::Code::kParseError || code == Status::Code::kInvalidArgument ||
                        code == Status::Code::kNotFound;
    return TextResponse(client ? 400 : 500, summary.status().ToString() + "\nnothing was changed");
  }
  {
    std::lock_guard<std::mutex> lock(lexicon_mutex_);
    ++writes_;
  }
  nlohmann::json j;
  j["operations"] = summary->operations;
  j["quads_added"] = summary->quads_added;
  j["quads_removed"] = summary->quads_removed;
  HttpResponse r;
  r.content_type = "application/json; charset=utf-8";
  r.body = j.dump(2) + "\n";
  return r;
}

HttpResponse Service::Load(const HttpRequest& request, const std::string& query_string, bool facts) {
  const Parameters parameters = ParseParameters(query_string);
  std::string graph, strict;
  if (!Single(parameters, "graph", &graph) || !Single(parameters, "strict", &strict)) {
    return TextResponse(400, "give each of graph and strict at most once");
  }
  const std::string media = MediaType(request.content_type);
  std::string extension;
  if (facts) {
    if (media != "application/json") return TextResponse(415, "POST a fact file as application/json");
    extension = ".json";
  } else if (media == kNQuads) {
    extension = ".nq";
  } else if (media == kNTriples || media == "text/plain") {
    extension = ".nt";
  } else if (media == kTurtle || media == "application/x-turtle") {
    extension = ".ttl";
  } else if (media == "application/trig") {
    extension = ".trig";
  } else if (media == "application/rdf+xml") {
    extension = ".rdf";
  } else if (media == "application/ld+json") {
    extension = ".jsonld";
  } else {
    return TextResponse(415, "POST RDF as application/n-quads, application/n-triples, text/turtle, application/trig, application/rdf+xml or application/ld+json, not \"" +
                                 media + "\"");
  }
  // The loader reads files: the body becomes one in a folder of its own, and messages
  // name it "body" plus the extension.
  std::error_code error;
  const auto folder = std::filesystem::temp_directory_path(error) /
                      ("parley-upload-" + std::to_string(::getpid()) + "-" + std::to_string(upload_count_++));
  std::filesystem::create_directories(folder, error);
  const auto file = folder / ("body" + extension);
  {
    std::ofstream out(file, std::ios::binary);
    out << request.body;
    if (!out.flush()) return TextResponse(500, "cannot keep the request body for loading");
  }
  ingest::RdfLoadOptions options;
  options.store.command = facts ? "POST /facts" : "POST /store";
  options.graph = graph;
  options.strict = strict == "1" || strict == "true";
  std::optional<Result<ingest::LoadReport>> loaded;
  {
    std::lock_guard<std::mutex> lock(write_mutex_);
    loaded.emplace(ingest::LoadRdfFiles(*writer_, {file.string()}, options));
  }
  const Result<ingest::LoadReport>& report = *loaded;
  std::filesystem::remove_all(folder, error);
  auto named = [&](std::string text) {
    const std::string prefix = folder.string() + "/";
    for (std::size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
    return text;
  };
  if (!report.ok()) return TextResponse(400, named(report.status().ToString()));
  {
    std::lock_guard<std::mutex> lock(lexicon_mutex_);
    ++writes_;
  }
  nlohmann::json j;
  j["quads_added"] = report->store.quads_new;
  j["quads_removed"] = report->store.quads_removed;
  j["notes"] = report->notes;
  j["warnings"] = nlohmann::json::array();
  for (const auto& w : report->warnings) j["warnings"].push_back(named(w.Render()));
  HttpResponse r;
  r.content_type = "application/json; charset=utf-8";
  r.body = j.dump(2) + "\n";
  return r;
}

}  // namespace parley::server
