#include "ember/io/dataset/output_committer.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <system_error>

#include "ember/common/error.h"
#include "ember/types/data_type.h"

namespace ember {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void throw_io(const std::string& what, const fs::path& path, const std::error_code& ec) {
  throw_error(ErrorKind::kIo, "cannot " + what + " " + path.string() + ": " + ec.message());
}

void rename_or_throw(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    throw_error(ErrorKind::kIo, "cannot rename " + from.string() + " to " + to.string() + ": " + ec.message());
  }
}

void create_dirs_or_throw(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw_io("create directory", dir, ec);
}

bool exists_or_throw(const fs::path& p) {
  std::error_code ec;
  auto st = fs::symlink_status(p, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) throw_io("access", p, ec);
  return fs::exists(st);
}

void write_empty_file(const fs::path& p) {
  std::FILE* f = std::fopen(p.c_str(), "wb");
  if (f == nullptr || std::fclose(f) != 0) {
    throw_io("write", p, std::error_code(errno, std::generic_category()));
  }
}

std::string random_uuid() {
  std::random_device rd;
  std::mt19937_64 gen((uint64_t{rd()} << 32) ^ rd());
  uint64_t hi = gen(), lo = gen();
  hi = (hi & ~uint64_t{0xF000}) | 0x4000;                          // version 4
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);      // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

// "attempt_1_2_3_0" → "attempt_1_2_3": every attempt of one task shares the task id.
std::string task_id_of(const std::string& attempt_id) {
  size_t us = attempt_id.rfind('_');
  if (us == std::string::npos || us + 1 == attempt_id.size()) return attempt_id;
  for (size_t i = us + 1; i < attempt_id.size(); ++i) {
    if (attempt_id[i] < '0' || attempt_id[i] > '9') return attempt_id;
  }
  return attempt_id.substr(0, us);
}

// Every regular file below `root`, as paths relative to it, in a deterministic order.
std::vector<fs::path> list_files(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, ec), end;
  if (ec) throw_io("list", root, ec);
  for (; it != end; it.increment(ec)) {
    if (ec) throw_io("list", root, ec);
    if (it->is_regular_file(ec)) files.push_back(fs::relative(it->path(), root));
  }
  if (ec) throw_io("list", root, ec);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

SaveMode parse_save_mode(const std::string& mode) {
  std::string m = to_lower(mode);
  if (m == "error" || m == "errorifexists" || m == "default") return SaveMode::kErrorIfExists;
  if (m == "overwrite") return SaveMode::kOverwrite;
  if (m == "append") return SaveMode::kAppend;
  if (m == "ignore") return SaveMode::kIgnore;
  throw_error(ErrorKind::kIllegalArgument,
              "Unknown save mode: " + mode +
                  ". Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'.");
}

const char* save_mode_name(SaveMode mode) {
  switch (mode) {
    case SaveMode::kErrorIfExists: return "errorifexists";
    case SaveMode::kOverwrite: return "overwrite";
    case SaveMode::kAppend: return "append";
    case SaveMode::kIgnore: return "ignore";
  }
  return "errorifexists";
}

OutputCommitter::OutputCommitter(std::string target_dir, SaveMode mode, std::string job_id)
    : mode_(mode), job_id_(std::move(job_id)), uuid_(random_uuid()) {
  EMBER_CHECK(!target_dir.empty(), "empty output path");
  EMBER_CHECK(!job_id_.empty() && job_id_.find('/') == std::string::npos, "bad job id '" + job_id_ + "'");
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(target_dir), ec);
  if (ec) throw_io("resolve", target_dir, ec);
  target_ = abs.lexically_normal();
  if (target_.filename().empty() && target_.has_parent_path()) target_ = target_.parent_path();  // "out/"
  EMBER_CHECK(target_.has_filename() && target_ != target_.root_path(), "cannot write to " + target_.string());
  staging_ = target_.parent_path() / ("." + target_.filename().string() + "-ember-staging-" + job_id_);
}

OutputCommitter::~OutputCommitter() {
  if (state_ == State::kActive) abort_job();
}

