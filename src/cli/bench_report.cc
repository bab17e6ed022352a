// Rendering of benchmark figures (see bench_report.h).
#include "cli/bench_report.h"

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/failure.h"
#include "cli/latency_stats.h"
#include "cli/output.h"

namespace taskraft::cli {
namespace {

struct Row {
  std::string name;
  std::uint64_t ok = 0, units = 0, errors = 0;
  double per_second = 0;
  LatencyStats latency;
  std::map<std::string, std::uint64_t> reasons;
};

// One row per operation that ran, then the total when there were several.
std::vector<Row> rows(RunFigures& f) {
  std::vector<Row> out;
  OpFigures total;
  for (std::size_t i = 0; i < f.ops.size(); ++i) {
    OpFigures& op = f.ops[i];
    if (op.ok == 0 && op.errors.empty()) continue;
    total.merge(op);
    Row r{f.op_names[i], op.ok, op.units, 0, static_cast<double>(op.units) / f.elapsed_s, latency_stats(op.latencies_ns), op.errors};
    for (const auto& [reason, n] : op.errors) r.errors += n;
    out.push_back(std::move(r));
  }
  if (out.size() != 1) {
    Row r{"total", total.ok, total.units, 0, static_cast<double>(total.units) / f.elapsed_s,
          latency_stats(total.latencies_ns), total.errors};
    for (const auto& [reason, n] : total.errors) r.errors += n;
    out.push_back(std::move(r));
  }
  return out;
}

std::string fixed(double v, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

std::string mode(const RunSetup& s) { return s.rate ? "open loop at " + fixed(*s.rate, 0) + "/s" : "closed loop"; }

boost::json::object latency_json(const LatencyStats& l) {
  return {{"mean", l.mean_ms}, {"p50", l.p50_ms}, {"p90", l.p90_ms}, {"p99", l.p99_ms}, {"p99_9", l.p999_ms}, {"max", l.max_ms}};
}

boost::json::object reasons_json(const std::map<std::string, std::uint64_t>& reasons) {
  boost::json::object o;
  for (const auto& [reason, n] : reasons) o[reason] = n;
  return o;
}

boost::json::object row_json(const Row& r) {
  return {{"ok", r.ok}, {"units", r.units}, {"per_second", r.per_second}, {"errors", r.errors},
          {"error_reasons", reasons_json(r.reasons)}, {"latency_ms", latency_json(r.latency)}};
}

}  // namespace

void print_report(const RunSetup& s, RunFigures& f) {
  std::cout << s.workload << ": " << s.clients << " clients, " << mode(s) << ", " << fixed(f.elapsed_s, 1) << " s, payload "
            << s.payload << " B" << (s.batch > 1 ? ", " + std::to_string(s.batch) + " rows per transaction" : "")
            << "\n  target " << s.target << "\n";
  Table table({{"OP", 10}, {"OK", 10}, {"PER SECOND", 10}, {"MEAN ms", 9}, {"P50 ms", 9}, {"P90 ms", 9}, {"P99 ms", 9},
               {"P99.9 ms", 9}, {"MAX ms", 9}, {"ERRORS", 8}});
  std::map<std::string, std::uint64_t> reasons;
  for (Row& r : rows(f)) {
    const LatencyStats& l = r.latency;
    table.add({r.name, std::to_string(r.units), fixed(r.per_second, 1), fixed(l.mean_ms, 2), fixed(l.p50_ms, 2),
               fixed(l.p90_ms, 2), fixed(l.p99_ms, 2), fixed(l.p999_ms, 2), fixed(l.max_ms, 2), std::to_string(r.errors)});
    if (r.name != "total") {
      for (const auto& [reason, n] : r.reasons) reasons[r.name + " " + reason] += n;
    }
  }
  table.print(std::cout);
  if (s.batch > 1) std::cout << "  (OK and PER SECOND count rows; latencies are per transaction)\n";
  for (const auto& [reason, n] : reasons) std::cout << "  errors: " << reason << ": " << n << "\n";
  std::cout << "  generator CPU " << fixed(f.cpu_s, 2) << " s (" << fixed(100 * f.cpu_s / f.elapsed_s, 0)
            << "% of one core)\n";
}

void write_json(const std::string& path, const RunSetup& s, RunFigures& f) {
  boost::json::object o{{"workload", s.workload}, {"target", s.target},     {"clients", s.clients},
                        {"payload_bytes", s.payload}, {"batch", s.batch}, {"mode", mode(s)},
                        {"elapsed_s", f.elapsed_s}, {"generator_cpu_s", f.cpu_s}};
  o["rate"] = s.rate ? boost::json::value(*s.rate) : boost::json::value(nullptr);
  std::vector<Row> all = rows(f);
  boost::json::object ops;
  for (const Row& r : all) {
    if (r.name != "total") ops[r.name] = row_json(r);
  }
  o["ops"] = std::move(ops);
  o["total"] = row_json(all.back());  // the total row, or the only operation's
  boost::json::array series;
  for (double v : f.units_per_second) series.push_back(v);
  o["per_second"] = std::move(series);
  std::ofstream out(path);
  out << boost::json::serialize(o) << "\n";
  if (!out) throw UsageError("cannot write " + path);
}

}  // namespace taskraft::cli
