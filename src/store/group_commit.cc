#include "store/group_commit.h"

#include <future>
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
  std::promise<Status> finished;
  auto result = finished.get_future();
  submit(std::move(job), [&finished](Status status) { finished.set_value(std::move(status)); });
  return result.get();
}

void GroupCommitter::submit(Job job, Done done) {
  {
    std::lock_guard lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(job), std::move(done)});
      queue_ready_.notify_one();
      return;
    }
  }
  done({ErrorKind::kUnavailable, "shutting_down", "the store is closing"});
}

void GroupCommitter::set_listener(std::function<void()> listener) {
  std::lock_guard lock(queue_mutex_);
  listener_ = std::move(listener);
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

Status GroupCommitter::run_job(Job& job) {
  // A savepoint per job: a refused job leaves no trace and the others go on.
  auto open = db_.prepare("SAVEPOINT job");
  if (!open) return open.status();
  CITYOPS_RETURN_IF_ERROR(open->run());
  Status status = job(db_);
  auto close = db_.prepare(status.is_ok() ? "RELEASE job" : "ROLLBACK TO job");
  if (!close) return close.status();
  Status closed = close->run();
  if (!status.is_ok()) {
    // ROLLBACK TO keeps the savepoint open; release it so the next job starts clean.
    if (auto release = db_.prepare("RELEASE job")) (void)release->run();
    return status;
  }
  return closed;
}

void GroupCommitter::commit_batch(std::deque<Pending>& batch) {
  std::vector<Status> results(batch.size());
  Status batch_status;
  {
    std::lock_guard lock(db_mutex_);
    batch_status = db_.exec("BEGIN IMMEDIATE");
    if (batch_status.is_ok()) {
      for (size_t i = 0; i < batch.size(); ++i) results[i] = run_job(batch[i].job);
      batch_status = db_.exec("COMMIT");
      if (!batch_status.is_ok()) (void)db_.exec("ROLLBACK");
    }
  }
  batches_.fetch_add(1);
  jobs_.fetch_add(batch.size());
  if (batch_status.is_ok()) {
    std::function<void()> listener;
    {
      std::lock_guard lock(queue_mutex_);
      listener = listener_;
    }
    if (listener) listener();
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    // A failed commit fails every job in the batch, even those that ran cleanly.
    batch[i].done(batch_status.is_ok() ? std::move(results[i]) : batch_status);
  }
}

}  // namespace cityops::store
