#include "ember/io/parquet/parquet_schema.h"

#include <cctype>
#include <cmath>
#include <optional>

#include "ember/common/error.h"
#include "ember/types/json_text.h"

namespace ember::parquet {

namespace {

// A leaf's annotation, from its LogicalType when present, else from its ConvertedType.
struct Annotation {
  enum class Kind {
    kNone,
    kString,  // STRING, ENUM, JSON
    kBson,
    kDecimal,
    kDate,
    kTime,
    kTimestamp,
    kInteger,
    kUuid,
    kInterval,
    kFloat16,
    kNull,
    kOther,  // an annotation Spark does not read (MAP/LIST on a leaf, VARIANT, GEOMETRY, ...)
  };
  Kind kind = Kind::kNone;
  int precision = 0;
  int scale = 0;
  TimeUnit unit = TimeUnit::kMillis;
  int bit_width = 0;
  bool is_signed = true;
  std::string name;  // for error messages
};

Annotation annotation_of(const SchemaElement& e) {
  using K = Annotation::Kind;
  Annotation a;
  if (e.logical_type && e.logical_type->kind != LogicalType::Kind::kNone) {
    const LogicalType& lt = *e.logical_type;
    switch (lt.kind) {
      case LogicalType::Kind::kString:
        a.kind = K::kString;
        a.name = "STRING";
        break;
      case LogicalType::Kind::kEnum:
        a.kind = K::kString;
        a.name = "ENUM";
        break;
      case LogicalType::Kind::kJson:
        a.kind = K::kString;
        a.name = "JSON";
        break;
      case LogicalType::Kind::kBson:
        a.kind = K::kBson;
        a.name = "BSON";
        break;
      case LogicalType::Kind::kDecimal:
        a.kind = K::kDecimal;
        a.precision = lt.precision;
        a.scale = lt.scale;
        a.name = "DECIMAL";
        break;
      case LogicalType::Kind::kDate:
        a.kind = K::kDate;
        a.name = "DATE";
        break;
      case LogicalType::Kind::kTime:
        a.kind = K::kTime;
        a.name = "TIME";
        break;
      case LogicalType::Kind::kTimestamp:
        a.kind = K::kTimestamp;
        a.unit = lt.unit;
        a.name = "TIMESTAMP";
        break;
      case LogicalType::Kind::kInteger:
        a.kind = K::kInteger;
        a.bit_width = lt.bit_width;
        a.is_signed = lt.is_signed;
        a.name = std::string(lt.is_signed ? "INT(" : "UINT(") + std::to_string(lt.bit_width) + ")";
        break;
      case LogicalType::Kind::kUuid:
        a.kind = K::kUuid;
        a.name = "UUID";
        break;
      case LogicalType::Kind::kFloat16:
        a.kind = K::kFloat16;
        a.name = "FLOAT16";
        break;
      case LogicalType::Kind::kUnknown:
        a.kind = K::kNull;
        a.name = "UNKNOWN";
        break;
      default:
        a.kind = K::kOther;
        a.name = "logical type #" + std::to_string(lt.raw_kind);
        break;
    }
    return a;
  }
  if (!e.converted_type) return a;
  switch (*e.converted_type) {
    case ConvertedType::kUtf8:
      a.kind = K::kString;
      a.name = "UTF8";
      break;
    case ConvertedType::kEnum:
      a.kind = K::kString;
      a.name = "ENUM";
      break;
    case ConvertedType::kJson:
      a.kind = K::kString;
      a.name = "JSON";
      break;
    case ConvertedType::kBson:
      a.kind = K::kBson;
      a.name = "BSON";
      break;
    case ConvertedType::kDecimal:
      a.kind = K::kDecimal;
      a.precision = e.precision.value_or(0);
      a.scale = e.scale.value_or(0);
      a.name = "DECIMAL";
      break;
    case ConvertedType::kDate:
      a.kind = K::kDate;
      a.name = "DATE";
      break;
    case ConvertedType::kTimeMillis:
    case ConvertedType::kTimeMicros:
      a.kind = K::kTime;
      a.name = "TIME";
      break;
    case ConvertedType::kTimestampMillis:
    case ConvertedType::kTimestampMicros:
      a.kind = K::kTimestamp;
      a.unit = *e.converted_type == ConvertedType::kTimestampMillis ? TimeUnit::kMillis : TimeUnit::kMicros;
      a.name = "TIMESTAMP";
      break;
    case ConvertedType::kUint8:
    case ConvertedType::kUint16:
    case ConvertedType::kUint32:
    case ConvertedType::kUint64:
    case ConvertedType::kInt8:
    case ConvertedType::kInt16:
    case ConvertedType::kInt32:
    case ConvertedType::kInt64: {
      static constexpr int kWidths[] = {8, 16, 32, 64};
      int k = static_cast<int>(*e.converted_type);
      a.kind = K::kInteger;
      a.is_signed = k >= static_cast<int>(ConvertedType::kInt8);
      a.bit_width = kWidths[(k - (a.is_signed ? 15 : 11)) & 3];
      a.name = std::string(a.is_signed ? "INT_" : "UINT_") + std::to_string(a.bit_width);
      break;
    }
    case ConvertedType::kInterval:
      a.kind = K::kInterval;
      a.name = "INTERVAL";
      break;
    default:
      a.kind = K::kOther;
      a.name = "converted type #" + std::to_string(static_cast<int>(*e.converted_type));
  }
  return a;
}

[[noreturn]] void unsupported(const SchemaElement& e, const std::string& what) {
  const char* phys = e.type ? physical_type_name(*e.type) : "group";
  throw_error(ErrorKind::kUnsupported, "Parquet column '" + e.name + "' has type " + phys +
                                           (what.empty() ? "" : " " + what) + ", which ember cannot read");
}

DataType decimal_type(const SchemaElement& e, const Annotation& a) {
  if (a.precision < 1 || a.precision > kMaxDecimalPrecision || a.scale < 0 || a.scale > a.precision) {
    unsupported(e, "DECIMAL(" + std::to_string(a.precision) + "," + std::to_string(a.scale) + ")");
  }
  return DataType::decimal(a.precision, a.scale);
}

void map_leaf(const SchemaElement& e, const ParquetReadOptions& options, ColumnDescriptor& c) {
  using K = Annotation::Kind;
  Annotation a = annotation_of(e);
  c.physical = *e.type;
  c.type_length = e.type_length.value_or(0);
  c.sort_order = SortOrder::kSigned;
  if (a.kind == K::kNull) {
    c.type = DataType::null();
    c.conversion = ValueConversion::kAllNull;
    c.sort_order = SortOrder::kUnknown;
    return;
  }
  std::string ann = a.name.empty() ? "" : "(" + a.name + ")";
  switch (c.physical) {
    case PhysicalType::kBoolean:
      if (a.kind != K::kNone) unsupported(e, ann);
      c.type = DataType::boolean();
      c.conversion = ValueConversion::kBoolean;
      return;
    case PhysicalType::kInt32:
      switch (a.kind) {
        case K::kNone:
          c.type = DataType::int32();
          c.conversion = ValueConversion::kInt32;
          return;
        case K::kDate:
          c.type = DataType::date();
          c.conversion = ValueConversion::kInt32;
          return;
        case K::kDecimal:
          c.type = decimal_type(e, a);
          c.conversion = ValueConversion::kInt32ToDecimal;
          return;
        case K::kInteger:
          if (a.is_signed) {
            c.type = a.bit_width == 8    ? DataType::byte()
                     : a.bit_width == 16 ? DataType::short_()
                                         : DataType::int32();
            c.conversion = a.bit_width == 8    ? ValueConversion::kInt32ToInt8
                           : a.bit_width == 16 ? ValueConversion::kInt32ToInt16
                                               : ValueConversion::kInt32;
            if (a.bit_width == 64) unsupported(e, ann);
            return;
          }
          // Spark widens unsigned types to the next signed type that holds every value.
          c.sort_order = SortOrder::kUnsigned;
          if (a.bit_width == 8) {
            c.type = DataType::short_();
            c.conversion = ValueConversion::kInt32ToInt16;
          } else if (a.bit_width == 16) {
            c.type = DataType::int32();
            c.conversion = ValueConversion::kInt32;
          } else if (a.bit_width == 32) {
            c.type = DataType::int64();
            c.conversion = ValueConversion::kUInt32ToInt64;
          } else {
            unsupported(e, ann);
          }
          return;
        default: unsupported(e, ann);
      }
    case PhysicalType::kInt64:
      switch (a.kind) {
        case K::kNone:
          c.type = DataType::int64();
          c.conversion = ValueConversion::kInt64;
          return;
        case K::kInteger:
          if (a.bit_width != 64) unsupported(e, ann);
          if (a.is_signed) {
            c.type = DataType::int64();
            c.conversion = ValueConversion::kInt64;
          } else {
            c.type = DataType::decimal(20, 0);
            c.conversion = ValueConversion::kUInt64ToDecimal;
            c.sort_order = SortOrder::kUnsigned;
          }
          return;
        case K::kDecimal:
          c.type = decimal_type(e, a);
          c.conversion = ValueConversion::kInt64ToDecimal;
          return;
        case K::kTimestamp:
          if (a.unit == TimeUnit::kMicros) {
            c.type = DataType::timestamp();
            c.conversion = ValueConversion::kInt64;
          } else if (a.unit == TimeUnit::kMillis) {
            c.type = DataType::timestamp();
            c.conversion = ValueConversion::kMillisToMicros;
          } else if (options.nanos_as_long) {
            c.type = DataType::int64();
            c.conversion = ValueConversion::kInt64;
          } else {
            c.type = DataType::timestamp();
            c.conversion = ValueConversion::kNanosToMicros;
          }
          return;
        default: unsupported(e, ann);
      }
    case PhysicalType::kInt96:
      if (a.kind != K::kNone) unsupported(e, ann);
      c.type = DataType::timestamp();
      c.conversion = ValueConversion::kInt96ToMicros;
      c.sort_order = SortOrder::kUnknown;
      return;
    case PhysicalType::kFloat:
      if (a.kind != K::kNone) unsupported(e, ann);
      c.type = DataType::float32();
      c.conversion = ValueConversion::kFloat;
      return;
    case PhysicalType::kDouble:
      if (a.kind != K::kNone) unsupported(e, ann);
      c.type = DataType::float64();
      c.conversion = ValueConversion::kDouble;
      return;
    case PhysicalType::kByteArray:
      c.sort_order = SortOrder::kUnsigned;
      switch (a.kind) {
        case K::kString:
          c.type = DataType::string();
          c.conversion = ValueConversion::kByteArray;
          return;
        case K::kNone:
        case K::kBson:
          c.type = a.kind == K::kNone && options.binary_as_string ? DataType::string() : DataType::binary();
          c.conversion = ValueConversion::kByteArray;
          return;
        case K::kDecimal:
          c.type = decimal_type(e, a);
          c.conversion = ValueConversion::kByteArrayToDecimal;
          c.sort_order = SortOrder::kSigned;
          return;
        default: unsupported(e, ann);
      }
    case PhysicalType::kFixedLenByteArray:
      if (c.type_length <= 0) {
        throw_error(ErrorKind::kMalformedInput,
                    "Parquet column '" + e.name + "' is FIXED_LEN_BYTE_ARRAY without a positive type_length");
      }
      c.sort_order = SortOrder::kUnsigned;
      switch (a.kind) {
        case K::kNone:
          c.type = DataType::binary();
          c.conversion = ValueConversion::kFixedToBinary;
          return;
        case K::kDecimal:
          c.type = decimal_type(e, a);
          c.conversion = ValueConversion::kFixedToDecimal;
          c.sort_order = SortOrder::kSigned;
          return;
        case K::kUuid:
          if (c.type_length != 16) unsupported(e, "(UUID) of length " + std::to_string(c.type_length));
          c.type = DataType::string();
          c.conversion = ValueConversion::kUuidToString;
          return;
        default: unsupported(e, ann);
      }
  }
  throw_error(ErrorKind::kMalformedInput, "Parquet column '" + e.name + "' has unknown physical type " +
                                              std::to_string(static_cast<int>(c.physical)));
}

void append_json_fields(std::string& out, const std::vector<Field>& fields);

// Spark's DataType.json: atomic types by name, nested types as objects.
void append_json_type(std::string& out, const DataType& t) {
  switch (t.id()) {
    case TypeId::kArray:
      out += "{\"type\":\"array\",\"elementType\":";
      append_json_type(out, t.element_type());
      out += ",\"containsNull\":";
      out += t.contains_null() ? "true}" : "false}";
      return;
    case TypeId::kMap:
      out += "{\"type\":\"map\",\"keyType\":";
      append_json_type(out, t.key_type());
      out += ",\"valueType\":";
      append_json_type(out, t.value_type());
      out += ",\"valueContainsNull\":";
      out += t.contains_null() ? "true}" : "false}";
      return;
    case TypeId::kStruct:
      out += "{\"type\":\"struct\",\"fields\":";
      append_json_fields(out, t.fields());
      out += '}';
      return;
    default: append_json_string(out, t.type_name());
  }
}

void append_json_fields(std::string& out, const std::vector<Field>& fields) {
  out += '[';
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& f = fields[i];
    if (i) out.push_back(',');
    out += "{\"name\":";
    append_json_string(out, f.name);
    out += ",\"type\":";
    append_json_type(out, f.type);
    out += ",\"nullable\":";
    out += f.nullable ? "true" : "false";
    out += ",\"metadata\":{}}";
  }
  out += ']';
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Maps a group or repeated field into a NestedNode tree, following Spark's
// ParquetToSparkSchemaConverter, LIST and MAP backward-compatibility rules included.
class NestedWalker {
 public:
  NestedWalker(const std::vector<SchemaElement>& elements, const ParquetReadOptions& options, size_t start)
      : elements_(elements), options_(options), i_(start) {}

