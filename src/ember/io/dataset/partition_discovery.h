#pragma once
// Partition discovery for file sources, as Spark's PartitioningUtils: files under
// `key=value/` directories below a base path carry those values as extra columns.
//
//   out/year=2024/region=EU/part-00000-....parquet  ->  year: int = 2024, region: string = "EU"
//
// Values are unescaped (%XX), `__HIVE_DEFAULT_PARTITION__` is null, and each column's type is
// inferred from all its values: int, then bigint, then double, then date (yyyy-MM-dd), else string
// (spark.sql.sources.partitionColumnTypeInference.enabled, on by default).
#include <string>
#include <vector>

#include "ember/io/fs/local_file_system.h"
#include "ember/types/data_type.h"
#include "ember/types/value.h"

namespace ember {

struct DiscoveredPartitions {
  Schema schema;                               // the partition columns, in directory order
  std::vector<std::vector<Value>> file_values;  // per input file, one value per column
};

// `base_paths`: the paths the user gave (directories whose own name is never a partition);
// `files`: the listed files. Throws EmberError(kAnalysis, CONFLICTING_PARTITION_COLUMN_NAMES)
// naming two files whose directory layouts disagree.
DiscoveredPartitions discover_partitions(const std::vector<std::string>& base_paths, const std::vector<FileInfo>& files);

// The partition directory value Spark writes for `v` (escaped; null and "" become
// __HIVE_DEFAULT_PARTITION__).
std::string partition_directory_value(const std::string& text, bool is_null);

}  // namespace ember
