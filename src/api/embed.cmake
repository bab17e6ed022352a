# Turns src/api/openapi.json into a C++ source defining taskraft::api::openapi_json() (openapi.h).
# Run by the build (add_custom_command in CMakeLists.txt) with -DINPUT=... -DOUTPUT=...
file(READ ${INPUT} CONTENT)
file(WRITE ${OUTPUT} "// Generated from src/api/openapi.json by src/api/embed.cmake: do not edit.
#include \"api/openapi.h\"

namespace taskraft::api {

std::string_view openapi_json() {
  static constexpr char kText[] = R\"openapi(${CONTENT})openapi\";
  return {kText, sizeof kText - 1};
}

}  // namespace taskraft::api
")