  // Maps the field at the cursor as a value whose slots sit at (def_slot, rep_limit) and whose
  // presence counts from `def_base` (the enclosing struct's or list element's definition level): a
  // struct's field has a slot wherever the struct has one, null struct or not.
  NestedNode field(int def_slot, int rep_limit, int def_base, const std::string& path,
                   bool force_required = false) {
    const size_t at = i_;
    const SchemaElement& e = take();
    if (!e.repetition_type) malformed("Parquet column '" + path + "' lacks a repetition type");
    if (*e.repetition_type == Repetition::kRepeated && !force_required) {
      // A repeated field outside a LIST group: a non-null array of required elements.
      NestedNode list;
      list.kind = NestedNode::Kind::kList;
      list.nullable = false;
      list.def_slot = def_slot;
      list.def_present = def_base;
      list.rep_limit = rep_limit;
      i_ = at;
      list.children.push_back(
          field(def_base + 1, rep_limit + 1, def_base + 1, path, /*force_required=*/true));
      finish_list(list);
      return list;
    }
    NestedNode n;
    n.nullable = !force_required && *e.repetition_type == Repetition::kOptional;
    n.def_slot = def_slot;
    n.rep_limit = rep_limit;
    n.def_present = def_base + (n.nullable ? 1 : 0);
    n.first_leaf = static_cast<int>(leaves.size());
    if (!e.num_children) {
      if (!e.type) malformed("Parquet column '" + path + "' has neither a type nor children");
      ColumnDescriptor c;
      c.name = path;
      c.schema_element = static_cast<int>(at);
      c.nullable = n.nullable;
      c.max_definition_level = n.def_present;
      c.max_repetition_level = rep_limit;
      map_leaf(e, options_, c);
      n.kind = NestedNode::Kind::kLeaf;
      n.type = c.type;
      n.leaf = static_cast<int>(leaves.size());
      leaves.push_back(std::move(c));
      return n;
    }
    const int children = *e.num_children;
    if (children < 1) malformed("Parquet group '" + path + "' has no fields");
    const bool is_list = (e.logical_type && e.logical_type->kind == LogicalType::Kind::kList) ||
                         e.converted_type == ConvertedType::kList;
    const bool is_map = (e.logical_type && e.logical_type->kind == LogicalType::Kind::kMap) ||
                        e.converted_type == ConvertedType::kMap ||
                        e.converted_type == ConvertedType::kMapKeyValue;
    if (is_list) {
      if (children != 1) malformed("LIST group '" + path + "' must have exactly one field");
      const SchemaElement& r = peek();
      if (r.repetition_type != Repetition::kRepeated) {
        malformed("the field of LIST group '" + path + "' must be repeated");
      }
      n.kind = NestedNode::Kind::kList;
      // Spark's isElementType: the repeated field is itself the element when it is primitive, a
      // group of several fields, or named "array" / "<list>_tuple" (legacy two-level lists).
      const bool two_level =
          !r.num_children || *r.num_children != 1 || r.name == "array" || r.name == e.name + "_tuple";
      if (two_level) {
        n.children.push_back(
            field(n.def_present + 1, rep_limit + 1, n.def_present + 1, path + "." + r.name, true));
      } else {
        take();
        n.children.push_back(field(n.def_present + 1, rep_limit + 1, n.def_present + 1,
                                   path + "." + r.name + "." + peek().name));
      }
      finish_list(n);
      return n;
    }
    if (is_map) {
      if (children != 1) malformed("MAP group '" + path + "' must have exactly one field");
      const SchemaElement& kv = take();
      if (kv.repetition_type != Repetition::kRepeated || !kv.num_children || *kv.num_children != 2) {
        malformed("the field of MAP group '" + path + "' must be a repeated group of a key and a value");
      }
      n.kind = NestedNode::Kind::kMap;
      const std::string kv_path = path + "." + kv.name;
      NestedNode key =
          field(n.def_present + 1, rep_limit + 1, n.def_present + 1, kv_path + "." + peek().name);
      if (key.nullable) malformed("the key of MAP group '" + path + "' must be required");
      NestedNode value =
          field(n.def_present + 1, rep_limit + 1, n.def_present + 1, kv_path + "." + peek().name);
      if (type_contains_map(key.type)) {
        // Arrays and structs are keys like any other; a map cannot be one (Spark's
        // INVALID_MAP_KEY_TYPE), so no ember type describes this column.
        throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                    "the key of MAP column '" + path + "' is of type \"" + key.type.sql_string() +
                        "\": a map key may not be or hold a map (Spark's INVALID_MAP_KEY_TYPE).");
      }
      n.type = DataType::map(key.type, value.type, value.nullable);
      n.children.push_back(std::move(key));
      n.children.push_back(std::move(value));
      return n;
    }
    n.kind = NestedNode::Kind::kStruct;
    std::vector<Field> fields;
    for (int k = 0; k < children; ++k) {
      const std::string name = peek().name;
      NestedNode f = field(def_slot, rep_limit, n.def_present, path + "." + name);
      fields.push_back(Field{name, f.type, f.nullable});
      n.children.push_back(std::move(f));
    }
    n.type = DataType::struct_(std::move(fields));
    return n;
  }

