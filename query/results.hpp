// query/results.hpp
// Query results written per the W3C formats: SPARQL 1.1 Query Results JSON, XML, CSV
// and TSV; CONSTRUCT/DESCRIBE graphs as N-Triples. The human table lives in cli/.
//
// Each format is a ResultSink that writes as rows arrive, so an answer of any size goes
// out in bounded memory; the string functions run the same writer over a whole result.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "query/engine.hpp"

namespace parley::query {

enum class ResultFormat : std::uint8_t { kJson, kCsv, kTsv, kNTriples, kXml };

// Where a writer's text goes; an error (a failed write) stops the query.
using TextOutput = std::function<Status(std::string_view)>;

std::unique_ptr<ResultSink> NewResultWriter(ResultFormat format, TextOutput out);

std::string ResultsJson(const QueryResult& result);
std::string ResultsCsv(const QueryResult& result);
std::string ResultsTsv(const QueryResult& result);
std::string TriplesNTriples(const QueryResult& result);
std::string ResultsXml(const QueryResult& result);

}  // namespace parley::query
