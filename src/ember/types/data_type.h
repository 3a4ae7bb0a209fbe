#pragma once
// Spark SQL's data types as ember represents them. A DataType is a small value: an id, a decimal's
// precision/scale, for ARRAY the element type and for STRUCT the fields, held through shared
// immutable pointers so that copying a type stays cheap and types of any depth nest
// (array<struct<a:map<string,int>>>). A MAP is stored as Arrow stores it: a list whose element is
// the entries struct<key, value>, so every array path (offsets + one child) carries maps too.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ember {

enum class TypeId : uint8_t {
  kNull,       // Spark's NullType ("void"): the type of an untyped NULL literal
  kBoolean,    // stored one byte per value (0/1); see docs/architecture.md on Arrow export
  kByte,       // int8
  kShort,      // int16
  kInt,        // int32
  kLong,       // int64
  kFloat,      // float
  kDouble,     // double
  kDecimal,    // __int128 unscaled value, precision <= 38 (Arrow decimal128 layout)
  kString,     // UTF-8, int32 offsets + bytes (Arrow utf8 layout)
  kBinary,     // bytes, same layout as string
  kDate,       // int32 days since 1970-01-01
  kTimestamp,  // int64 microseconds since 1970-01-01T00:00:00Z; shown in the session time zone
  kArray,      // Spark's ArrayType: int32 offsets (Arrow list layout) + a child vector of elements
  kMap,        // Spark's MapType: int32 offsets (Arrow map layout) + a child struct<key, value>
  kStruct,     // Spark's StructType: validity + one child vector per field (Arrow struct layout)
  // Spark's ANSI interval types. Their start and end fields (YEAR = 0, MONTH = 1; DAY = 0,
  // HOUR = 1, MINUTE = 2, SECOND = 3) only change how values print and the type's name.
  kYearMonthInterval,  // int32 months
  kDayTimeInterval,    // int64 microseconds
};

struct Field;

class DataType {
 public:
  DataType() : id_(TypeId::kNull) {}
  explicit DataType(TypeId id) : id_(id) {}
  static DataType decimal(int precision, int scale);
  // Spark's ArrayType(element, containsNull). containsNull says whether elements may be null; like
  // a field's nullability it is metadata (printSchema shows it) and not part of the type's
  // identity: operator== ignores it, as Spark's equalsIgnoreNullability does.
  static DataType array(DataType element, bool contains_null = true);
  // Spark's MapType(key, value, valueContainsNull). Keys are never null. Like containsNull,
  // valueContainsNull is metadata, not part of the type's identity.
  static DataType map(DataType key, DataType value, bool value_contains_null = true);
  // Spark's StructType: named, typed fields in order. Field names compare exactly (as Spark's
  // DataType.equals does); field nullability is metadata, as for a schema's fields.
  static DataType struct_(std::vector<Field> fields);

  static DataType null() { return DataType(TypeId::kNull); }
  static DataType boolean() { return DataType(TypeId::kBoolean); }
  static DataType byte() { return DataType(TypeId::kByte); }
  static DataType short_() { return DataType(TypeId::kShort); }
  static DataType int32() { return DataType(TypeId::kInt); }
  static DataType int64() { return DataType(TypeId::kLong); }
  static DataType float32() { return DataType(TypeId::kFloat); }
  static DataType float64() { return DataType(TypeId::kDouble); }
  static DataType string() { return DataType(TypeId::kString); }
  static DataType binary() { return DataType(TypeId::kBinary); }
  static DataType date() { return DataType(TypeId::kDate); }
  static DataType timestamp() { return DataType(TypeId::kTimestamp); }
  // INTERVAL YEAR TO MONTH by default; the fields are kept in precision/scale.
  static DataType year_month_interval(int start_field = 0, int end_field = 1);
  // INTERVAL DAY TO SECOND by default.
  static DataType day_time_interval(int start_field = 0, int end_field = 3);

  TypeId id() const { return id_; }
  // An interval type's start and end fields (see TypeId::kYearMonthInterval).
  int start_field() const { return precision_; }
  int end_field() const { return scale_; }
  bool is_interval() const { return id_ == TypeId::kYearMonthInterval || id_ == TypeId::kDayTimeInterval; }
  int precision() const { return precision_; }
  int scale() const { return scale_; }
  // The element type of an array; for a map, its entries type struct<key, value> (the type of
  // the map vector's child). An internal error for any other type.
  const DataType& element_type() const;
  // Whether an array's elements may be null (Spark's containsNull); a map's valueContainsNull;
  // false for other types.
  bool contains_null() const { return contains_null_; }
  // A map's key and value types; an internal error for any other type.
  const DataType& key_type() const;
  const DataType& value_type() const;
  // A struct's fields (a map's entries struct has two: key and value); an internal error for any
  // other type.
  const std::vector<Field>& fields() const;
  // The index of a struct's field `name` (case-insensitive, like column names); -1 when absent.
  int field_index(std::string_view name) const;