bool OutputCommitter::setup_job() {
  EMBER_CHECK(state_ == State::kNew, "setup_job called twice");
  std::error_code ec;
  bool exists = exists_or_throw(target_);
  if (exists && mode_ == SaveMode::kIgnore) {
    state_ = State::kSkipped;
    return false;
  }
  if (exists && mode_ == SaveMode::kErrorIfExists) {
    bool empty_dir = fs::is_directory(target_, ec) && fs::is_empty(target_, ec) && !ec;
    if (!empty_dir) {
      throw_error(ErrorKind::kAnalysis, "PATH_ALREADY_EXISTS",
                  "Path file:" + target_.string() +
                      " already exists. Set mode as \"overwrite\" to overwrite the existing path.");
    }
  }
  // Remember which ancestors we create so abort_job can leave the filesystem as it found it.
  std::vector<fs::path> missing;
  for (fs::path p = target_.parent_path(); !p.empty() && !exists_or_throw(p); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.root_path()) break;
  }
  created_parents_.assign(missing.rbegin(), missing.rend());
  state_ = State::kActive;  // from here on, abort_job cleans up
  create_dirs_or_throw(target_.parent_path());
  if (exists_or_throw(staging_)) {
    fs::remove_all(staging_, ec);  // leftovers of a crashed run with the same job id
    if (ec) throw_io("delete", staging_, ec);
  }
  create_dirs_or_throw(staging_ / "_temporary");
  create_dirs_or_throw(staging_ / "tasks");
  return true;
}

fs::path OutputCommitter::attempt_path(const std::string& attempt_id) const {
  EMBER_CHECK(state_ == State::kActive, "task output requested outside an active write job");
  EMBER_CHECK(!attempt_id.empty() && attempt_id.find('/') == std::string::npos, "bad attempt id");
  return staging_ / "_temporary" / attempt_id;
}

std::string OutputCommitter::task_attempt_dir(const std::string& attempt_id) const {
  fs::path dir = attempt_path(attempt_id);
  create_dirs_or_throw(dir);
  return dir.string();
}

std::string OutputCommitter::part_file_name(int partition, const std::string& extension, int file_number) const {
  char num[16];
  std::snprintf(num, sizeof(num), "%05d", partition);
  char counter[16];
  std::snprintf(counter, sizeof(counter), "c%03d", file_number);
  return "part-" + std::string(num) + "-" + uuid_ + "-" + counter + extension;
}

void OutputCommitter::commit_task(const std::string& attempt_id) {
  fs::path src = attempt_path(attempt_id);
  fs::path dst = staging_ / "tasks" / task_id_of(attempt_id);
  std::error_code ec;
  if (exists_or_throw(dst)) {
    fs::remove_all(dst, ec);  // an earlier attempt of this task committed; this one replaces it
    if (ec) throw_io("delete", dst, ec);
  }
  if (!exists_or_throw(src)) return;  // the attempt wrote nothing
  rename_or_throw(src, dst);
}

void OutputCommitter::abort_task(const std::string& attempt_id) noexcept {
  if (state_ != State::kActive || attempt_id.empty() || attempt_id.find('/') != std::string::npos) return;
  std::error_code ec;
  fs::remove_all(staging_ / "_temporary" / attempt_id, ec);
}

fs::path OutputCommitter::assemble_output() {
  fs::path output = staging_ / "output";
  create_dirs_or_throw(output);
  fs::path tasks = staging_ / "tasks";
  std::vector<fs::path> task_dirs;
  std::error_code ec;
  for (fs::directory_iterator it(tasks, ec), end; !ec && it != end; it.increment(ec)) task_dirs.push_back(it->path());
  if (ec) throw_io("list", tasks, ec);
  std::sort(task_dirs.begin(), task_dirs.end());
  for (const auto& task_dir : task_dirs) {
    for (const auto& rel : list_files(task_dir)) {
      fs::path dst = output / rel;
      EMBER_CHECK(!exists_or_throw(dst), "two tasks wrote the same output file " + rel.string());
      create_dirs_or_throw(dst.parent_path());
      rename_or_throw(task_dir / rel, dst);
    }
  }
  return output;
}

namespace {

// The renames and directory creations of a publish step, undone in reverse order if the step
// fails, so the target is left as it was.
class PublishJournal {
 public:
  explicit PublishJournal(const fs::path& target) : target_(target) {}
  void move(const fs::path& from, const fs::path& to) {
    // Record each directory we create so a rollback removes exactly those.
    for (fs::path d = to.parent_path(); d != target_ && !exists_or_throw(d); d = d.parent_path()) made_dirs_.push_back(d);
    create_dirs_or_throw(to.parent_path());
    rename_or_throw(from, to);
    moved_.emplace_back(from, to);
  }
  void roll_back() noexcept {
    std::error_code ec;
    for (auto it = moved_.rbegin(); it != moved_.rend(); ++it) fs::rename(it->second, it->first, ec);
    // Deepest first: made_dirs_ was filled parent-after-child for each move.
    std::sort(made_dirs_.begin(), made_dirs_.end(),
              [](const fs::path& a, const fs::path& b) { return a.string().size() > b.string().size(); });
    for (const auto& d : made_dirs_) fs::remove(d, ec);
  }

