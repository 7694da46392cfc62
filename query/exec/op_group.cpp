// query/exec/op_group.cpp
// GROUP BY with aggregates: groups found by their keys' term ids in a hash table; no
// group keeps its rows. COUNT of a variable or of rows is a counter per group, and
// COUNT(DISTINCT ?v) one table of (group, id) pairs for all groups, all on ids, without
// decoding a term; the other aggregates keep an accumulator per group (accumulator.hpp).
#include <unordered_set>

#include "query/exec/accumulator.hpp"
#include "query/exec/operator.hpp"

namespace parley::query::exec {

namespace {

struct KeyHash {
  std::size_t operator()(const std::vector<TermId>& key) const {
    std::size_t h = key.size();
    for (TermId id : key) h = (h ^ id) * 0x9E3779B97F4A7C15ULL;
    return h;
  }
};

struct PairHash {
  std::size_t operator()(const std::pair<std::size_t, TermId>& p) const {
    return (p.first * 0x9E3779B97F4A7C15ULL) ^ (p.second * 0xC2B2AE3D27D4EB4FULL);
  }
};

enum class Kind : std::uint8_t {
  kCountRows,      // COUNT(*)
  kCountIds,       // COUNT(?v): equal terms have equal ids
  kCountDistinct,  // COUNT(DISTINCT ?v)
  kGeneral,        // anything else, through an accumulator
};

Kind KindOf(const ast::Expr& call) {
  if (call.name != "COUNT") return Kind::kGeneral;
  if (call.args.empty()) return call.distinct ? Kind::kGeneral : Kind::kCountRows;
  const ast::Expr& arg = call.args[0];
  if (arg.op != ast::Expr::Op::kTerm || !arg.term.is_var || arg.term.slot < 0) return Kind::kGeneral;
  return call.distinct ? Kind::kCountDistinct : Kind::kCountIds;
}

}  // namespace

struct GroupOp::State {
  std::vector<Kind> kinds;             // per aggregate
  bool general = false;                // some aggregate needs accumulators
  std::unordered_map<TermId, std::size_t> by_id;  // groups by their one key
  std::unordered_map<std::vector<TermId>, std::size_t, KeyHash> by_key;  // by several
  std::vector<TermId> keys;            // group g's keys at [g * key count]
  std::size_t groups = 0;
  std::vector<std::uint64_t> counts;   // [g * aggregates + a]
  std::vector<Accumulator> accumulators;  // [g * aggregates + a], when `general`
  std::unordered_set<std::pair<std::size_t, TermId>, PairHash> distinct;  // (g * aggregates + a, id)
  std::unordered_map<std::uint64_t, TermId> count_ids;  // interned counts
};

GroupOp::GroupOp(ExecContext& ctx, OperatorPtr input, std::vector<int> key_slots,
                 std::vector<std::pair<int, const ast::Expr*>> aggregates, std::vector<int> read_slots)
    : Operator(ctx),
      input_(std::move(input)),
      key_slots_(std::move(key_slots)),
      aggregates_(std::move(aggregates)),
      read_slots_(std::move(read_slots)),
      state_(std::make_unique<State>()) {
  inputs.push_back(input_.get());
  for (const auto& [slot, call] : aggregates_) {
    state_->kinds.push_back(KindOf(*call));
    state_->general = state_->general || state_->kinds.back() == Kind::kGeneral;
  }
}

GroupOp::~GroupOp() = default;

std::size_t GroupOp::GroupOf(const Block& in, std::size_t row) {
  State& s = *state_;
  const std::size_t fresh = s.groups;
  std::size_t g;
  if (key_slots_.size() == 1) {
    g = s.by_id.try_emplace(in.at(static_cast<std::size_t>(key_slots_[0]), row), fresh).first->second;
  } else {
    key_.resize(key_slots_.size());
    for (std::size_t k = 0; k < key_slots_.size(); ++k) key_[k] = in.at(static_cast<std::size_t>(key_slots_[k]), row);
    auto it = s.by_key.find(key_);
    g = it != s.by_key.end() ? it->second : s.by_key.emplace(key_, fresh).first->second;
  }
  if (g == fresh) NewGroup([&](std::size_t k) { return in.at(static_cast<std::size_t>(key_slots_[k]), row); });
  return g;
}

template <class KeyAt>
void GroupOp::NewGroup(KeyAt key_at) {
  State& s = *state_;
  for (std::size_t k = 0; k < key_slots_.size(); ++k) s.keys.push_back(key_at(k));
  ++s.groups;
  s.counts.resize(s.groups * aggregates_.size());
  if (s.general) s.accumulators.resize(s.groups * aggregates_.size());
}

bool GroupOp::Consume() {
  State& s = *state_;
  Block in;
  while (input_->Next(&in)) {
    PrefetchTerms(ctx_, in, read_slots_);
    for (std::size_t row = 0; row < in.rows; ++row) {
      const std::size_t cell = GroupOf(in, row) * aggregates_.size();
      for (std::size_t a = 0; a < aggregates_.size(); ++a) {
        const ast::Expr& call = *aggregates_[a].second;
        switch (s.kinds[a]) {
          case Kind::kCountRows:
            ++s.counts[cell + a];
            break;
          case Kind::kCountIds:
            s.counts[cell + a] += in.at(static_cast<std::size_t>(call.args[0].term.slot), row) != kUnbound;
            break;
          case Kind::kCountDistinct: {
            const TermId id = in.at(static_cast<std::size_t>(call.args[0].term.slot), row);
            if (id != kUnbound && s.distinct.emplace(cell + a, id).second) ++s.counts[cell + a];
            break;
          }
          case Kind::kGeneral: {
            Accumulator& acc = s.accumulators[cell + a];
            if (call.args.empty()) {  // COUNT(DISTINCT *)
              if (acc.seen_rows.insert(in.Row(row)).second) ++acc.count;
              break;
            }
            RowScope scope(ctx_, in, row);
            Accumulate(call, Evaluate(call.args[0], scope, ctx_.functions()), &acc);
            break;
          }
        }
      }
    }
  }
  if (!ctx_.ok()) return false;
  s.distinct.clear();
  // Aggregates over no rows still make one group (COUNT(*) = 0), unless grouped by keys.
  if (s.groups == 0 && key_slots_.empty()) NewGroup([](std::size_t) { return kUnbound; });
  consumed_ = true;
  return true;
}

TermId GroupOp::CountId(std::uint64_t count) {
  auto [it, fresh] = state_->count_ids.try_emplace(count, kUnbound);
  if (fresh) it->second = ctx_.table().Intern(Term::Literal(std::to_string(count), "http://www.w3.org/2001/XMLSchema#integer"));
  return it->second;
}

bool GroupOp::Produce(Block* out) {
  if (!consumed_ && !Consume()) return false;
  const State& s = *state_;
  std::vector<TermId> row(ctx_.width(), kUnbound);
  while (next_ < s.groups && !out->full()) {
    std::fill(row.begin(), row.end(), kUnbound);
    const std::size_t g = next_++;
    for (std::size_t k = 0; k < key_slots_.size(); ++k) {
      row[static_cast<std::size_t>(key_slots_[k])] = s.keys[g * key_slots_.size() + k];
    }
    for (std::size_t a = 0; a < aggregates_.size(); ++a) {
      const std::size_t cell = g * aggregates_.size() + a;
      TermId& value = row[static_cast<std::size_t>(aggregates_[a].first)];
      if (s.kinds[a] != Kind::kGeneral) {
        value = CountId(s.counts[cell]);
        continue;
      }
      auto term = FinishAggregate(*aggregates_[a].second, s.accumulators[cell]);
      value = term ? ctx_.table().Intern(*term) : kUnbound;
    }
    out->AppendRow(row);
  }
  return out->rows > 0;
}

}  // namespace parley::query::exec
