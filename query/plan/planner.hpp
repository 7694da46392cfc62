// query/plan/planner.hpp
// The planner's own declarations, shared by its translation units (physical.cpp: the
// algebra's nodes; bgp.cpp: basic graph patterns, paths and the split over threads).
// Internal to query/plan/; the rest of Parley uses physical.hpp.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "query/plan/physical.hpp"

namespace parley::query::plan {

using algebra::Node;
using algebra::Op;
using exec::ExecContext;
using exec::OperatorPtr;

// The literal text a filter requires ?v to start with: STRSTARTS(?v, "text") or
// REGEX(?v, "^text") without flags, where "text" holds no regex operator.
struct RequiredPrefix {
  std::string var;
  std::string prefix;
};
std::optional<RequiredPrefix> PrefixOf(const ast::Expr& e);

// Filters that confine ?v to a range of dates (or of dateTimes): comparisons of ?v with
// constants of one of the two types in their plain form ("2018-06-12",
// "2018-06-12T09:00:00"). `low` and `high` are the narrowest bounds' texts, empty for a
// side no comparison bounds.
struct DateRange {
  std::string var;
  std::string datatype;
  std::string low, high;
};
std::optional<DateRange> DateRangeOf(const std::vector<const ast::Expr*>& filters);

// A filter YEAR(?v) = N, for a year N of four digits or more: ?v's text then starts with
// "N-", or with "0" (a year written with leading zeros, which YEAR drops).
struct RequiredYear {
  std::string var;
  std::string year;
};
std::optional<RequiredYear> YearOf(const ast::Expr& e);

// Pattern terms and IRIs as explain shows them: IRIs with a built-in prefix when one fits.
std::string IriLabel(const std::string& iri);
std::string TermLabel(const ast::PatternTerm& t);
std::string TripleLabel(const ast::TriplePattern& t);

std::set<std::string> TripleVars(const ast::TriplePattern& t);
// Whether a ⊆ b.
bool Within(const std::set<std::string>& a, const std::set<std::string>& b);

class Planner {
 public:
  Planner(ExecContext& ctx, const algebra::Query& query) : ctx_(ctx), query_(query) {}

  // Gives every variable of the tree its slot before any operator is built, so that the
  // width of a row is known to all of them.
  void AssignSlots(const Node& n);

  struct Built {
    OperatorPtr op;
    double rows = 1;
    std::set<std::string> bound;  // variables every row binds
    // The variable whose ids the rows come in nondecreasing order of, when one is known:
    // a scan's sorted position, kept by the joins that extend each row where it is.
    std::string sorted_by;
  };

  Built Plan(const Node& n, std::optional<std::size_t> keep = std::nullopt);

  // `n` joined to the rows of `in`. Patterns, paths and filters run over those rows
  // (a bind join: each row's values narrow the index scans), and so do the operands of a
  // join one after the other; anything else is planned on its own and hash-joined.
  Built PlanOver(Built in, const Node& n);

  // EXISTS { pattern } for the values of one row: the pattern planned over that row.
  std::optional<bool> Exists(const ast::Expr& e, const std::vector<TermId>& row);

 private:
  std::optional<bool> Run(const ast::Expr& e, const Node* pattern, const std::vector<TermId>& row);

  static void MentionedVars(const Node& n, std::set<std::string>* out);

  static bool IsBgp(const Node& n) { return n.op == Op::kBgp || (n.op == Op::kFilter && n.children[0]->op == Op::kBgp); }
  // OPTIONAL { one pattern, no filter }: planned as a join of that pattern.
  static bool IsPatternOptional(const Node& n) {
    return n.op == Op::kLeftJoin && n.children[1]->op == Op::kBgp && n.children[1]->triples.size() == 1 && n.exprs.empty();
  }
  // A join with a GRAPH of a BGP on its right: its patterns are joined to the left's rows.
  static bool IsGraphJoin(const Node& n) {
    return n.op == Op::kJoin && n.children[1]->op == Op::kGraph && IsBgp(*n.children[1]->children[0]);
  }
  // A BGP with its filters, under OPTIONALs of one pattern and joins with a GRAPH's
  // patterns: what the threads of a split plan each plan over their part of the first
  // scan (that of the innermost BGP). Each joins its rows as the whole would.
  static bool Splittable(const Node& n) {
    return IsBgp(n) || ((IsPatternOptional(n) || IsGraphJoin(n)) && Splittable(*n.children[0]));
  }
  static const Node& InnermostBgp(const Node& n) { return IsBgp(n) ? n : InnermostBgp(*n.children[0]); }
  static const std::vector<ast::TriplePattern>& TriplesOf(const Node& bgp) {
    return bgp.op == Op::kBgp ? bgp.triples : bgp.children[0]->triples;
  }
  static std::vector<const ast::Expr*> FiltersOf(const Node& bgp) {
    return bgp.op == Op::kBgp ? std::vector<const ast::Expr*>{} : Pointers(bgp.exprs);
  }
  // The plan of a Splittable node split over the threads (an exchange of their rows), or
  // null when Split finds it not worth it.
  // With `keep`, each thread plans n (an ORDER BY) as a top-k of its part.
  std::optional<Built> Parallel(const Node& n, std::optional<std::size_t> keep = std::nullopt);

