// query/exec/op_union.cpp
// UNION: the left input's rows, then the right's (a variable only one side binds is
// unbound in the other's rows).
#include "query/exec/operator.hpp"

namespace parley::query::exec {

UnionOp::UnionOp(ExecContext& ctx, OperatorPtr left, OperatorPtr right)
    : Operator(ctx), left_(std::move(left)), right_(std::move(right)) {
  inputs = {left_.get(), right_.get()};
}

bool UnionOp::Produce(Block* out) {
  if (!left_done_) {
    if (left_->Next(out)) return true;
    left_done_ = true;
  }
  return ctx_.ok() && right_->Next(out);
}

}  // namespace parley::query::exec
