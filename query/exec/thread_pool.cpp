// query/exec/thread_pool.cpp
#include "query/exec/thread_pool.hpp"

namespace parley::query::exec {

void ThreadPool::Job::Wait() {
  std::unique_lock lock(mutex_);
  done_changed_.wait(lock, [&] { return done_; });
  if (error_) std::rethrow_exception(error_);
}

void ThreadPool::Job::Finish(std::exception_ptr error) {
  std::lock_guard lock(mutex_);
  done_ = true;
  error_ = std::move(error);
  done_changed_.notify_all();
}

void ThreadPool::WaitAll(const std::vector<std::shared_ptr<Job>>& jobs) {
  std::exception_ptr first;
  for (const auto& job : jobs) {
    try {
      job->Wait();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

ThreadPool& ThreadPool::Shared() {
  static ThreadPool* pool = new ThreadPool();  // never destroyed: see the header
  return *pool;
}

std::shared_ptr<ThreadPool::Job> ThreadPool::Start(std::function<void()> task) {
  auto job = std::make_shared<Job>();
  std::lock_guard lock(mutex_);
  queue_.emplace_back(std::move(task), job);
  // Each idle thread takes one queued task; a task beyond them gets a thread of its own.
  if (idle_ >= queue_.size()) {
    work_.notify_one();
  } else {
    threads_.emplace_back([this] { Loop(); });
  }
  return job;
}

void ThreadPool::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    ++idle_;
    work_.wait(lock, [&] { return !queue_.empty(); });
    --idle_;
    auto [task, job] = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    std::exception_ptr error;
    try {
      task();
    } catch (...) {
      error = std::current_exception();
    }
    job->Finish(std::move(error));
    lock.lock();
  }
}

}  // namespace parley::query::exec
