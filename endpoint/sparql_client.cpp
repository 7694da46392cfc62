#include "endpoint/sparql_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "rdf/percent_encoding.hpp"

namespace parley::endpoint {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<Term> TermOf(const nlohmann::json& j) {
  const std::string type = j.value("type", "");
  const std::string value = j.value("value", "");
  if (type == "uri") return Term::Iri(value);
  if (type == "bnode") return Term::BlankNode(value);
  if (type == "literal" || type == "typed-literal") {
    if (j.contains("xml:lang")) return Term::LangLiteral(value, j["xml:lang"].get<std::string>());
    if (j.contains("datatype")) return Term::Literal(value, j["datatype"].get<std::string>());
    return Term::Literal(value);
  }
  return Status::InvalidArgument("the endpoint answered a term of unknown type \"" + type + "\"");
}

}  // namespace

Result<SparqlClient> SparqlClient::ForUrl(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    return Status::InvalidArgument("--endpoint takes an http:// URL such as http://127.0.0.1:8890/sparql, not \"" + url + "\"");
  }
  SparqlClient client;
  client.url_ = url;
  const std::string rest = url.substr(scheme.size());
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  client.target_ = slash == std::string::npos ? "/" : rest.substr(slash);
  const std::size_t colon = authority.rfind(':');
  client.host_ = colon == std::string::npos ? authority : authority.substr(0, colon);
  client.port_ = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  if (client.host_.empty()) return Status::InvalidArgument("--endpoint URL \"" + url + "\" names no host");
  return client;
}

Result<std::string> SparqlClient::Post(const std::string& query, const std::string& accept) const {
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(timeout_);
    stream.connect(resolver.resolve(host_, port_));
    http::request<http::string_body> request{http::verb::post, target_, 11};
    request.set(http::field::host, host_);
    request.set(http::field::user_agent, "parley");
    request.set(http::field::accept, accept);
    request.set(http::field::content_type, "application/x-www-form-urlencoded");
    request.body() = "query=" + rdf::PercentEncode(query);
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 32);
    http::read(stream, buffer, parser);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    const auto& response = parser.get();
    if (response.result_int() != 200) {
      return Status::InvalidArgument("the endpoint " + url_ + " answered " + std::to_string(response.result_int()) + ": " +
                                     response.body().substr(0, 2000));
    }
    return response.body();
  } catch (const std::exception& e) {
    return Status::IOError("cannot reach the endpoint " + url_ + ": " + e.what());
  }
}

Result<SparqlAnswer> SparqlClient::Select(const std::string& query) const {
  auto body = Post(query, "application/sparql-results+json");
  if (!body.ok()) return body.status();
  return ParseResultsJson(*body);
}

Result<SparqlAnswer> ParseResultsJson(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument("the endpoint's answer is not SPARQL Results JSON");
  SparqlAnswer out;
  if (j.contains("boolean")) {
    out.boolean = j["boolean"].get<bool>();
    return out;
  }
  for (const auto& v : j["head"].value("vars", nlohmann::json::array())) out.vars.push_back(v.get<std::string>());
  for (const auto& b : j["results"]["bindings"]) {
    std::vector<std::optional<Term>> row(out.vars.size());
    for (std::size_t i = 0; i < out.vars.size(); ++i) {
      if (!b.contains(out.vars[i])) continue;
      auto term = TermOf(b[out.vars[i]]);
      if (!term.ok()) return term.status();
      row[i] = std::move(*term);
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace parley::endpoint
