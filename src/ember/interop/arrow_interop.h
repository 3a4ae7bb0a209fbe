#pragma once
// Export of ember batches through the Arrow C Data Interface and import of Arrow arrays back into
// ember batches (https://arrow.apache.org/docs/format/CDataInterface.html).
//
// Type mapping (both ways): boolean <-> "b" (ember keeps one byte per value, so export packs the
// bits and import unpacks them), tinyint "c", smallint "s", int
// "i", bigint "l", float "f", double "g", decimal(p,s) "d:p,s" (decimal128), string "u", binary
// "z", date "tdD" (date32), timestamp "tsu:UTC", void "n", array "+l", map "+m" (entries struct
// key/value), struct "+s". Export is zero-copy: every buffer but a boolean's is ember's own, and
// the exported ArrowArray's private data holds shared references to them, so the export outlives
// the batch. Import is zero-copy where the layouts agree: fixed-width values (integers, floats,
// decimal128, date32, timestamp[us]) and validity bitmaps at a byte-aligned offset are shared
// with the producer (Buffer::wrap, owned by the moved ArrowArray, which is released when the
// last vector using it is gone); strings, lists, booleans and bitmaps at other offsets are copied
// once into ember's layout.
// Import also accepts what other producers commonly emit, converting (copying) where ember's
// layout differs: large strings/binaries/lists ("U", "Z", "+L", offsets narrowed to int32),
// date64 ("tdm"), timestamps in s/ms/ns and with any or no time zone (values taken as instants
// since the epoch, UTC). Anything else (unsigned integers, float16, dictionaries, ...) is
// UNSUPPORTED_ARROWTYPE naming the column.
#include <utility>
#include <vector>

#include "ember/interop/arrow_c_data.h"
#include "ember/types/data_type.h"
#include "ember/vector/batch.h"

namespace ember {

// An exported record batch: the ArrowSchema and ArrowArray of one struct array whose children are
// the columns. Move-only; releases whatever the consumer has not taken (a consumer that imports a
// struct moves it out and leaves `release` null, as the specification asks).
struct ArrowBatch {
  ArrowSchema schema{};
  ArrowArray array{};

  ArrowBatch() = default;
  ArrowBatch(ArrowBatch&& other) noexcept;
  ArrowBatch& operator=(ArrowBatch&& other) noexcept;
  ArrowBatch(const ArrowBatch&) = delete;
  ArrowBatch& operator=(const ArrowBatch&) = delete;
  ~ArrowBatch() { reset(); }
  void reset();
};

// Fills `out` (caller-owned storage, overwritten) with a struct schema of `schema`'s fields.
void export_arrow_schema(const Schema& schema, ArrowSchema* out);
// Fills `out` with a struct array of `batch`'s columns (which must match the exported schema).
void export_arrow_array(const Batch& batch, ArrowArray* out);
ArrowBatch export_arrow_batch(const Batch& batch, const Schema& schema);

// The ember schema of an Arrow struct schema (a record batch's); UNSUPPORTED_ARROWTYPE naming the
// field for a type ember cannot hold. Does not take ownership of `schema`.
Schema import_arrow_schema(const ArrowSchema* schema);
// The rows of struct array `array` (described by `arrow_schema`, whose ember form is `schema`) as
// batches of at most kBatchSize rows. Takes ownership of `array`: it is moved out (array->release
// becomes null) and released when no returned vector shares its memory any more (at once when
// the import fails).
std::vector<Batch> import_arrow_array(const Schema& schema, const ArrowSchema* arrow_schema,
                                      ArrowArray* array);

// Fills `out` with an Arrow C stream over `batches` (each exported as export_arrow_array does, when
// the consumer asks for it: zero-copy). The stream holds the batches until it is released.
void export_arrow_stream(std::vector<Batch> batches, Schema schema, ArrowArrayStream* out);

// Reads `stream` to its end and releases it: the schema and every batch (at most kBatchSize rows
// each, shared or copied as import_arrow_array does). A producer error is kIo with its message.
std::pair<Schema, std::vector<Batch>> import_arrow_stream(ArrowArrayStream* stream);

}  // namespace ember
