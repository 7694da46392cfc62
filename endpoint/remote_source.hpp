// endpoint/remote_source.hpp
// Another SPARQL engine's graph seen as a QuadSource and TermDictionary, so that the
// layers above the store (the English front-end and its lexicon, evidence, the local
// query engine) run on it unchanged: each Scan becomes one SELECT over GRAPH ?g, and
// each term the endpoint sends gets a local id. Answers are cached per pattern for the
// life of the source (one command, one state of the endpoint).
//
// Parley's facts all live in named graphs (evidence contexts, provenance, ontology),
// which is what `parley dump` gives the other engine; the engine's default graph is
// not read.
#pragma once

#include <map>
#include <mutex>
#include <unordered_map>

#include "endpoint/sparql_client.hpp"
#include "store/quad.hpp"

namespace parley::endpoint {

class RemoteQuadSource final : public QuadSource, public TermDictionary {
 public:
  explicit RemoteQuadSource(SparqlClient client) : client_(std::move(client)) {}

  std::unique_ptr<QuadCursor> Scan(const QuadPattern& pattern) const override;
  std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern& pattern) const override;
  Result<PredicateStats> Stats(TermId predicate) const override;

  // Every term gets an id: a term the endpoint lacks simply matches nothing.
  Result<TermId> LookupId(const Term& term) const override;
  Result<Term> LookupTerm(TermId id) const override;

  // How many SELECTs were sent (for tests and --timing).
  std::size_t requests() const { return requests_; }

 private:
  Result<std::vector<Quad>> Quads(const QuadPattern& pattern, bool distinct_triples) const;
  TermId Intern(const Term& term) const;

  SparqlClient client_;
  mutable std::mutex mutex_;
  mutable std::vector<Term> terms_ = {Term()};  // id 0 is the default graph
  mutable std::unordered_map<std::string, TermId> ids_;
  mutable std::map<std::string, std::vector<Quad>> answers_;  // query -> quads
  mutable std::map<TermId, PredicateStats> stats_;
  mutable std::size_t requests_ = 0;
};

}  // namespace parley::endpoint