  size_t position() const { return i_; }
  std::vector<ColumnDescriptor> leaves;

 private:
  static void finish_list(NestedNode& list) {
    const NestedNode& element = list.children[0];
    list.first_leaf = element.first_leaf;
    list.type = DataType::array(element.type, element.nullable);
  }
  const SchemaElement& peek() {
    if (i_ >= elements_.size()) malformed("the Parquet schema is truncated");
    return elements_[i_];
  }
  const SchemaElement& take() {
    const SchemaElement& e = peek();
    ++i_;
    return e;
  }
  [[noreturn]] static void malformed(const std::string& what) {
    throw_error(ErrorKind::kMalformedInput, what);
  }

  const std::vector<SchemaElement>& elements_;
  const ParquetReadOptions& options_;
  size_t i_;
};

}  // namespace

MappedSchema map_parquet_schema(const std::vector<SchemaElement>& elements,
                                const ParquetReadOptions& options) {
  if (elements.empty()) throw_error(ErrorKind::kMalformedInput, "the Parquet schema is empty");
  const SchemaElement& root = elements[0];
  int children = root.num_children.value_or(0);
  if (children < 0 || static_cast<size_t>(children) > elements.size() - 1) {
    throw_error(ErrorKind::kMalformedInput, "the Parquet schema root claims " + std::to_string(children) +
                                                " children but the schema has " +
                                                std::to_string(elements.size() - 1) + " more elements");
  }
  MappedSchema out;
  std::vector<Field> fields;
  size_t i = 1;
  for (int child = 0; child < children; ++child) {
    if (i >= elements.size()) throw_error(ErrorKind::kMalformedInput, "the Parquet schema is truncated");
    const SchemaElement& e = elements[i];
    if (!e.repetition_type) {
      throw_error(ErrorKind::kMalformedInput, "Parquet column '" + e.name + "' lacks a repetition type");
    }
    if (e.num_children || *e.repetition_type == Repetition::kRepeated) {
      // A struct, LIST or MAP group, or a repeated field: its leaves are read and assembled.
      NestedWalker walker(elements, options, i);
      auto nested = std::make_shared<NestedColumn>();
      nested->root = walker.field(0, 0, 0, e.name);
      nested->leaves = std::move(walker.leaves);
      ColumnDescriptor c;
      c.name = e.name;
      c.schema_element = static_cast<int>(i);
      c.type = nested->root.type;
      c.nullable = nested->root.nullable;
      c.leaf_index = static_cast<int>(out.leaves.size());
      c.num_leaves = static_cast<int>(nested->leaves.size());
      for (const ColumnDescriptor& leaf : nested->leaves) out.leaves.push_back(leaf);
      c.nested = std::move(nested);
      fields.push_back(Field{c.name, c.type, c.nullable});
      out.columns.push_back(std::move(c));
      i = walker.position();
      continue;
    }
    ColumnDescriptor c;
    c.name = e.name;
    c.schema_element = static_cast<int>(i);
    c.nullable = *e.repetition_type != Repetition::kRequired;
    c.max_definition_level = c.nullable ? 1 : 0;
    c.max_repetition_level = 0;
    map_leaf(e, options, c);
    c.leaf_index = static_cast<int>(out.leaves.size());
    fields.push_back(Field{c.name, c.type, c.nullable});
    out.leaves.push_back(c);
    out.columns.push_back(std::move(c));
    ++i;
  }
  if (i != elements.size()) {
    throw_error(ErrorKind::kMalformedInput, "the Parquet schema has " + std::to_string(elements.size() - i) +
                                                " elements outside the root group");
  }
  out.schema = Schema(std::move(fields));
  return out;
}

