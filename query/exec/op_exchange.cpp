// query/exec/op_exchange.cpp
// The rows of a plan part split over threads, handed on in the order one thread would
// give them: each worker fills a short queue of blocks, and the consumer empties the
// workers' queues one worker after the other.
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>

#include "query/exec/operator.hpp"
#include "query/exec/thread_pool.hpp"

namespace parley::query::exec {

namespace {
// A worker waits while its queue holds this many rows, or this many blocks. Rows, not
// only blocks: a filter that keeps a few rows of each block makes many small blocks,
// and a queue of sixteen of them stopped the second worker while the first still ran.
constexpr std::size_t kQueuedRows = 16 * kBlockRows;
constexpr std::size_t kQueuedBlocks = 256;
}  // namespace

struct ExchangeOp::Channel {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Block> blocks;
  std::size_t rows = 0;  // in blocks
  bool done = false;
  std::exception_ptr error;  // what the worker threw, thrown again on the consumer's thread
};

ExchangeOp::ExchangeOp(ExecContext& ctx, std::vector<Worker> workers, std::shared_ptr<std::atomic<bool>> stop)
    : Operator(ctx), workers_(std::move(workers)), stop_(std::move(stop)) {
  inputs.push_back(workers_[0].root.get());
}

ExchangeOp::~ExchangeOp() {
  stop_->store(true);
  for (auto& channel : channels_) {
    std::lock_guard lock(channel->mutex);
    channel->changed.notify_all();
  }
  for (const auto& job : jobs_) job->Wait();  // Work throws nothing: it hands its errors on
}

void ExchangeOp::Work(std::size_t w) {
  Channel& channel = *channels_[w];
  std::exception_ptr error;
  try {
    Block block;
    while (!stop_->load() && workers_[w].root->Next(&block)) {
      std::unique_lock lock(channel.mutex);
      channel.changed.wait(lock, [&] {
        return (channel.rows < kQueuedRows && channel.blocks.size() < kQueuedBlocks) || stop_->load();
      });
      if (stop_->load()) break;
      channel.rows += block.rows;
      channel.blocks.push_back(std::move(block));
      channel.changed.notify_all();
    }
  } catch (...) {  // the consumer must still hear that this worker is done, and why
    error = std::current_exception();
  }
  std::lock_guard lock(channel.mutex);
  channel.error = error;
  channel.done = true;
  channel.changed.notify_all();
}

bool ExchangeOp::Produce(Block* out) {
  if (jobs_.empty()) {
    for (std::size_t w = 0; w < workers_.size(); ++w) channels_.push_back(std::make_unique<Channel>());
    for (std::size_t w = 0; w < workers_.size(); ++w) jobs_.push_back(ThreadPool::Shared().Start([this, w] { Work(w); }));
  }
  while (current_ < channels_.size()) {
    Channel& channel = *channels_[current_];
    std::unique_lock lock(channel.mutex);
    channel.changed.wait(lock, [&] { return !channel.blocks.empty() || channel.done; });
    if (!channel.blocks.empty()) {
      *out = std::move(channel.blocks.front());
      channel.blocks.pop_front();
      channel.rows -= out->rows;
      channel.changed.notify_all();
      return true;
    }
    if (channel.error) std::rethrow_exception(channel.error);
    if (!workers_[current_].ctx->ok()) {
      ctx_.Fail(workers_[current_].ctx->status());
      return false;
    }
    ++current_;
  }
  return false;
}

}  // namespace parley::query::exec
