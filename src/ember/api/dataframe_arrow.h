#pragma once
// DataFrames through the Arrow C Data Interface (interop/arrow_interop.h): a result handed to any
// Arrow consumer (pyarrow's RecordBatch._import_from_c, DuckDB, Polars) and an Arrow record batch
// from any producer read as a DataFrame.
#include <vector>

#include "ember/api/dataframe.h"
#include "ember/api/session.h"
#include "ember/interop/arrow_interop.h"

namespace ember {

// The result as one Arrow record batch, sharing ember's buffers when the result is one batch
// (several are concatenated first).
ArrowBatch to_arrow(const DataFrame& df);
// The result as Arrow record batches, each sharing ember's buffers (only booleans are copied, to
// pack them into bits).
std::vector<ArrowBatch> to_arrow_batches(const DataFrame& df);

// A DataFrame over an Arrow record batch (a struct array, e.g. a pyarrow RecordBatch exported
// with _export_to_c). Consumes both structs: each is released once read (the release callbacks
// run also when the import fails).
DataFrame from_arrow(const Session& session, ArrowSchema* schema, ArrowArray* array);
DataFrame from_arrow(const Session& session, ArrowBatch batch);

// The result as an Arrow C stream (pyarrow's RecordBatchReader._import_from_c reads it): every
// batch shared with ember, none concatenated. The caller releases the stream.
void to_arrow_stream(const DataFrame& df, ArrowArrayStream* out);
// A DataFrame over every batch of an Arrow C stream (read to its end and released now).
DataFrame from_arrow_stream(const Session& session, ArrowArrayStream* stream);

}  // namespace ember
