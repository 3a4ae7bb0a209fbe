#pragma once
// Mapping between Parquet schemas and ember schemas, both ways, following Spark's
// ParquetToSparkSchemaConverter (read) and SparkToParquetSchemaConverter (write, non-legacy
// format). Also the Spark schema JSON Spark stores under org.apache.spark.sql.parquet.row.metadata.
#include <memory>
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

struct NestedColumn;

// A leaf column of the file, with everything the reader needs to decode it. A top-level field
// that is a group (struct, LIST, MAP) or a repeated field has a descriptor too, with `nested` set
// and `leaf_index` / `num_leaves` naming its leaves' column chunks.
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
  int leaf_index = 0;  // the column chunk (index into a row group's columns) of the first leaf
  int num_leaves = 1;
  std::shared_ptr<const NestedColumn> nested;  // set for nested top-level fields
};

// One node of a nested column's shape, with the levels that locate its values in any leaf's
// (repetition, definition) stream below it (Dremel record shredding): the entries with
// rep <= rep_limit and def >= def_slot are this node's slots, one per value (null or not), and a
// slot with def >= def_present holds a non-null value.
struct NestedNode {
  enum class Kind : uint8_t { kLeaf, kStruct, kList, kMap };
  Kind kind = Kind::kLeaf;
  DataType type;
  bool nullable = true;
  int def_slot = 0;
  int rep_limit = 0;
  int def_present = 0;
  int first_leaf = 0;                // index into NestedColumn::leaves of the first leaf below
  int leaf = -1;                     // kLeaf: its index into NestedColumn::leaves
  std::vector<NestedNode> children;  // struct: fields; list: {element}; map: {key, value}
};

struct NestedColumn {
  NestedNode root;
  std::vector<ColumnDescriptor> leaves;  // in file order
};

struct MappedSchema {
  Schema schema;                          // one field per top-level column
  std::vector<ColumnDescriptor> columns;  // one per top-level field (== schema fields)
  std::vector<ColumnDescriptor> leaves;   // every leaf column, in file (column chunk) order
};

// Maps a file's schema (FileMetaData::schema) to ember's. Throws kUnsupported naming the column
// for types ember (or Spark) cannot read — nested groups and repeated fields, TIME, INTERVAL,
// FLOAT16 — and kMalformedInput for an inconsistent schema. Callers add the file name.
MappedSchema map_parquet_schema(const std::vector<SchemaElement>& elements,
                                const ParquetReadOptions& options);

// The Parquet schema Spark writes for `schema`: a root group "spark_schema" and one leaf per
// field, groups for arrays (three-level LIST), maps (MAP of key_value) and structs. Throws
// kUnsupported for types ember cannot write (void, empty structs).
std::vector<SchemaElement> parquet_schema_for(const Schema& schema);

// The names from the root's child down to element `index` (a column chunk's path_in_schema).
std::vector<std::string> schema_path(const std::vector<SchemaElement>& elements, int index);

// Spark's DecimalType.minBytesForPrecision: bytes of the FIXED_LEN_BYTE_ARRAY for a precision.
int decimal_fixed_length(int precision);

// Spark's StructType.json: {"type":"struct","fields":[{"name":"id","type":"long","nullable":true,
// "metadata":{}}]}.
std::string spark_schema_json(const Schema& schema);

}  // namespace ember::parquet
