// How a command fails, and the exit code each kind of failure gives.
//
// Guarantees: every failure a command foresees is one of these three exceptions (main.cc maps
// them, and CLI11's own parse errors, to exit codes); the exit codes are distinct, so a script
// can tell a mistake in its own call from a refusal by the cluster and from an unreachable one.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "cli/http_message.h"

namespace taskraft::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitApiError = 1,     // the cluster answered, and refused (a problem+json answer)
  kExitUsage = 2,        // the command line is wrong (or a file it names cannot be read)
  kExitUnavailable = 3,  // no node answered in time, or none could act (503 everywhere)
  kExitFailure = 4,      // anything else: an answer of an unexpected shape, a benchmark's database error
};

// A mistake in the command line, found before anything was sent.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// No node answered usefully before the deadline.
class UnavailableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A problem+json answer (API.md "Errors"): status, title, detail and the field errors.
class ApiError : public std::runtime_error {
 public:
  struct FieldError {
    std::string field;
    std::string message;
  };

  // The problem in `response` (or a stand-in when its body is no problem document).
  static ApiError from_response(const HttpResponse& response);

  int status() const { return status_; }
  const std::string& title() const { return title_; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  const std::string& body() const { return body_; }  // the answer as the server sent it

  // "error: Invalid request (422): 1 field breaks the rules" and one "  title: ..." line per field.
  std::string lines() const;

 private:
  ApiError(int status, std::string title, std::string detail, std::vector<FieldError> errors, std::string body);

  int status_;
  std::string title_;
  std::string detail_;
  std::vector<FieldError> errors_;
  std::string body_;
};

}  // namespace taskraft::cli
