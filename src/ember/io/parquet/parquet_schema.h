#pragma once
// Mapping between Parquet schemas and ember schemas, both ways, following Spark's
// ParquetToSparkSchemaConverter (read) and SparkToParquetSchemaConverter (write, non-legacy
// format). Also the Spark schema JSON Spark stores under org.apache.spark.sql.parquet.row.metadata.
#include <string>
#include <vector>

#include "ember/io/parquet/parquet_metadata.h"
#include "ember/io/parquet/parquet_options.h"
#include "ember/types/data_type.h"

namespace ember::parquet {

// How a leaf column's physical values become the values of its ember vector.
enum class ValueConversion : uint8_t {
  kBoolean,             // BOOLEAN → boolean
  kInt32,               // INT32 → int, date; UINT_16 → int
  kInt32ToInt8,         // INT_8 → tinyint
  kInt32ToInt16,        // INT_16, UINT_8 → smallint
  kUInt32ToInt64,       // UINT_32 → bigint
  kInt32ToDecimal,      // DECIMAL in INT32
  kInt64,               // INT64 → bigint; TIMESTAMP(MICROS) → timestamp
  kInt64ToDecimal,      // DECIMAL in INT64
  kUInt64ToDecimal,     // UINT_64 → decimal(20,0)
  kMillisToMicros,      // TIMESTAMP(MILLIS) → timestamp
  kNanosToMicros,       // TIMESTAMP(NANOS) → timestamp (truncated toward negative infinity)
  kInt96ToMicros,       // INT96 (Impala/Spark legacy timestamps) → timestamp
  kFloat,               // FLOAT → float
  kDouble,              // DOUBLE → double
  kByteArray,           // BYTE_ARRAY → string / binary
  kByteArrayToDecimal,  // DECIMAL in BYTE_ARRAY (big-endian two's complement)
  kFixedToDecimal,      // DECIMAL in FIXED_LEN_BYTE_ARRAY
  kFixedToBinary,       // FIXED_LEN_BYTE_ARRAY → binary
  kUuidToString,        // FIXED_LEN_BYTE_ARRAY(16) UUID → "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
  kAllNull,             // UNKNOWN (null) logical type → void
};

// The order min/max statistics use for a column (Parquet's ColumnOrder TYPE_ORDER rules).
enum class SortOrder : uint8_t { kSigned, kUnsigned, kUnknown };

// A leaf column of the file, with everything the reader needs to decode it.
struct ColumnDescriptor {
  std::string name;        // the field name
  int schema_element = 0;  // index into FileMetaData::schema
  PhysicalType physical = PhysicalType::kBoolean;
  int type_length = 0;  // FIXED_LEN_BYTE_ARRAY length
  int max_definition_level = 0;
  int max_repetition_level = 0;
  DataType type;  // the ember type the column reads as
  bool nullable = true;
  ValueConversion conversion = ValueConversion::kBoolean;
  SortOrder sort_order = SortOrder::kSigned;
};

struct MappedSchema {
  Schema schema;                          // one field per top-level column
  std::vector<ColumnDescriptor> columns;  // leaf columns, in file order (== schema fields, flat)
};

// Maps a file's schema (FileMetaData::schema) to ember's. Throws kUnsupported naming the column
// for types ember (or Spark) cannot read — nested groups and repeated fields, TIME, INTERVAL,
// FLOAT16 — and kMalformedInput for an inconsistent schema. Callers add the file name.
MappedSchema map_parquet_schema(const std::vector<SchemaElement>& elements,
                                const ParquetReadOptions& options);

// The Parquet schema Spark writes for `schema`: a root group "spark_schema" and one leaf per
// field. Throws kUnsupported for types ember cannot write (void, arrays).
std::vector<SchemaElement> parquet_schema_for(const Schema& schema);

// Spark's DecimalType.minBytesForPrecision: bytes of the FIXED_LEN_BYTE_ARRAY for a precision.
int decimal_fixed_length(int precision);

// Spark's StructType.json: {"type":"struct","fields":[{"name":"id","type":"long","nullable":true,
// "metadata":{}}]}.
std::string spark_schema_json(const Schema& schema);

}  // namespace ember::parquet
