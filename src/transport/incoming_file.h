// A snapshot file being received: invisible until committed, gone if never committed.
//
// The bytes go to "<dir>/incoming-<token>.part"; commit() makes them durable (fsync) and renames
// the file to its final name in one step. Guarantees: a file under a final name is always complete
// (rename is atomic within a directory); the destructor removes an uncommitted part file, and
// remove_leftovers() cleans part files a crash left behind. Errors throw std::system_error.
#pragma once

#include <string>
#include <string_view>

namespace taskraft::transport {

class IncomingFile {
 public:
  explicit IncomingFile(std::string dir);
  ~IncomingFile();
  IncomingFile(const IncomingFile&) = delete;
  IncomingFile& operator=(const IncomingFile&) = delete;

  void write(std::string_view bytes);

  // Renames to "<dir>/<stem>-<token>.snap" and returns that path. Called at most once.
  std::string commit(std::string_view stem);

  // Removes every "incoming-*.part" file in `dir`.
  static void remove_leftovers(const std::string& dir);

 private:
  std::string dir_;
  std::string token_;
  std::string part_path_;
  int fd_ = -1;
};

}  // namespace taskraft::transport
