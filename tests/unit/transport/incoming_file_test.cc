// Snapshot files being received: visible only once committed.
#include "transport/incoming_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "test_node.h"

namespace taskraft::transport {
namespace {

class IncomingFileTest : public ::testing::Test {
 protected:
  IncomingFileTest() {
    std::string t = (std::filesystem::temp_directory_path() / "incoming-test-XXXXXX").string();
    dir_ = ::mkdtemp(t.data());
  }
  ~IncomingFileTest() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(IncomingFileTest, CommittedFileHasItsBytesUnderTheFinalName) {
  std::string path;
  {
    IncomingFile f(dir_);
    f.write("hello ");
    f.write("world");
    path = f.commit("snapshot-1-10-2");
  }
  EXPECT_EQ(testing::files_in(dir_), std::vector<std::string>{std::filesystem::path(path).filename().string()});
  EXPECT_TRUE(std::filesystem::path(path).filename().string().starts_with("snapshot-1-10-2-"));
  std::ifstream in(path);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "hello world");
}

TEST_F(IncomingFileTest, AbandonedFileLeavesNothing) {
  {
    IncomingFile f(dir_);
    f.write("half a snapshot");
    EXPECT_EQ(testing::files_in(dir_).size(), 1u);
  }
  EXPECT_TRUE(testing::files_in(dir_).empty());
}

TEST_F(IncomingFileTest, LeftoversFromACrashAreRemovedButSnapshotsKept) {
  std::ofstream(dir_ + "/incoming-deadbeef.part") << "torn";
  std::ofstream(dir_ + "/snapshot-1-2-3-abcd.snap") << "whole";
  IncomingFile::remove_leftovers(dir_);
  EXPECT_EQ(testing::files_in(dir_), std::vector<std::string>{"snapshot-1-2-3-abcd.snap"});
}

}  // namespace
}  // namespace taskraft::transport
