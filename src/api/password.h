// Password hashing for user accounts: argon2id with libsodium's interactive limits, in the
// self-describing crypt-style string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
//
// Slow on purpose (tens of milliseconds, 64 MiB): call these on a query thread, never on an io
// thread. Guarantees: verify_password(hash_password(p), p) is true; a hash of another format or
// with other limits is still verified by the parameters it names; a malformed hash verifies as
// false. Passwords are bytes: no normalization.
#pragma once

#include <string>
#include <string_view>

namespace taskraft::api {

// Throws std::runtime_error when the memory for hashing cannot be had.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);
// Spends the time verify_password would on a real hash: for unknown users, so that a login
// does not reveal whether a username exists by answering faster.
void waste_password_check(std::string_view password);

}  // namespace taskraft::api
