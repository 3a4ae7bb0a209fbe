#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "ember/common/error.h"
#include "ember/io/dataset/output_committer.h"

namespace ember {
namespace {

namespace fs = std::filesystem;

// Every entry under `root` (hidden ones included): path → file content, or "<dir>".
std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> out;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    std::string rel = fs::relative(e.path(), root).string();
    if (e.is_directory()) {
      out[rel] = "<dir>";
    } else {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out[rel] = ss.str();
    }
  }
  return out;
}

void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

class OutputCommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    base_ = fs::temp_directory_path() /
            ("ember-committer-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(base_);
    fs::create_directories(base_);
    target_ = base_ / "out";
  }
  void TearDown() override { fs::remove_all(base_); }

  // A task: writes `files` (relative name → content) into its attempt dir and commits.
  static void run_task(OutputCommitter& c, const std::string& attempt,
                       const std::map<std::string, std::string>& files, bool commit = true) {
    fs::path dir = c.task_attempt_dir(attempt);
    EXPECT_TRUE(fs::is_directory(dir));
    for (const auto& [name, content] : files) write_file(dir / name, content);
    if (commit) c.commit_task(attempt);
  }

  void make_old_target() {
    write_file(target_ / "part-00000-old-c000.csv", "old,1\n");
    write_file(target_ / "part-00001-old-c000.csv", "old,2\n");
    write_file(target_ / "_SUCCESS", "");
  }

  fs::path base_;
  fs::path target_;
};

TEST_F(OutputCommitterTest, ErrorIfExistsWritesANewTarget) {
  OutputCommitter c(target_.string(), SaveMode::kErrorIfExists, "job_1");
  ASSERT_TRUE(c.setup_job());
  EXPECT_FALSE(fs::exists(target_)) << "nothing appears at the target before commit_job";
  std::string p0 = c.part_file_name(0, ".csv");
  std::string p1 = c.part_file_name(1, ".csv");
  run_task(c, "attempt_1_0_0_0", {{p0, "a\n"}});
  run_task(c, "attempt_1_0_1_0", {{p1, "b\n"}});
  c.commit_job();
  EXPECT_EQ(snapshot(target_), (std::map<std::string, std::string>{{p0, "a\n"}, {p1, "b\n"}, {"_SUCCESS", ""}}));
  EXPECT_EQ(snapshot(base_).size(), 4u) << "only out/ and its three files: no staging left";
}

TEST_F(OutputCommitterTest, ErrorIfExistsRefusesANonEmptyTarget) {
  make_old_target();
  auto before = snapshot(base_);
  OutputCommitter c(target_.string(), SaveMode::kErrorIfExists, "job_1");
  try {
    c.setup_job();
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kAnalysis);
    EXPECT_EQ(e.error_class(), "PATH_ALREADY_EXISTS");
    EXPECT_EQ(std::string(e.what()), "[PATH_ALREADY_EXISTS] Path file:" + target_.string() +
                                         " already exists. Set mode as \"overwrite\" to overwrite the existing path.");
  }
  EXPECT_EQ(snapshot(base_), before);
}

TEST_F(OutputCommitterTest, ErrorIfExistsAcceptsAnEmptyDirectory) {
  fs::create_directories(target_);
  OutputCommitter c(target_.string() + "/", SaveMode::kErrorIfExists, "job_1");  // trailing slash too
  ASSERT_TRUE(c.setup_job());
  run_task(c, "attempt_1_0_0_0", {{"part-00000.csv", "x"}});
  c.commit_job();
  EXPECT_EQ(snapshot(target_).size(), 2u);
}

TEST_F(OutputCommitterTest, IgnoreWritesNothingWhenTheTargetExists) {
  make_old_target();
  auto before = snapshot(base_);
  OutputCommitter c(target_.string(), SaveMode::kIgnore, "job_1");
  EXPECT_FALSE(c.setup_job());
  c.commit_job();  // a no-op
  c.abort_job();
  EXPECT_EQ(snapshot(base_), before);

  OutputCommitter fresh((base_ / "other").string(), SaveMode::kIgnore, "job_2");
  ASSERT_TRUE(fresh.setup_job());
  run_task(fresh, "attempt_2_0_0_0", {{"part-00000.csv", "y"}});
  fresh.commit_job();
  EXPECT_EQ(snapshot(base_ / "other").size(), 2u);
}

