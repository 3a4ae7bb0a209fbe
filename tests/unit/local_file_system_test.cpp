#include "ember/io/fs/local_file_system.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "ember/common/error.h"

namespace ember {
namespace {

class LocalFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ember_fs_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    touch("data/a.csv", "12345");
    touch("data/b.csv", "1");
    touch("data/sub/c.csv", "12");
    touch("data/_SUCCESS", "");
    touch("data/.a.csv.crc", "x");
    touch("data/_temp/d.csv", "x");
    touch("data/sub/e.txt", "x");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void touch(const std::string& rel, const std::string& text) {
    std::filesystem::path p = std::filesystem::path(dir_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }

  std::vector<std::string> names(const std::vector<FileInfo>& files) {
    std::vector<std::string> out;
    for (const auto& f : files) out.push_back(f.path.substr(dir_.size() + 1));
    return out;
  }

  std::string dir_;
};

TEST_F(LocalFileSystemTest, FileDirectoryAndHiddenFiles) {
  auto files = list_input_files({dir_ + "/data"});
  EXPECT_EQ(names(files), (std::vector<std::string>{"data/a.csv", "data/b.csv", "data/sub/c.csv", "data/sub/e.txt"}));
  EXPECT_EQ(files[0].size, 5);
  auto single = list_input_files({"file:" + dir_ + "/data/a.csv", dir_ + "/data/a.csv"});
  EXPECT_EQ(names(single), (std::vector<std::string>{"data/a.csv"}));
}

TEST_F(LocalFileSystemTest, Globs) {
  EXPECT_EQ(names(list_input_files({dir_ + "/data/*.csv"})), (std::vector<std::string>{"data/a.csv", "data/b.csv"}));
  EXPECT_EQ(names(list_input_files({dir_ + "/data/*/c.cs?"})), (std::vector<std::string>{"data/sub/c.csv"}));
  EXPECT_EQ(names(list_input_files({dir_ + "/data/[ab].csv"})), (std::vector<std::string>{"data/a.csv", "data/b.csv"}));
  EXPECT_EQ(names(list_input_files({dir_ + "/data/{a,sub}*"})),
            (std::vector<std::string>{"data/a.csv", "data/sub/c.csv", "data/sub/e.txt"}));
}

TEST_F(LocalFileSystemTest, MissingPathNamesThePath) {
  for (std::string missing : {dir_ + "/nope.csv", dir_ + "/data/*.parquet"}) {
    try {
      list_input_files({dir_ + "/data", missing});
      FAIL();
    } catch (const EmberError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIo);
      EXPECT_EQ(e.error_class(), "PATH_NOT_FOUND");
      EXPECT_NE(std::string(e.what()).find("Path does not exist: file:" + missing), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace ember
