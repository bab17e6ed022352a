// Prometheus registry and text rendering (see metrics.h).
#include "api/metrics.h"

#include <cassert>
#include <cmath>
#include <cstdio>

namespace taskraft::api::metrics {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void escape_into(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// {a="1",b="2"}, or "" without labels.
std::string label_text(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    assert(valid_name(name));
    if (out.size() > 1) out += ',';
    out += name + "=\"";
    escape_into(out, value, true);
    out += '"';
  }
  return out + "}";
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// The label text with `le` inserted for a bucket line: {a="1",le="0.5"}.
std::string with_le(const std::string& labels, const std::string& le) {
  std::string inner = labels.empty() ? "" : labels.substr(1, labels.size() - 2) + ",";
  return "{" + inner + "le=\"" + le + "\"}";
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i + 1 < bounds_.size(); ++i) assert(bounds_[i] < bounds_[i + 1]);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) {
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative() const {
  std::vector<std::uint64_t> out;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out.push_back(total);
  }
  return out;
}

std::vector<double> latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Registry::Series& Registry::series(std::string_view name, std::string_view help, Type type,
                                   const Labels& labels) {
  assert(valid_name(name));
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{type, std::string(help), {}}).first;
  }
  assert(it->second.type == type && "one metric name, one type");
  return it->second.series[label_text(labels)];
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Series& s = series(name, help, Type::kCounter, labels);
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Series& s = series(name, help, Type::kGauge, labels);
  assert(!s.read && "a gauge is either set or sampled");
  if (!s.gauge) s.gauge = std::make_unique<Gauge>();
  return *s.gauge;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help, const std::vector<double>& bounds,
                               const Labels& labels) {
  std::lock_guard lock(mu_);
  Series& s = series(name, help, Type::kHistogram, labels);
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(bounds);
  return *s.histogram;
}

void Registry::gauge_function(std::string_view name, std::string_view help, const Labels& labels,
                              std::function<double()> read) {
  std::lock_guard lock(mu_);
  Series& s = series(name, help, Type::kGauge, labels);
  assert(!s.gauge && "a gauge is either set or sampled");
  s.read = std::move(read);
}

void Registry::on_render(std::function<void()> refresh) {
  std::lock_guard lock(mu_);
  refreshes_.push_back(std::move(refresh));
}

std::string Registry::render() const {
  static constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};
  std::vector<std::function<void()>> refreshes;
  {
    std::lock_guard lock(mu_);
    refreshes = refreshes_;
  }
  for (const auto& refresh : refreshes) refresh();
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " ";
    escape_into(out, family.help, false);
    out += "\n# TYPE " + name + " " + kTypeNames[static_cast<int>(family.type)] + "\n";
    for (const auto& [labels, s] : family.series) {
      if (s.counter) out += name + labels + " " + std::to_string(s.counter->value()) + "\n";
      if (s.gauge) out += name + labels + " " + number(s.gauge->value()) + "\n";
      if (s.read) out += name + labels + " " + number(s.read()) + "\n";
      if (s.histogram) {
        const Histogram& h = *s.histogram;
        std::vector<std::uint64_t> counts = h.cumulative();
        for (std::size_t i = 0; i < h.bounds().size(); ++i) {
          out += name + "_bucket" + with_le(labels, number(h.bounds()[i])) + " " + std::to_string(counts[i]) + "\n";
        }
        out += name + "_bucket" + with_le(labels, "+Inf") + " " + std::to_string(counts.back()) + "\n";
        out += name + "_sum" + labels + " " + number(h.sum()) + "\n";
        out += name + "_count" + labels + " " + std::to_string(h.count()) + "\n";
      }
    }
  }
  return out;
}

}  // namespace taskraft::api::metrics
