// The meta row (see meta.h).
#include "store/meta.h"

#include <string>

#include "store/connection.h"
#include "store/error.h"

namespace taskraft::store {

MetaRow load_meta(Connection& c, bool lock) {
  auto r = c.query(std::string("SELECT applied_index, applied_term, next_task_id, log_clock_ms FROM meta "
                               "WHERE id = 1") +
                   (lock ? " FOR UPDATE" : ""));
  auto row = r.next();
  if (!row) throw DbError(0, "the meta row is missing: not a taskraft database?");
  return MetaRow{row->u64(0), row->u64(1), row->u64(2), row->i64(3)};
}

void save_meta(Connection& c, const MetaRow& m) {
  c.exec_later("UPDATE meta SET applied_index = " + std::to_string(m.applied_index) +
              ", applied_term = " + std::to_string(m.applied_term) +
              ", next_task_id = " + std::to_string(m.next_task_id) +
              ", log_clock_ms = " + std::to_string(m.log_clock_ms) + " WHERE id = 1");
}

}  // namespace taskraft::store
