// server/service.hpp
// What `parley serve` answers, independent of sockets: one HTTP request in, one
// response out. Routes:
//   GET/POST /query   the SPARQL 1.1 Protocol (query in the URL, a form body, or an
//                     application/sparql-query body; default-graph-uri, named-graph-uri),
//                     results by content negotiation
//   GET /ask?q=...    a question in English, answered as `parley ask --format json`
//                     (&why=1 adds the evidence, &full=1 the cited passages)
//   GET /store        the Graph Store Protocol, read: all quads as N-Quads, or one
//                     graph (?graph=IRI, ?default) as N-Triples or Turtle
//   POST /store       (writable) RDF in the body, added in one transaction: N-Quads,
//                     N-Triples, Turtle or TriG by Content-Type; ?graph=IRI names the graph
//                     of triples without one
//   POST /facts       (writable) a fact file (JSON), checked and loaded as `parley load`
//                     does; ?strict=1 as --strict
//   POST /update      (writable) the SPARQL 1.1 Protocol's update operation: an
//                     application/sparql-update body or a form's update=; using-graph-uri
//                     and using-named-graph-uri; one atomic commit. POST /query takes an
//                     update too, as one endpoint for both.
//   GET /             the query page (page.hpp)
// Every request reads one snapshot of the store, so it never sees half of a load; one
// write runs at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "query/english/lexicon.hpp"
#include "store/quad_store.hpp"

namespace parley::server {

struct HttpRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // "/query?query=..."
  std::string content_type;  // of the body
  std::string accept;
  std::string body;
  std::string host;  // the Host header: the base of relative IRIs in updates
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // more headers (Allow, Vary, ...)
};

struct ServiceOptions {
  std::chrono::milliseconds timeout{30'000};  // per query or question
};

// The store as committed now: the same one, or a newer one reopened after another
// process wrote.
using StoreProvider = std::function<std::shared_ptr<const store::QuadStore>()>;

class Service {
 public:
  // A read-only service on one store.
  Service(const store::QuadStore& store, ServiceOptions options);
  // Reads from `provider`; writes, when `writer` is given, go to it (the same store).
  Service(StoreProvider provider, store::QuadStore* writer, ServiceOptions options)
      : store_(std::move(provider)), writer_(writer), options_(options) {}

  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse Query(const HttpRequest& request, const std::string& query_string);
  HttpResponse Ask(const std::string& query_string);
  HttpResponse Update(const HttpRequest& request, const std::string& query_string);
  HttpResponse Store(const HttpRequest& request, const std::string& query_string);
  // POST /store (RDF) and /facts (a fact file): the body loaded as `parley load` loads a file.
  HttpResponse Load(const HttpRequest& request, const std::string& query_string, bool facts);
  // The lexicon of `store`, read again when the store changed.
  Result<std::shared_ptr<const query::english::Lexicon>> Lexicon(const std::shared_ptr<const store::QuadStore>& store);

  StoreProvider store_;
  store::QuadStore* writer_ = nullptr;
  ServiceOptions options_;
  std::mutex write_mutex_;
  std::mutex lexicon_mutex_;
  std::shared_ptr<const query::english::Lexicon> lexicon_;
  const store::QuadStore* lexicon_store_ = nullptr;  // the store lexicon_ was read from
  std::uint64_t lexicon_writes_ = 0;                 // writes_ when it was read
  std::uint64_t writes_ = 0;                         // successful writes (under lexicon_mutex_)
  std::atomic<std::uint64_t> upload_count_{0};       // names the bodies kept for loading
};

// A response with a plain-text message, for errors.
HttpResponse TextResponse(int status, std::string message);

}  // namespace parley::server