  bool is_integral() const {
    return id_ == TypeId::kByte || id_ == TypeId::kShort || id_ == TypeId::kInt || id_ == TypeId::kLong;
  }
  bool is_floating() const { return id_ == TypeId::kFloat || id_ == TypeId::kDouble; }
  bool is_numeric() const { return is_integral() || is_floating() || id_ == TypeId::kDecimal; }
  bool is_string_like() const { return id_ == TypeId::kString || id_ == TypeId::kBinary; }
  bool is_temporal() const { return id_ == TypeId::kDate || id_ == TypeId::kTimestamp; }
  // Array, map, struct: values have children instead of a flat representation.
  bool is_nested() const { return id_ == TypeId::kArray || id_ == TypeId::kMap || id_ == TypeId::kStruct; }
  // Array and map: int32 offsets + one child vector (element_type()).
  bool is_list_like() const { return id_ == TypeId::kArray || id_ == TypeId::kMap; }

  // Bytes per value in the data buffer; 0 for string/binary/nested/null, which have no fixed width.
  int fixed_width() const;

  // Spark's simpleString: "int", "bigint", "decimal(10,2)", "array<string>", "map<string,int>",
  // "struct<a:int,b:string>" — used by dtypes, explain and DDL.
  std::string simple_string() const;
  // Spark's typeName as printSchema shows it: "integer", "long", "decimal(10,2)", "array", "map",
  // "struct".
  std::string type_name() const;
  // Spark's toSQLType, as error messages quote types: "INT", "DECIMAL(10,2)", "ARRAY<STRING>",
  // "MAP<STRING, INT>", "STRUCT<a: INT, b: STRING>" (field names keep their case).
  std::string sql_string() const;

  // Deep: nested types are equal when their children are (nullability aside, see array()).
  friend bool operator==(const DataType& a, const DataType& b);
  friend bool operator!=(const DataType& a, const DataType& b) { return !(a == b); }

 private:
  TypeId id_;
  uint8_t precision_ = 0;
  uint8_t scale_ = 0;
  bool contains_null_ = false;
  std::shared_ptr<const DataType> element_;           // kArray; kMap (the entries struct)
  std::shared_ptr<const std::vector<Field>> fields_;  // kStruct
};

// Throws EmberError(kUnsupported, UNSUPPORTED_FEATURE) when `type` is nested, for the operations
// ember runs on flat types only: `operation` completes "ember cannot ... yet", e.g. "sort by",
// "group by", "hash".
void require_flat_type(const DataType& type, const std::string& operation);
// Whether `type` is a map or holds one (as an array element or struct field, at any depth).
bool type_contains_map(const DataType& type);
// Throws EmberError(kAnalysis, DATATYPE_MISMATCH.INVALID_ORDERING_TYPE) when `type` is or
// contains a map: Spark orders arrays and structs but not maps. `operation` as above.
void require_orderable_type(const DataType& type, const std::string& operation);

constexpr int kMaxDecimalPrecision = 38;

// The narrowest decimal that holds every value of an integral type (Spark's DecimalType.forType).
DataType decimal_for_integral(const DataType& integral);

struct Field {
  std::string name;
  DataType type;
  bool nullable = true;
};

class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  const Field& field(size_t i) const { return fields_[i]; }
  // Case-insensitive, like Spark's default (spark.sql.caseSensitive=false); -1 when absent.
  int index_of(const std::string& name) const;
  std::vector<std::string> names() const;

  // Spark's DDL form: "id INT, name STRING".
  std::string to_ddl() const;
  // The tree printSchema() prints, ending with a newline.
  std::string tree_string() const;

  friend bool operator==(const Schema& a, const Schema& b);

 private:
  std::vector<Field> fields_;
};

// Parses a Spark DDL schema string ("id INT, name STRING, price DECIMAL(10,2)") or throws a parse
// error naming the offending position.
Schema parse_ddl_schema(const std::string& ddl);
// Parses one Spark type name ("int", "bigint", "decimal(10,2)", "string", "array<int>", ...) or
// throws.
DataType parse_data_type(const std::string& text);

bool equals_ignore_case(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

}  // namespace ember
