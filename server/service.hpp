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
// Every request reads one snapshot of the store, so it never sees half of a load.
#pragma once

#include <chrono>
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

class Service {
 public:
  Service(const store::QuadStore& store, ServiceOptions options) : store_(store), options_(options) {}

  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse Query(const HttpRequest& request, const std::string& query_string);
  HttpResponse Ask(const std::string& query_string);
  HttpResponse Store(const HttpRequest& request, const std::string& query_string);
  // The lexicon of the store, read once.
  Result<std::shared_ptr<const query::english::Lexicon>> Lexicon();

  const store::QuadStore& store_;
  ServiceOptions options_;
  std::mutex lexicon_mutex_;
  std::shared_ptr<const query::english::Lexicon> lexicon_;
};

// A response with a plain-text message, for errors.
HttpResponse TextResponse(int status, std::string message);

}  // namespace parley::server