 private:
  fs::path target_;
  std::vector<std::pair<fs::path, fs::path>> moved_;  // (from, to), in order
  std::vector<fs::path> made_dirs_;
};

}  // namespace

void OutputCommitter::publish_append(const fs::path& output) {
  PublishJournal journal(target_);
  try {
    for (const auto& rel : list_files(output)) {
      if (rel == "_SUCCESS") continue;
      fs::path dst = target_ / rel;
      if (exists_or_throw(dst)) {
        throw_error(ErrorKind::kIo, "cannot append " + dst.string() + ": a file with that name already exists");
      }
      journal.move(output / rel, dst);
    }
    write_empty_file(target_ / "_SUCCESS");
  } catch (...) {
    journal.roll_back();
    throw;
  }
}

// Each partition directory of the new output (a directory holding files) replaces the target's
// directory of the same name, which moves aside first; on failure every move is undone.
void OutputCommitter::publish_dynamic_overwrite(const fs::path& output) {
  std::vector<fs::path> leaves;
  for (const auto& rel : list_files(output)) {
    if (rel == "_SUCCESS") continue;
    fs::path dir = fs::path(rel).parent_path();
    if (std::find(leaves.begin(), leaves.end(), dir) == leaves.end()) leaves.push_back(dir);
  }
  PublishJournal journal(target_);
  const fs::path old_root = staging_ / "old";
  try {
    for (const auto& dir : leaves) {
      if (dir.empty()) {
        throw_error(ErrorKind::kIo, "dynamic partition overwrite of " + target_.string() +
                                        ": the new output has files outside partition directories");
      }
      const fs::path dst = target_ / dir;
      if (exists_or_throw(dst)) journal.move(dst, old_root / dir);  // the old partition, aside
      journal.move(output / dir, dst);
    }
    write_empty_file(target_ / "_SUCCESS");
  } catch (...) {
    journal.roll_back();
    throw;
  }
}

void OutputCommitter::commit_job() {
  if (state_ == State::kSkipped) return;
  EMBER_CHECK(state_ == State::kActive, "commit_job without a successful setup_job");
  fs::path output = assemble_output();
  std::error_code ec;
  bool exists = exists_or_throw(target_);
  if (mode_ == SaveMode::kAppend && exists) {
    publish_append(output);
  } else if (mode_ == SaveMode::kOverwrite && dynamic_overwrite_ && exists) {
    publish_dynamic_overwrite(output);
  } else {
    write_empty_file(output / "_SUCCESS");
    if (exists && mode_ == SaveMode::kOverwrite) {
      fs::path old = staging_ / "old";
      rename_or_throw(target_, old);
      old_moved_aside_ = true;
      fs::rename(output, target_, ec);
      if (ec) {
        std::error_code restore_ec;
        fs::rename(old, target_, restore_ec);
        if (!restore_ec) old_moved_aside_ = false;
        throw_error(ErrorKind::kIo, "cannot rename " + output.string() + " to " + target_.string() + ": " + ec.message());
      }
      old_moved_aside_ = false;  // the new output is published; old/ is garbage now
    } else {
      // A missing target, or (errorifexists) an empty directory, which rename(2) replaces.
      rename_or_throw(output, target_);
    }
  }
  state_ = State::kDone;
  // The output is published; failing to delete leftovers must not turn success into failure.
  fs::remove_all(staging_, ec);
}

void OutputCommitter::abort_job() noexcept {
  if (state_ != State::kActive) return;
  state_ = State::kDone;
  std::error_code ec;
  if (old_moved_aside_ && !fs::exists(target_, ec)) fs::rename(staging_ / "old", target_, ec);
  fs::remove_all(staging_, ec);
  for (auto it = created_parents_.rbegin(); it != created_parents_.rend(); ++it) {
    fs::remove(*it, ec);  // only removes empty directories: never data someone else put there
  }
}

}  // namespace ember
