// query/exec/context.cpp
#include "query/exec/context.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>

#include <boost/container/small_vector.hpp>

namespace parley::query::exec {

namespace {
const std::string kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const std::string kSubClassOf = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
const std::string kSubPropertyOf = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf";
}  // namespace

std::size_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  static const long page = ::sysconf(_SC_PAGESIZE);
  return n == 2 ? static_cast<std::size_t>(resident) * static_cast<std::size_t>(page) : 0;
}

ExecContext::ExecContext(const QuadSource& source, const TermDictionary& dictionary, const QueryOptions& options)
    : source_(source), table_(dictionary), options_(options) {
  fn_.base = options.base;
  fn_.blank_counter = &blank_counter_;
  fn_.now = QueryStartTime();
  if (options.timeout) deadline_ = std::chrono::steady_clock::now() + *options.timeout;
  if (options.memory_limit) start_resident_ = ResidentBytes();
  rdf_type_ = table_.StoreId(Term::Iri(kRdfType));
}

ExecContext::ExecContext(const ExecContext& main, const std::atomic<bool>* stop)
    : source_(main.source_),
      table_(main.table_.dictionary()),
      options_(main.options_),
      slots_(main.slots_),
      names_(main.names_),
      block_rows_(main.block_rows_),
      deadline_(main.deadline_),
      start_resident_(main.start_resident_),
      rdf_type_(main.rdf_type_),
      stop_(stop),
      has_dataset_(main.has_dataset_),
      from_(main.from_),
      from_named_(main.from_named_),
      named_graphs_(main.named_graphs_),
      subclasses_(main.subclasses_),
      subproperties_(main.subproperties_),
      stats_(main.stats_),
      counts_(main.counts_) {
  fn_.base = main.fn_.base;
  fn_.blank_counter = &blank_counter_;
  fn_.now = main.fn_.now;
}

int ExecContext::Slot(const std::string& name) {
  auto [it, fresh] = slots_.emplace(name, static_cast<int>(names_.size()));
  if (fresh) names_.push_back(name);
  return it->second;
}

