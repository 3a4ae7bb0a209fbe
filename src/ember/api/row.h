#pragma once
// A result row: values plus the schema they belong to, so fields can be read by name.
#include <memory>
#include <string>
#include <vector>

#include "ember/types/value.h"

namespace ember {

class Row {
 public:
  Row() = default;
  Row(std::vector<Value> values, std::shared_ptr<const Schema> schema)
      : values_(std::move(values)), schema_(std::move(schema)) {}

  size_t size() const { return values_.size(); }
  // Field i. An array field is a Value of type array<T> whose as_array() holds the elements (each
  // a Value of type T, or null), as PySpark's Row holds a list.
  const Value& operator[](size_t i) const { return values_.at(i); }
  // The value of the named field; throws kIllegalArgument naming the fields when absent.
  const Value& operator[](const std::string& name) const;
  const std::vector<Value>& values() const { return values_; }
  const Schema& schema() const { return *schema_; }
  // Spark's Row repr: "Row(region='EU', revenue=12.5)".
  std::string to_string() const;

  friend bool operator==(const Row& a, const Row& b) { return a.values_ == b.values_; }

 private:
  std::vector<Value> values_;
  std::shared_ptr<const Schema> schema_;
};

}  // namespace ember
