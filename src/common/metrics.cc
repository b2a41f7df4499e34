#include "common/metrics.h"

#include <fmt/format.h>

namespace cityops {

namespace {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string render_labels(const Metrics::Labels& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += fmt::format("{}=\"{}\"", labels[i].first, escape_label(labels[i].second));
  }
  return out + "}";
}

// Adds `le` to an already rendered label set.
std::string with_bucket(const std::string& labels, const std::string& le) {
  if (labels.empty()) return fmt::format("{{le=\"{}\"}}", le);
  return fmt::format("{},le=\"{}\"}}", labels.substr(0, labels.size() - 1), le);
}

}  // namespace

void Metrics::describe(const std::string& name, const std::string& type, const std::string& help) {
  std::lock_guard lock(mutex_);
  auto& family = families_[name];
  family.type = type;
  family.help = help;
}

void Metrics::increment(const std::string& name, const Labels& labels, double by) {
  std::lock_guard lock(mutex_);
  families_[name].values[render_labels(labels)] += by;
}

void Metrics::set_gauge(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  families_[name].values[render_labels(labels)] = value;
}

void Metrics::observe(const std::string& name, const Labels& labels, double seconds) {
  std::lock_guard lock(mutex_);
  auto& histogram = families_[name].histograms[render_labels(labels)];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++histogram.counts[i];
  }
  ++histogram.total;
  histogram.sum += seconds;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    if (!family.help.empty()) out += fmt::format("# HELP {} {}\n", name, family.help);
    if (!family.type.empty()) out += fmt::format("# TYPE {} {}\n", name, family.type);
    for (const auto& [labels, value] : family.values) {
      out += fmt::format("{}{} {}\n", name, labels, value);
    }
    for (const auto& [labels, h] : family.histograms) {
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        out += fmt::format("{}_bucket{} {}\n", name,
                           with_bucket(labels, fmt::format("{}", kBuckets[i])), h.counts[i]);
      }
      out += fmt::format("{}_bucket{} {}\n", name, with_bucket(labels, "+Inf"), h.total);
      out += fmt::format("{}_sum{} {}\n", name, labels, h.sum);
      out += fmt::format("{}_count{} {}\n", name, labels, h.total);
    }
  }
  return out;
}

}  // namespace cityops
