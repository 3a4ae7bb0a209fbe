// Export half of the Arrow C Data Interface (see arrow_interop.h for the type mapping).
#include <bit>
#include <string>

#include "ember/common/error.h"
#include "ember/interop/arrow_interop.h"

namespace ember {
namespace {

// What an exported schema node owns: its strings and its children's structs. The child structs
// live here (reserved up front, never reallocated); a consumer that moves one out marks ours
// released, so the parent's release only releases children still in place.
struct ExportedSchema {
  std::string format;
  std::string name;
  std::vector<ArrowSchema> children;
  std::vector<ArrowSchema*> child_pointers;
};

void release_schema(ArrowSchema* schema) {
  auto* owned = static_cast<ExportedSchema*>(schema->private_data);
  for (ArrowSchema* child : owned->child_pointers) {
    if (child->release != nullptr) child->release(child);
  }
  delete owned;
  schema->release = nullptr;
}

std::string format_of(const DataType& type) {
  switch (type.id()) {
    case TypeId::kNull: return "n";
    case TypeId::kBoolean: return "b";
    case TypeId::kByte: return "c";
    case TypeId::kShort: return "s";
    case TypeId::kInt: return "i";
    case TypeId::kLong: return "l";
    case TypeId::kFloat: return "f";
    case TypeId::kDouble: return "g";
    case TypeId::kDecimal:
      return "d:" + std::to_string(type.precision()) + "," + std::to_string(type.scale());
    case TypeId::kString: return "u";
    case TypeId::kBinary: return "z";
    case TypeId::kDate: return "tdD";
    // ember's timestamps are instants (microseconds since the epoch, UTC), which is what an Arrow
    // timestamp with a time zone means; the zone only says how to display them.
    case TypeId::kTimestamp: return "tsu:UTC";
    // Spark's Arrow mapping: Interval(YEAR_MONTH) and Duration(MICROSECOND).
    case TypeId::kYearMonthInterval: return "tiM";
    case TypeId::kDayTimeInterval: return "tDu";
    case TypeId::kArray: return "+l";
    case TypeId::kMap: return "+m";
    case TypeId::kStruct: return "+s";
  }
  EMBER_CHECK(false, "Arrow format of " + type.simple_string());
  return "";
}

void fill_schema(ArrowSchema* out, const std::string& name, const DataType& type, bool nullable) {
  auto* owned = new ExportedSchema();
  owned->format = format_of(type);
  owned->name = name;
  std::vector<Field> children;
  if (type.id() == TypeId::kArray) {
    // pyarrow's default name for a list's element field, so list types compare equal there.
    children.push_back(Field{"item", type.element_type(), type.contains_null()});
  } else if (type.id() == TypeId::kMap) {
    children.push_back(Field{"entries", type.element_type(), false});
  } else if (type.id() == TypeId::kStruct) {
    children = type.fields();
  }
  owned->children.resize(children.size());
  for (size_t k = 0; k < children.size(); ++k) {
    fill_schema(&owned->children[k], children[k].name, children[k].type, children[k].nullable);
    owned->child_pointers.push_back(&owned->children[k]);
  }
  out->format = owned->format.c_str();
  out->name = owned->name.c_str();
  out->metadata = nullptr;
  out->flags = nullable ? ARROW_FLAG_NULLABLE : 0;
  out->n_children = static_cast<int64_t>(children.size());
  out->children = owned->child_pointers.empty() ? nullptr : owned->child_pointers.data();
  out->dictionary = nullptr;
  out->release = release_schema;
  out->private_data = owned;
}

// What an exported array node owns: shared references to the ember buffers its pointers point
// into (so the memory outlives the batch it came from), the pointer table, and its children.
struct ExportedArray {
  std::vector<BufferPtr> buffers_kept;
  std::vector<const void*> buffers;
  std::vector<ArrowArray> children;
  std::vector<ArrowArray*> child_pointers;
};

void release_array(ArrowArray* array) {
  auto* owned = static_cast<ExportedArray*>(array->private_data);
  for (ArrowArray* child : owned->child_pointers) {
    if (child->release != nullptr) child->release(child);
  }
  delete owned;
  array->release = nullptr;
}

// Arrow requires a non-null data pointer for an empty values buffer in some consumers; this one
// byte serves every such buffer.
const uint8_t kEmptyBuffer[8] = {};

int64_t count_nulls(const uint8_t* validity, size_t length) {
  if (validity == nullptr) return 0;
  size_t valid = 0;
  size_t whole = length / 8;
  for (size_t i = 0; i < whole; ++i) valid += static_cast<size_t>(std::popcount(validity[i]));
  for (size_t i = whole * 8; i < length; ++i) valid += bit_is_set(validity, i) ? 1 : 0;
  return static_cast<int64_t>(length - valid);
}

void fill_array(ArrowArray* out, const VectorPtr& vector, size_t length) {
  VectorPtr v = flatten(vector);
  const DataType& type = v->type();
  auto* owned = new ExportedArray();
  auto keep = [&](const BufferPtr& b) -> const void* {
    if (b == nullptr) return nullptr;
    owned->buffers_kept.push_back(b);
    return b->size() > 0 ? b->data() : kEmptyBuffer;
  };
  out->length = static_cast<int64_t>(length);
  out->offset = 0;
  out->null_count = count_nulls(v->validity(), length);
  out->dictionary = nullptr;
  if (type.id() != TypeId::kNull)
    owned->buffers.push_back(out->null_count > 0 ? keep(v->validity_buffer()) : nullptr);
  std::vector<std::pair<VectorPtr, size_t>> children;
  switch (type.id()) {
    case TypeId::kNull: out->null_count = out->length; break;
    case TypeId::kBoolean: {
      // ember keeps a byte per boolean; Arrow packs them into bits.
      auto bits = make_buffer(bitmap_bytes(length));
      uint8_t* dst = bits->data();
      std::memset(dst, 0, bits->size());
      const uint8_t* src = v->values<uint8_t>();
      for (size_t i = 0; i < length; ++i)
        dst[i >> 3] |= static_cast<uint8_t>((src[i] != 0 ? 1u : 0u) << (i & 7));
      owned->buffers.push_back(keep(bits));
      break;
    }
    case TypeId::kString:
    case TypeId::kBinary:
      owned->buffers.push_back(keep(v->data_buffer()));
      owned->buffers.push_back(v->chars_buffer() ? keep(v->chars_buffer()) : kEmptyBuffer);
      break;
    case TypeId::kArray:
    case TypeId::kMap:
      owned->buffers.push_back(keep(v->data_buffer()));
      children.emplace_back(v->child(), v->child()->size());
      break;
    case TypeId::kStruct:
      for (size_t k = 0; k < v->num_fields(); ++k) children.emplace_back(v->field(k), length);
      break;
    default: owned->buffers.push_back(keep(v->data_buffer())); break;
  }
  owned->children.resize(children.size());
  for (size_t k = 0; k < children.size(); ++k) {
    fill_array(&owned->children[k], children[k].first, children[k].second);
    owned->child_pointers.push_back(&owned->children[k]);
  }
  out->n_buffers = static_cast<int64_t>(owned->buffers.size());
  out->buffers = owned->buffers.empty() ? nullptr : owned->buffers.data();
  out->n_children = static_cast<int64_t>(children.size());
  out->children = owned->child_pointers.empty() ? nullptr : owned->child_pointers.data();
  out->release = release_array;
  out->private_data = owned;
}

}  // namespace

ArrowBatch::ArrowBatch(ArrowBatch&& other) noexcept : schema(other.schema), array(other.array) {
  other.schema.release = nullptr;
  other.array.release = nullptr;
}

ArrowBatch& ArrowBatch::operator=(ArrowBatch&& other) noexcept {
  if (this != &other) {
    reset();
    schema = other.schema;
    array = other.array;
    other.schema.release = nullptr;
    other.array.release = nullptr;
  }
  return *this;
}

void ArrowBatch::reset() {
  if (schema.release != nullptr) schema.release(&schema);
  if (array.release != nullptr) array.release(&array);
}

void export_arrow_schema(const Schema& schema, ArrowSchema* out) {
  fill_schema(out, "", DataType::struct_(schema.fields()), false);
}

void export_arrow_array(const Batch& batch, ArrowArray* out) {
  std::vector<VectorPtr> columns = batch.columns;
  std::vector<Field> fields;
  for (size_t c = 0; c < columns.size(); ++c) fields.push_back(Field{"", columns[c]->type(), true});
  fill_array(out, Vector::make_struct(DataType::struct_(fields), batch.num_rows, std::move(columns)),
             batch.num_rows);
}

ArrowBatch export_arrow_batch(const Batch& batch, const Schema& schema) {
  EMBER_CHECK(batch.num_columns() == schema.size(), "Arrow export: batch and schema widths differ");
  ArrowBatch out;
  export_arrow_schema(schema, &out.schema);
  export_arrow_array(batch, &out.array);
  return out;
}

}  // namespace ember
