// Group commit: many writers, one transaction, one fsync.
//
// Callers hand a job (a function that writes through the connection) to `run`, which blocks.
// A single thread takes every job waiting, runs them inside one transaction, each in its own
// savepoint so that one job's failure undoes only that job, commits once, and only then wakes
// the callers. Under load this turns N fsyncs into one; alone, a job costs what it did before.
// `submit` does not block: its callback runs on the committer's thread once the batch is
// durable, so a server thread can take the next request instead of waiting for the disk.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "store/sqlite_db.h"

namespace cityops::store {

class GroupCommitter {
 public:
  using Job = std::function<Status(Connection&)>;
  // Called once with the job's outcome, on the committer's thread; it must not block.
  using Done = std::function<void(Status)>;

  // `db_mutex` guards `db` against other writers that run their own transactions.
  GroupCommitter(Connection& db, std::mutex& db_mutex, size_t max_batch = 512);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs the job in the next batch. OK only when the job succeeded and its batch is durable.
  Status run(Job job);
  // As run, without waiting: `done` gets what run would have returned.
  void submit(Job job, Done done);

  // Runs `listener` on the committer's thread after each batch that committed; it must not
  // block. Replaces any listener before.
  void set_listener(std::function<void()> listener);

  // Batches committed and jobs run so far, for metrics.
  uint64_t batches() const { return batches_.load(); }
  uint64_t jobs() const { return jobs_.load(); }

 private:
  struct Pending {
    Job job;
    Done done;
  };

  void loop();
  void commit_batch(std::deque<Pending>& batch);
  Status run_job(Job& job);

  Connection& db_;
  std::mutex& db_mutex_;
  const size_t max_batch_;

  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::function<void()> listener_;  // guarded by queue_mutex_

  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> jobs_{0};
  std::thread thread_;
};

}  // namespace cityops::store
