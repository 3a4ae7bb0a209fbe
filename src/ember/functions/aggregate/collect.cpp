// collect_list(col) (alias array_agg) and collect_set(col): Spark's Collect aggregates.
//  - Result: array<col's type> with containsNull = false, never null: a group without non-null
//    values gives []. Null values are skipped.
//  - collect_list keeps every value in the order rows reach the aggregate (within a partition,
//    then partial results in merge order, as Spark's).
//  - collect_set keeps the first of each set of equal values, in first-seen order (Spark leaves
//    the order unspecified). Equality is Spark's (Scala's == on boxed values): 0.0 equals -0.0,
//    and a NaN equals nothing, so every NaN is kept.
//  - Element types: every type (arrays, maps and structs are appended to a growing vector with
//    Vector::append_from); collect_set of arrays and structs compares them with Spark's
//    ordering (vector/value_order.h) and hashes their canonical key bytes, so NaN equals NaN and
//    -0.0 equals 0.0 inside them; collect_set of a map (or anything holding one) is rejected, as
//    Spark rejects it.
// The state is a heap buffer per group, created on its first value: values back to back (strings
// as one byte arena plus end offsets), growing geometrically, and for collect_set an
// open-addressing table of element indices, so no row allocates. Partial states travel as an
// ordinary ARRAY column of the result type.
#include "ember/functions/aggregate/aggregate_common.h"
#include "ember/functions/registry.h"
#include "ember/vector/nested_key_encoding.h"
#include "ember/vector/value_order.h"

namespace ember::agg {

namespace {

// Hash of a fixed-width value for collect_set's table; equal values (0.0 and -0.0) hash alike.
template <class T>
uint64_t value_hash(T x) {
  uint64_t bits = 0;
  if constexpr (std::is_floating_point_v<T>) {
    if (x == T{0}) x = T{0};
  }
  if constexpr (sizeof(T) <= sizeof(uint64_t)) {
    std::memcpy(&bits, &x, sizeof(T));
  } else {
    uint64_t halves[2];
    std::memcpy(halves, &x, sizeof(T));
    bits = halves[0] ^ (halves[1] * 0x9E3779B97F4A7C15ULL);
  }
  bits ^= bits >> 33;
  bits *= 0xFF51AFD7ED558CCDULL;
  bits ^= bits >> 33;
  return bits;
}

uint64_t bytes_hash(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;
  return h ^ (h >> 29);
}

// The values of one group, fixed width: a growing array.
template <class T>
struct FixedElements {
  using View = T;
  std::vector<T> values;

  size_t size() const { return values.size(); }
  View at(size_t i) const { return values[i]; }
  void push(View x) { values.push_back(x); }
  static uint64_t hash(View x) { return value_hash(x); }
  static bool equal(View a, View b) { return a == b; }  // IEEE: 0.0 == -0.0, NaN != NaN
  static bool never_equal(View x) {
    if constexpr (std::is_floating_point_v<T>) return std::isnan(x);
    return false;
  }
  static View read(const Vector& v, size_t row) { return v.values<T>()[row]; }
  // Appends every value to `child` (a flat vector of the element type).
  void append_to(Vector& child) const {
    size_t first = child.append_rows(values.size());
    if (!values.empty()) std::memcpy(child.values<T>() + first, values.data(), values.size() * sizeof(T));
  }
};

// The values of one group, strings or binary: one byte arena and the end of each value.
struct StringElements {
  using View = std::string_view;
  std::string chars;
  std::vector<uint32_t> ends;

  size_t size() const { return ends.size(); }
  View at(size_t i) const {
    uint32_t begin = i == 0 ? 0 : ends[i - 1];
    return View(chars.data() + begin, ends[i] - begin);
  }
  void push(View x) {
    if (chars.size() + x.size() > UINT32_MAX) {
      throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                  "collect_list/collect_set: a group's values exceed 4 GiB of bytes");
    }
    chars.append(x.data(), x.size());
    ends.push_back(static_cast<uint32_t>(chars.size()));
  }
  static uint64_t hash(View x) { return bytes_hash(x); }
  static bool equal(View a, View b) { return a == b; }
  static bool never_equal(View) { return false; }
  static View read(const Vector& v, size_t row) { return v.string_at(row); }
  void append_to(Vector& child) const {
    for (size_t i = 0; i < size(); ++i) child.append_string(at(i));
  }
};

// The values of one group, any nested type (collect_list only): a flat vector grown row by row,
// created on the first value.
struct NestedElements {
  using View = std::pair<const Vector*, size_t>;
  VectorPtr values;

