// query/exec/thread_pool.hpp
// The threads that run the parts of a split plan, started once and kept for the next
// query: starting a thread on this project's 2-core machine took about half a
// millisecond, as long as a whole small query, while waking a kept one takes a few
// microseconds.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace parley::query::exec {

class ThreadPool {
 public:
  // A task started on the pool; Wait() returns once it has run, and rethrows what it threw.
  class Job {
   public:
    void Wait();

   private:
    friend class ThreadPool;
    void Finish(std::exception_ptr error);
    std::mutex mutex_;
    std::condition_variable done_changed_;
    bool done_ = false;
    std::exception_ptr error_;
  };

  // The process' pool. It is never destroyed: its threads sleep until the process ends.
  static ThreadPool& Shared();

  // Runs `task` on an idle thread of the pool, or on a new one when none is idle: a task
  // may wait for another (an exchange's worker for its consumer), so no task waits for a
  // thread.
  std::shared_ptr<Job> Start(std::function<void()> task);
  // Waits for every job, then rethrows the first one's error, if any threw.
  static void WaitAll(const std::vector<std::shared_ptr<Job>>& jobs);

 private:
  ThreadPool() = default;
  void Loop();
  std::mutex mutex_;
  std::condition_variable work_;
  std::deque<std::pair<std::function<void()>, std::shared_ptr<Job>>> queue_;
  std::size_t idle_ = 0;  // threads waiting for a task
  std::vector<std::thread> threads_;
};

}  // namespace parley::query::exec