TEST_F(OutputCommitterTest, OverwriteKeepsOldDataUntilCommit) {
  make_old_target();
  auto old = snapshot(target_);
  OutputCommitter c(target_.string(), SaveMode::kOverwrite, "job_5");
  ASSERT_TRUE(c.setup_job());
  std::string p0 = c.part_file_name(0, ".csv");
  run_task(c, "attempt_5_0_0_0", {{p0, "new\n"}});
  EXPECT_EQ(snapshot(target_), old) << "readers still see the old output while tasks run";
  c.commit_job();
  EXPECT_EQ(snapshot(target_), (std::map<std::string, std::string>{{p0, "new\n"}, {"_SUCCESS", ""}}));
  EXPECT_EQ(snapshot(base_).size(), 3u);  // out, its two files; no staging, no old data
}

TEST_F(OutputCommitterTest, OverwriteOfAMissingTargetCreatesIt) {
  OutputCommitter c((base_ / "a" / "b" / "out").string(), SaveMode::kOverwrite, "job_5");
  ASSERT_TRUE(c.setup_job());
  run_task(c, "attempt_5_0_0_0", {{"part-00000.csv", "n"}});
  c.commit_job();
  EXPECT_EQ(snapshot(base_ / "a" / "b" / "out").size(), 2u);
}

TEST_F(OutputCommitterTest, AppendAddsFilesAndPartitionDirectories) {
  make_old_target();
  write_file(target_ / "k=1" / "part-00000-old-c000.csv", "old k1\n");
  auto old = snapshot(target_);
  OutputCommitter c(target_.string(), SaveMode::kAppend, "job_7");
  ASSERT_TRUE(c.setup_job());
  std::string p0 = c.part_file_name(0, ".csv");
  run_task(c, "attempt_7_0_0_0", {{"k=1/" + p0, "new k1\n"}, {"k=2/" + p0, "new k2\n"}});
  EXPECT_EQ(snapshot(target_), old);
  c.commit_job();
  auto now = snapshot(target_);
  for (const auto& [name, content] : old) EXPECT_EQ(now.at(name), content) << name;
  EXPECT_EQ(now.at("k=1/" + p0), "new k1\n");
  EXPECT_EQ(now.at("k=2/" + p0), "new k2\n");
  EXPECT_EQ(now.at("_SUCCESS"), "");
  EXPECT_EQ(now.size(), old.size() + 3);  // two files and the k=2 directory
  EXPECT_EQ(snapshot(base_).size(), now.size() + 1);  // + out itself; no staging
}

TEST_F(OutputCommitterTest, AbortAfterTasksWroteLeavesEverythingAsBefore) {
  for (SaveMode mode : {SaveMode::kOverwrite, SaveMode::kAppend, SaveMode::kErrorIfExists, SaveMode::kIgnore}) {
    fs::remove_all(base_);
    fs::create_directories(base_);
    if (mode == SaveMode::kOverwrite || mode == SaveMode::kAppend) make_old_target();
    // A target in missing parent directories, for the modes that create a fresh one.
    fs::path target = mode == SaveMode::kErrorIfExists || mode == SaveMode::kIgnore ? base_ / "x" / "y" / "out" : target_;
    auto before = snapshot(base_);
    OutputCommitter c(target.string(), mode, "job_9");
    ASSERT_TRUE(c.setup_job());
    run_task(c, "attempt_9_0_0_0", {{c.part_file_name(0, ".csv"), "a"}, {"k=3/" + c.part_file_name(0, ".csv"), "b"}});
    run_task(c, "attempt_9_0_1_0", {{c.part_file_name(1, ".csv"), "c"}}, /*commit=*/false);
    c.abort_job();
    EXPECT_EQ(snapshot(base_), before) << save_mode_name(mode);
  }
}

TEST_F(OutputCommitterTest, FailedCommitBeforeThePublishingRenameKeepsTheOldTarget) {
  make_old_target();
  auto before = snapshot(base_);
  auto old_target = snapshot(target_);
  OutputCommitter c(target_.string(), SaveMode::kOverwrite, "job_3");
  ASSERT_TRUE(c.setup_job());
  // Two tasks claiming the same file: commit_job must fail while assembling the output.
  run_task(c, "attempt_3_0_0_0", {{"part-00000.csv", "a"}});
  run_task(c, "attempt_3_0_1_0", {{"part-00000.csv", "b"}});
  EXPECT_THROW(c.commit_job(), EmberError);
  EXPECT_EQ(snapshot(target_), old_target);
  c.abort_job();
  EXPECT_EQ(snapshot(base_), before);
}