  size_t size() const { return values ? values->size() : 0; }
  View at(size_t i) const { return {values.get(), i}; }
  void push(View x) {
    if (!values) values = Vector::make(x.first->type(), 0);
    values->append_from(*x.first, x.second);
  }
  // collect_set: a nested value hashes as its canonical key bytes (encoded into a per-thread
  // scratch string, so no row allocates) and equals another when Spark's ordering says so; both
  // treat NaN as NaN and -0.0 as 0.0 at any depth, so they agree.
  static uint64_t hash(View x) {
    thread_local std::string scratch;
    scratch.clear();
    append_key_bytes(*x.first, x.second, scratch);
    return bytes_hash(scratch);
  }
  static bool equal(View a, View b) { return compare_values_at(*a.first, a.second, *b.first, b.second) == 0; }
  static bool never_equal(View) { return false; }
  static View read(const Vector& v, size_t row) { return {&v, row}; }
  void append_to(Vector& child) const {
    for (size_t i = 0; i < size(); ++i) child.append_from(*values, i);
  }
};

// A group's buffer: the elements, plus (collect_set) an open-addressing table of indices + 1
// into them, at most half full.
template <class Elements>
struct CollectBuffer {
  Elements elements;
  std::vector<uint32_t> slots;

  void add(typename Elements::View x, bool distinct) {
    if (!distinct || Elements::never_equal(x)) {
      elements.push(x);
      return;
    }
    if ((elements.size() + 1) * 2 > slots.size()) grow();
    size_t mask = slots.size() - 1;
    for (size_t s = Elements::hash(x) & mask;; s = (s + 1) & mask) {
      uint32_t e = slots[s];
      if (e == 0) {
        elements.push(x);
        slots[s] = static_cast<uint32_t>(elements.size());
        return;
      }
      if (Elements::equal(elements.at(e - 1), x)) return;
    }
  }

  void grow() {
    std::vector<uint32_t> fresh(std::max<size_t>(16, slots.size() * 2), 0);
    size_t mask = fresh.size() - 1;
    for (size_t i = 0; i < elements.size(); ++i) {
      if (Elements::never_equal(elements.at(i))) continue;
      size_t s = Elements::hash(elements.at(i)) & mask;
      while (fresh[s] != 0) s = (s + 1) & mask;
      fresh[s] = static_cast<uint32_t>(i + 1);
    }
    slots.swap(fresh);
  }
};

template <class Elements>
class CollectKernel final : public AggregateKernel {
  using Buffer = CollectBuffer<Elements>;

 public:
  CollectKernel(DataType result_type, bool distinct)
      : result_type_(std::move(result_type)), distinct_(distinct) {}

  size_t state_size() const override { return sizeof(Buffer*); }
  bool needs_destroy() const override { return true; }
  void init(uint8_t* state) const override { *reinterpret_cast<Buffer**>(state) = nullptr; }
  void destroy(uint8_t* state) const override {
    auto*& b = *reinterpret_cast<Buffer**>(state);
    delete b;
    b = nullptr;
  }

  void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args, size_t n,
              const EvalContext& ctx) const override {
    const Vector& a = *args[0];
    if (a.type().id() == TypeId::kNull) return;
    if (a.is_constant()) {
      if (a.is_null(0)) return;
      auto x = Elements::read(a, 0);
      for (size_t i = 0; i < n; ++i) buffer(rows[i] + offset).add(x, distinct_);
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      if (!a.is_null(i)) buffer(rows[i] + offset).add(Elements::read(a, i), distinct_);
    }
  }

  std::vector<DataType> intermediate_types() const override { return {result_type_}; }

