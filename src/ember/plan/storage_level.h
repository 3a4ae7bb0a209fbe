#pragma once
// How a cached DataFrame keeps its partitions: Spark's StorageLevel (useDisk, useMemory,
// useOffHeap, deserialized, replication). The level is part of the cached relation in the logical
// plan (explain shows it, as Spark's InMemoryRelation does); runtime/block_manager.h applies it.
#include <string>

namespace ember {

struct StorageLevel {
  bool use_disk = false;
  bool use_memory = false;
  bool use_off_heap = false;
  bool deserialized = false;
  int replication = 1;

  // Spark's named levels (StorageLevel.fromString): NONE, DISK_ONLY[_2|_3], MEMORY_ONLY[_2],
  // MEMORY_ONLY_SER[_2], MEMORY_AND_DISK[_2], MEMORY_AND_DISK_SER[_2], OFF_HEAP, and PySpark's
  // MEMORY_AND_DISK_DESER; case-insensitive. Anything else is EmberError(kIllegalArgument)
  // "Invalid StorageLevel: x", Spark's message.
  static StorageLevel parse(const std::string& name);
  static StorageLevel none() { return {}; }
  static StorageLevel memory_and_disk() { return {true, true, false, true, 1}; }  // cache()

  bool is_valid() const { return use_disk || use_memory; }
  // Spark's toString, which explain prints: "StorageLevel(disk, memory, deserialized, 1 replicas)".
  std::string to_string() const;
  // Spark's description: "Disk Memory Deserialized 1x Replicated".
  std::string description() const;

  friend bool operator==(const StorageLevel&, const StorageLevel&) = default;
};

}  // namespace ember
