#include "ember/plan/storage_level.h"

#include <cctype>

#include "ember/common/error.h"

namespace ember {

StorageLevel StorageLevel::parse(const std::string& name) {
  std::string n;
  for (char c : name) n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // {disk, memory, off heap, deserialized, replication}, as Spark's StorageLevel object defines them.
  if (n == "NONE") return {false, false, false, false, 1};
  if (n == "DISK_ONLY") return {true, false, false, false, 1};
  if (n == "DISK_ONLY_2") return {true, false, false, false, 2};
  if (n == "DISK_ONLY_3") return {true, false, false, false, 3};
  if (n == "MEMORY_ONLY") return {false, true, false, true, 1};
  if (n == "MEMORY_ONLY_2") return {false, true, false, true, 2};
  if (n == "MEMORY_ONLY_SER") return {false, true, false, false, 1};
  if (n == "MEMORY_ONLY_SER_2") return {false, true, false, false, 2};
  if (n == "MEMORY_AND_DISK" || n == "MEMORY_AND_DISK_DESER") return {true, true, false, true, 1};
  if (n == "MEMORY_AND_DISK_2") return {true, true, false, true, 2};
  if (n == "MEMORY_AND_DISK_SER") return {true, true, false, false, 1};
  if (n == "MEMORY_AND_DISK_SER_2") return {true, true, false, false, 2};
  if (n == "OFF_HEAP") return {true, true, true, false, 1};
  throw_error(ErrorKind::kIllegalArgument, "Invalid StorageLevel: " + name);
}

std::string StorageLevel::to_string() const {
  std::string out = "StorageLevel(";
  auto add = [&](bool on, const char* word) {
    if (on) out += std::string(word) + ", ";
  };
  add(use_disk, "disk");
  add(use_memory, "memory");
  add(use_off_heap, "offheap");
  add(deserialized, "deserialized");
  return out + std::to_string(replication) + " replicas)";
}

std::string StorageLevel::description() const {
  std::string out;
  if (use_disk) out += "Disk ";
  if (use_memory) out += use_off_heap ? "Memory (off heap) " : "Memory ";
  out += deserialized ? "Deserialized " : "Serialized ";
  return out + std::to_string(replication) + "x Replicated";
}

}  // namespace ember
