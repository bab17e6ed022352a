// A small Prometheus registry: counters, gauges and histograms, with labels, rendered as the
// text exposition format (version 0.0.4) that GET /metrics serves.
//
// The API records its own request counts and latencies here (request_metrics.h); the node adds
// its gauges (term, commit index, applied index ...) through the same Registry, either as values
// it sets or as functions sampled at each scrape.
//
// Guarantees:
// - Asking again for the same name and labels returns the same series; references stay valid
//   for the registry's lifetime, so callers may keep them. Series are updated lock-free.
// - One name has one type and one help text: registering it again with another type is a bug
//   (asserted). Names must match [a-zA-Z_:][a-zA-Z0-9_:]* (asserted); label values are escaped.
// - render() lists families by name and series by labels: the output is stable between scrapes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taskraft::api::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: upper bounds of the buckets, strictly increasing (asserted); +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);

  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts per bound, then the +Inf count (== count()).
  std::vector<std::uint64_t> cumulative() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // one per bound, then +Inf
  std::atomic<double> sum_{0};
  std::atomic<std::uint64_t> count_{0};
};

// Latency buckets in seconds, 1 ms to 10 s.
std::vector<double> latency_buckets();

class Registry {
 public:
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, const std::vector<double>& bounds,
                       const Labels& labels = {});
  // A gauge whose value `read` gives at each scrape (called under the registry's lock: keep it
  // quick and do not call back into the registry). Registering it again replaces the function.
  void gauge_function(std::string_view name, std::string_view help, const Labels& labels,
                      std::function<double()> read);

  // Runs `refresh` at the start of every render(), before any value is read and outside the
  // registry's lock: the place to set several gauges from one sample of their common source.
  void on_render(std::function<void()> refresh);

  std::string render() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Series {
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::function<double()> read;
  };
  struct Family {
    Type type;
    std::string help;
    std::map<std::string, Series> series;  // by rendered label set: {a="1",b="2"}
  };
  Series& series(std::string_view name, std::string_view help, Type type, const Labels& labels);

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
  std::vector<std::function<void()>> refreshes_;
};

}  // namespace taskraft::api::metrics