  static bool ReadsOnlyCertain(const std::vector<ast::Expr>& exprs, const Node& n);

  // Remembers the graph each EXISTS is evaluated in: the one active where it is met.
  void NoteExists(const ast::Expr& e);
  static bool IsUnitOp(const Built& b) { return b.op->label == "unit"; }

  static std::vector<const ast::Expr*> Pointers(const std::vector<ast::Expr>& exprs);

  void BindExpr(const ast::Expr& e);

  // The slots an expression reads, for decoding their terms a block at a time.
  std::vector<int> ReadSlots(const std::vector<ast::Expr>& exprs);
  std::vector<int> ReadSlots(const std::vector<const ast::Expr*>& exprs);

  Built Label(Built b, std::string label);

  Built Unit();

  Built Table(const Node& n);

  // One column of ids as a table: the named graphs, or a filter's prefix candidates.
  Built Column(const std::string& var, const std::vector<TermId>& ids, std::string label);

  // `not_literals`: see exec::FilterOp.
  Built Filtered(Built in, std::vector<const ast::Expr*> exprs, const std::set<int>& not_literals = {});

  Built Extend(Built in, const Node& n);

  // GRAPH g { P } over the rows of `in`: P's patterns match in graph g.
  Built Graph(Built in, const Node& n);

  std::string IdLabel(TermId id);

  Built HashJoin(Built left, Built right, const Node& n, exec::JoinKind kind);

  // `left_vars`: the variables the left rows may bind (all slots when not given).
  Built HashJoin(Built left, Built right, const std::set<std::string>& right_vars, exec::JoinKind kind,
                 std::vector<const ast::Expr*> exprs, std::optional<std::set<std::string>> left_vars = std::nullopt);

  Built Group(const Node& n);
  // COUNT without materialising rows: when `op`, the input of a group of counts that
  // reads the slots `read`, is a table join binding none of them, it gives each row once
  // with its number of matches.
  static void CountJoinedRows(exec::Operator& op, const std::vector<int>& read);

  // ---- BGPs and paths

  exec::PatternSlots SlotsOf(const ast::TriplePattern& t);

  // Expected matches of `t` given the variables in `bound`, from the predicate's counts.
  double Estimate(const ast::TriplePattern& t, const std::set<std::string>& bound) { return Estimate(t, SlotsOf(t), bound); }
  double Estimate(const ast::TriplePattern& t, const exec::PatternSlots& s, const std::set<std::string>& bound);

  static bool Connected(const ast::TriplePattern& t, const std::set<std::string>& bound);

  // Filters that allow an object of the BGP only a few literals, when nothing is bound
  // yet: the strings with a prefix the filter requires, or the dates near a range it
  // requires. The dictionary lists them, and (when there are few, and far fewer than the
  // rows the object's scan reads) they become the first rows, each looked up instead of
  // every row's term being read. The filters still run. Nullopt when there are none.
  std::optional<Built> CandidateStart(const std::vector<ast::TriplePattern>& triples, const std::vector<const ast::Expr*>& filters);

  // A BGP with its filters, from the unit row, split over the threads when its first scan
  // is large: each worker plans the same joins over its own chunk of that scan. Empty
  // when it is not worth it (one thread, a small scan) or not possible (EXISTS, which
  // plans on the query's own context; a candidate start, which replaces the scan).
  struct SplitPlan {
    std::vector<exec::Worker> workers;
    std::shared_ptr<std::atomic<bool>> stop;  // tells them to stop early
    double rows = 0;                           // the whole's estimated rows
    std::set<std::string> bound;               // the variables every row binds
    std::string sorted_by;                     // each part's order (Built::sorted_by)
  };
  SplitPlan Split(const Node& n, std::optional<std::size_t> keep = std::nullopt);

  // A BGP and filters over its variables, joined to the rows of `in`: split over the
  // threads when it starts a plan with a large scan (Split), else PlanBgpSerial.
  Built PlanBgp(Built in, const Node& bgp);

  // The patterns from FirstPattern on, each next the connected one of fewest expected
  // rows, each filter right after the pattern that binds its last variable.
  Built PlanBgpSerial(Built in, const std::vector<ast::TriplePattern>& triples, std::vector<const ast::Expr*> filters);

