// Task request bodies (POST /v1/tasks, PATCH /v1/tasks/{id}) turned into the commands the leader
// proposes, or into the answer that names every bad field.
//
// Guarantees: a command is returned only when every field has the right type, a known enum
// value, valid UTF-8 and passes the rules of store/rules.h (the same rules the store checks again
// at apply time), so nothing invalid is proposed. Malformed JSON → 400; anything else → 422 with
// one FieldError per bad field. Tags are de-duplicated (first occurrence kept), as the store does.
// The caller fills the UpdateTask's id and if_match (they come from the path and If-Match).
#pragma once

#include <string_view>
#include <variant>

#include "command.pb.h"
#include "store/problem.h"

namespace taskraft::api {

std::variant<commandpb::CreateTask, store::Problem> create_task_command(std::string_view body);
std::variant<commandpb::UpdateTask, store::Problem> update_task_command(std::string_view body);

}  // namespace taskraft::api
