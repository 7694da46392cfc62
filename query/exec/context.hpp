// query/exec/context.hpp
// What every operator of one query shares: its variables' slots, the term table, the
// dataset's scans (the union or strict default graph, with RDFS inference), and its
// budget (deadline, cancellation, memory), checked once per block.
#pragma once

#include <chrono>
#include <functional>
#include <set>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/ast.hpp"
#include "query/engine.hpp"
#include "query/exec/functions.hpp"
#include "query/exec/terms.hpp"

namespace parley::query::exec {

// The process' resident memory: what the operating system counts against it.
std::size_t ResidentBytes();

class ExecContext {
 public:
  ExecContext(const QuadSource& source, const TermDictionary& dictionary, const QueryOptions& options);

  // ---- variables: one slot each, for the whole query (the algebra renamed sub-selects' own)
  int Slot(const std::string& name);
  std::size_t width() const { return names_.size(); }
  const std::string& name(std::size_t slot) const { return names_[slot]; }

  // ---- budget
  // False once the query must stop (its status says why): timed out, cancelled, over its
  // memory limit, or failed. Operators call it once per block.
  bool Check();
  bool ok() const { return status_.ok(); }
  void Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }
  const Status& status() const { return status_; }

  // ---- the dataset
  // Calls `take(quad)` for each triple matching (s, p, o) in the default graph
  // (kUnbound = any), with RDFS inference when the options ask for it. False when
  // `take` or the budget stopped it.
  template <class Take>
  bool Scan(TermId s, TermId p, TermId o, Take&& take);
  // The store's statistics of a predicate (cached); nullopt for none or an error.
  const PredicateStats* Stats(TermId predicate);

  TermTable& table() { return table_; }
  FunctionContext& functions() { return fn_; }
  const QueryOptions& options() const { return options_; }
  const QuadSource& source() const { return source_; }

 private:
  bool RawScan(TermId s, TermId p, TermId o, const std::function<bool(const Quad&)>& take);
  // `term` and everything below it by rdfs:subClassOf (classes) or rdfs:subPropertyOf.
  const std::vector<TermId>& Below(TermId term, bool classes);

  const QuadSource& source_;
  TermTable table_;
  const QueryOptions& options_;
  FunctionContext fn_;
  std::uint64_t blank_counter_ = 0;
  std::map<std::string, int> slots_;
  std::vector<std::string> names_;
  Status status_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::size_t start_resident_ = 0;
  std::uint64_t checks_ = 0;
  TermId rdf_type_ = kUnbound;
  std::unordered_map<TermId, std::vector<TermId>> subclasses_, subproperties_;
  std::unordered_map<TermId, std::optional<PredicateStats>> stats_;
};

template <class Take>
bool ExecContext::Scan(TermId s, TermId p, TermId o, Take&& take) {
  if (((s | p | o) & kLocalBit) != 0) return true;  // a term the store does not have
  if (!options_.inference || p == kUnbound) return RawScan(s, p, o, take);
  // Subproperties of p, or subclasses of C in (s rdf:type C); each (s, o) answer once.
  std::vector<std::pair<TermId, TermId>> expansions;  // (predicate, object)
  if (p == rdf_type_ && o != kUnbound) {
    for (TermId c : Below(o, true)) expansions.emplace_back(p, c);
  } else {
    for (TermId q : Below(p, false)) expansions.emplace_back(q, o);
  }
  if (expansions.size() == 1) return RawScan(s, p, o, take);
  std::set<std::pair<TermId, TermId>> seen;
  for (auto [predicate, object] : expansions) {
    const bool go_on = RawScan(s, predicate, object, [&](const Quad& q) {
      if (!seen.emplace(q.subject, p == rdf_type_ ? 0 : q.object).second) return true;
      return take(Quad{q.subject, p, p == rdf_type_ && o != kUnbound ? o : q.object, q.graph});
    });
    if (!go_on) return false;
  }
  return true;
}

}  // namespace parley::query::exec
