// query/exec/op_slice.cpp
// OFFSET and LIMIT: stops pulling from its input once it has what it needs.
#include "query/exec/operator.hpp"

namespace parley::query::exec {

SliceOp::SliceOp(ExecContext& ctx, OperatorPtr input, std::uint64_t offset, std::optional<std::uint64_t> limit)
    : Operator(ctx), input_(std::move(input)), skip_(offset), left_(limit) {
  inputs.push_back(input_.get());
}

bool SliceOp::Produce(Block* out) {
  Block in;
  while (out->rows == 0) {
    if (left_ && *left_ == 0) return false;
    if (!input_->Next(&in)) return false;
    std::size_t row = 0;
    for (; row < in.rows && skip_ > 0; ++row) --skip_;
    for (; row < in.rows && (!left_ || *left_ > 0); ++row) {
      out->AppendRow(in, row);
      if (left_) --*left_;
    }
  }
  return true;
}

}  // namespace parley::query::exec
