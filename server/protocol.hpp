// server/protocol.hpp
// The pieces of HTTP and the SPARQL 1.1 Protocol that need no socket: form and URL
// decoding, content negotiation, and the status code for an error. Kept apart from
// the server so that tests can check them line by line.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rdf/percent_encoding.hpp"
#include "store/status.hpp"

namespace parley::server {

using rdf::PercentDecode;
using rdf::PercentEncode;

// The parameters of a query string or form body, each name with all its values in order.
using Parameters = std::map<std::string, std::vector<std::string>>;
Parameters ParseParameters(std::string_view text);

// The media type of a Content-Type header without parameters, lower case:
// "application/sparql-query; charset=utf-8" -> "application/sparql-query".
std::string MediaType(std::string_view content_type);

// Which of `offered` (media types, best first) the Accept header `accept` prefers, by
// q-value, then specificity, then the order offered; "" when it accepts none. An empty
// header accepts the first.
std::string Negotiate(std::string_view accept, const std::vector<std::string>& offered);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or values past
// U+10FFFF): the protocol's queries must be.
bool IsUtf8(std::string_view text);

// The HTTP status for a failed query: 503 when it ran out of time or memory or was
// stopped (the server could not finish it now), 400 for a query that is wrong, 500
// otherwise.
int StatusFor(const Status& status);

}  // namespace parley::server
