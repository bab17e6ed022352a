// Reading passwords (see secret_input.h).
#include "cli/secret_input.h"

#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli/failure.h"

namespace taskraft::cli {
namespace {

std::string strip_line_end(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

}  // namespace

std::string read_secret_file(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) throw UsageError("cannot read a password from " + path);
  line = strip_line_end(std::move(line));
  if (line.empty()) throw UsageError("the first line of " + path + " is empty");
  return line;
}

std::string prompt_secret(const std::string& prompt) {
  bool terminal = isatty(STDIN_FILENO);
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  line = strip_line_end(std::move(line));
  if (!got || line.empty()) throw UsageError("no password given (" + prompt + ")");
  return line;
}

}  // namespace taskraft::cli
