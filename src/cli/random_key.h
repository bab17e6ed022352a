// Idempotency keys (API.md "Consistency and retries"): random, printable, 32 characters.
//
// Guarantees: keys are 32 lowercase hex digits (128 random bits), so two writes never share a
// key by accident; safe to call from any thread.
#pragma once

#include <string>

namespace taskraft::cli {

std::string random_key();

}  // namespace taskraft::cli
