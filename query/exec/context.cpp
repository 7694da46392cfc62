// query/exec/context.cpp
#include "query/exec/context.hpp"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <set>

namespace parley::query::exec {

namespace {
const std::string kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const std::string kSubClassOf = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
const std::string kSubPropertyOf = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf";
}  // namespace

ExecContext::ExecContext(const QuadSource& source, const TermDictionary& dictionary, const QueryOptions& options)
    : source_(source), table_(dictionary), options_(options) {
  fn_.base = options.base;
  fn_.blank_counter = &blank_counter_;
  fn_.now = QueryStartTime();
  if (options.timeout) deadline_ = std::chrono::steady_clock::now() + *options.timeout;
  if (options.memory_limit) start_resident_ = ResidentBytes();
  rdf_type_ = table_.StoreId(Term::Iri(kRdfType));
}

int ExecContext::Slot(const std::string& name) {
  auto [it, fresh] = slots_.emplace(name, static_cast<int>(names_.size()));
  if (fresh) names_.push_back(name);
  return it->second;
}

bool ExecContext::Check() {
  if (!status_.ok()) return false;
  if (!table_.status().ok()) {
    status_ = table_.status();
    return false;
  }
  if (options_.cancel != nullptr && options_.cancel->load()) {
    status_ = Status::IOError("query cancelled");
    return false;
  }
  // Reading /proc costs a few microseconds: every 16th check is often enough.
  if (options_.memory_limit && (++checks_ & 15) == 0 && ResidentBytes() > start_resident_ + *options_.memory_limit) {
    status_ = Status::IOError("query stopped: memory limit reached (it needed more than the " +
                              std::to_string(*options_.memory_limit >> 20) + " MiB that --memory-limit allows)");
    return false;
  }
  if (deadline_ && std::chrono::steady_clock::now() > *deadline_) {
    status_ = Status::IOError("query timed out after " +
                              std::to_string(options_.timeout->count() / 1000.0).substr(0, 5) + " s");
    return false;
  }
  return true;
}

bool ExecContext::RawScan(TermId s, TermId p, TermId o, const std::function<bool(const Quad&)>& take) {
  QuadPattern pattern;
  if (s != kUnbound) pattern.subject = s;
  if (p != kUnbound) pattern.predicate = p;
  if (o != kUnbound) pattern.object = o;
  std::unique_ptr<QuadCursor> cursor;
  if (options_.dataset == DatasetMode::kUnion) {
    cursor = source_.ScanUnion(pattern);
  } else {
    pattern.graph = kDefaultGraph;
    cursor = source_.Scan(pattern);
  }
  Quad q;
  std::uint32_t seen = 0;
  while (cursor->Next(&q)) {
    // A scan of millions of quads must still stop in time.
    if ((++seen & 0xFFFF) == 0 && !Check()) return false;
    if (!take(q)) return false;
  }
  if (!cursor->status().ok()) {
    Fail(cursor->status());
    return false;
  }
  return true;
}

const std::vector<TermId>& ExecContext::Below(TermId term, bool classes) {
  auto& cache = classes ? subclasses_ : subproperties_;
  auto it = cache.find(term);
  if (it != cache.end()) return it->second;
  std::vector<TermId> out = {term};
  const TermId relation = table_.StoreId(Term::Iri(classes ? kSubClassOf : kSubPropertyOf));
  if (relation != kUnbound) {
    std::set<TermId> seen = {term};
    for (std::size_t i = 0; i < out.size(); ++i) {
      auto cursor = source_.ScanUnion(QuadPattern{{}, relation, out[i], {}});
      Quad q;
      while (cursor->Next(&q)) {
        if (seen.insert(q.subject).second) out.push_back(q.subject);
      }
    }
  }
  return cache.emplace(term, std::move(out)).first->second;
}

const PredicateStats* ExecContext::Stats(TermId predicate) {
  auto it = stats_.find(predicate);
  if (it == stats_.end()) {
    std::optional<PredicateStats> stats;
    if ((predicate & kLocalBit) == 0) {
      auto read = source_.Stats(predicate);
      if (read.ok()) stats = *read;
    }
    it = stats_.emplace(predicate, stats).first;
  }
  return it->second ? &*it->second : nullptr;
}

}  // namespace parley::query::exec
