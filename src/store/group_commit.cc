#include "store/group_commit.h"

#include <vector>

namespace cityops::store {

GroupCommitter::GroupCommitter(Connection& db, std::mutex& db_mutex, size_t max_batch)
    : db_(db), db_mutex_(db_mutex), max_batch_(max_batch), thread_([this] { loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_ready_.notify_all();
  thread_.join();
}

Status GroupCommitter::run(Job job) {
  Pending pending{std::move(job), {}};
  auto done = pending.done.get_future();
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_) return {ErrorKind::kUnavailable, "shutting_down", "the store is closing"};
    queue_.push_back(std::move(pending));
  }
  queue_ready_.notify_one();
  return done.get();
}

void GroupCommitter::loop() {
  while (true) {
    std::deque<Pending> batch;
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left
      // Everything that arrived while the last batch was being made durable goes now.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
  }
}

void GroupCommitter::commit_batch(std::deque<Pending>& batch) {
  std::vector<Status> results(batch.size());
  Status batch_status;
  {
    std::lock_guard lock(db_mutex_);
    batch_status = db_.exec("BEGIN IMMEDIATE");
    if (batch_status.is_ok()) {
      for (size_t i = 0; i < batch.size(); ++i) {
        // A savepoint per job: a refused job leaves no trace and the others go on.
        Status status = db_.exec("SAVEPOINT job");
        if (status.is_ok()) status = batch[i].job(db_);
        if (status.is_ok()) {
          status = db_.exec("RELEASE job");
        } else {
          (void)db_.exec("ROLLBACK TO job");
          (void)db_.exec("RELEASE job");
        }
        results[i] = std::move(status);
      }
      batch_status = db_.exec("COMMIT");
      if (!batch_status.is_ok()) (void)db_.exec("ROLLBACK");
    }
  }
  batches_.fetch_add(1);
  jobs_.fetch_add(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    // A failed commit fails every job in the batch, even those that ran cleanly.
    batch[i].done.set_value(batch_status.is_ok() ? std::move(results[i]) : batch_status);
  }
}

}  // namespace cityops::store
