// endpoint/sparql_client.hpp
// A client of a SPARQL 1.1 Protocol endpoint (Virtuoso, QLever, Fuseki, Oxigraph, or
// another `parley serve`): a query POSTed as a form, the answer's body back. Plain
// HTTP on Boost.Beast; no TLS (put the endpoint behind a local proxy for https).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "store/quad.hpp"
#include "store/status.hpp"

namespace parley::endpoint {

struct SparqlAnswer {
  std::vector<std::string> vars;
  std::vector<std::vector<std::optional<Term>>> rows;  // SELECT
  std::optional<bool> boolean;                         // ASK
};

class SparqlClient {
 public:
  // Errors: InvalidArgument for a URL that is not http://HOST[:PORT]/PATH.
  static Result<SparqlClient> ForUrl(const std::string& url);

  // The body of the endpoint's answer to `query` asked for as `accept`. Errors name the
  // endpoint and carry its message for a status other than 200.
  Result<std::string> Post(const std::string& query, const std::string& accept) const;
  // A SELECT or ASK answered as SPARQL Results JSON.
  Result<SparqlAnswer> Select(const std::string& query) const;

  const std::string& url() const { return url_; }

 private:
  std::string url_, host_, port_, target_;
  std::chrono::seconds timeout_{60};
};

// SPARQL Results JSON as rows of terms.
Result<SparqlAnswer> ParseResultsJson(const std::string& text);

}  // namespace parley::endpoint
