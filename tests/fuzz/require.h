// The assertion of the fuzz targets: a property that fails prints itself and where, then aborts,
// so that libFuzzer reports a crash and writes the input that caused it. Unlike assert it is on
// whatever the build flags say.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_REQUIRE(condition)                                                                  \
  do {                                                                                           \
    if (!(condition)) {                                                                          \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #condition);    \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)
