#pragma once
// The file schema of a CSV scan, as Spark's CSVDataSource.inferSchema computes it.
#include <vector>

#include "ember/io/csv/csv_options.h"
#include "ember/io/fs/local_file_system.h"
#include "ember/types/data_type.h"
#include "ember/types/time_zone.h"

namespace ember {

// Column names come from the first line of the first non-empty file when options.header is set
// (duplicates, compared case-insensitively, get their index appended; empty names and nullValue
// become "_c<i>"), else "_c0", "_c1", ... for as many fields as the first line has. With
// options.infer_schema the types follow Spark's CSVInferSchema lattice over the data (sampled by
// sampling_ratio): int, bigint, decimal(p,0), double, date (preferDate), timestamp, boolean,
// string, where empty fields and nullValue say nothing and a column seeing nothing is a string.
// Without infer_schema every column is a string. Throws kAnalysis when there is no data at all.
Schema infer_csv_schema(const std::vector<FileInfo>& files, const CsvOptions& options, const TimeZone& tz);

// Spark's CSVInferSchema.compatibleType for two inferred types (exposed for tests).
DataType csv_merge_inferred_types(const DataType& a, const DataType& b, const CsvOptions& options);

}  // namespace ember