int decimal_fixed_length(int precision) {
  // The smallest n with 2^(8n-1) > 10^precision - 1, i.e. every unscaled value fits in n bytes.
  int n = 1;
  double limit = 1;
  for (int i = 0; i < precision; ++i) limit *= 10;
  while (std::ldexp(1.0, 8 * n - 1) < limit) ++n;
  return n;
}

namespace {

void append_schema_elements(const Field& f, std::vector<SchemaElement>& out);

// Spark's SparkToParquetSchemaConverter (non-legacy format) for nested types: an array is a LIST
// group of a repeated group "list" holding "element"; a map a MAP group of a repeated group
// "key_value" holding a required "key" and a "value"; a struct a plain group of its fields.
void append_nested_elements(const Field& f, std::vector<SchemaElement>& out) {
  SchemaElement g;
  g.name = f.name;
  g.repetition_type = f.nullable ? Repetition::kOptional : Repetition::kRequired;
  const DataType& t = f.type;
  if (t.id() == TypeId::kStruct) {
    if (t.fields().empty()) {
      throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
                  "The Parquet datasource doesn't support the column `" + f.name + "` of the type \"" +
                      t.sql_string() + "\" (a struct without fields).");
    }
    g.num_children = static_cast<int32_t>(t.fields().size());
    out.push_back(std::move(g));
    for (const Field& child : t.fields()) append_schema_elements(child, out);
    return;
  }
  LogicalType lt;
  SchemaElement repeated;
  repeated.repetition_type = Repetition::kRepeated;
  if (t.id() == TypeId::kArray) {
    g.converted_type = ConvertedType::kList;
    lt.kind = LogicalType::Kind::kList;
    repeated.name = "list";
    repeated.num_children = 1;
  } else {
    g.converted_type = ConvertedType::kMap;
    lt.kind = LogicalType::Kind::kMap;
    repeated.name = "key_value";
    repeated.num_children = 2;
  }
  g.logical_type = lt;
  g.num_children = 1;
  out.push_back(std::move(g));
  out.push_back(std::move(repeated));
  if (t.id() == TypeId::kArray) {
    append_schema_elements(Field{"element", t.element_type(), t.contains_null()}, out);
  } else {
    append_schema_elements(Field{"key", t.key_type(), false}, out);
    append_schema_elements(Field{"value", t.value_type(), t.contains_null()}, out);
  }
}

