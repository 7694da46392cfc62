// query/plan/bgp.cpp
// The planner's basic graph patterns: their estimated rows (from the store's statistics
// and counted matches of constants), the order the cheapest start leads to, probes or
// tables for each pattern, filters placed as soon as their variables are bound, paths,
// and the split of a large BGP over the threads.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>

#include "query/plan/planner.hpp"

namespace parley::query::plan {

std::optional<RequiredPrefix> PrefixOf(const ast::Expr& e) {
  using EOp = ast::Expr::Op;
  if (e.op != EOp::kCall || e.args.size() != 2) return std::nullopt;
  const ast::Expr& target = e.args[0];
  const ast::Expr& text = e.args[1];
  if (target.op != EOp::kTerm || !target.term.is_var) return std::nullopt;
  if (text.op != EOp::kTerm || text.term.is_var || text.term.term.kind != TermKind::kLiteral) return std::nullopt;
  if (!text.term.term.language.empty()) return std::nullopt;
  const std::string& value = text.term.term.value;
  if (e.name == "STRSTARTS") return RequiredPrefix{target.term.var, value};
  if (e.name != "REGEX" || value.size() < 2 || value[0] != '^') return std::nullopt;
  if (value.find('|') != std::string::npos) return std::nullopt;  // "^a|b" is not anchored
  std::string prefix;
  for (std::size_t i = 1; i < value.size(); ++i) {
    const char c = value[i];
    if (std::string_view(".[]()*+?{}\\^$").find(c) != std::string_view::npos) {
      // A quantifier makes the character before it optional.
      if ((c == '*' || c == '?' || c == '{') && !prefix.empty()) prefix.pop_back();
      break;
    }
    prefix.push_back(c);
  }
  if (prefix.empty()) return std::nullopt;
  return RequiredPrefix{target.term.var, prefix};
}


exec::PatternSlots Planner::SlotsOf(const ast::TriplePattern& t) {
  exec::PatternSlots s;
  auto position = [&](const ast::PatternTerm& term, int* slot, TermId* constant) {
    if (term.is_var) {
      *slot = ctx_.Slot(term.var);
    } else {
      *constant = ctx_.table().Intern(term.term);
    }
  };
  position(t.subject, &s.s, &s.cs);
  if (t.predicate_is_var) {
    s.p = ctx_.Slot(t.predicate_var);
  } else if (t.path.IsLink()) {
    s.cp = ctx_.table().Intern(Term::Iri(t.path.iri));
  }
  position(t.object, &s.o, &s.co);
  s.g = graph_slot_;
  s.graph = graph_;
  return s;
}

double Planner::Estimate(const ast::TriplePattern& t, const exec::PatternSlots& s, const std::set<std::string>& bound) {
  if (((s.cs | s.cp | s.co) & exec::kLocalBit) != 0) return 0;  // a term the store lacks
  const bool sb = !t.subject.is_var || bound.count(t.subject.var);
  const bool ob = !t.object.is_var || bound.count(t.object.var);
  if (t.predicate_is_var) {
    if (sb && ob) return 1;
    return sb || ob ? 20 : 1e9;
  }
  const PredicateStats* stats = ctx_.Stats(s.cp);
  if (stats == nullptr || stats->quads == 0) return ctx_.options().inference ? 1 : 0;
  // The default graph is the union of all graphs, where a fact several sources give is
  // one triple (a database written before triples were counted has only its quads).
  const bool union_view = s.g < 0 && s.graph.kind == exec::GraphRef::Kind::kDefault && stats->TriplesKnown();
  const double quads = static_cast<double>(union_view ? stats->triples : stats->quads);
  const double subjects = std::max<double>(1, static_cast<double>(stats->distinct_subjects));
  const double objects = std::max<double>(1, static_cast<double>(stats->distinct_objects));
  // A constant end: the matches are counted (up to kCountCap; cached), since one actor,
  // topic or class can have a thousand times the average, or a thousandth. A count that
  // ends below the cap leaves its range in the store's range cache, so the scan that
  // follows costs nothing more. Past the cap the store estimates the range's size from
  // its bytes. With the other end bound by the rows, the average share of one of its
  // values is enough.
  constexpr std::uint64_t kCountCap = 8192;
  const bool s_const = !t.subject.is_var, o_const = !t.object.is_var;
  if ((s_const || o_const) && s.g < 0 && !(s_const && ob && !o_const) && !(o_const && sb && !s_const)) {
    const auto counted = ctx_.CountMatches(s.cs, s.cp, s.co, s.graph, kCountCap);
    if (counted > kCountCap) return static_cast<double>(counted);  // estimated by the store
    double exact = static_cast<double>(counted);
    if (counted == kCountCap) exact = std::max(exact, s_const ? quads / subjects : quads / objects);
    return exact;
  }
  if (sb && ob) return 1;
  if (sb) return quads / subjects;
  if (ob) return quads / objects;
  return quads;
}

double Planner::GroupLookupCost(const Node& bgp, const std::string& key) {
  double values = 0;  // none known
  for (const auto& t : TriplesOf(bgp)) {
    if (t.predicate_is_var || !t.path.IsLink()) continue;
    const PredicateStats* stats = ctx_.Stats(SlotsOf(t).cp);
    if (stats == nullptr) continue;
    std::uint64_t distinct = 0;
    if (t.subject.is_var && t.subject.var == key) distinct = stats->distinct_subjects;
    if (t.object.is_var && t.object.var == key) distinct = stats->distinct_objects;
    if (distinct > 0 && (values == 0 || static_cast<double>(distinct) < values)) values = static_cast<double>(distinct);
  }
  return values > kCachedGroups ? kUncachedGroupLookupRowCost : kGroupLookupRowCost;
}

bool Planner::Connected(const ast::TriplePattern& t, const std::set<std::string>& bound) {
  for (const auto& v : TripleVars(t)) {
    if (bound.count(v)) return true;
  }
  return false;
}

namespace {

// The month before (`step` -1) or after (+1) the month of a plain date's text, as the
// text "YYYY-MM"; at the ends of four-digit years, a text before or after all of them.
std::string NextMonth(const std::string& date, int step) {
  int year = std::stoi(date.substr(0, 4)), month = std::stoi(date.substr(5, 2)) + step;
  if (month == 0) --year, month = 12;
  if (month == 13) ++year, month = 1;
  if (year < 0) return "0000";
  if (year > 9999) return "9999-13";
  char text[8];
  std::snprintf(text, sizeof text, "%04d-%02d", year, month);
  return text;
}

// Appends the ids of `type`'s literals whose text starts with a year of five digits or
// more and lies before `below`: past every four-digit year in value, but in the text's
// order among them ("10000-01-01" right after "1000-12-31"). Found by jumps, one per
// year present: each four-digit year's texts are stepped over at once, as '-' comes
// before every digit. False when there are more than `limit` ids, or too many jumps.
bool LongYears(const TermDictionary& dictionary, const std::string& type, const std::string& below, std::size_t limit,
               std::vector<TermId>* ids) {
  constexpr int kMostJumps = 256;
  std::string at = "1000";  // before "10000", the least such year
  for (int jump = 0; jump < kMostJumps; ++jump) {
    Term term;
    TermId id = 0;
    if (!dictionary.FirstTermBetween(Term::Literal(at, type), Term::Literal(below, type), &term, &id)) return true;
    const std::string& text = term.value;
    if (text.size() > 4 && text[4] >= '0' && text[4] <= '9') {
      if (ids->size() >= limit) return false;
      ids->push_back(id);
    }
    std::string next = text.substr(0, 4) + "0";
    at = next > text ? next : text + '\0';  // the least text after this one
  }
  return false;
}

}  // namespace

std::optional<DateRange> DateRangeOf(const std::vector<const ast::Expr*>& filters) {
  using EOp = ast::Expr::Op;
  // Per variable and datatype: the greatest lower bound and the least upper bound.
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> bounds;
  for (const ast::Expr* f : filters) {
    const auto c = exec::AsConstantComparison(*f);
    if (!c || c->op == EOp::kNe) continue;
    const exec::SortKey key = exec::SortKeyOf(c->constant);
    if (key.kind != exec::SortKey::Kind::kDate && key.kind != exec::SortKey::Kind::kDateTime) continue;
    const bool below = c->op == EOp::kEq || c->op == EOp::kGt || c->op == EOp::kGe;
    const bool above = c->op == EOp::kEq || c->op == EOp::kLt || c->op == EOp::kLe;
    auto& [low, high] = bounds[{c->variable->var, c->constant->datatype}];
    const std::string& text = c->constant->value;
    if (below && (low.empty() || text > low)) low = text;
    if (above && (high.empty() || text < high)) high = text;
  }
  if (bounds.empty()) return std::nullopt;
  const auto& [var_type, range] = *bounds.begin();
  return DateRange{var_type.first, var_type.second, range.first, range.second};
}

std::optional<RequiredYear> YearOf(const ast::Expr& e) {
  using EOp = ast::Expr::Op;
  if (e.op != EOp::kEq) return std::nullopt;
  const bool call_left = e.args[0].op == EOp::kCall;
  const ast::Expr& call = e.args[call_left ? 0 : 1];
  const ast::Expr& year = e.args[call_left ? 1 : 0];
  if (call.op != EOp::kCall || call.name != "YEAR" || call.args.size() != 1) return std::nullopt;
  const ast::Expr& v = call.args[0];
  if (v.op != EOp::kTerm || !v.term.is_var || year.op != EOp::kTerm || year.term.is_var) return std::nullopt;
  const exec::SortKey key = exec::SortKeyOf(&year.term.term);
  if (key.kind != exec::SortKey::Kind::kInteger || key.value < 1000) return std::nullopt;
  return RequiredYear{v.term.var, year.term.term.value};
}

std::optional<Planner::Built> Planner::CandidateStart(const std::vector<ast::TriplePattern>& triples,
                                                      const std::vector<const ast::Expr*>& filters) {
  constexpr std::size_t kMaxCandidates = 4096;
  // A candidate is looked up in an index: a seek, which costs as many rows of a scan.
  constexpr double kRowsPerLookup = 8;
  auto object_rows = [&](const std::string& var) {
    std::optional<double> rows;
    for (const auto& t : triples) {
      if (t.object.is_var && t.object.var == var) rows = std::min(rows.value_or(INFINITY), Estimate(t, {}));
    }
    return rows;
  };
  const TermDictionary& dictionary = ctx_.table().dictionary();
  for (const ast::Expr* f : filters) {
    auto required = PrefixOf(*f);
    std::vector<TermId> ids;
    if (!required || !object_rows(required->var) ||
        !dictionary.StringLiteralsWithPrefix(required->prefix, kMaxCandidates, &ids)) {
      continue;
    }
    return Column(required->var, ids, "strings starting \"" + required->prefix + "\" for ?" + required->var);
  }
  // How many candidates are worth looking up: each for far fewer rows than the object's
  // scan reads, or any pattern the BGP could start from instead (a constant subject's).
  // The dictionary lists no more: past that, a scan is cheaper.
  auto most = [&](const std::string& var) -> std::size_t {
    const auto rows = object_rows(var);
    if (!rows) return 0;
    double fewest = *rows;
    for (const auto& t : triples) fewest = std::min(fewest, Estimate(t, {}));
    return static_cast<std::size_t>(std::min(static_cast<double>(kMaxCandidates), std::floor(fewest / kRowsPerLookup)));
  };
  std::vector<TermId> ids;
  // Dates in XML Schema's forms lie within days of their text's order (ParseInstant), so
  // only those whose text lies within a month of the range's can be in it. Open at the
  // bottom, that takes in negative years, which come first; open at the top, years of
  // five digits or more are past the bound too, and are sought apart.
  if (auto range = DateRangeOf(filters)) {
    const std::string from = range->low.empty() ? "" : NextMonth(range->low, -1);
    const std::string to = range->high.empty() ? "\xff" : NextMonth(range->high, +1);  // no UTF-8 text has 0xff
    const std::string& type = range->datatype;
    const std::size_t limit = most(range->var);
    if (limit > 0 && dictionary.TermsBetween(Term::Literal(from, type), Term::Literal(to, type), limit, &ids) &&
        (!range->high.empty() || LongYears(dictionary, type, from, limit, &ids))) {
      return Column(range->var, ids, "dates near " + (range->low.empty() ? "…" : range->low) + " to " +
                                         (range->high.empty() ? "…" : range->high) + " for ?" + range->var + " (" +
                                         std::to_string(ids.size()) + ")");
    }
  }
  for (const ast::Expr* f : filters) {
    auto required = YearOf(*f);
    if (!required) continue;
    ids.clear();
    const std::size_t limit = most(required->var);
    bool listed = limit > 0;
    for (const std::string& type : {exec::kXsdDate, exec::kXsdDateTime}) {
      listed = listed &&
               dictionary.TermsBetween(Term::Literal(required->year + "-", type), Term::Literal(required->year + ".", type),
                                       limit, &ids) &&
               dictionary.TermsBetween(Term::Literal("0", type), Term::Literal("1", type), limit, &ids);
    }
    if (listed) {
      return Column(required->var, ids, "dates of " + required->year + " for ?" + required->var + " (" + std::to_string(ids.size()) + ")");
    }
  }
  return std::nullopt;
}

Planner::SplitPlan Planner::Split(const Node& n, std::optional<std::size_t> keep) {
  const unsigned threads = ctx_.options().threads;
  const Node& bgp = InnermostBgp(n);
  const auto& triples = TriplesOf(bgp);
  if (threads <= 1 || substitute_ || triples.empty()) return {};
  for (const ast::Expr* f : FiltersOf(bgp)) {
    std::set<std::string> vars;
    bool exists = false;
    algebra::ExprVars(*f, &vars, &exists);
    if (exists) return {};
  }
  // The first scan, as PlanBgpSerial chooses it.
  std::vector<exec::PatternSlots> slots;
  for (const auto& t : triples) slots.push_back(SlotsOf(t));
  const std::size_t start = FirstPattern(triples, slots, {}, 1, "");
  const double first = Estimate(triples[start], slots[start], {});
  if (first < static_cast<double>(ctx_.options().parallel_min_rows)) return {};
  // Nor under a LIMIT that wants a small part of the scan: one thread's first rows come
  // sooner than the threads' start and their tables.
  if (row_goal_ && 4 * *row_goal_ < first) return {};
  // Nor when a few candidates from the dictionary replace the scan.
  if (CandidateStart(triples, FiltersOf(bgp))) return {};
  const auto chunk = static_cast<std::uint64_t>(std::ceil(first / threads));
  SplitPlan split{{}, std::make_shared<std::atomic<bool>>(false), 0, {}, {}};
  auto tables = std::make_shared<std::map<const ast::TriplePattern*, std::shared_ptr<exec::PatternTable>>>();
  for (unsigned w = 0; w < threads; ++w) {
    exec::Worker worker{std::make_unique<ExecContext>(ctx_, split.stop.get()), nullptr};
    Planner planner(*worker.ctx, query_);
    planner.graph_ = graph_;
    planner.graph_slot_ = graph_slot_;
    planner.shared_tables_ = tables;
    planner.group_key_ = group_key_;
    planner.group_lookup_cost_ = group_lookup_cost_;
    planner.chunk_ = exec::Chunk{w * chunk, w + 1 < threads ? std::optional<std::uint64_t>(chunk) : std::nullopt};
    Built part = planner.Plan(n, keep);
    // The whole's estimate and bound variables are any part's: the chunk changes neither.
    split.rows = part.rows;
    split.bound = part.bound;
    split.sorted_by = part.sorted_by;
    worker.root = std::move(part.op);
    split.workers.push_back(std::move(worker));
  }
  return split;
}

std::optional<Planner::Built> Planner::Parallel(const Node& n, std::optional<std::size_t> keep) {
  if (chunk_) return std::nullopt;  // a worker's own plan
  auto split = Split(n, keep);
  if (split.workers.empty()) return std::nullopt;
  const std::size_t threads = split.workers.size();
  Built parallel{std::make_unique<exec::ExchangeOp>(ctx_, std::move(split.workers), std::move(split.stop)), split.rows,
                 std::move(split.bound), {}};
  return Label(std::move(parallel), "parallel (" + std::to_string(threads) + " threads, each a part of the scan; the first shown)");
}

Planner::Built Planner::PlanBgp(Built in, const Node& bgp) {
  const auto& triples = TriplesOf(bgp);
  auto filters = FiltersOf(bgp);
  // Joins or filters over a large scan: split over the threads. (A bare scan is not:
  // its cost is the reading, which each thread would do anyway.)
  if (IsUnitOp(in) && (triples.size() > 1 || !filters.empty())) {
    if (auto parallel = Parallel(bgp)) return std::move(*parallel);
  }
  return PlanBgpSerial(std::move(in), triples, std::move(filters));
}

Planner::Built Planner::PlanBgpSerial(Built in, const std::vector<ast::TriplePattern>& triples, std::vector<const ast::Expr*> filters) {
  if (IsUnitOp(in)) {
    if (auto start = CandidateStart(triples, filters)) in = std::move(*start);
  }
  std::vector<bool> used(triples.size(), false), placed(filters.size(), false);
  std::vector<std::set<std::string>> filter_vars(filters.size());
  for (std::size_t f = 0; f < filters.size(); ++f) algebra::ExprVars(*filters[f], &filter_vars[f]);
  // The subjects and predicates of the triple patterns (not of paths, whose zero-length
  // case binds any term) and the GRAPH variable are IRIs or blank nodes in every row that
  // outlives the BGP, which is all a filter's answer decides.
  std::set<int> not_literals;
  for (const auto& t : triples) {
    if (!t.predicate_is_var && !t.path.IsLink()) continue;
    if (t.subject.is_var) not_literals.insert(ctx_.Slot(t.subject.var));
    if (t.predicate_is_var) not_literals.insert(ctx_.Slot(t.predicate_var));
  }
  if (graph_slot_ >= 0) not_literals.insert(graph_slot_);
  auto place_filters = [&](Built b, bool all) {
    std::vector<const ast::Expr*> now;
    for (std::size_t f = 0; f < filters.size(); ++f) {
      if (!placed[f] && (all || Within(filter_vars[f], b.bound))) {
        placed[f] = true;
        now.push_back(filters[f]);
      }
    }
    return Filtered(std::move(b), std::move(now), not_literals);
  };
  in = place_filters(std::move(in), false);
  // Each pattern's expected rows and whether it shares a variable with the rows so
  // far, kept up to date as variables get bound (only the patterns of a newly bound
  // variable change), so that a BGP of thousands of patterns plans in n² compares.
  const std::size_t n = triples.size();
  constexpr double kUnknown = -1;  // an estimate not made yet
  std::vector<exec::PatternSlots> slots;
  std::vector<double> rows(n, kUnknown);
  std::vector<char> connected(n);
  std::map<std::string, std::vector<std::size_t>> by_var;
  for (std::size_t i = 0; i < n; ++i) {
    slots.push_back(SlotsOf(triples[i]));
    connected[i] = in.bound.empty() || Connected(triples[i], in.bound);
    for (const auto& v : TripleVars(triples[i])) by_var[v].push_back(i);
  }
  for (std::size_t step = 0; step < n; ++step) {
    // The cheapest next pattern among those that share a variable with the rows (all
    // of them, when none does); estimates are made only for those.
    std::size_t best = step == 0 ? FirstPattern(triples, slots, in.bound, in.rows, in.sorted_by) : n;
    bool any_connected = false;
    for (std::size_t i = 0; step > 0 && i < n && !any_connected; ++i) any_connected = !used[i] && connected[i];
    for (std::size_t i = 0; step > 0 && i < n; ++i) {
      if (used[i] || static_cast<bool>(connected[i]) != any_connected) continue;
      if (rows[i] == kUnknown) rows[i] = Estimate(triples[i], slots[i], in.bound);
      if (best == n || rows[i] < rows[best]) best = i;
    }
    if (rows[best] == kUnknown) rows[best] = Estimate(triples[best], slots[best], in.bound);
    used[best] = true;
    const bool nothing_bound = in.bound.empty();
    std::vector<std::string> fresh;
    for (const auto& v : TripleVars(triples[best])) {
      if (!in.bound.count(v)) fresh.push_back(v);
    }
    in = JoinPattern(std::move(in), triples[best], rows[best]);
    in = place_filters(std::move(in), false);
    for (std::size_t i = 0; nothing_bound && i < n; ++i) connected[i] = Connected(triples[i], in.bound);
    // A newly bound variable changes the estimates of its patterns.
    for (const auto& v : fresh) {
      for (std::size_t i : by_var[v]) {
        rows[i] = kUnknown;
        connected[i] = true;
      }
    }
  }
  return place_filters(std::move(in), true);
}

Planner::JoinChoice Planner::ChooseJoin(const ast::TriplePattern& t, const exec::PatternSlots& slots,
                                        const std::set<std::string>& bound, double rows, const std::string& sorted_by) {
  JoinChoice probe{exec::PatternMethod::kProbe, rows * kRowsPerSeek};
  const bool s_bound = t.subject.is_var && bound.count(t.subject.var);
  const bool o_bound = t.object.is_var && bound.count(t.object.var);
  const bool p_free = !t.predicate_is_var || !bound.count(t.predicate_var);
  const bool one_variable = t.subject.is_var && t.object.is_var && t.subject.var == t.object.var;
  // Under GRAPH ?g the table keeps each match's graph in place of its predicate, so the
  // predicate must be fixed; and the graph variable must not be an end's too.
  const bool graphs = slots.g >= 0;
  const bool graphs_fit = !graphs || (exec::PatternTable::KeepsGraphs(slots) && slots.g != slots.s && slots.g != slots.o);
  if (s_bound == o_bound || !p_free || one_variable || !graphs_fit || rows <= 64) return probe;
  const exec::GraphRef table_graph = graphs ? exec::GraphRef::AnyNamed() : slots.graph;
  // In every named graph: the store's count (up to a cap, then its estimate).
  constexpr std::uint64_t kCountCap = 8192;
  const TermId table_s = s_bound ? exec::kUnbound : slots.cs, table_o = s_bound ? slots.co : exec::kUnbound;
  const double table_rows =
      graphs ? static_cast<double>(ctx_.CountMatches(table_s, slots.cp, table_o, table_graph, kCountCap)) : Estimate(t, slots, {});
  if (table_rows > kMaxTableRows) return probe;
  JoinChoice best = probe;
  const JoinChoice hash{exec::PatternMethod::kHash, table_rows * kTableRowCost + rows};
  if (hash.cost < best.cost) best = hash;
  const std::string& key = s_bound ? t.subject.var : t.object.var;
  if (key == sorted_by) {
    // The table's key is the end the index gives in order when the other end is free.
    const auto order = ctx_.SortedBy(table_s, slots.cp, table_o, table_graph);
    const bool in_order = order == (s_bound ? QuadPosition::kSubject : QuadPosition::kObject);
    const double per_row = kMergeTableRowCost + (in_order ? 0 : kMergeSortRowCost);
    const JoinChoice merge{exec::PatternMethod::kMerge, table_rows * per_row + rows * kMergeRowCost};
    if (merge.cost < best.cost) best = merge;
  }
  return best;
}

std::string Planner::ScanOrder(const ast::TriplePattern& t, const exec::PatternSlots& slots) {
  if (slots.g >= 0 || t.predicate_is_var) return "";
  const auto order = ctx_.SortedBy(slots.cs, slots.cp, slots.co, slots.graph);
  if (order == QuadPosition::kSubject && t.subject.is_var) return t.subject.var;
  if (order == QuadPosition::kObject && t.object.is_var) return t.object.var;
  return "";
}

std::size_t Planner::NextPattern(const std::vector<ast::TriplePattern>& triples,
                                 const std::vector<exec::PatternSlots>& slots, const std::vector<bool>& used,
                                 const std::set<std::string>& bound) {
  bool any_connected = false;
  for (std::size_t i = 0; i < triples.size() && !any_connected; ++i) {
    any_connected = !used[i] && (bound.empty() || Connected(triples[i], bound));
  }
  std::size_t best = triples.size();
  double best_rows = 0;
  for (std::size_t i = 0; i < triples.size(); ++i) {
    if (used[i] || (bound.empty() || Connected(triples[i], bound)) != any_connected) continue;
    const double rows = Estimate(triples[i], slots[i], bound);
    if (best == triples.size() || rows < best_rows) {
      best = i;
      best_rows = rows;
    }
  }
  return best;
}

double Planner::OrderCost(std::size_t start, const std::vector<ast::TriplePattern>& triples,
                   const std::vector<exec::PatternSlots>& slots, std::set<std::string> bound, double rows,
                   std::string sorted_by) {
  std::vector<bool> used(triples.size(), false);
  double cost = 0;
  for (std::size_t step = 0, next = start; step < triples.size(); ++step) {
    if (step > 0) next = NextPattern(triples, slots, used, bound);
    used[next] = true;
    const double matches = Estimate(triples[next], slots[next], bound);
    if (bound.empty() && rows <= 1) {
      cost += matches;  // the first scan
      sorted_by = ScanOrder(triples[next], slots[next]);
    } else {
      cost += ChooseJoin(triples[next], slots[next], bound, rows, sorted_by).cost;
    }
    rows *= matches;
    cost += rows;
    for (const auto& v : TripleVars(triples[next])) bound.insert(v);
  }
  if (!group_key_.empty() && sorted_by != group_key_) cost += rows * group_lookup_cost_;
  return cost;
}

std::size_t Planner::FirstPattern(const std::vector<ast::TriplePattern>& triples, const std::vector<exec::PatternSlots>& slots,
                                  const std::set<std::string>& bound, double rows, const std::string& sorted_by) {
  constexpr std::size_t kCostedPatterns = 12;
  // Only patterns that share a variable with the rows, when some do.
  std::vector<char> connected(triples.size());
  bool any_connected = false;
  for (std::size_t i = 0; i < triples.size(); ++i) {
    connected[i] = bound.empty() || Connected(triples[i], bound);
    any_connected = any_connected || connected[i];
  }
  std::size_t best = triples.size();
  double best_cost = 0;
  for (std::size_t i = 0; i < triples.size(); ++i) {
    if (static_cast<bool>(connected[i]) != any_connected) continue;
    const double cost = triples.size() <= kCostedPatterns ? OrderCost(i, triples, slots, bound, rows, sorted_by)
                                                          : Estimate(triples[i], slots[i], bound);
    if (best == triples.size() || cost < best_cost) {
      best = i;
      best_cost = cost;
    }
  }
  return best;
}

double Planner::RowsMet(double rows, double matches_per_row, bool optional) const {
  if (!row_goal_) return rows;
  // Each row met gives its matches (at least itself, when optional).
  const double gives = optional ? std::max(1.0, matches_per_row) : matches_per_row;
  return std::min(rows, *row_goal_ / std::max(gives, 1e-3));
}

Planner::Built Planner::JoinPattern(Built in, const ast::TriplePattern& t, double matches_per_row, bool optional) {
  const exec::PatternSlots slots = SlotsOf(t);
  const bool s_bound = t.subject.is_var && in.bound.count(t.subject.var);
  const bool first = IsUnitOp(in);
  const exec::PatternMethod method =
      first ? exec::PatternMethod::kProbe
            : ChooseJoin(t, slots, in.bound, RowsMet(in.rows, matches_per_row, optional), in.sorted_by).method;
  const bool tabled = method != exec::PatternMethod::kProbe;
  const int key_slot = tabled ? (s_bound ? slots.s : slots.o) : -1;
  // The threads of a split plan share one table of each pattern's matches.
  std::shared_ptr<exec::PatternTable> table;
  if (tabled) {
    table = shared_tables_ ? (*shared_tables_)[&t] : nullptr;
    if (!table) table = std::make_shared<exec::PatternTable>();
    if (shared_tables_) (*shared_tables_)[&t] = table;
  }
  if (tabled) {
    in.op = std::make_unique<exec::TableJoinOp>(ctx_, std::move(in.op), slots, method, key_slot, optional, table);
  } else {
    auto op = std::make_unique<exec::PatternJoinOp>(ctx_, std::move(in.op), slots, optional);
    if (first && chunk_) op->Restrict(*chunk_);
    in.op = std::move(op);
  }
  in.rows = optional ? std::max(in.rows, in.rows * matches_per_row) : std::max(in.rows * matches_per_row, 0.0);
  // Each row's matches follow it where it was: the rows stay in their order.
  if (first && !optional) in.sorted_by = ScanOrder(t, slots);
  if (!optional) {
    for (const auto& v : TripleVars(t)) in.bound.insert(v);
    if (graph_slot_ >= 0) in.bound.insert(ctx_.name(static_cast<std::size_t>(graph_slot_)));
  }
  std::string how = method == exec::PatternMethod::kHash    ? "hash join"
                    : method == exec::PatternMethod::kMerge ? "merge join"
                    : first                                 ? "scan"
                                                            : "index join";
  if (optional) how = "optional " + how;
  return Label(std::move(in), how + " " + TripleLabel(t) + GraphLabel());
}

Planner::Built Planner::JoinPath(Built in, const ast::TriplePattern& t) {
  const bool s_bound = !t.subject.is_var || in.bound.count(t.subject.var);
  const bool o_bound = !t.object.is_var || in.bound.count(t.object.var);
  in.op = std::make_unique<exec::PathOp>(ctx_, std::move(in.op), t, SlotsOf(t));
  in.rows *= s_bound || o_bound ? 50 : 1e6;
  for (const auto& v : TripleVars(t)) in.bound.insert(v);
  if (graph_slot_ >= 0) in.bound.insert(ctx_.name(static_cast<std::size_t>(graph_slot_)));
  return Label(std::move(in), "path " + TermLabel(t.subject) + " " + algebra::PrintPath(t.path) + " " +
                                  TermLabel(t.object) + GraphLabel());
}

std::string Planner::GraphLabel() {
  if (graph_slot_ >= 0) return " in graph ?" + ctx_.name(static_cast<std::size_t>(graph_slot_));
  if (graph_.kind == exec::GraphRef::Kind::kNamed) return " in graph " + IdLabel(graph_.id);
  return "";
}

}  // namespace parley::query::plan
