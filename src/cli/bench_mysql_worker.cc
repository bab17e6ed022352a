// The MariaDB baseline (see bench_mysql_worker.h).
#include "cli/bench_mysql_worker.h"

#include <atomic>
#include <chrono>

#include "cli/bench_task.h"
#include "cli/failure.h"
#include "store/connection.h"
#include "store/error.h"
#include "store/schema.h"
#include "store/task_rows.h"

namespace taskraft::cli {

struct MysqlBaseline {
  store::Dsn dsn;
  std::string description;
  unsigned batch;
  std::atomic<std::uint64_t> next_id{1};
};

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class MysqlWorker : public Worker {
 public:
  MysqlWorker(unsigned index, MysqlBaseline& shared) : index_(index), shared_(shared) {}

  void prepare() override { connection_ = std::make_unique<store::Connection>(shared_.dsn); }

  Outcome run_one() override {
    Outcome out{0, shared_.batch, {}};
    try {
      if (shared_.batch == 1) {
        insert();
        connection_->send_pending();  // autocommit: the INSERT commits alone
      } else {
        store::Transaction tx(*connection_);
        for (unsigned i = 0; i < shared_.batch; ++i) insert();
        tx.commit();
      }
    } catch (const store::DbError& e) {
      out.error = "mysql " + std::to_string(e.code());
    }
    return out;
  }

 private:
  void insert() {
    store::TaskId id = shared_.next_id.fetch_add(1, std::memory_order_relaxed);
    store::insert_task(*connection_, bench_task_row(id, bench_title(index_, ++seq_), shared_.description, "admin", now_ms()));
  }

  unsigned index_;
  MysqlBaseline& shared_;
  std::unique_ptr<store::Connection> connection_;
  std::uint64_t seq_ = 0;
};

}  // namespace

std::optional<store::Dsn> baseline_dsn(std::string_view text) {
  auto dsn = store::parse_dsn(text);
  if (!dsn) return std::nullopt;
  std::string_view path = text.substr(0, text.find('?'));
  auto scheme = path.find("://");
  path.remove_prefix(scheme == std::string_view::npos ? 0 : scheme + 3);
  auto slash = path.find('/', path.rfind('@') == std::string_view::npos ? 0 : path.rfind('@'));
  if (slash == std::string_view::npos || slash + 1 == path.size()) dsn->database = "taskraft_bench";
  return dsn;
}

MysqlWorkerSet::MysqlWorkerSet(store::Dsn dsn, std::size_t payload, unsigned batch)
    : shared_(std::make_unique<MysqlBaseline>()) {
  shared_->dsn = std::move(dsn);
  shared_->description = bench_description(payload);
  shared_->batch = batch;
  store::create_database(shared_->dsn);
  store::Connection c(shared_->dsn);
  store::migrate(c);
  auto r = c.query("SELECT applied_index FROM meta WHERE id = 1");
  auto row = r.next();
  if (row && row->u64(0) > 0) {
    throw UsageError("database " + shared_->dsn.database + " belongs to a taskraft node (applied index " +
                     row->str(0) + "); give the baseline a database of its own");
  }
  c.exec("TRUNCATE TABLE tasks");
}

MysqlWorkerSet::~MysqlWorkerSet() = default;

std::unique_ptr<Worker> MysqlWorkerSet::make(unsigned index) { return std::make_unique<MysqlWorker>(index, *shared_); }

}  // namespace taskraft::cli
