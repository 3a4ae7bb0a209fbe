#include "ember/types/data_type.h"

#include <cctype>

#include "ember/common/error.h"

namespace ember {

DataType DataType::decimal(int precision, int scale) {
  if (precision < 1 || precision > kMaxDecimalPrecision || scale < 0 || scale > precision) {
    throw_error(ErrorKind::kAnalysis, "INVALID_DECIMAL_TYPE",
                "decimal(" + std::to_string(precision) + "," + std::to_string(scale) +
                    ") is not a valid type: precision must be 1..38 and 0 <= scale <= precision");
  }
  DataType t(TypeId::kDecimal);
  t.precision_ = static_cast<uint8_t>(precision);
  t.scale_ = static_cast<uint8_t>(scale);
  return t;
}

DataType DataType::array(DataType element, bool contains_null) {
  DataType t(TypeId::kArray);
  t.contains_null_ = contains_null;
  t.element_ = std::make_shared<const DataType>(std::move(element));
  return t;
}

DataType DataType::map(DataType key, DataType value, bool value_contains_null) {
  DataType t(TypeId::kMap);
  t.contains_null_ = value_contains_null;
  t.element_ = std::make_shared<const DataType>(
      struct_({Field{"key", std::move(key), false}, Field{"value", std::move(value), value_contains_null}}));
  return t;
}

DataType DataType::struct_(std::vector<Field> fields) {
  DataType t(TypeId::kStruct);
  t.fields_ = std::make_shared<const std::vector<Field>>(std::move(fields));
  return t;
}

const DataType& DataType::element_type() const {
  EMBER_CHECK(is_list_like() && element_, "element_type() of non-array type " + simple_string());
  return *element_;
}

const DataType& DataType::key_type() const {
  EMBER_CHECK(id_ == TypeId::kMap && element_, "key_type() of non-map type " + simple_string());
  return element_->fields()[0].type;
}

const DataType& DataType::value_type() const {
  EMBER_CHECK(id_ == TypeId::kMap && element_, "value_type() of non-map type " + simple_string());
  return element_->fields()[1].type;
}

const std::vector<Field>& DataType::fields() const {
  EMBER_CHECK(id_ == TypeId::kStruct && fields_, "fields() of non-struct type " + simple_string());
  return *fields_;
}

DataType DataType::year_month_interval(int start_field, int end_field) {
  DataType t(TypeId::kYearMonthInterval);
  t.precision_ = static_cast<uint8_t>(start_field);
  t.scale_ = static_cast<uint8_t>(end_field);
  return t;
}

DataType DataType::day_time_interval(int start_field, int end_field) {
  DataType t(TypeId::kDayTimeInterval);
  t.precision_ = static_cast<uint8_t>(start_field);
  t.scale_ = static_cast<uint8_t>(end_field);
  return t;
}

int DataType::field_index(std::string_view name) const {
  const std::vector<Field>& fs = fields();
  for (size_t i = 0; i < fs.size(); ++i) {
    if (equals_ignore_case(fs[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

bool operator==(const DataType& a, const DataType& b) {
  if (a.id_ != b.id_ || a.precision_ != b.precision_ || a.scale_ != b.scale_) return false;
  if (a.id_ == TypeId::kStruct) {
    if (a.fields_ == b.fields_) return true;
    if (a.fields_->size() != b.fields_->size()) return false;
    for (size_t i = 0; i < a.fields_->size(); ++i) {
      const Field& x = (*a.fields_)[i];
      const Field& y = (*b.fields_)[i];
      if (x.name != y.name || x.type != y.type) return false;
    }
    return true;
  }
  return a.element_ == b.element_ || (a.element_ && b.element_ && *a.element_ == *b.element_);
}

void require_flat_type(const DataType& type, const std::string& operation) {
  if (!type.is_nested()) return;
  throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
              "ember cannot " + operation + " a value of type \"" + type.sql_string() + "\" yet.");
}

bool type_contains_map(const DataType& type) {
  if (type.id() == TypeId::kMap) return true;
  if (type.id() == TypeId::kArray) return type_contains_map(type.element_type());
  if (type.id() == TypeId::kStruct) {
    for (const auto& f : type.fields()) {
      if (type_contains_map(f.type)) return true;
    }
  }
  return false;
}

void require_orderable_type(const DataType& type, const std::string& operation) {
  if (!type_contains_map(type)) return;
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE",
              "ember cannot " + operation + " a value of type \"" + type.sql_string() +
                  "\": maps are not orderable (as in Spark).");
}

int DataType::fixed_width() const {
  switch (id_) {
    case TypeId::kBoolean:
    case TypeId::kByte: return 1;
    case TypeId::kShort: return 2;
    case TypeId::kInt:
    case TypeId::kFloat:
    case TypeId::kDate:
    case TypeId::kYearMonthInterval: return 4;
    case TypeId::kLong:
    case TypeId::kDouble:
    case TypeId::kTimestamp:
    case TypeId::kDayTimeInterval: return 8;
    case TypeId::kDecimal: return 16;
    default: return 0;
  }
}

std::string DataType::simple_string() const {
  switch (id_) {
    case TypeId::kNull: return "void";
    case TypeId::kBoolean: return "boolean";
    case TypeId::kByte: return "tinyint";
    case TypeId::kShort: return "smallint";
    case TypeId::kInt: return "int";
    case TypeId::kLong: return "bigint";
    case TypeId::kFloat: return "float";
    case TypeId::kDouble: return "double";
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(precision_) + "," + std::to_string(scale_) + ")";
    case TypeId::kString: return "string";
    case TypeId::kBinary: return "binary";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kArray: return "array<" + element_type().simple_string() + ">";
    case TypeId::kMap: return "map<" + key_type().simple_string() + "," + value_type().simple_string() + ">";
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval: {
      // Spark's typeName: "interval year to month", "interval day", "interval hour to second".
      static const char* const kYearMonth[] = {"year", "month"};
      static const char* const kDayTime[] = {"day", "hour", "minute", "second"};
      const char* const* names = id_ == TypeId::kYearMonthInterval ? kYearMonth : kDayTime;
      std::string out = std::string("interval ") + names[precision_];
      if (scale_ != precision_) out += std::string(" to ") + names[scale_];
      return out;
    }
    case TypeId::kStruct: {
      std::string out = "struct<";
      for (size_t i = 0; i < fields().size(); ++i) {
        if (i) out += ',';
        out += fields()[i].name + ":" + fields()[i].type.simple_string();
      }
      return out + ">";
    }
  }
  return "unknown";
}

std::string DataType::type_name() const {
  switch (id_) {
    case TypeId::kByte: return "byte";
    case TypeId::kShort: return "short";
    case TypeId::kInt: return "integer";
    case TypeId::kLong: return "long";
    case TypeId::kArray: return "array";
    case TypeId::kMap: return "map";
    case TypeId::kStruct: return "struct";
    default: return simple_string();
  }
}

namespace {

// Spark's QuotingUtils.quoteIfNeeded: a name that is not a plain identifier gets backticks.
std::string quote_if_needed(const std::string& name) {
  bool plain = !name.empty();
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') plain = false;
  }
  if (plain) return name;
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`') out += '`';
  }
  return out + "`";
}

}  // namespace

std::string DataType::sql_string() const {
  switch (id_) {
    case TypeId::kArray: return "ARRAY<" + element_type().sql_string() + ">";
    case TypeId::kMap: return "MAP<" + key_type().sql_string() + ", " + value_type().sql_string() + ">";
    case TypeId::kStruct: {
      std::string out = "STRUCT<";
      for (size_t i = 0; i < fields().size(); ++i) {
        if (i) out += ", ";
        out += quote_if_needed(fields()[i].name) + ": " + fields()[i].type.sql_string();
      }
      return out + ">";
    }
    default: break;
  }
  std::string s = simple_string();
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

DataType decimal_for_integral(const DataType& integral) {
  switch (integral.id()) {
    case TypeId::kByte: return DataType::decimal(3, 0);
    case TypeId::kShort: return DataType::decimal(5, 0);
    case TypeId::kInt: return DataType::decimal(10, 0);
    case TypeId::kLong: return DataType::decimal(20, 0);
    default: return integral;
  }
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int Schema::index_of(const std::string& name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (equals_ignore_case(fields_[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> out;
  out.reserve(fields_.size());
  for (const auto& f : fields_) out.push_back(f.name);
  return out;
}

std::string Schema::to_ddl() const {
  std::string out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i) out += ", ";
    out += fields_[i].name + " " + fields_[i].type.simple_string();
  }
  return out;
}

namespace {

// Spark's StructType.treeString: nested types add a level, whose prefix repeats " |   " per depth.
// Arrays show "element", maps "key" and "value", structs their fields (DataType's
// buildFormattedString overrides).
void append_type_tree(std::string& out, const DataType& type, const std::string& prefix) {
  const auto flag = [](bool b) { return b ? "true" : "false"; };
  const std::string deeper = prefix + "    |";
  switch (type.id()) {
    case TypeId::kArray: {
      const DataType& element = type.element_type();
      out += prefix + "-- element: " + element.type_name() +
             " (containsNull = " + flag(type.contains_null()) + ")\n";
      append_type_tree(out, element, deeper);
      return;
    }
    case TypeId::kMap:
      out += prefix + "-- key: " + type.key_type().type_name() + "\n";
      append_type_tree(out, type.key_type(), deeper);
      out += prefix + "-- value: " + type.value_type().type_name() +
             " (valueContainsNull = " + flag(type.contains_null()) + ")\n";
      append_type_tree(out, type.value_type(), deeper);
      return;
    case TypeId::kStruct:
      for (const Field& f : type.fields()) {
        out +=
            prefix + "-- " + f.name + ": " + f.type.type_name() + " (nullable = " + flag(f.nullable) + ")\n";
        append_type_tree(out, f.type, deeper);
      }
      return;
    default: return;
  }
}

}  // namespace

std::string Schema::tree_string() const {
  std::string out = "root\n";
  for (const auto& f : fields_) {
    out += " |-- " + f.name + ": " + f.type.type_name() + " (nullable = " + (f.nullable ? "true" : "false") +
           ")\n";
    append_type_tree(out, f.type, " |    |");
  }
  return out;
}

bool operator==(const Schema& a, const Schema& b) {
  if (a.fields_.size() != b.fields_.size()) return false;
  for (size_t i = 0; i < a.fields_.size(); ++i) {
    if (a.fields_[i].name != b.fields_[i].name || a.fields_[i].type != b.fields_[i].type) return false;
  }
  return true;
}

namespace {

// A tiny cursor over a DDL string; errors name the 1-based character position.
class DdlCursor {
 public:
  explicit DdlCursor(const std::string& text) : text_(text) {}
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool at_end() {
    skip_space();
    return pos_ >= text_.size();
  }
  bool consume(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string identifier() {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '`') {
      size_t end = text_.find('`', pos_ + 1);
      if (end == std::string::npos) fail("unterminated `quoted` identifier");
      std::string id = text_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end + 1;
      return id;
    }
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
      ++pos_;
    if (start == pos_) fail("expected a name");
    return text_.substr(start, pos_ - start);
  }
  int integer() {
    skip_space();
    size_t start = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    if (start == pos_) fail("expected a number");
    return std::stoi(text_.substr(start, pos_ - start));
  }
  DataType data_type() {
    skip_space();
    size_t type_pos = pos_;
    std::string name = to_lower(identifier());
    if (name == "decimal" || name == "dec" || name == "numeric") {
      if (!consume('(')) return DataType::decimal(10, 0);
      int p = integer();
      int s = 0;
      if (consume(',')) s = integer();
      if (!consume(')')) fail("expected ')' after decimal precision and scale");
      return DataType::decimal(p, s);
    }
    static const std::pair<const char*, TypeId> kNames[] = {
        {"boolean", TypeId::kBoolean}, {"bool", TypeId::kBoolean},        {"tinyint", TypeId::kByte},
        {"byte", TypeId::kByte},       {"smallint", TypeId::kShort},      {"short", TypeId::kShort},
        {"int", TypeId::kInt},         {"integer", TypeId::kInt},         {"bigint", TypeId::kLong},
        {"long", TypeId::kLong},       {"float", TypeId::kFloat},         {"real", TypeId::kFloat},
        {"double", TypeId::kDouble},   {"string", TypeId::kString},       {"binary", TypeId::kBinary},
        {"date", TypeId::kDate},       {"timestamp", TypeId::kTimestamp}, {"void", TypeId::kNull},
    };
    for (const auto& [n, id] : kNames) {
      if (name == n) return DataType(id);
    }
    if (name == "interval") {
      // INTERVAL YEAR [TO MONTH], INTERVAL DAY [TO SECOND], ...
      static const char* const kFields[] = {"year", "month", "day", "hour", "minute", "second"};
      auto field = [&]() {
        std::string f = to_lower(identifier());
        for (int k = 0; k < 6; ++k) {
          if (f == kFields[k]) return k;
        }
        fail("expected an interval field (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)");
      };
      const int from = field();
      int to = from;
      skip_space();
      size_t save = pos_;
      if (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_])) &&
          to_lower(identifier()) == "to") {
        to = field();
      } else {
        pos_ = save;
      }
      if (to < from || (from <= 1) != (to <= 1)) fail("not a valid interval type");
      return from <= 1 ? DataType::year_month_interval(from, to)
                       : DataType::day_time_interval(from - 2, to - 2);
    }
    if (name == "array") {
      if (!consume('<')) fail("expected '<' after ARRAY");
      DataType element = data_type();
      if (!consume('>')) fail("expected '>' to close ARRAY<");
      return DataType::array(std::move(element));
    }
    if (name == "map") {
      if (!consume('<')) fail("expected '<' after MAP");
      DataType key = data_type();
      if (!consume(',')) fail("expected ',' between MAP's key and value types");
      DataType value = data_type();
      if (!consume('>')) fail("expected '>' to close MAP<");
      return DataType::map(std::move(key), std::move(value));
    }
    if (name == "struct") {
      // STRUCT<a: INT, b STRING NOT NULL>; the colon is optional, as in Spark's grammar.
      if (!consume('<')) fail("expected '<' after STRUCT");
      std::vector<Field> fields;
      if (!consume('>')) {
        do {
          Field f;
          f.name = identifier();
          consume(':');
          f.type = data_type();
          f.nullable = !not_null();
          fields.push_back(std::move(f));
        } while (consume(','));
        if (!consume('>')) fail("expected '>' to close STRUCT<");
      }
      return DataType::struct_(std::move(fields));
    }
    if (name == "varchar" || name == "char") {
      if (consume('(')) {
        integer();
        if (!consume(')')) fail("expected ')'");
      }
      return DataType::string();
    }
    pos_ = type_pos;
    fail("unknown data type '" + name + "'");
  }
  // An optional "NOT NULL" after a type.
  bool not_null() {
    skip_space();
    size_t save = pos_;
    if (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) {
      if (to_lower(identifier()) == "not" && to_lower(identifier()) == "null") return true;
    }
    pos_ = save;
    return false;
  }
  [[noreturn]] void fail(const std::string& what) {
    throw_error(
        ErrorKind::kParse, "PARSE_SYNTAX_ERROR",
        "cannot parse schema \"" + text_ + "\" at position " + std::to_string(pos_ + 1) + ": " + what);
  }

 private:
  const std::string& text_;
  size_t pos_ = 0;
};

}  // namespace

Schema parse_ddl_schema(const std::string& ddl) {
  DdlCursor cur(ddl);
  std::vector<Field> fields;
  if (cur.at_end()) cur.fail("the schema is empty");
  do {
    Field f;
    f.name = cur.identifier();
    cur.consume(':');  // Spark also accepts "name: type"
    f.type = cur.data_type();
    f.nullable = !cur.not_null();
    fields.push_back(std::move(f));
  } while (cur.consume(','));
  if (!cur.at_end()) cur.fail("expected ',' between columns");
  return Schema(std::move(fields));
}

DataType parse_data_type(const std::string& text) {
  DdlCursor cur(text);
  DataType t = cur.data_type();
  if (!cur.at_end()) cur.fail("unexpected text after the type");
  return t;
}

}  // namespace ember