  // Costs, in units of one row read in index order.
  static constexpr double kRowsPerSeek = 8;  // an index probe
  static constexpr double kTableRowCost = 2;  // a row read into a hash join's table (read, sort, index)
  // A row read into a merge join's table: read, and sorted unless the index gives it in
  // key order; and a row meeting it (a step through keys in order, not a random probe).
  static constexpr double kMergeTableRowCost = 1.2, kMergeSortRowCost = 0.9, kMergeRowCost = 0.3;
  static constexpr double kMaxTableRows = 4e6;
  // A row a GROUP BY of one key must look up in its hash table of groups, where rows in
  // order of the key find their group without: as a hash join's row while the table
  // stays in the CPU's nearer caches (kCachedGroups), four times that past them.
  static constexpr double kGroupLookupRowCost = 1, kUncachedGroupLookupRowCost = 4;
  static constexpr double kCachedGroups = 10000;
  // What a group lookup is expected to cost a row of `bgp` grouped by `key`: by the
  // fewest distinct values the key takes in one of its patterns.
  double GroupLookupCost(const Node& bgp, const std::string& key);

  // How `t` meets `rows` rows binding `bound` (sorted by `sorted_by`), and what it costs:
  // a probe per row; or, when the rows bind one end of it, a table of all its matches,
  // met by hash or, when the rows come sorted by that end, by merge.
  struct JoinChoice {
    exec::PatternMethod method = exec::PatternMethod::kProbe;
    double cost = 0;
  };
  JoinChoice ChooseJoin(const ast::TriplePattern& t, const exec::PatternSlots& slots, const std::set<std::string>& bound,
                        double rows, const std::string& sorted_by);

  // The variable a scan of `t` from nothing bound gives its rows sorted by, or "".
  std::string ScanOrder(const ast::TriplePattern& t, const exec::PatternSlots& slots);

  // The pattern to join next: among the unused ones that share a variable with the rows
  // (all of them, when none does), the one of fewest expected rows.
  std::size_t NextPattern(const std::vector<ast::TriplePattern>& triples, const std::vector<exec::PatternSlots>& slots,
                          const std::vector<bool>& used, const std::set<std::string>& bound);

  // The cost of joining the BGP to `rows` rows binding `bound`, starting from pattern
  // `start` and going on as PlanBgpSerial does (the next connected pattern of fewest
  // rows), each pattern probed or read into a table as JoinPattern would.
  double OrderCost(std::size_t start, const std::vector<ast::TriplePattern>& triples,
                   const std::vector<exec::PatternSlots>& slots, std::set<std::string> bound, double rows,
                   std::string sorted_by);

  // The pattern a BGP starts from: for a few patterns, the start of the cheapest order
  // (OrderCost); for many, the one of fewest rows among those the rows connect to.
  std::size_t FirstPattern(const std::vector<ast::TriplePattern>& triples, const std::vector<exec::PatternSlots>& slots,
                           const std::set<std::string>& bound, double rows, const std::string& sorted_by);

  // Joins one pattern to the rows as ChooseJoin finds cheapest: by probing the index once
  // per row, or through a table of all its matches.
  Built JoinPattern(Built in, const ast::TriplePattern& t, double matches_per_row, bool optional = false);
  // How many of `rows` input rows a join of `matches_per_row` is expected to meet: all of
  // them, or under a LIMIT (row_goal_) only as many as give the rows wanted.
  double RowsMet(double rows, double matches_per_row, bool optional) const;
  // The rows a LIMIT of `wanted` takes from `n`'s patterns when the operators between
  // them stream (patterns, OPTIONAL patterns, filters, BIND); nothing when one reads its
  // whole input first (ORDER BY, GROUP BY, DISTINCT, a hash join).
  static std::optional<double> RowsToStream(const Node& n, double wanted);

  Built JoinPath(Built in, const ast::TriplePattern& t);

  std::string GraphLabel();

  ExecContext& ctx_;
  const algebra::Query& query_;
  bool substitute_ = false;  // planning an EXISTS pattern for one row's values
  // Under a LIMIT over streaming operators: about how many rows the patterns must give.
  // A table join reads its whole table before its first row, where a probe per row
  // costs only for the rows met, so with a goal the probes often cost less.
  std::optional<double> row_goal_;
  // The one key of the GROUP BY right over the BGP being planned: OrderCost charges an
  // order that does not give the rows in order of it a group lookup per row.
  std::string group_key_;
  double group_lookup_cost_ = 0;
  std::map<const Node*, std::vector<int>> exists_slots_;
  std::map<std::vector<TermId>, bool> exists_answers_;
  std::map<const ast::GroupPattern*, std::pair<exec::GraphRef, int>> exists_graphs_;
  // GRAPH ?g over a pattern that uses ?g itself: the slot its patterns bind the graph to.
  std::map<const Node*, int> graph_slots_;
  // A worker's planner: the part of the first scan its plan reads, and the tables of
  // pattern matches its workers share.
  std::optional<exec::Chunk> chunk_;
  std::shared_ptr<std::map<const ast::TriplePattern*, std::shared_ptr<exec::PatternTable>>> shared_tables_;
  // The active graph of the patterns being planned: GRAPH's variable slot, or a graph.
  exec::GraphRef graph_;
  int graph_slot_ = -1;
};

}  // namespace parley::query::plan
