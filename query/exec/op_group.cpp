// query/exec/op_group.cpp
// GROUP BY with aggregates: groups found by their keys' term ids in a hash table, one
// accumulator per aggregate and group; no group keeps its rows. COUNT of a variable
// counts ids, without decoding a term.
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

// The slot of an aggregate's argument when it is a plain variable, else -1.
int ArgumentSlot(const ast::Expr& call) {
  if (call.args.size() != 1 || call.args[0].op != ast::Expr::Op::kTerm || !call.args[0].term.is_var) return -1;
  return call.args[0].term.slot;
}

}  // namespace

struct GroupOp::State {
  std::unordered_map<std::vector<TermId>, std::size_t, KeyHash> index;
  std::vector<std::vector<TermId>> keys;
  std::vector<std::vector<Accumulator>> accumulators;
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
}

GroupOp::~GroupOp() = default;

bool GroupOp::Consume() {
  Block in;
  std::vector<TermId> key(key_slots_.size());
  std::vector<int> argument_slots;
  for (const auto& [slot, call] : aggregates_) argument_slots.push_back(ArgumentSlot(*call));
  while (input_->Next(&in)) {
    PrefetchTerms(ctx_, in, read_slots_);
    for (std::size_t row = 0; row < in.rows; ++row) {
      for (std::size_t k = 0; k < key_slots_.size(); ++k) key[k] = in.at(static_cast<std::size_t>(key_slots_[k]), row);
      auto it = state_->index.find(key);
      if (it == state_->index.end()) {
        it = state_->index.emplace(key, state_->keys.size()).first;
        state_->keys.push_back(key);
        state_->accumulators.emplace_back(aggregates_.size());
      }
      auto& accs = state_->accumulators[it->second];
      for (std::size_t a = 0; a < aggregates_.size(); ++a) {
        const ast::Expr& call = *aggregates_[a].second;
        Accumulator& acc = accs[a];
        const int slot = argument_slots[a];
        if (call.name == "COUNT" && slot >= 0) {  // on ids: equal terms have equal ids
          const TermId id = in.at(static_cast<std::size_t>(slot), row);
          if (id != kUnbound && (!call.distinct || acc.seen_ids.insert(id).second)) ++acc.count;
          continue;
        }
        if (call.args.empty()) {  // COUNT(*)
          if (call.distinct) {
            acc.seen_rows.insert(in.Row(row));
          } else {
            ++acc.count;
          }
          continue;
        }
        RowScope scope(ctx_, in, row);
        Accumulate(call, Evaluate(call.args[0], scope, ctx_.functions()), &acc);
      }
    }
  }
  if (!ctx_.ok()) return false;
  // Aggregates over no rows still make one group (COUNT(*) = 0), unless grouped by keys.
  if (state_->keys.empty() && key_slots_.empty()) {
    state_->keys.emplace_back();
    state_->accumulators.emplace_back(aggregates_.size());
  }
  consumed_ = true;
  return true;
}

bool GroupOp::Produce(Block* out) {
  if (!consumed_ && !Consume()) return false;
  std::vector<TermId> row(ctx_.width(), kUnbound);
  while (next_ < state_->keys.size() && !out->full()) {
    std::fill(row.begin(), row.end(), kUnbound);
    const std::size_t g = next_++;
    for (std::size_t k = 0; k < key_slots_.size(); ++k) row[static_cast<std::size_t>(key_slots_[k])] = state_->keys[g][k];
    for (std::size_t a = 0; a < aggregates_.size(); ++a) {
      auto value = FinishAggregate(*aggregates_[a].second, state_->accumulators[g][a]);
      row[static_cast<std::size_t>(aggregates_[a].first)] = value ? ctx_.table().Intern(*value) : kUnbound;
    }
    out->AppendRow(row);
  }
  return out->rows > 0;
}

}  // namespace parley::query::exec
