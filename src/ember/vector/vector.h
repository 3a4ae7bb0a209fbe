#pragma once
// Column vectors in Arrow's memory layout:
//  - validity: a bitmap, bit set = valid; absent (nullptr) when the vector has no nulls;
//  - fixed-width types: a values buffer of `size` elements (booleans are one byte each);
//  - string/binary: int32 offsets (size + 1 entries) and a chars buffer;
//  - array: int32 offsets (size + 1 entries) into a child vector holding every row's elements
//    back to back (Arrow's list layout); row i is child rows [offsets[i], offsets[i + 1]).
//  - map: an array whose child is a struct<key, value> vector of the entries (Arrow's map layout),
//    so every array path carries maps; map_keys()/map_values() reach the two entry columns.
//  - struct: no data buffer; one child vector per field (Arrow's struct layout). Row i of the
//    struct is row i of every field; field vectors may hold more rows than the struct (after a
//    truncate), never fewer. A null struct row's fields are null too (builders set both).
// A constant vector stores one value and stands for `size` copies of it; expression kernels that
// accept constants say so, everything else flattens first (see flatten()).
//
// A dictionary vector (strings only) holds a flat `dictionary()` of values and one int32 code per
// row (`codes()`): row i is dictionary row codes[i]. The Parquet scan produces them for
// dictionary-encoded column chunks, so a filter or a grouping can work once per distinct value
// instead of once per row. Invariant: row i is null exactly when dictionary row codes[i] is null
// (the row validity bitmap mirrors it), so a code alone decides a row's value, null included.
// Dictionary vectors travel only between operators that asked for them (Operator::next decodes
// them for every other consumer); within those, the evaluator and gather() understand them and
// every other reader flattens first: string_at()/offsets()/chars() are not valid on them.
//
// String vectors are filled in row order: set_string(i, ...) appends at offsets[i], so rows must
// be written 0, 1, 2, ... (nulls included, via set_null_string). Array vectors likewise: append
// row i's elements to the child (append_rows / append_string on mutable_child()), then
// finish_array(i) ends the row where the child ends; rows 0, 1, 2, ... in order. A struct
// vector's fields are filled like any vectors of their own; append_rows on a struct appends to
// every field too.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "ember/types/data_type.h"
#include "ember/types/value.h"
#include "ember/vector/buffer.h"

namespace ember {

class Vector;
using VectorPtr = std::shared_ptr<Vector>;

class Vector {
 public:
  // A flat vector of `size` rows, values uninitialised, all rows valid. An array vector starts
  // with an empty child.
  Vector(DataType type, size_t size);

  static VectorPtr make(DataType type, size_t size) { return std::make_shared<Vector>(type, size); }
  // A constant vector: `size` logical rows that all equal `value` (which may be null).
  static VectorPtr make_constant(const Value& value, size_t size);
  // A vector of `size` nulls of the given type.
  static VectorPtr make_null(DataType type, size_t size);
  // A struct vector of `size` rows over existing field vectors (each at least `size` rows; shared,
  // not copied), all rows valid.
  static VectorPtr make_struct(DataType type, size_t size, std::vector<VectorPtr> fields);
  // A flat vector over existing buffers, shared rather than copied (Arrow import): `data` holds
  // the values, or size + 1 int32 offsets for strings and lists; `chars` a string's bytes; `child`
  // a list's elements or a map's entries; `fields` a struct's field vectors. `validity` may be null.
  static VectorPtr from_buffers(DataType type, size_t size, BufferPtr validity, BufferPtr data,
                                BufferPtr chars, VectorPtr child, std::vector<VectorPtr> fields);
  // Builds a flat vector from values (tests, literals, LocalRelation); values must match `type`.
  static VectorPtr from_values(DataType type, const std::vector<Value>& values);
  // A dictionary vector of `size` rows (see the file comment): `dictionary` a flat string/binary
  // vector, `codes` size int32 indices into it, `validity` the rows' bitmap (null when no row is
  // null). The caller guarantees the null invariant.
  static VectorPtr make_dictionary(VectorPtr dictionary, BufferPtr codes, BufferPtr validity, size_t size);

  const DataType& type() const { return type_; }
  size_t size() const { return size_; }
  bool is_constant() const { return constant_; }
  bool is_dictionary() const { return dictionary_ != nullptr; }
  // Dictionary vectors only: the distinct values and the per-row codes into them.
  const VectorPtr& dictionary() const { return dictionary_; }
  const int32_t* codes() const { return reinterpret_cast<const int32_t*>(data_->data()); }

  // --- validity ---
  bool may_have_nulls() const { return validity_ != nullptr; }
  bool is_null(size_t i) const {
    if (constant_) i = 0;
    return validity_ && !bit_is_set(validity_->data(), i);
  }
  bool is_valid(size_t i) const { return !is_null(i); }
  void set_null(size_t i);
  void set_valid(size_t i) {
    if (validity_) set_bit(validity_->data(), i);
  }
  // Raw bitmap or nullptr when there are no nulls.
  const uint8_t* validity() const { return validity_ ? validity_->data() : nullptr; }
  // Allocates an all-valid bitmap if absent and returns it for bulk writes.
  uint8_t* mutable_validity();
  const BufferPtr& validity_buffer() const { return validity_; }
  void set_validity_buffer(BufferPtr b) { validity_ = std::move(b); }
  size_t count_nulls() const;