void append_schema_elements(const Field& f, std::vector<SchemaElement>& out) {
  if (f.type.is_nested()) {
    append_nested_elements(f, out);
    return;
  }
  {
    SchemaElement e;
    e.name = f.name;
    e.repetition_type = f.nullable ? Repetition::kOptional : Repetition::kRequired;
    LogicalType lt;
    auto integer = [&](int bits, ConvertedType ct) {
      e.type = PhysicalType::kInt32;
      e.converted_type = ct;
      lt.kind = LogicalType::Kind::kInteger;
      lt.bit_width = static_cast<int8_t>(bits);
      lt.is_signed = true;
    };
    switch (f.type.id()) {
      case TypeId::kBoolean: e.type = PhysicalType::kBoolean; break;
      case TypeId::kByte: integer(8, ConvertedType::kInt8); break;
      case TypeId::kShort: integer(16, ConvertedType::kInt16); break;
      case TypeId::kInt: e.type = PhysicalType::kInt32; break;
      case TypeId::kLong: e.type = PhysicalType::kInt64; break;
      case TypeId::kFloat: e.type = PhysicalType::kFloat; break;
      case TypeId::kDouble: e.type = PhysicalType::kDouble; break;
      case TypeId::kString:
        e.type = PhysicalType::kByteArray;
        e.converted_type = ConvertedType::kUtf8;
        lt.kind = LogicalType::Kind::kString;
        break;
      case TypeId::kBinary: e.type = PhysicalType::kByteArray; break;
      case TypeId::kDate:
        e.type = PhysicalType::kInt32;
        e.converted_type = ConvertedType::kDate;
        lt.kind = LogicalType::Kind::kDate;
        break;
      case TypeId::kTimestamp:
        e.type = PhysicalType::kInt64;
        e.converted_type = ConvertedType::kTimestampMicros;
        lt.kind = LogicalType::Kind::kTimestamp;
        lt.is_adjusted_to_utc = true;
        lt.unit = TimeUnit::kMicros;
        break;
      case TypeId::kDecimal: {
        int p = f.type.precision();
        if (p <= 9) {
          e.type = PhysicalType::kInt32;
        } else if (p <= 18) {
          e.type = PhysicalType::kInt64;
        } else {
          e.type = PhysicalType::kFixedLenByteArray;
          e.type_length = decimal_fixed_length(p);
        }
        e.converted_type = ConvertedType::kDecimal;
        e.precision = p;
        e.scale = f.type.scale();
        lt.kind = LogicalType::Kind::kDecimal;
        lt.precision = p;
        lt.scale = f.type.scale();
        break;
      }
      default:
        throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
                    "The Parquet datasource doesn't support the column `" + f.name + "` of the type \"" +
                        upper(f.type.simple_string()) + "\".");
    }
    if (lt.kind != LogicalType::Kind::kNone) e.logical_type = lt;
    out.push_back(std::move(e));
  }
}

}  // namespace

