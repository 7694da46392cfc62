// query/results.hpp
// Query results written per the W3C formats: SPARQL 1.1 Query Results JSON, CSV and
// TSV; CONSTRUCT/DESCRIBE graphs as N-Triples. The human table lives in cli/.
#pragma once

#include <string>

#include "query/engine.hpp"

namespace parley::query {

std::string ResultsJson(const QueryResult& result);
std::string ResultsCsv(const QueryResult& result);
std::string ResultsTsv(const QueryResult& result);
std::string TriplesNTriples(const QueryResult& result);

}  // namespace parley::query
