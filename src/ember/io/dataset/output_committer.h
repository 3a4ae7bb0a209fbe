#pragma once
// The output commit protocol for file writes (df.write.csv(path) and friends), modelled on
// Hadoop's FileOutputCommitter v1 as Spark drives it: tasks write into private attempt
// directories, a task commit is a rename, and the job commit publishes everything at once, so
// readers never see a half-written output and a failed job leaves the target exactly as it was.
//
// Staging happens OUTSIDE the target, in a hidden sibling directory
//
//   <parent>/.<name>-ember-staging-<job_id>/
//       _temporary/<attempt_id>/...   what a task attempt writes (task_attempt_dir)
//       tasks/<task_id>/...           committed task outputs (commit_task renames here)
//       output/                       the new output, assembled by commit_job
//       old/                          overwrite only: the previous target, moved aside
//
// Hadoop stages in <target>/_temporary; we do not, because overwrite replaces the target by
// renaming a complete new directory into its place (the old one cannot contain the new one),
// and because then the target is never touched before commit_job in any mode. The sibling
// is on the same filesystem as the target, so every move is an atomic rename(2). Readers skip
// names starting with '.' or '_', so the staging directory is invisible to a glob of <parent>.
//
// Threading: setup_job, commit_job and abort_job run on the driver. task_attempt_dir,
// part_file_name, commit_task and abort_task are called by tasks, concurrently for different
// attempts, between setup_job and commit_job/abort_job.
//
// Errors: every filesystem failure is EmberError(kIo) naming the path and the OS error.
#include <filesystem>
#include <string>
#include <vector>

namespace ember {

enum class SaveMode { kErrorIfExists, kOverwrite, kAppend, kIgnore };

// Spark's names, case-insensitive: "error" | "errorifexists" | "default" → kErrorIfExists,
// "overwrite", "append", "ignore"; anything else → EmberError(kIllegalArgument) listing them.
SaveMode parse_save_mode(const std::string& mode);
// "errorifexists", "overwrite", "append", "ignore".
const char* save_mode_name(SaveMode mode);

class OutputCommitter {
 public:
  // target_dir may be relative (resolved against the current directory now). job_id names the
  // staging directory, so it must be unique among writes running at the same time and contain no
  // '/'. A random UUID for part file names is drawn here.
  OutputCommitter(std::string target_dir, SaveMode mode, std::string job_id);
  // A committer that was set up but neither committed nor aborted aborts itself.
  ~OutputCommitter();
  OutputCommitter(const OutputCommitter&) = delete;
  OutputCommitter& operator=(const OutputCommitter&) = delete;

  // Driver, before any task. Checks the target against the save mode:
  //  - kErrorIfExists and the target exists and is not an empty directory → EmberError(kAnalysis,
  //    "PATH_ALREADY_EXISTS"): Path file:<abs> already exists. Set mode as "overwrite" ...;
  //  - kIgnore and the target exists → returns false: the job must write nothing (and
  //    commit_job/abort_job become no-ops);
  // Otherwise creates the staging directory (and the target's missing parent directories, which
  // abort_job removes again) and returns true.
  bool setup_job();

  // The directory a task attempt writes its files into, created on demand (with any
  // subdirectories the task adds, e.g. "key=value/" for partitioned writes).
  std::string task_attempt_dir(const std::string& attempt_id) const;
  // Spark's file name: "part-00003-<job uuid>-c000<extension>", extension like ".csv".
  std::string part_file_name(int partition, const std::string& extension) const { return part_file_name(partition, extension, 0); }
  // The file_number-th file of one task in one directory ("-c001" ...; maxRecordsPerFile).
  std::string part_file_name(int partition, const std::string& extension, int file_number) const;
  // spark.sql.sources.partitionOverwriteMode=dynamic: an overwrite replaces only the partition
  // directories (key=value/...) the new output has, and keeps every other one. Call before
  // commit_job; ignored for other modes.
  void set_dynamic_partition_overwrite(bool dynamic) { dynamic_overwrite_ = dynamic; }
  // Publishes the attempt's files as its task's output (one rename). A second commit for the same
  // task (a retried attempt) replaces the first. The task id is the attempt id without its last
  // "_<attempt number>" (see TaskContext::attempt_id).
  void commit_task(const std::string& attempt_id);
  // Deletes the attempt's directory, best effort: it is called from catch blocks, where throwing
  // would replace the task's real error (anything left behind goes with abort_job/commit_job).
  void abort_task(const std::string& attempt_id) noexcept;

  // Driver, after every task committed. Assembles the committed task outputs, adds an empty
  // _SUCCESS marker and publishes:
  //  - kErrorIfExists / kIgnore (or kAppend/kOverwrite onto a missing target): one rename of the
  //    new directory to the target;
  //  - kOverwrite onto an existing target: rename the old target aside, rename the new output
  //    into place, then delete the old data. A failure before the second rename leaves the old
  //    target in place (it is renamed back). Deleting the old data afterwards is best effort.
  //  - kAppend onto an existing target: moves each new file into the target (creating
  //    subdirectories such as key=value/), rewrites _SUCCESS. Not atomic (Spark's isn't either),
  //    but a failure midway moves the already-moved files back.
  // Finally deletes the staging directory.
  void commit_job();

  // Driver, on any failure (including a failed commit_job). Deletes all staging files and any
  // parent directories setup_job created; the target is left exactly as before the job.
  void abort_job() noexcept;

  const std::filesystem::path& target() const { return target_; }
  const std::filesystem::path& staging_dir() const { return staging_; }
  const std::string& job_uuid() const { return uuid_; }
  SaveMode mode() const { return mode_; }

 private:
  std::filesystem::path attempt_path(const std::string& attempt_id) const;
  std::filesystem::path assemble_output();
  void publish_append(const std::filesystem::path& output);
  void publish_dynamic_overwrite(const std::filesystem::path& output);

  std::filesystem::path target_;   // absolute, normalised, no trailing separator
  std::filesystem::path staging_;  // the hidden sibling directory
  SaveMode mode_;
  std::string job_id_;
  std::string uuid_;
  enum class State { kNew, kActive, kSkipped, kDone } state_ = State::kNew;
  bool old_moved_aside_ = false;                      // overwrite: target now lives in staging/old
  bool dynamic_overwrite_ = false;
  std::vector<std::filesystem::path> created_parents_;  // outermost first
};

}  // namespace ember
