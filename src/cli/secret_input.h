// Passwords from where a user keeps them: a file, or typed at the terminal without echo.
//
// Guarantees: read_secret_file returns the file's first line without its line ending, and throws
// UsageError naming the file when it cannot be read or the line is empty; prompt_secret reads
// one line from the terminal with echo off (restored afterwards), or from stdin when stdin is no
// terminal, and throws UsageError when nothing comes.
#pragma once

#include <string>

namespace taskraft::cli {

std::string read_secret_file(const std::string& path);
std::string prompt_secret(const std::string& prompt);

}  // namespace taskraft::cli