int ExecContext::FindSlot(const std::string& name) const {
  auto it = slots_.find(name);
  return it == slots_.end() ? -1 : it->second;
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
  if (stop_ != nullptr && stop_->load(std::memory_order_relaxed)) {
    status_ = Status::IOError("stopped: the rest of the query needs no more rows");
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

void ExecContext::SetDataset(const std::vector<std::string>& from, const std::vector<std::string>& from_named) {
  has_dataset_ = !from.empty() || !from_named.empty();
  one_range_memo_.reset();
  // A graph the store lacks has no triples: it is left out of the dataset.
  auto ids = [&](const std::vector<std::string>& iris) {
    std::set<TermId> out;
    for (const auto& iri : iris) {
      if (TermId id = table_.StoreId(Term::Iri(iri)); id != kUnbound) out.insert(id);
    }
    return std::vector<TermId>(out.begin(), out.end());
  };
  from_ = ids(from);
  from_named_ = ids(from_named);
}

std::unique_ptr<Matches> ExecContext::Open(TermId s, TermId p, TermId o, GraphRef graph) {
  std::unique_ptr<Matches> m(new Matches(*this));
  Reopen(m.get(), s, p, o, graph);
  return m;
}

// How Open reads the matches of a pattern: the (predicate, object) pairs it asks (more
// than one under inference), the graphs it scans (nullopt for all of them; whether
// through the union view), and what it does to each quad on the way out. (Small
// vectors: a join opens matches once per row, nearly always of one part.)
struct ExecContext::Reading {
  boost::container::small_vector<std::pair<TermId, TermId>, 2> asked;
  boost::container::small_vector<std::pair<std::optional<TermId>, bool>, 2> graphs;
  TermId asked_p = kUnbound, asked_o = kUnbound;
  bool rewrite_object = false, skip_default = false, named_output = false;
};

ExecContext::Reading ExecContext::ReadingOf(TermId s, TermId p, TermId o, GraphRef graph) {
  Reading r;
  if (((s | p | o) & kLocalBit) != 0) return r;  // a term the store does not have: nothing
  // Under inference, a predicate stands for its subproperties, and (s rdf:type C) for
  // C's subclasses: one scan each, answering as asked.
  r.asked = {{p, o}};
  if (options_.inference && p != kUnbound) {
    r.asked.clear();
    if (p == rdf_type_ && o != kUnbound) {
      for (TermId c : Below(o, true)) r.asked.emplace_back(p, c);
      r.rewrite_object = r.asked.size() > 1;
    } else {
      for (TermId q : Below(p, false)) r.asked.emplace_back(q, o);
    }
    if (r.asked.size() > 1) r.asked_p = p;
    r.asked_o = o;
  }
  switch (graph.kind) {
    case GraphRef::Kind::kDefault:
      if (has_dataset_) {
        for (TermId g : from_) r.graphs.emplace_back(g, false);
      } else if (options_.dataset == DatasetMode::kUnion) {
        r.graphs.emplace_back(std::nullopt, true);
      } else {
        r.graphs.emplace_back(kDefaultGraph, false);
      }
      break;
    case GraphRef::Kind::kNamed:
      r.named_output = true;
      if ((graph.id & kLocalBit) != 0 || graph.id == kDefaultGraph) break;
      if (!has_dataset_ || std::binary_search(from_named_.begin(), from_named_.end(), graph.id)) {
        r.graphs.emplace_back(graph.id, false);
      }
      break;
    case GraphRef::Kind::kAnyNamed:
      r.named_output = true;
      if (has_dataset_) {
        for (TermId g : from_named_) r.graphs.emplace_back(g, false);
      } else {
        r.graphs.emplace_back(std::nullopt, false);
        r.skip_default = true;
      }
      break;
  }
  return r;
}

void ExecContext::SetPart(TermId s, TermId predicate, TermId object, std::optional<TermId> graph, bool union_view,
                          RangeProbe* part) {
  auto id = [](TermId t) { return t == kUnbound ? std::nullopt : std::optional<TermId>(t); };
  part->pattern = QuadPattern{id(s), id(predicate), id(object), graph};
  part->union_view = union_view;
}

void ExecContext::Reopen(Matches* m, TermId s, TermId p, TermId o, GraphRef graph) {
  m->Clear();
  const Reading r = ReadingOf(s, p, o, graph);
  m->asked_p_ = r.asked_p;
  m->asked_o_ = r.asked_o;
  m->rewrite_object_ = r.rewrite_object;
  m->skip_default_ = r.skip_default;
  m->named_output_ = r.named_output;
  for (auto [predicate, object] : r.asked) {
    for (auto [g, union_view] : r.graphs) SetPart(s, predicate, object, g, union_view, &m->parts_.emplace_back());
  }
  m->dedupe_ = m->parts_.size() > 1;
}

bool ExecContext::AsOneRange(TermId s, TermId p, TermId o, GraphRef graph, RangeProbe* probe, bool* skip_default) {
  if (((s | p | o) & kLocalBit) != 0) return false;  // no matches: Reopen gives none
  // Whether the matches are one range depends on the predicate, the object only for
  // rdf:type under inference, and the graph.
  const TermId o_key = options_.inference && p == rdf_type_ ? o : kUnbound;
  auto& memo = one_range_memo_;
  if (!memo || memo->p != p || memo->o != o_key || !(memo->graph == graph)) {
    const Reading r = ReadingOf(s, p, o, graph);
    memo = OneRangeMemo{p, o_key, graph, std::nullopt, r.skip_default};
    // One range is (s, p, o) itself: the class or property alone below itself.
    if (r.asked.size() == 1 && r.graphs.size() == 1) memo->range_graph = r.graphs[0];
  }
  if (!memo->range_graph) return false;
  SetPart(s, p, o, memo->range_graph->first, memo->range_graph->second, probe);
  *skip_default = memo->skip_default;
  return true;
}

std::optional<QuadPosition> ExecContext::SortedBy(TermId s, TermId p, TermId o, GraphRef graph) {
  Matches m(*this);
  Reopen(&m, s, p, o, graph);  // only lists the parts; nothing is read
  if (m.parts_.size() != 1) return std::nullopt;
  return source_.SortedBy(m.parts_[0].pattern, m.parts_[0].union_view);
}

void Matches::Prefetch() const {
  for (const RangeProbe& part : parts_) ctx_.source().PrefetchKept(part.pattern, part.union_view);
}

void Matches::Clear() {
  parts_.clear();
  next_part_ = 0;
  range_.reset();
  in_memory_ = false;
  at_ = 0;
  cursor_.reset();
  asked_p_ = asked_o_ = kUnbound;
  rewrite_object_ = skip_default_ = named_output_ = dedupe_ = false;
  seen_.clear();
  pulled_ = 0;
}

bool Matches::OpenPart() {
  if (next_part_ >= parts_.size()) return false;
  const RangeProbe& part = parts_[next_part_++];
  const QuadSource& source = ctx_.source();
  small_.clear();
  range_.reset();
  at_ = 0;
  in_memory_ = source.KeptRange(part.pattern, part.union_view, &small_, &range_);
  if (in_memory_) {
    held_ = range_ ? range_->data() : small_.data();
    held_size_ = range_ ? range_->size() : small_.size();
  } else {
    cursor_ = part.union_view ? source.ScanUnion(part.pattern) : source.Scan(part.pattern);
  }
  return true;
}

std::size_t Matches::ReadPart(Quad* out, std::size_t max) {
  if (in_memory_) {
    const std::size_t n = std::min(max, held_size_ - at_);
    std::copy_n(held_ + at_, n, out);
    at_ += n;
    if (n == 0) {
      in_memory_ = false;
      range_.reset();
    }
    return n;
  }
  const std::size_t n = cursor_->NextBatch(out, max);
  if (n == 0) {
    if (!cursor_->status().ok()) ctx_.Fail(cursor_->status());
    cursor_.reset();
  }
  return n;
}

bool Matches::Next(Quad* out) {
  while (ctx_.ok()) {
    if (!in_memory_ && !cursor_ && !OpenPart()) return false;
    Quad q;
    if (ReadPart(&q, 1) == 0) continue;
    // A scan of millions of quads must still stop in time.
    if ((++pulled_ & 0xFFFF) == 0 && !ctx_.Check()) return false;
    if (skip_default_ && q.graph == kDefaultGraph) continue;
    if (asked_p_ != kUnbound) q.predicate = asked_p_;
    if (rewrite_object_) q.object = asked_o_;
    if (!named_output_) q.graph = kDefaultGraph;
    if (dedupe_ && !seen_.insert({q.subject, q.predicate, q.object, q.graph}).second) continue;
    *out = q;
    return true;
  }
  return false;
}

std::uint64_t ExecContext::CountMatches(TermId s, TermId p, TermId o, GraphRef graph, std::uint64_t cap) {
  const std::array<TermId, 5> key = {s, p, o, static_cast<TermId>(graph.kind), graph.id};
  if (auto known = counts_.find(key); known != counts_.end()) return known->second;
  auto matches = Open(s, p, o, graph);
  std::uint64_t count = 0;
  Quad q;
  // Reading the cap's worth of quads from the index costs about a millisecond, on
  // every query: a range the store estimates at over four times the cap is not read.
  if (const std::uint64_t estimated = EstimateMatches(*matches); estimated > 4 * cap) {
    counts_.emplace(key, estimated);
    return estimated;
  }
  while (count < cap && matches->Next(&q)) ++count;
  if (count == cap) count = std::max(count, EstimateMatches(*matches));
  counts_.emplace(key, count);
  return count;
}

std::uint64_t ExecContext::EstimateMatches(const Matches& matches) const {
  std::uint64_t total = 0;
  for (const auto& part : matches.parts_) {
    auto estimate = source_.EstimateMatches(part.pattern, part.union_view);
    if (!estimate) return 0;
    total += *estimate;
  }
  return total;
}

std::size_t Matches::NextBatch(std::vector<Quad>* out, std::size_t max) {
  if (dedupe_) {  // a quad may have come from another part: one at a time
    Quad q;
    std::size_t n = 0;
    while (n < max && Next(&q)) {
      out->push_back(q);
      ++n;
    }
    return n;
  }
  while (ctx_.ok()) {
    if (!in_memory_ && !cursor_ && !OpenPart()) return 0;
    // From a range in memory, what is left of it; from a cursor a few at a time, since
    // a probe finds one or two and room for more is zeroed in vain.
    constexpr std::size_t kStep = 64;
    const std::size_t at = out->size(),
                      step = std::min(max, in_memory_ ? std::max<std::size_t>(held_size_ - at_, 1) : kStep);
    out->resize(at + step);
    const std::size_t got = ReadPart(out->data() + at, step);
    out->resize(at + got);
    if (got == 0) continue;
    // A scan of millions of quads must still stop in time.
    if (((pulled_ + got) >> 16) != (pulled_ >> 16)) ctx_.Check();
    pulled_ += got;
    for (std::size_t i = at; i < at + got; ++i) {
      Quad& q = (*out)[i];
      if (asked_p_ != kUnbound) q.predicate = asked_p_;
      if (rewrite_object_) q.object = asked_o_;
      if (!named_output_) q.graph = kDefaultGraph;
    }
    if (!skip_default_) return got;
    // GRAPH ?g over all graphs: the default graph's quads are not matches.
    const auto kept = std::remove_if(out->begin() + static_cast<std::ptrdiff_t>(at), out->end(),
                                     [](const Quad& q) { return q.graph == kDefaultGraph; });
    out->erase(kept, out->end());
    if (out->size() > at) return out->size() - at;
  }
  return 0;
}

std::optional<std::size_t> Matches::NextInPlace(const Quad** at, std::size_t max) {
  if (dedupe_ || skip_default_ || asked_p_ != kUnbound || rewrite_object_) return std::nullopt;
  while (ctx_.ok()) {
    if (!in_memory_ && !cursor_ && !OpenPart()) return 0;
    if (!in_memory_) return std::nullopt;  // a cursor's quads are copied out anyway
    // Only named graphs keep the graph a quad was read in; a FROM graph's is rewritten.
    const RangeProbe& part = parts_[next_part_ - 1];
    if (!named_output_ && !part.union_view && part.pattern.graph != kDefaultGraph) return std::nullopt;
    const std::size_t n = std::min(max, held_size_ - at_);
    if (n == 0) {
      in_memory_ = false;
      range_.reset();
      continue;
    }
    *at = held_ + at_;
    at_ += n;
    // A scan of millions of quads must still stop in time.
    if (((pulled_ + n) >> 16) != (pulled_ >> 16)) ctx_.Check();
    pulled_ += n;
    return n;
  }
  return 0;
}

void Matches::Skip(std::uint64_t n) {
  if (parts_.size() == 1 && !dedupe_ && !skip_default_ && next_part_ == 0) {
    OpenPart();
    if (in_memory_) {
      at_ = static_cast<std::size_t>(std::min<std::uint64_t>(n, held_size_));
    } else {
      cursor_->Skip(n);
    }
    return;
  }
  Quad q;
  for (std::uint64_t i = 0; i < n && Next(&q); ++i) {
  }
}

const std::vector<TermId>& ExecContext::NamedGraphs() {
  if (named_graphs_) return *named_graphs_;
  if (has_dataset_) return *(named_graphs_ = from_named_);
  // Every graph but the default one.
  std::set<TermId> graphs;
  auto cursor = source_.Scan(QuadPattern{});
  Quad q;
  std::uint32_t seen = 0;
  while (cursor->Next(&q)) {
    if ((++seen & 0xFFFF) == 0 && !Check()) break;
    if (q.graph != kDefaultGraph) graphs.insert(q.graph);
  }
  if (!cursor->status().ok()) Fail(cursor->status());
  return *(named_graphs_ = std::vector<TermId>(graphs.begin(), graphs.end()));
}

const std::vector<TermId>& ExecContext::Below(TermId term, bool classes) {
  auto& last = last_below_[classes ? 1 : 0];
  if (last.second != nullptr && last.first == term) return *last.second;
  auto& cache = classes ? subclasses_ : subproperties_;
  auto it = cache.find(term);
  if (it != cache.end()) {
    last = {term, &it->second};
    return it->second;
  }
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
  const std::vector<TermId>& below = cache.emplace(term, std::move(out)).first->second;
  last = {term, &below};
  return below;
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