  // --- fixed width ---
  template <class T>
  T* values() {
    return reinterpret_cast<T*>(data_->data());
  }
  template <class T>
  const T* values() const {
    return reinterpret_cast<const T*>(data_->data());
  }
  const BufferPtr& data_buffer() const { return data_; }

  // --- string / binary ---
  const int32_t* offsets() const { return reinterpret_cast<const int32_t*>(data_->data()); }
  int32_t* mutable_offsets() { return reinterpret_cast<int32_t*>(data_->data()); }
  const char* chars() const { return chars_ ? reinterpret_cast<const char*>(chars_->data()) : nullptr; }
  const BufferPtr& chars_buffer() const { return chars_; }
  std::string_view string_at(size_t i) const {
    if (constant_) i = 0;
    const int32_t* off = offsets();
    return {chars() + off[i], static_cast<size_t>(off[i + 1] - off[i])};
  }
  // Appends row i's bytes; rows must be written in order (see file comment).
  void set_string(size_t i, std::string_view s);
  void set_null_string(size_t i) {
    set_string(i, {});
    set_null(i);
  }
  // Pre-sizes the chars buffer when the total is known, avoiding regrowth.
  void reserve_chars(size_t bytes);

  // --- growing (builders, e.g. an array's child) ---
  // Adds `count` rows at the end of a flat vector and returns the first new row. New rows are
  // valid; fixed-width values are uninitialised, string rows must then be set in order, array
  // rows finished in order. Buffers grow geometrically, so appending row by row is amortised O(1).
  size_t append_rows(size_t count);
  // Appends one string/binary row (append_rows(1) + set_string).
  void append_string(std::string_view s) { set_string(append_rows(1), s); }
  void append_null_string() { set_null_string(append_rows(1)); }
  // Appends row `row` of `src` (same type; flat or constant) at the end of this flat vector,
  // nested values included (elements, entries and fields go to the children). Amortised O(1)
  // per value: how aggregate states gather nested values without building a Value per row.
  void append_from(const Vector& src, size_t row);

  // --- array ---
  // The elements of every row, back to back (see the file comment); offsets() index into it.
  const VectorPtr& child() const { return child_; }
  Vector& mutable_child() { return *child_; }
  void set_child(VectorPtr child) { child_ = std::move(child); }
  size_t array_offset(size_t i) const { return static_cast<size_t>(offsets()[constant_ ? 0 : i]); }
  size_t array_size(size_t i) const {
    if (constant_) i = 0;
    return static_cast<size_t>(offsets()[i + 1] - offsets()[i]);
  }
  // Ends row i: its elements are the child rows appended since row i - 1 ended.
  void finish_array(size_t i);
  void set_null_array(size_t i) {
    finish_array(i);
    set_null(i);
  }
  // Ends row i as a null of any type (strings and arrays take their empty form first; a struct's
  // fields become null at row i too).
  void set_null_row(size_t i);

  // --- map ---
  // The entries' key and value columns (fields of the child struct); row i's entries are rows
  // [array_offset(i), array_offset(i) + array_size(i)) of both.
  const VectorPtr& map_keys() const { return child_->fields_[0]; }
  const VectorPtr& map_values() const { return child_->fields_[1]; }

  // --- struct ---
  size_t num_fields() const { return fields_.size(); }
  const VectorPtr& field(size_t k) const { return fields_[k]; }
  Vector& mutable_field(size_t k) { return *fields_[k]; }
  void set_field(size_t k, VectorPtr f) { fields_[k] = std::move(f); }

  // Bytes held by the buffers, children included (spill accounting, metrics).
  size_t byte_size() const;

  // Row i as a Value (slow path: collect(), show(), tests).
  Value value_at(size_t i) const;

  // Shrinks the logical size (e.g. after a partially filled batch); never grows.
  void truncate(size_t size);

 private:
  friend VectorPtr flatten(const VectorPtr& v);
  friend VectorPtr decode_dictionary(const VectorPtr& v);
  DataType type_;
  size_t size_;
  bool constant_ = false;
  BufferPtr validity_;
  BufferPtr data_;                 // values, or offsets for string/binary/array
  BufferPtr chars_;                // string/binary bytes
  VectorPtr child_;                // array elements, map entries
  std::vector<VectorPtr> fields_;  // struct fields
  VectorPtr dictionary_;           // dictionary vectors: the values data_'s codes index
};

// The same rows as a flat vector (a no-op for flat vectors; constants and dictionaries expanded).
VectorPtr flatten(const VectorPtr& v);
// The same rows with a dictionary vector decoded into a flat one; flat and constant vectors as
// they are (for code that handles constants itself).
VectorPtr decode_dictionary(const VectorPtr& v);

// Rows sel[0..n) of `v`, copied into a new flat vector (a constant stays constant, a dictionary
// vector stays one over the same dictionary: only the codes are gathered).
VectorPtr gather(const Vector& v, const uint32_t* sel, size_t n);

// Concatenates vectors of one type into one flat vector.
VectorPtr concat(const std::vector<VectorPtr>& parts);

// Row i of the result is row rows[i] of sources[source[i]], or null when source[i] < 0: how CASE
// and coalesce assemble a result from several vectors, for every type. Sources are flat or
// constant vectors of `type`.
VectorPtr assemble(const DataType& type, const std::vector<VectorPtr>& sources, const int32_t* source,
                   const uint32_t* rows, size_t n);

// Copies row `from` of `src` into row `to` of `dst` (fixed-width types only; slow path).
void copy_fixed_value(const Vector& src, size_t from, Vector& dst, size_t to);

}  // namespace ember
