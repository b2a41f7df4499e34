// Process metrics in the Prometheus text exposition format.
//
// Counters and histograms are keyed by a metric name and a rendered label set, e.g.
// `http_requests_total` with `{method="GET",route="/healthz",status="200"}`. Recording takes a
// short mutex; the server records a few values per request, well below any contention limit.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace cityops {

class Metrics {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  void describe(const std::string& name, const std::string& type, const std::string& help);
  void increment(const std::string& name, const Labels& labels = {}, double by = 1);
  void set_gauge(const std::string& name, const Labels& labels, double value);
  // Records one observation in seconds into a fixed set of latency buckets.
  void observe(const std::string& name, const Labels& labels, double seconds);

  std::string render() const;

 private:
  static constexpr std::array<double, 11> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t total = 0;
    double sum = 0;
  };
  struct Family {
    std::string type;
    std::string help;
    std::map<std::string, double> values;
    std::map<std::string, Histogram> histograms;
  };

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

}  // namespace cityops
