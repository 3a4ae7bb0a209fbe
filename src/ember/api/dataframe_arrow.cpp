#include "ember/api/dataframe_arrow.h"

#include "ember/api/query_execution.h"
#include "ember/api/session_state.h"

namespace ember {

ArrowBatch to_arrow(const DataFrame& df) {
  QueryExecution qe(df.session(), df.analyzed());
  Schema schema = qe.analyzed()->schema();
  auto batches = qe.collect(df.metrics_ptr());
  if (batches.size() == 1) return export_arrow_batch(batches[0], schema);
  if (batches.empty()) {
    Batch empty;
    for (const auto& f : schema.fields()) empty.columns.push_back(Vector::make(f.type, 0));
    return export_arrow_batch(empty, schema);
  }
  return export_arrow_batch(concat_batches(batches), schema);
}

std::vector<ArrowBatch> to_arrow_batches(const DataFrame& df) {
  QueryExecution qe(df.session(), df.analyzed());
  Schema schema = qe.analyzed()->schema();
  std::vector<ArrowBatch> out;
  for (const Batch& b : qe.collect(df.metrics_ptr())) out.push_back(export_arrow_batch(b, schema));
  return out;
}

DataFrame from_arrow(const Session& session, ArrowSchema* schema, ArrowArray* array) {
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kLocalRows;
  try {
    src->schema = import_arrow_schema(schema);
    src->batches = import_arrow_array(src->schema, schema, array);
  } catch (...) {
    if (schema != nullptr && schema->release != nullptr) schema->release(schema);
    if (array != nullptr && array->release != nullptr) array->release(array);
    throw;
  }
  schema->release(schema);
  session.state()->ensure_running();
  return DataFrame(session.state(), make_relation(src));
}

DataFrame from_arrow(const Session& session, ArrowBatch batch) {
  return from_arrow(session, &batch.schema, &batch.array);
}

void to_arrow_stream(const DataFrame& df, ArrowArrayStream* out) {
  QueryExecution qe(df.session(), df.analyzed());
  Schema schema = qe.analyzed()->schema();
  export_arrow_stream(qe.collect(df.metrics_ptr()), std::move(schema), out);
}

DataFrame from_arrow_stream(const Session& session, ArrowArrayStream* stream) {
  auto [schema, batches] = import_arrow_stream(stream);
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kLocalRows;
  src->schema = std::move(schema);
  src->batches = std::move(batches);
  session.state()->ensure_running();
  return DataFrame(session.state(), make_relation(src));
}

}  // namespace ember
