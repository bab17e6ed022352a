// Problems from answers and their rendering (cli/failure.h).
#include "cli/failure.h"

#include <gtest/gtest.h>

namespace taskraft::cli {
namespace {

HttpResponse answer(int status, std::string body) { return {status, {}, std::move(body)}; }

TEST(ApiError, AValidationProblemShowsTitleDetailAndOneLinePerField) {
  ApiError e = ApiError::from_response(answer(
      422, R"({"type":"urn:taskraft:problem:validation","title":"Invalid request","status":422,)"
           R"("detail":"2 fields break the rules","errors":[{"field":"title","message":"must be 1 to 200 characters"},)"
           R"({"field":"tags[1]","message":"must be 1 to 40 characters"}]})"));
  EXPECT_EQ(e.status(), 422);
  EXPECT_EQ(e.lines(),
            "error: Invalid request (422): 2 fields break the rules\n"
            "  title: must be 1 to 200 characters\n"
            "  tags[1]: must be 1 to 40 characters");
}

TEST(ApiError, A412CarryingTheCurrentTaskNamesItsVersion) {
  ApiError e = ApiError::from_response(answer(412, R"({"id":4,"title":"Ship","version":7})"));
  EXPECT_EQ(e.lines(), "error: Precondition failed (412): the task is at version 7 now");
}

TEST(ApiError, ABodyThatIsNoProblemStillGivesTheStatus) {
  EXPECT_EQ(ApiError::from_response(answer(502, "bad gateway")).lines(), "error: HTTP error (502): bad gateway");
  EXPECT_EQ(ApiError::from_response(answer(404, "")).lines(), "error: Not found (404)");
}

}  // namespace
}  // namespace taskraft::cli