TEST_F(OutputCommitterTest, RetriedTaskCommitReplacesTheEarlierAttempt) {
  OutputCommitter c(target_.string(), SaveMode::kErrorIfExists, "job_4");
  ASSERT_TRUE(c.setup_job());
  run_task(c, "attempt_4_0_2_0", {{"part-00002-c000.csv", "first"}, {"part-00002-c001.csv", "rolled"}});
  run_task(c, "attempt_4_0_2_1", {{"part-00002-c000.csv", "second"}});
  // An attempt that is aborted leaves no trace.
  run_task(c, "attempt_4_0_3_0", {{"part-00003-c000.csv", "dead"}}, /*commit=*/false);
  c.abort_task("attempt_4_0_3_0");
  c.abort_task("attempt_4_0_3_7");  // never created: fine
  c.commit_job();
  EXPECT_EQ(snapshot(target_),
            (std::map<std::string, std::string>{{"part-00002-c000.csv", "second"}, {"_SUCCESS", ""}}));
}

TEST_F(OutputCommitterTest, DestructorAbortsAnUnfinishedJob) {
  make_old_target();
  auto before = snapshot(base_);
  {
    OutputCommitter c(target_.string(), SaveMode::kOverwrite, "job_6");
    ASSERT_TRUE(c.setup_job());
    run_task(c, "attempt_6_0_0_0", {{"part-00000.csv", "z"}});
  }
  EXPECT_EQ(snapshot(base_), before);
}

TEST_F(OutputCommitterTest, StagingIsAHiddenSibling) {
  OutputCommitter c(target_.string(), SaveMode::kOverwrite, "job_8");
  ASSERT_TRUE(c.setup_job());
  EXPECT_EQ(c.staging_dir(), base_ / ".out-ember-staging-job_8");
  EXPECT_TRUE(fs::is_directory(c.staging_dir()));
  EXPECT_EQ(fs::path(c.task_attempt_dir("attempt_8_1_0_0")).parent_path().parent_path(), c.staging_dir());
  c.abort_job();
  EXPECT_FALSE(fs::exists(c.staging_dir()));
}

TEST(OutputCommitterNamesTest, PartFileNamesFollowSpark) {
  OutputCommitter c("/tmp/ember-unused-target", SaveMode::kErrorIfExists, "job_1");
  // 8-4-4-4-12 lowercase hex, version 4, RFC 4122 variant.
  const std::string& u = c.job_uuid();
  ASSERT_EQ(u.size(), 36u);
  for (size_t i = 0; i < u.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      EXPECT_EQ(u[i], '-') << u;
    } else {
      EXPECT_TRUE((u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f')) << u;
    }
  }
  EXPECT_EQ(u[14], '4') << u;
  EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
  EXPECT_EQ(c.part_file_name(3, ".csv"), "part-00003-" + c.job_uuid() + "-c000.csv");
  EXPECT_EQ(c.part_file_name(123456, ".csv"), "part-123456-" + c.job_uuid() + "-c000.csv");
  OutputCommitter other("/tmp/ember-unused-target", SaveMode::kErrorIfExists, "job_2");
  EXPECT_NE(c.job_uuid(), other.job_uuid());
}

TEST(OutputCommitterNamesTest, ParsesSaveModes) {
  EXPECT_EQ(parse_save_mode("error"), SaveMode::kErrorIfExists);
  EXPECT_EQ(parse_save_mode("errorifexists"), SaveMode::kErrorIfExists);
  EXPECT_EQ(parse_save_mode("ErrorIfExists"), SaveMode::kErrorIfExists);
  EXPECT_EQ(parse_save_mode("default"), SaveMode::kErrorIfExists);
  EXPECT_EQ(parse_save_mode("overwrite"), SaveMode::kOverwrite);
  EXPECT_EQ(parse_save_mode("APPEND"), SaveMode::kAppend);
  EXPECT_EQ(parse_save_mode("ignore"), SaveMode::kIgnore);
  try {
    parse_save_mode("replace");
    FAIL();
  } catch (const EmberError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIllegalArgument);
    std::string msg = e.what();
    for (const char* m : {"replace", "overwrite", "append", "ignore", "error", "errorifexists", "default"}) {
      EXPECT_NE(msg.find(m), std::string::npos) << m;
    }
  }
}

}  // namespace
}  // namespace ember
