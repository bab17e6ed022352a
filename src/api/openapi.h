// The OpenAPI 3 description of every route this server serves (src/api/openapi.json, compiled
// into the binary at build time, so the document served is always the one of this build).
#pragma once

#include <string_view>

namespace taskraft::api {

std::string_view openapi_json();

}  // namespace taskraft::api
