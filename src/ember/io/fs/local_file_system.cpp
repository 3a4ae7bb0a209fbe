#include "ember/io/fs/local_file_system.h"

#include <glob.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "ember/common/error.h"

namespace ember {

namespace fs = std::filesystem;

namespace {

bool is_hidden_name(const std::string& name) {
  return !name.empty() && (name[0] == '_' || name[0] == '.');
}

[[noreturn]] void path_not_found(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(path), ec);
  std::string shown = ec ? path : abs.lexically_normal().string();
  throw_error(ErrorKind::kIo, "PATH_NOT_FOUND", "Path does not exist: file:" + shown + ".");
}

void add_regular_file(const fs::path& p, std::vector<FileInfo>& out) {
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  if (ec) {
    throw_error(ErrorKind::kIo, "cannot read the size of " + p.string() + ": " + ec.message());
  }
  out.push_back({p.string(), static_cast<int64_t>(size)});
}

void add_directory(const fs::path& dir, std::vector<FileInfo>& out) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw_error(ErrorKind::kIo, "cannot list directory " + dir.string() + ": " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) throw_error(ErrorKind::kIo, "cannot list directory " + dir.string() + ": " + ec.message());
    const fs::path& child = it->path();
    if (is_hidden_name(child.filename().string())) continue;
    std::error_code sec;
    auto status = fs::status(child, sec);  // follows symlinks, as Hadoop's local FS does
    if (sec) continue;                      // a dangling symlink is not data
    if (fs::is_directory(status)) {
      add_directory(child, out);
    } else if (fs::is_regular_file(status)) {
      add_regular_file(child, out);
    }
  }
}

// Adds a path that exists: the file itself or the files below the directory.
void add_existing(const fs::path& p, std::vector<FileInfo>& out) {
  std::error_code ec;
  auto status = fs::status(p, ec);
  if (ec) throw_error(ErrorKind::kIo, "cannot access " + p.string() + ": " + ec.message());
  if (fs::is_directory(status)) add_directory(p, out);
  else add_regular_file(p, out);
}

}  // namespace

std::string strip_file_scheme(const std::string& path) {
  if (path.rfind("file://", 0) == 0) return path.substr(7);
  if (path.rfind("file:", 0) == 0) return path.substr(5);
  return path;
}

bool is_glob_pattern(const std::string& path) {
  return path.find_first_of("*?[{") != std::string::npos;
}

std::vector<FileInfo> list_input_files(const std::vector<std::string>& paths) {
  std::vector<FileInfo> out;
  for (const std::string& original : paths) {
    std::string path = strip_file_scheme(original);
    if (path.empty()) path_not_found(original);
    std::error_code ec;
    if (fs::exists(fs::path(path), ec)) {
      add_existing(fs::path(path), out);
      continue;
    }
    if (!is_glob_pattern(path)) path_not_found(path);
    glob_t g{};
    int rc = ::glob(path.c_str(), GLOB_BRACE | GLOB_NOSORT, nullptr, &g);
    if (rc == GLOB_NOMATCH) {
      globfree(&g);
      path_not_found(path);
    }
    if (rc != 0) {
      globfree(&g);
      throw_error(ErrorKind::kIo, "cannot expand the glob pattern " + path);
    }
    std::vector<std::string> matches(g.gl_pathv, g.gl_pathv + g.gl_pathc);
    globfree(&g);
    for (const std::string& m : matches) {
      // glob(3) already skips names starting with '.' unless spelled out; Spark's listing also
      // hides '_' names such as _SUCCESS.
      if (is_hidden_name(fs::path(m).filename().string())) continue;
      add_existing(fs::path(m), out);
    }
  }
  std::sort(out.begin(), out.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const FileInfo& a, const FileInfo& b) { return a.path == b.path; }),
            out.end());
  return out;
}

}  // namespace ember