  void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                          std::vector<VectorPtr>& out) const override {
    write_arrays(rows, offset, n, fresh_out(out, 0, 1, result_type_, n));
  }

  void merge_intermediate(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& intermediate,
                          size_t n, const EvalContext& ctx) const override {
    VectorPtr v = flatten(intermediate[0]);
    const Vector& child = *v->child();
    for (size_t i = 0; i < n; ++i) {
      if (v->is_null(i)) continue;
      size_t begin = v->array_offset(i);
      size_t size = v->array_size(i);
      if (size == 0) continue;
      Buffer& b = buffer(rows[i] + offset);
      for (size_t k = begin; k < begin + size; ++k) {
        if (!child.is_null(k)) b.add(Elements::read(child, k), distinct_);
      }
    }
  }

  // Reads the buffers only.
  void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                const EvalContext& ctx) const override {
    write_arrays(rows, offset, n, out);
  }

 private:
  Buffer& buffer(uint8_t* state) const {
    auto*& b = *reinterpret_cast<Buffer**>(state);
    if (b == nullptr) b = new Buffer();
    return *b;
  }

  static void write_arrays(uint8_t* const* rows, size_t offset, size_t n, Vector& out) {
    Vector& child = out.mutable_child();
    for (size_t i = 0; i < n; ++i) {
      const Buffer* b = state_at<Buffer*>(rows, i, offset);
      if (b != nullptr) b->elements.append_to(child);
      out.finish_array(i);
    }
  }

  DataType result_type_;
  bool distinct_;
};

template <class Elements>
std::shared_ptr<const AggregateKernel> collect_kernel(const DataType& result_type, bool distinct) {
  return std::make_shared<CollectKernel<Elements>>(result_type, distinct);
}

std::shared_ptr<const AggregateKernel> make_collect_kernel(const DataType& element, bool distinct) {
  DataType result = DataType::array(element, false);
  switch (element.id()) {
    case TypeId::kNull:  // collect_list(NULL): [] for every group; any element layout will do
    case TypeId::kBoolean: return collect_kernel<FixedElements<uint8_t>>(result, distinct);
    case TypeId::kByte: return collect_kernel<FixedElements<int8_t>>(result, distinct);
    case TypeId::kShort: return collect_kernel<FixedElements<int16_t>>(result, distinct);
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate: return collect_kernel<FixedElements<int32_t>>(result, distinct);
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp: return collect_kernel<FixedElements<int64_t>>(result, distinct);
    case TypeId::kFloat: return collect_kernel<FixedElements<float>>(result, distinct);
    case TypeId::kDouble: return collect_kernel<FixedElements<double>>(result, distinct);
    case TypeId::kDecimal: return collect_kernel<FixedElements<int128_t>>(result, distinct);
    case TypeId::kString:
    case TypeId::kBinary: return collect_kernel<StringElements>(result, distinct);
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct: return collect_kernel<NestedElements>(result, distinct);
  }
  return nullptr;
}

BoundAggregate bind_collect(const std::vector<DataType>& args, bool set, bool distinct) {
  if (set && type_contains_map(args[0])) {
    // Spark's CollectSet.checkInputDataTypes: maps have no equality to build a set with.
    throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.UNSUPPORTED_INPUT_TYPE",
                "Cannot resolve \"collect_set\" due to data type mismatch: The input of `collect_set` can't "
                "be \"MAP\" type data (the argument has the type \"" +
                    args[0].sql_string() + "\").");
  }
  BoundAggregate b;
  b.result_type = DataType::array(args[0], false);
  b.arg_types = args;
  b.nullable = false;
  b.kernel = make_collect_kernel(args[0], set);
  if (distinct) {
    // DISTINCT compares as grouping does (one NaN, -0.0 = 0.0), then collects each value once.
    b.kernel = make_distinct_kernel(args, b.kernel, /*count_only=*/false);
    b.supports_partial = false;
  }
  return b;
}

BoundAggregate bind_collect_list(const std::vector<DataType>& args, bool distinct, const BindContext&) {
  return bind_collect(args, false, distinct);
}
BoundAggregate bind_collect_set(const std::vector<DataType>& args, bool distinct, const BindContext&) {
  return bind_collect(args, true, distinct);
}

}  // namespace

void register_collect_aggregates(FunctionRegistry& r) {
  r.add(AggregateDef{"collect_list", 1, 1, &bind_collect_list});
  r.add(AggregateDef{"array_agg", 1, 1, &bind_collect_list});
  r.add(AggregateDef{"collect_set", 1, 1, &bind_collect_set});
}

}  // namespace ember::agg
