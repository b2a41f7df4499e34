// The Prometheus text exposition: families in name order with HELP and TYPE, counters summed
// per label set, and histograms with cumulative buckets whose +Inf bucket equals the count.
#include "common/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace cityops {
namespace {

TEST(Metrics, EmptyRegistryRendersNothing) { EXPECT_EQ(Metrics().render(), ""); }

TEST(Metrics, CountersAndGaugesPerLabelSet) {
  Metrics m;
  m.describe("http_requests_total", "counter", "Requests answered.");
  m.increment("http_requests_total", {{"method", "GET"}, {"status", "200"}});
  m.increment("http_requests_total", {{"method", "POST"}, {"status", "201"}}, 3);
  m.increment("http_requests_total", {{"method", "GET"}, {"status", "200"}});
  m.increment("cases_created_total");
  m.set_gauge("open_cases", {}, 12);
  m.set_gauge("open_cases", {}, 7.5);

  // Families sort by name; label sets sort by their rendered text.
  EXPECT_EQ(m.render(),
            "cases_created_total 1\n"
            "# HELP http_requests_total Requests answered.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{method=\"GET\",status=\"200\"} 2\n"
            "http_requests_total{method=\"POST\",status=\"201\"} 3\n"
            "open_cases 7.5\n");
}

TEST(Metrics, LabelValuesAreEscaped) {
  const struct {
    const char* label;
    std::string value;
    std::string rendered;
  } cases[] = {
      {"plain", "/healthz", R"(/healthz)"},       {"quote", "say \"hi\"", R"(say \"hi\")"},
      {"backslash", R"(C:\data)", R"(C:\\data)"}, {"newline", "two\nlines", R"(two\nlines)"},
      {"UTF-8 kept", "北戴河", "北戴河"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    Metrics m;
    m.increment("x_total", {{"v", c.value}});
    EXPECT_EQ(m.render(), "x_total{v=\"" + c.rendered + "\"} 1\n");
  }
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Metrics m;
  m.describe("http_request_duration_seconds", "histogram", "Time to answer.");
  const Metrics::Labels route{{"route", "/healthz"}};
  m.observe("http_request_duration_seconds", route, 0.0005);  // on a boundary: counted in it
  m.observe("http_request_duration_seconds", route, 0.003);
  m.observe("http_request_duration_seconds", route, 2.0);  // beyond the last finite bucket

  const std::string p = "http_request_duration_seconds";
  const std::string l = "{route=\"/healthz\",le=";
  EXPECT_EQ(m.render(), "# HELP " + p + " Time to answer.\n" +         //
                            "# TYPE " + p + " histogram\n" +           //
                            p + "_bucket" + l + "\"0.0005\"} 1\n" +    //
                            p + "_bucket" + l + "\"0.001\"} 1\n" +     //
                            p + "_bucket" + l + "\"0.0025\"} 1\n" +    //
                            p + "_bucket" + l + "\"0.005\"} 2\n" +     //
                            p + "_bucket" + l + "\"0.01\"} 2\n" +      //
                            p + "_bucket" + l + "\"0.025\"} 2\n" +     //
                            p + "_bucket" + l + "\"0.05\"} 2\n" +      //
                            p + "_bucket" + l + "\"0.1\"} 2\n" +       //
                            p + "_bucket" + l + "\"0.25\"} 2\n" +      //
                            p + "_bucket" + l + "\"0.5\"} 2\n" +       //
                            p + "_bucket" + l + "\"1\"} 2\n" +         //
                            p + "_bucket" + l + "\"+Inf\"} 3\n" +      //
                            p + "_sum{route=\"/healthz\"} 2.0035\n" +  //
                            p + "_count{route=\"/healthz\"} 3\n");
}

TEST(Metrics, HistogramWithoutLabels) {
  Metrics m;
  m.observe("job_seconds", {}, 0.25);
  m.observe("job_seconds", {}, 0.5);
  const std::string out = m.render();
  EXPECT_NE(out.find("job_seconds_bucket{le=\"0.1\"} 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("job_seconds_bucket{le=\"0.25\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("job_seconds_bucket{le=\"0.5\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("job_seconds_bucket{le=\"+Inf\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("job_seconds_sum 0.75\n"), std::string::npos) << out;
  EXPECT_NE(out.find("job_seconds_count 2\n"), std::string::npos) << out;
}

TEST(Metrics, ConcurrentIncrementsAreAllCounted) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) {
        m.increment("hits_total", {{"k", "v"}});
        m.observe("lat_seconds", {}, 0.002);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string out = m.render();
  EXPECT_NE(out.find("hits_total{k=\"v\"} 4000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_seconds_bucket{le=\"0.001\"} 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_seconds_bucket{le=\"0.0025\"} 4000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_seconds_count 4000\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace cityops
