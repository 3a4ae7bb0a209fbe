// The Arrow C stream interface over ember batches (see arrow_interop.h).
#include <cerrno>
#include <string>

#include "ember/common/error.h"
#include "ember/interop/arrow_interop.h"

namespace ember {
namespace {

struct ExportedStream {
  std::vector<Batch> batches;
  Schema schema;
  size_t next = 0;
  std::string last_error;
};

ExportedStream& state_of(ArrowArrayStream* s) { return *static_cast<ExportedStream*>(s->private_data); }

int stream_get_schema(ArrowArrayStream* s, ArrowSchema* out) {
  try {
    export_arrow_schema(state_of(s).schema, out);
    return 0;
  } catch (const std::exception& e) {
    state_of(s).last_error = e.what();
    return EIO;
  }
}

int stream_get_next(ArrowArrayStream* s, ArrowArray* out) {
  ExportedStream& st = state_of(s);
  try {
    if (st.next >= st.batches.size()) {
      *out = ArrowArray{};  // release == nullptr: the end of the stream
      return 0;
    }
    // Hand the batch over: the exported array keeps its buffers alive.
    Batch b = std::move(st.batches[st.next++]);
    export_arrow_array(b, out);
    return 0;
  } catch (const std::exception& e) {
    st.last_error = e.what();
    return EIO;
  }
}

const char* stream_get_last_error(ArrowArrayStream* s) {
  const std::string& e = state_of(s).last_error;
  return e.empty() ? nullptr : e.c_str();
}

void stream_release(ArrowArrayStream* s) {
  delete static_cast<ExportedStream*>(s->private_data);
  s->release = nullptr;
}

}  // namespace

void export_arrow_stream(std::vector<Batch> batches, Schema schema, ArrowArrayStream* out) {
  out->private_data = new ExportedStream{std::move(batches), std::move(schema), 0, {}};
  out->get_schema = stream_get_schema;
  out->get_next = stream_get_next;
  out->get_last_error = stream_get_last_error;
  out->release = stream_release;
}

std::pair<Schema, std::vector<Batch>> import_arrow_stream(ArrowArrayStream* stream) {
  if (stream == nullptr || stream->release == nullptr)
    throw_error(ErrorKind::kIllegalArgument, "released or null ArrowArrayStream");
  // Released on every path out, as the consumer must.
  struct Release {
    ArrowArrayStream* s;
    ~Release() {
      if (s->release != nullptr) s->release(s);
    }
  } release{stream};
  auto producer_error = [&](int code) {
    const char* msg = stream->get_last_error ? stream->get_last_error(stream) : nullptr;
    throw_error(ErrorKind::kIo, "Arrow stream producer failed (error " + std::to_string(code) + ")" +
                                    (msg ? std::string(": ") + msg : std::string()));
  };
  ArrowSchema arrow_schema{};
  if (int rc = stream->get_schema(stream, &arrow_schema); rc != 0) producer_error(rc);
  struct SchemaRelease {
    ArrowSchema* s;
    ~SchemaRelease() {
      if (s->release != nullptr) s->release(s);
    }
  } schema_release{&arrow_schema};
  std::pair<Schema, std::vector<Batch>> out;
  out.first = import_arrow_schema(&arrow_schema);
  for (;;) {
    ArrowArray array{};
    if (int rc = stream->get_next(stream, &array); rc != 0) producer_error(rc);
    if (array.release == nullptr) break;
    for (Batch& b : import_arrow_array(out.first, &arrow_schema, &array)) out.second.push_back(std::move(b));
  }
  return out;
}

}  // namespace ember
