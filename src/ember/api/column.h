#pragma once
// Column: a lazy expression, as in PySpark's Column. Operators build unresolved expression trees;
// nothing is evaluated until an action runs. Plain C++ values (1, 2.5, "EU", true) used with a
// Column become literals, like PySpark's implicit lit().
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "ember/expr/expression.h"

namespace ember {

class WindowSpec;

class Column {
 public:
  explicit Column(ExprPtr expr) : expr_(std::move(expr)) {}
  // Literals.
  Column(int v);                 // NOLINT(google-explicit-constructor): literals convert, as in PySpark
  Column(int64_t v);             // NOLINT
  Column(double v);              // NOLINT
  Column(bool v);                // NOLINT
  Column(const char* v);         // NOLINT: a string literal (use col("x") for a column)
  Column(const std::string& v);  // NOLINT
  Column(const Value& v);        // NOLINT

  const ExprPtr& expr() const { return expr_; }

  Column alias(const std::string& name) const;
  // This aggregate or window function computed over a window (api/window.h).
  Column over(const WindowSpec& window) const;
  Column as(const std::string& name) const { return alias(name); }
  Column name(const std::string& n) const { return alias(n); }
  // cast("int"), cast("decimal(10,2)"), cast(DataType::int64()).
  Column cast(const std::string& type) const;
  Column cast(const DataType& type) const;
  Column try_cast(const std::string& type) const;
  Column astype(const std::string& type) const { return cast(type); }

  Column is_null() const;
  Column is_not_null() const;
  Column isin(const std::vector<Column>& values) const;
  Column isin(std::initializer_list<Column> values) const { return isin(std::vector<Column>(values)); }
  Column between(const Column& lower, const Column& upper) const;
  Column like(const std::string& pattern) const;
  Column rlike(const std::string& pattern) const;
  Column ilike(const std::string& pattern) const;
  Column startswith(const Column& prefix) const;
  Column endswith(const Column& suffix) const;
  Column contains(const Column& part) const;
  Column substr(const Column& pos, const Column& len) const;
  Column eq_null_safe(const Column& other) const;
  // Spark's col[i] / getItem(i) on an array (GetArrayItem): 0-based; an index outside the array
  // raises INVALID_ARRAY_INDEX under ANSI (the Spark 4 default) and gives null otherwise. The
  // column is named as Spark names it, e.g. "parts[0]".
  // On a map, get_item(key) is the value for the key (null when absent), Spark's `m[key]`.
  Column get_item(int index) const;
  Column operator[](int index) const { return get_item(index); }
  // A struct's field (Spark's getField / `s.a`, column named "s.a"), or a map's value for a
  // string key (`m[key]`), depending on the column's type.
  Column get_item(const std::string& key) const;
  Column operator[](const std::string& key) const { return get_item(key); }
  Column operator[](const char* key) const { return get_item(std::string(key)); }
  Column get_field(const std::string& name) const;
  // `m[key]` / `arr[i]` with a key (index) computed per row.
  Column get_item(const Column& key) const;

  // CASE WHEN chains: when(cond, v).when(cond2, v2).otherwise(v3).
  Column when(const Column& condition, const Column& value) const;
  Column otherwise(const Column& value) const;

  Column asc() const;
  Column desc() const;
  Column asc_nulls_first() const;
  Column asc_nulls_last() const;
  Column desc_nulls_first() const;
  Column desc_nulls_last() const;

  std::string to_string() const { return expr_->to_string(); }

 private:
  ExprPtr expr_;
};

Column operator+(const Column& a, const Column& b);
Column operator-(const Column& a, const Column& b);
Column operator*(const Column& a, const Column& b);
Column operator/(const Column& a, const Column& b);
Column operator%(const Column& a, const Column& b);
Column operator-(const Column& a);
Column operator==(const Column& a, const Column& b);
Column operator!=(const Column& a, const Column& b);
Column operator<(const Column& a, const Column& b);
Column operator<=(const Column& a, const Column& b);
Column operator>(const Column& a, const Column& b);
Column operator>=(const Column& a, const Column& b);
// PySpark's & | ~ on boolean columns.
Column operator&&(const Column& a, const Column& b);
Column operator||(const Column& a, const Column& b);
Column operator!(const Column& a);
Column operator&(const Column& a, const Column& b);
Column operator|(const Column& a, const Column& b);
Column operator~(const Column& a);

// A column argument given either as a name ("amount") or as a Column (col("amount") * 2), as
// PySpark's functions accept both.
class ColumnOrName {
 public:
  ColumnOrName(const char* name) : column_(make_column(name)) {}         // NOLINT
  ColumnOrName(const std::string& name) : column_(make_column(name)) {}  // NOLINT
  ColumnOrName(const Column& c) : column_(c) {}                          // NOLINT
  const Column& column() const { return column_; }
  const ExprPtr& expr() const { return column_.expr(); }

 private:
  Column column_;
};

}  // namespace ember
