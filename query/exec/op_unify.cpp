// query/exec/op_unify.cpp
// One variable made to agree with another: GRAPH ?g's join of the pattern's solutions
// with ?g = the graph they were found in.
#include "query/exec/operator.hpp"

namespace parley::query::exec {

UnifyOp::UnifyOp(ExecContext& ctx, OperatorPtr input, int to, int from)
    : Operator(ctx), input_(std::move(input)), to_(to), from_(from) {
  inputs.push_back(input_.get());
}

bool UnifyOp::Produce(Block* out) {
  const auto to = static_cast<std::size_t>(to_), from = static_cast<std::size_t>(from_);
  while (out->rows == 0) {
    if (!input_->Next(&in_)) return false;
    for (std::size_t row = 0; row < in_.rows; ++row) {
      const TermId have = in_.at(to, row), graph = in_.at(from, row);
      if (have != kUnbound && have != graph) continue;
      out->AppendRow(in_, row);
      out->columns[to].back() = graph;
    }
  }
  return true;
}

}  // namespace parley::query::exec
