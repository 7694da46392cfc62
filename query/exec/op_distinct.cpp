// query/exec/op_distinct.cpp
// DISTINCT on term ids: equal terms have equal ids, so a row is new when its ids are.
#include "query/exec/operator.hpp"

namespace parley::query::exec {

DistinctOp::DistinctOp(ExecContext& ctx, OperatorPtr input, std::vector<int> slots)
    : Operator(ctx), input_(std::move(input)), slots_(std::move(slots)) {
  inputs.push_back(input_.get());
}

std::size_t DistinctOp::KeyHash::operator()(const std::vector<TermId>& key) const {
  std::size_t h = key.size();
  for (TermId id : key) h = (h ^ id) * 0x9E3779B97F4A7C15ULL;
  return h;
}

bool DistinctOp::Produce(Block* out) {
  Block in;
  std::vector<TermId> key(slots_.size());
  while (out->rows == 0) {
    if (!input_->Next(&in)) return false;
    for (std::size_t row = 0; row < in.rows; ++row) {
      for (std::size_t k = 0; k < slots_.size(); ++k) key[k] = in.at(static_cast<std::size_t>(slots_[k]), row);
      if (seen_.emplace(key, true).second) out->AppendRow(in, row);
    }
  }
  return true;
}

}  // namespace parley::query::exec
