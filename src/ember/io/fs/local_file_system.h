#pragma once
// Listing input files on the local file system, the way Spark's InMemoryFileIndex expands the
// paths given to spark.read.
#include <cstdint>
#include <string>
#include <vector>

namespace ember {

struct FileInfo {
  std::string path;
  int64_t size = 0;
};

// Expands each path: a file is taken as is; a directory contributes every file below it,
// recursively, skipping names that start with '_' or '.' (Spark's hidden-file rule, which keeps
// _SUCCESS and .crc files out); a glob (*, ?, [..], {a,b} in any component) is matched first.
// A "file:" scheme prefix is accepted. The result is sorted by path with duplicates removed.
// Throws EmberError(kIo, "PATH_NOT_FOUND") naming the first path that matches nothing.
std::vector<FileInfo> list_input_files(const std::vector<std::string>& paths);

// True when the path contains glob metacharacters.
bool is_glob_pattern(const std::string& path);

// Strips a "file:" / "file://" scheme prefix.
std::string strip_file_scheme(const std::string& path);

}  // namespace ember