std::vector<SchemaElement> parquet_schema_for(const Schema& schema) {
  std::vector<SchemaElement> out;
  SchemaElement root;
  root.name = "spark_schema";
  root.num_children = static_cast<int32_t>(schema.size());
  out.push_back(root);
  for (const Field& f : schema.fields()) append_schema_elements(f, out);
  return out;
}

std::vector<std::string> schema_path(const std::vector<SchemaElement>& elements, int index) {
  // Walk the depth-first element list keeping the chain of open groups.
  std::vector<std::pair<int, int>> open;  // (element, children left)
  std::vector<std::string> path;
  for (int i = 1; i < static_cast<int>(elements.size()); ++i) {
    while (!open.empty() && open.back().second == 0) {
      open.pop_back();
      path.pop_back();
    }
    if (!open.empty()) --open.back().second;
    path.push_back(elements[static_cast<size_t>(i)].name);
    if (i == index) return path;
    int children = elements[static_cast<size_t>(i)].num_children.value_or(0);
    if (children > 0) {
      open.emplace_back(i, children);
    } else {
      path.pop_back();
    }
  }
  return {};
}

std::string spark_schema_json(const Schema& schema) {
  std::string out = "{\"type\":\"struct\",\"fields\":";
  append_json_fields(out, schema.fields());
  out += "}";
  return out;
}

}  // namespace ember::parquet
