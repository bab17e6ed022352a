// Small files in the data dir that must be either the old or the new version after a crash.
//
// write_file_atomically writes a temporary file, fsyncs it, renames it over the target and
// fsyncs the directory: a reader sees the complete old content or the complete new one.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace taskraft::node {

void write_file_atomically(const std::filesystem::path& file, const std::string& content);
// nullopt when the file does not exist; throws std::runtime_error when it cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& file);

}  // namespace taskraft::node
