// store/quad.hpp
// The narrow interface between the store and everything above it: quads of term ids,
// patterns with bound and unbound positions, cursors, and the term dictionary.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "store/status.hpp"
#include "store/term.hpp"

namespace parley {

using TermId = std::uint64_t;
inline constexpr std::size_t kTermIdBytes = 8;
// The unnamed default graph is a graph of its own with this reserved id; no term has it.
inline constexpr TermId kDefaultGraph = 0;

struct Quad {
  TermId subject = 0, predicate = 0, object = 0, graph = kDefaultGraph;
  auto operator<=>(const Quad&) const = default;
};

// A quad's four positions, in Quad's order.
enum class QuadPosition : std::uint8_t { kSubject, kPredicate, kObject, kGraph };

// Unset positions match anything.
struct QuadPattern {
  std::optional<TermId> subject, predicate, object, graph;
  bool Matches(const Quad& q) const {
    return (!subject || *subject == q.subject) && (!predicate || *predicate == q.predicate) &&
           (!object || *object == q.object) && (!graph || *graph == q.graph);
  }
};

class QuadCursor {  // Next() returns false at the end *or* on error; then check status()
 public:
  virtual ~QuadCursor() = default;
  virtual bool Next(Quad* out) = 0;
  virtual Status status() const = 0;
  // Up to `max` next quads into out[0..), as Next would give them; how many (0 at the end
  // or on error). A cursor over quads in memory copies them at once.
  virtual std::size_t NextBatch(Quad* out, std::size_t max) {
    std::size_t n = 0;
    while (n < max && Next(&out[n])) ++n;
    return n;
  }
  // Passes over the next `n` quads (fewer at the end); returns how many it passed. A
  // cursor over quads in memory does it at once, so that a thread can start its part
  // of a scan where it begins.
  virtual std::uint64_t Skip(std::uint64_t n) {
    Quad q;
    std::uint64_t passed = 0;
    while (passed < n && Next(&q)) ++passed;
    return passed;
  }
};

// Planner statistics for one predicate, over all graphs.
struct PredicateStats {
  std::uint64_t quads = 0;              // quads with this predicate
  std::uint64_t distinct_subjects = 0;  // distinct s among them
  std::uint64_t distinct_objects = 0;   // distinct o among them
  // Distinct (s, p, o) among them: what the union of all graphs holds, fewer than the
  // quads where sources repeat a fact. 0 in a database written before it was kept.
  std::uint64_t triples = 0;
  // Whether `triples` counts them (a predicate with quads has at least one triple).
  bool TriplesKnown() const { return quads == 0 || triples > 0; }
  bool operator==(const PredicateStats&) const = default;
};

// Implemented by QuadStore (and its snapshots) and by MemoryQuadSource.
// The quads of one index range, read before and kept in memory; shared, as it stays
// valid for whoever holds it after the cache lets it go.
using QuadRange = std::shared_ptr<const std::vector<Quad>>;

// One range asked of QuadSource::KeptRanges: `pattern`'s, over all graphs or through
// the union view.
struct RangeProbe {
  QuadPattern pattern;
  bool union_view = false;
};

// Where KeptRanges put one probe's quads: in `copied` from `begin`, in `shared[range]`,
// or nowhere (the source does not hold the range).
struct KeptRangeAt {
  static constexpr std::uint32_t kNotKept = ~std::uint32_t{0}, kCopied = kNotKept - 1;
  std::uint32_t range = kNotKept;  // an index into `shared`, kCopied or kNotKept
  std::uint32_t begin = 0, size = 0;
  bool kept() const { return range != kNotKept; }
};

class QuadSource {
 public:
  virtual ~QuadSource() = default;
  // Every quad matching `pattern`, each with its graph. Order is the chosen index's.
  virtual std::unique_ptr<QuadCursor> Scan(const QuadPattern& pattern) const = 0;
  // The union view: triples of all graphs matching `pattern` (whose graph must be
  // unset), each triple once; returned quads carry graph = kDefaultGraph.
  virtual std::unique_ptr<QuadCursor> ScanUnion(const QuadPattern& pattern) const = 0;
  // Statistics of one predicate; all zero when it is not used.
  virtual Result<PredicateStats> Stats(TermId predicate) const = 0;
  // About how many quads Scan (or, with `union_view`, ScanUnion) would give for
  // `pattern`, told without reading them; nullopt when this source cannot tell. For the
  // planner, which counts small ranges exactly and asks this of the large ones.
  virtual std::optional<std::uint64_t> EstimateMatches(const QuadPattern& pattern, bool union_view) const {
    (void)pattern;
    (void)union_view;
    return std::nullopt;
  }
  // What Scan (or ScanUnion) would give for `pattern`, when this source already holds it
  // in memory: a few quads appended to `small`, or more in `shared`. False when it does
  // not hold them. Lets a join's many small probes skip making a cursor.
  virtual bool KeptRange(const QuadPattern& pattern, bool union_view, std::vector<Quad>* small,
                         QuadRange* shared) const {
    (void)pattern;
    (void)union_view;
    (void)small;
    (void)shared;
    return false;
  }
  // KeptRange for many probes at once, for a join that looks up a block of rows' ranges
  // together: a source can overlap their memory misses and lock once. One entry of
  // `found` for each probe; small ranges are appended to `copied`, larger ones to
  // `shared`. (The three vectors are cleared first.)
  virtual void KeptRanges(const std::vector<RangeProbe>& probes, std::vector<Quad>* copied,
                          std::vector<QuadRange>* shared, std::vector<KeptRangeAt>* found) const;
  // The position whose ids Scan (or, with `union_view`, ScanUnion) gives `pattern`'s
  // quads in, nondecreasing, when this source keeps such an order: the first position
  // the index it reads leaves free. nullopt when it cannot tell. Lets the planner merge
  // a scan with a table sorted on the same ids instead of looking each row's key up.
  virtual std::optional<QuadPosition> SortedBy(const QuadPattern& pattern, bool union_view) const {
    (void)pattern;
    (void)union_view;
    return std::nullopt;
  }
  // A hint that KeptRange will soon be asked for `pattern`: a source that can, starts
  // bringing in the memory it will read (a join asks this a few rows ahead).
  virtual void PrefetchKept(const QuadPattern& pattern, bool union_view) const {
    (void)pattern;
    (void)union_view;
  }
};

inline void QuadSource::KeptRanges(const std::vector<RangeProbe>& probes, std::vector<Quad>* copied,
                                    std::vector<QuadRange>* shared, std::vector<KeptRangeAt>* found) const {
  copied->clear();
  shared->clear();
  found->assign(probes.size(), KeptRangeAt{});
  for (std::size_t i = 0; i < probes.size(); ++i) {
    const auto begin = static_cast<std::uint32_t>(copied->size());
    QuadRange range;
    if (!KeptRange(probes[i].pattern, probes[i].union_view, copied, &range)) continue;
    if (range) {
      (*found)[i] = {static_cast<std::uint32_t>(shared->size()), 0, static_cast<std::uint32_t>(range->size())};
      shared->push_back(std::move(range));
    } else {
      (*found)[i] = {KeptRangeAt::kCopied, begin, static_cast<std::uint32_t>(copied->size()) - begin};
    }
  }
}

// Maps terms to ids and back.
class TermDictionary {
 public:
  virtual ~TermDictionary() = default;
  // The id of `term`, or NotFound when the dictionary has never seen it.
  virtual Result<TermId> LookupId(const Term& term) const = 0;
  // The term with `id`; NotFound for an unknown id.
  virtual Result<Term> LookupTerm(TermId id) const = 0;
  // The terms of many ids at once, in their order; an unknown id leaves nullopt. The
  // store reads them in one batch, far quicker than one LookupTerm each.
  virtual Status LookupTerms(const std::vector<TermId>& ids, std::vector<std::optional<Term>>* out) const {
    out->clear();
    for (TermId id : ids) {
      auto term = LookupTerm(id);
      if (!term.ok() && term.status().code() != Status::Code::kNotFound) return term.status();
      out->push_back(term.ok() ? std::optional<Term>(*term) : std::nullopt);
    }
    return Status::OK();
  }
  // The terms of many ids at once by address, in their order (nullptr for an unknown id),
  // valid while `out->keep` is held: a query's term table keeps these instead of copies.
  // A store hands out the terms its cache holds; this default copies them once.
  struct PinnedTerms {
    std::vector<const Term*> terms;
    std::vector<std::shared_ptr<const void>> keep;
  };
  virtual Status PinTerms(const std::vector<TermId>& ids, PinnedTerms* out) const {
    auto found = std::make_shared<std::vector<std::optional<Term>>>();
    PARLEY_RETURN_IF_ERROR(LookupTerms(ids, found.get()));
    out->terms.clear();
    for (const auto& term : *found) out->terms.push_back(term ? &*term : nullptr);
    out->keep.assign(1, std::move(found));
    return Status::OK();
  }
  // Appends the ids of the string literals (plain, xsd:string or language-tagged) whose
  // value starts with `prefix`. False, with `out` unspecified, when there are more than
  // `limit` of them or the dictionary cannot enumerate by prefix; the query planner then
  // does without (a FILTER STRSTARTS or anchored REGEX narrows a scan through it).
  virtual bool StringLiteralsWithPrefix(std::string_view prefix, std::size_t limit, std::vector<TermId>* out) const {
    (void)prefix, (void)limit, (void)out;
    return false;
  }
  // Appends the ids of the terms whose encodings (EncodeTerm) lie from `low`'s up to,
  // not including, `high`'s: for literals of one datatype, those whose text lies between.
  // False, with `out` unspecified, when there are more than `limit` of them or the
  // dictionary cannot enumerate them; the planner then does without (a FILTER on a range
  // of dates narrows a scan through it).
  virtual bool TermsBetween(const Term& low, const Term& high, std::size_t limit, std::vector<TermId>* out) const {
    (void)low, (void)high, (void)limit, (void)out;
    return false;
  }
  // The first term in that order from `low`'s encoding up to `high`'s, into `term` and
  // `id`: for stepping over a range by jumps. False when there is none, or the dictionary
  // cannot tell.
  virtual bool FirstTermBetween(const Term& low, const Term& high, Term* term, TermId* id) const {
    (void)low, (void)high, (void)term, (void)id;
    return false;
  }
};

// A cursor over quads already in memory, then `status` (an error that cut them short).
class VectorCursor final : public QuadCursor {
 public:
  explicit VectorCursor(std::vector<Quad> quads, Status status = Status::OK())
      : quads_(std::move(quads)), status_(std::move(status)) {}
  bool Next(Quad* out) override {
    if (next_ >= quads_.size()) return false;
    *out = quads_[next_++];
    return true;
  }
  Status status() const override { return status_; }

 private:
  std::vector<Quad> quads_;
  Status status_;
  std::size_t next_ = 0;
};

// Reads a cursor to the end; the status is the cursor's.
inline Status DrainCursor(QuadCursor& cursor, std::vector<Quad>* out) {
  Quad q;
  while (cursor.Next(&q)) out->push_back(q);
  return cursor.status();
}

}  // namespace parley
