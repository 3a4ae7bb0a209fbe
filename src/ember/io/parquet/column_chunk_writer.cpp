#include "ember/io/parquet/column_chunk_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <string_view>
#include <type_traits>

#include "ember/common/error.h"
#include "ember/io/parquet/bit_packing.h"
#include "ember/io/parquet/compression.h"
#include "ember/io/parquet/dictionary_builder.h"
#include "ember/io/parquet/plain_encoding.h"
#include "ember/io/parquet/rle_bit_packed_hybrid.h"

namespace ember::parquet {

namespace {

using int128_t = __int128;
using uint128_t = unsigned __int128;

// Rows handled between page-size checks: small enough that a page overshoots its size limit by
// little even with long strings, large enough to keep the per-slice bookkeeping negligible.
constexpr size_t kSliceRows = 512;
// Statistics of byte arrays longer than this are not written (parquet-mr's MAX_STATS_SIZE).
constexpr size_t kMaxStatisticsBytes = 4096;
// Column index bounds are truncated to this many bytes (parquet-mr's default truncate length).
constexpr size_t kColumnIndexTruncateLength = 64;

// The physical value a writer of type V keeps, and how it is hashed, compared and encoded.
template <class V>
struct Physical;

template <>
struct Physical<uint8_t> {  // BOOLEAN
  using Key = uint32_t;
  static constexpr bool kDictionary = false;
};
template <>
struct Physical<int32_t> {
  using Key = uint32_t;
  static constexpr bool kDictionary = true;
};
template <>
struct Physical<int64_t> {
  using Key = uint64_t;
  static constexpr bool kDictionary = true;
};
template <>
struct Physical<float> {
  using Key = uint32_t;
  static constexpr bool kDictionary = true;
};
template <>
struct Physical<double> {
  using Key = uint64_t;
  static constexpr bool kDictionary = true;
};
template <>
struct Physical<std::string_view> {
  using Key = void;
  static constexpr bool kDictionary = true;
};
template <>
struct Physical<int128_t> {  // DECIMAL in FIXED_LEN_BYTE_ARRAY
  using Key = uint128_t;
  static constexpr bool kDictionary = true;
};

template <class V>
using DictionaryFor = std::conditional_t<std::is_same_v<V, std::string_view>, BinaryDictionary,
                                         FixedDictionary<typename Physical<V>::Key>>;

template <class V>
bool is_nan_value(const V& v) {
  if constexpr (std::is_floating_point_v<V>) return std::isnan(v);
  return false;
}

// A valid UTF-8 prefix of at most n bytes (cuts before a continuation byte).
std::string_view utf8_prefix(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  return s.substr(0, n);
}

BoundaryOrder boundary_order_of(const std::vector<std::string>& mins, const std::vector<std::string>& maxs,
                                const std::vector<bool>& null_pages,
                                const std::function<bool(const std::string&, const std::string&)>& less) {
  bool asc = true, desc = true;
  std::optional<size_t> prev;
  for (size_t i = 0; i < mins.size(); ++i) {
    if (null_pages[i]) continue;
    if (prev) {
      if (less(mins[i], mins[*prev]) || less(maxs[i], maxs[*prev])) asc = false;
      if (less(mins[*prev], mins[i]) || less(maxs[*prev], maxs[i])) desc = false;
    }
    prev = i;
  }
  if (asc) return BoundaryOrder::kAscending;
  if (desc) return BoundaryOrder::kDescending;
  return BoundaryOrder::kUnordered;
}

// Min/max tracking in the column's sort order. Byte-array bounds are views into the batch being
// written; commit() copies them before the batch goes away.
template <class V>
struct Bounds {
  bool has = false;
  V min{};
  V max{};
  std::string min_storage, max_storage;  // byte arrays: committed copies

  void update(const V& v) {
    if (is_nan_value(v)) return;
    if (!has) {
      min = max = v;
      has = true;
      return;
    }
    if (v < min) min = v;
    if (max < v) max = v;
  }
  void merge(const Bounds& o) {
    if (!o.has) return;
    update(o.min);
    update(o.max);
  }
  void commit() {
    if constexpr (std::is_same_v<V, std::string_view>) {
      if (!has) return;
      if (min.data() != min_storage.data()) {
        min_storage.assign(min);
        min = min_storage;
      }
      if (max.data() != max_storage.data()) {
        max_storage.assign(max);
        max = max_storage;
      }
    }
  }
  void reset() {
    has = false;
    min = max = V{};
    min_storage.clear();
    max_storage.clear();
  }
};

template <class V>
class TypedColumnWriter final : public ColumnChunkWriter {
 public:
  // A flat column has definition level 1 when nullable and no repetition; a nested leaf has the
  // levels of its place in the schema.
  TypedColumnWriter(const Field& field, const SchemaElement& element, const ParquetWriteOptions& options,
                    std::vector<std::string> path = {}, int max_def = -1, int max_rep = 0)
      : name_(field.name),
        path_(path.empty() ? std::vector<std::string>{field.name} : std::move(path)),
        type_(field.type),
        nullable_(field.nullable),
        max_def_(max_def >= 0 ? max_def : (field.nullable ? 1 : 0)),
        max_rep_(max_rep),
        physical_(*element.type),
        type_length_(element.type_length.value_or(0)),
        options_(options),
        def_levels_(bit_width_of(static_cast<uint64_t>(max_def_))),
        rep_levels_(bit_width_of(static_cast<uint64_t>(max_rep_))) {
    dictionary_mode_ = options_.enable_dictionary && Physical<V>::kDictionary;
  }

  void write_entries(const Vector& values, const uint8_t* rep, const uint8_t* def, size_t n) override {
    load_values(values, 0, values.size());
    const auto max_def = static_cast<uint8_t>(max_def_);
    size_t j = 0;
    for (size_t e = 0; e < n; ++e) {
      if (rep[e] == 0 && page_values_ > 0) {
        if (dictionary_mode_ &&
            dictionary_plain_size() > static_cast<size_t>(options_.dictionary_page_size)) {
          flush_page();
          dictionary_mode_ = false;
        }
        if (page_full()) flush_page();
      }
      if (max_rep_ > 0) rep_levels_.put(rep[e]);
      if (max_def_ > 0) def_levels_.put(def[e]);
      if (def[e] == max_def) {
        const V& v = values_[j++];
        page_bounds_.update(v);
        if (dictionary_mode_) indices_.push_back(dictionary_index(v));
        else append_plain(v);
      } else {
        ++page_nulls_;
      }
      ++page_values_;
      if (rep[e] == 0) ++page_rows_;
    }
    EMBER_CHECK(j == values_.size(), "nested leaf values and levels disagree");
    chunk_bounds_.merge(page_bounds_);
    page_bounds_.commit();
    chunk_bounds_.commit();
  }

  void write(const Vector& v, size_t offset, size_t count) override {
    load_values(v, offset, count);
    const uint8_t* validity = v.validity();
    size_t done = 0;
    while (done < count) {
      size_t room = static_cast<size_t>(std::max<int64_t>(1, options_.page_row_limit - page_rows_));
      size_t k = std::min({count - done, kSliceRows, room});
      write_slice(validity, offset + done, done, k);
      done += k;
      if (dictionary_mode_ && dictionary_plain_size() > static_cast<size_t>(options_.dictionary_page_size)) {
        // Fall back to PLAIN for the rest of the chunk; pages written so far keep the dictionary.
        flush_page();
        dictionary_mode_ = false;
      }
      if (page_full()) flush_page();
    }
    chunk_bounds_.merge(page_bounds_);
    page_bounds_.commit();
    chunk_bounds_.commit();
  }

  size_t buffered_size() const override {
    return data_pages_.size() + page_estimate() +
           (dictionary_used_ || dictionary_mode_ ? dictionary_plain_size() : 0);
  }

  EncodedColumnChunk finish() override {
    flush_page();
    EncodedColumnChunk out;
    ColumnMetaData& m = out.meta;
    m.type = physical_;
    m.path_in_schema = path_;
    m.codec = options_.compression;
    m.num_values = chunk_values_;
    int64_t uncompressed = 0, compressed = 0;
    if (dictionary_used_) {
      std::string body;
      encode_dictionary(body);
      PageHeader h;
      h.type = PageType::kDictionaryPage;
      DictionaryPageHeader d;
      d.num_values = static_cast<int32_t>(dictionary_.size());
      d.encoding = Encoding::kPlain;
      h.dictionary_page_header = d;
      append_page(h, body, out.dictionary_page, &uncompressed, &compressed);
      m.dictionary_page_offset = 0;
      m.encoding_stats.push_back({PageType::kDictionaryPage, Encoding::kPlain, 1});
    }
    auto dict_size = static_cast<int64_t>(out.dictionary_page.size());
    m.data_page_offset = dict_size;
    m.total_uncompressed_size = uncompressed + data_uncompressed_;
    m.total_compressed_size = compressed + data_compressed_;
    // Encodings: PLAIN for plain pages and the dictionary page, RLE for levels and indices.
    if (plain_pages_ > 0 || dictionary_used_) m.encodings.push_back(Encoding::kPlain);
    if (max_def_ > 0 || max_rep_ > 0 || dictionary_pages_ > 0) m.encodings.push_back(Encoding::kRle);
    if (dictionary_pages_ > 0) m.encodings.push_back(Encoding::kRleDictionary);
    if (dictionary_pages_ > 0)
      m.encoding_stats.push_back({PageType::kDataPage, Encoding::kRleDictionary, dictionary_pages_});
    if (plain_pages_ > 0) m.encoding_stats.push_back({PageType::kDataPage, Encoding::kPlain, plain_pages_});
    Statistics s;
    s.null_count = chunk_nulls_;
    if (chunk_bounds_.has) {
      std::string lo = stat_bytes(chunk_bounds_.min, true), hi = stat_bytes(chunk_bounds_.max, false);
      if (lo.size() <= kMaxStatisticsBytes && hi.size() <= kMaxStatisticsBytes) {
        s.min_value = std::move(lo);
        s.max_value = std::move(hi);
        s.is_min_value_exact = true;
        s.is_max_value_exact = true;
      }
    }
    m.statistics = s;
    out.data_pages = std::move(data_pages_);
    out.pages = std::move(pages_);
    for (PageLocation& p : out.pages) p.offset += dict_size;
    out.column_index = std::move(column_index_);
    out.column_index_valid = column_index_valid_ && !out.pages.empty();
    if (out.column_index_valid) {
      auto less = [this](const std::string& a, const std::string& b) { return stat_less(a, b); };
      out.column_index.boundary_order = boundary_order_of(
          out.column_index.min_values, out.column_index.max_values, out.column_index.null_pages, less);
    }
    reset_chunk();
    return out;
  }

 private:
  // --- loading ember values as physical values ---

  void load_values(const Vector& v, size_t offset, size_t count) {
    values_.resize(count);
    V* dst = values_.data();
    if constexpr (std::is_same_v<V, std::string_view>) {
      for (size_t i = 0; i < count; ++i) dst[i] = v.string_at(offset + i);
    } else if constexpr (std::is_same_v<V, uint8_t>) {
      const uint8_t* src = v.values<uint8_t>() + offset;
      for (size_t i = 0; i < count; ++i) dst[i] = src[i] != 0;
    } else if constexpr (std::is_same_v<V, int128_t>) {
      std::memcpy(dst, v.values<int128_t>() + offset, count * sizeof(int128_t));
    } else {
      switch (type_.id()) {
        case TypeId::kByte: copy_as(v.values<int8_t>() + offset, count, dst); break;
        case TypeId::kShort: copy_as(v.values<int16_t>() + offset, count, dst); break;
        case TypeId::kInt:
        case TypeId::kDate: copy_as(v.values<int32_t>() + offset, count, dst); break;
        case TypeId::kLong:
        case TypeId::kTimestamp: copy_as(v.values<int64_t>() + offset, count, dst); break;
        case TypeId::kFloat: copy_as(v.values<float>() + offset, count, dst); break;
        case TypeId::kDouble: copy_as(v.values<double>() + offset, count, dst); break;
        case TypeId::kDecimal: copy_as(v.values<int128_t>() + offset, count, dst); break;
        default:
          throw_error(ErrorKind::kInternal,
                      "unexpected type for a Parquet " + type_.simple_string() + " column");
      }
    }
  }

  template <class S>
  static void copy_as(const S* src, size_t n, V* dst) {
    for (size_t i = 0; i < n; ++i) dst[i] = static_cast<V>(src[i]);
  }

  // --- one slice of rows ---

  void write_slice(const uint8_t* validity, size_t vector_row, size_t value_row, size_t k) {
    const V* vals = values_.data() + value_row;
    size_t nulls = 0;
    if (validity != nullptr) {
      for (size_t i = 0; i < k; ++i) nulls += !bit_is_set(validity, vector_row + i);
    }
    if (nulls > 0 && !nullable_) {
      throw_error(ErrorKind::kIllegalArgument,
                  "cannot write a null into the non-nullable Parquet column '" + name_ + "'");
    }
    if (max_def_ > 0) {
      if (nulls == 0) {
        def_levels_.put_repeated(1, k);
      } else {
        for (size_t i = 0; i < k; ++i) def_levels_.put(bit_is_set(validity, vector_row + i) ? 1 : 0);
      }
    }
    if (nulls == 0) {
      for (size_t i = 0; i < k; ++i) page_bounds_.update(vals[i]);
      if (dictionary_mode_) {
        for (size_t i = 0; i < k; ++i) indices_.push_back(dictionary_index(vals[i]));
      } else {
        for (size_t i = 0; i < k; ++i) append_plain(vals[i]);
      }
    } else {
      for (size_t i = 0; i < k; ++i) {
        if (!bit_is_set(validity, vector_row + i)) continue;
        page_bounds_.update(vals[i]);
        if (dictionary_mode_) indices_.push_back(dictionary_index(vals[i]));
        else append_plain(vals[i]);
      }
    }
    page_rows_ += static_cast<int64_t>(k);
    page_values_ += static_cast<int64_t>(k);
    page_nulls_ += static_cast<int64_t>(nulls);
  }

  uint32_t dictionary_index(const V& v) {
    if constexpr (std::is_same_v<V, std::string_view>) {
      return dictionary_.get_or_insert(v);
    } else if constexpr (Physical<V>::kDictionary) {
      typename Physical<V>::Key key{};
      std::memcpy(&key, &v, sizeof(V));
      return dictionary_.get_or_insert(key);
    } else {
      return 0;
    }
  }

  void append_plain(const V& v) {
    if constexpr (std::is_same_v<V, std::string_view>) {
      plain_append_byte_array(v, plain_);
    } else if constexpr (std::is_same_v<V, uint8_t>) {
      booleans_.push_back(v);
    } else if constexpr (std::is_same_v<V, int128_t>) {
      append_fixed_decimal(v, plain_);
    } else {
      plain_append_fixed(&v, sizeof(V), plain_);
    }
  }

  void append_fixed_decimal(int128_t v, std::string& out) const {
    // Big-endian two's complement in type_length_ bytes (the low bytes of the 128-bit value).
    for (int i = type_length_ - 1; i >= 0; --i)
      out.push_back(static_cast<char>(static_cast<uint128_t>(v) >> (8 * i)));
  }

  size_t dictionary_plain_size() const {
    if constexpr (std::is_same_v<V, std::string_view>) {
      return dictionary_.plain_size();
    } else if constexpr (std::is_same_v<V, int128_t>) {
      return dictionary_.size() * static_cast<size_t>(type_length_);
    } else {
      return dictionary_.size() * sizeof(V);
    }
  }

  V dictionary_value(uint32_t idx) const {
    if constexpr (std::is_same_v<V, std::string_view>) {
      return dictionary_.value(idx);
    } else if constexpr (Physical<V>::kDictionary) {
      V v;
      std::memcpy(&v, &dictionary_.values()[idx], sizeof(V));
      return v;
    } else {
      return V{};
    }
  }

  // Whether the open page plus the dictionary is smaller than the page's values written PLAIN.
  bool dictionary_pays_off() const {
    size_t plain = 0;
    if constexpr (std::is_same_v<V, std::string_view>) {
      for (uint32_t idx : indices_) plain += 4 + dictionary_.value(idx).size();
    } else if constexpr (std::is_same_v<V, int128_t>) {
      plain = indices_.size() * static_cast<size_t>(type_length_);
    } else {
      plain = indices_.size() * sizeof(V);
    }
    size_t bw = static_cast<size_t>(bit_width_of(dictionary_.size() > 0 ? dictionary_.size() - 1 : 0));
    size_t encoded = dictionary_plain_size() + (indices_.size() * bw + 7) / 8 + 1;
    return encoded < plain;
  }

  size_t page_estimate() const {
    size_t levels =
        (max_def_ > 0 ? def_levels_.estimated_size() : 0) + (max_rep_ > 0 ? rep_levels_.estimated_size() : 0);
    if (dictionary_mode_) {
      size_t bw = static_cast<size_t>(bit_width_of(dictionary_.size()));
      return levels + (indices_.size() * bw + 7) / 8 + 1;
    }
    return levels + plain_.size() + booleans_.size() / 8;
  }

  bool page_full() const {
    return page_rows_ >= options_.page_row_limit ||
           page_estimate() >= static_cast<size_t>(options_.page_size);
  }

  // --- pages ---

  void append_page(const PageHeader& header_in, const std::string& body, std::string& out,
                   int64_t* uncompressed, int64_t* compressed) {
    const std::string* payload = &body;
    if (options_.compression != CompressionCodec::kUncompressed) {
      compressed_.clear();
      compress(options_.compression, reinterpret_cast<const uint8_t*>(body.data()), body.size(), compressed_,
               options_.compression_level);
      payload = &compressed_;
    }
    if (body.size() > static_cast<size_t>(INT32_MAX) || payload->size() > static_cast<size_t>(INT32_MAX)) {
      throw_error(ErrorKind::kUnsupported, "a Parquet page of column '" + name_ + "' exceeds 2 GiB");
    }
    PageHeader h = header_in;
    h.uncompressed_page_size = static_cast<int32_t>(body.size());
    h.compressed_page_size = static_cast<int32_t>(payload->size());
    size_t start = out.size();
    encode_page_header(h, out);
    auto header_size = static_cast<int64_t>(out.size() - start);
    out += *payload;
    *uncompressed += header_size + static_cast<int64_t>(body.size());
    *compressed += header_size + static_cast<int64_t>(payload->size());
  }

  void flush_page() {
    if (page_values_ == 0) return;
    body_.clear();
    // Repetition levels, then definition levels, each RLE with a 4-byte length (data page v1).
    auto append_levels = [&](RleBitPackedEncoder& enc) {
      levels_.clear();
      enc.flush(levels_);
      auto len = static_cast<uint32_t>(levels_.size());
      char prefix[4];
      std::memcpy(prefix, &len, 4);
      body_.append(prefix, 4);
      body_ += levels_;
    };
    if (max_rep_ > 0) append_levels(rep_levels_);
    if (max_def_ > 0) append_levels(def_levels_);
    Encoding encoding = Encoding::kPlain;
    if (dictionary_mode_ && dictionary_pages_ == 0 && plain_pages_ == 0 && !dictionary_pays_off()) {
      // As parquet-mr does after the first page: a dictionary that is not smaller than the plain
      // values (unique ids, free text) is dropped and the chunk is written PLAIN.
      for (uint32_t idx : indices_) append_plain(dictionary_value(idx));
      dictionary_mode_ = false;
      dictionary_.clear();
    }
    if (dictionary_mode_) {
      encoding = Encoding::kRleDictionary;
      int bw = bit_width_of(dictionary_.size() > 0 ? dictionary_.size() - 1 : 0);
      body_.push_back(static_cast<char>(bw));
      RleBitPackedEncoder enc(bw);
      for (uint32_t idx : indices_) enc.put(idx);
      enc.flush(body_);
      dictionary_used_ = true;
      ++dictionary_pages_;
    } else {
      if constexpr (std::is_same_v<V, uint8_t>)
        plain_append_booleans(booleans_.data(), booleans_.size(), body_);
      else body_ += plain_;
      ++plain_pages_;
    }
    PageHeader h;
    h.type = PageType::kDataPage;
    DataPageHeader d;
    d.num_values = static_cast<int32_t>(page_values_);
    d.encoding = encoding;
    d.definition_level_encoding = Encoding::kRle;
    d.repetition_level_encoding = Encoding::kRle;
    h.data_page_header = d;
    PageLocation loc;
    loc.offset = static_cast<int64_t>(data_pages_.size());
    loc.first_row_index = chunk_rows_;
    append_page(h, body_, data_pages_, &data_uncompressed_, &data_compressed_);
    loc.compressed_page_size = static_cast<int32_t>(static_cast<int64_t>(data_pages_.size()) - loc.offset);
    pages_.push_back(loc);
    add_to_column_index();

    chunk_rows_ += page_rows_;
    chunk_values_ += page_values_;
    chunk_nulls_ += page_nulls_;
    page_rows_ = 0;
    page_values_ = 0;
    page_nulls_ = 0;
    indices_.clear();
    plain_.clear();
    booleans_.clear();
    chunk_bounds_.merge(page_bounds_);
    chunk_bounds_.commit();
    page_bounds_.reset();
  }

  void add_to_column_index() {
    ColumnIndex& ci = column_index_;
    bool all_null = page_nulls_ == page_values_;
    ci.null_counts.push_back(page_nulls_);
    ci.null_pages.push_back(all_null);
    if (all_null) {
      ci.min_values.emplace_back();
      ci.max_values.emplace_back();
      return;
    }
    if (!page_bounds_.has) {  // only NaNs: the format forbids a column index for this chunk
      column_index_valid_ = false;
      ci.min_values.emplace_back();
      ci.max_values.emplace_back();
      return;
    }
    std::string lo = stat_bytes(page_bounds_.min, true);
    std::string hi = stat_bytes(page_bounds_.max, false);
    if constexpr (std::is_same_v<V, std::string_view>) {
      // A prefix is still a lower bound; an upper bound cannot be shortened that simply, so long
      // maxima stay whole.
      if (lo.size() > kColumnIndexTruncateLength) {
        lo = std::string(type_.id() == TypeId::kString
                             ? utf8_prefix(lo, kColumnIndexTruncateLength)
                             : std::string_view(lo).substr(0, kColumnIndexTruncateLength));
      }
      if (hi.size() > kMaxStatisticsBytes) column_index_valid_ = false;
    }
    ci.min_values.push_back(std::move(lo));
    ci.max_values.push_back(std::move(hi));
  }

  // PLAIN bytes of a bound (without a length prefix for byte arrays); float zeros normalised as
  // the format asks (-0.0 for a minimum, +0.0 for a maximum).
  std::string stat_bytes(const V& v, bool is_min) const {
    std::string out;
    if constexpr (std::is_same_v<V, std::string_view>) {
      out.assign(v);
    } else if constexpr (std::is_same_v<V, int128_t>) {
      append_fixed_decimal(v, out);
    } else if constexpr (std::is_floating_point_v<V>) {
      V x = v;
      if (x == 0) x = is_min ? -V{0} : V{0};
      out.append(reinterpret_cast<const char*>(&x), sizeof(V));
    } else {
      out.append(reinterpret_cast<const char*>(&v), sizeof(V));
    }
    return out;
  }

  // Compares two PLAIN-encoded bounds in the column's order (for the column index's boundary order).
  bool stat_less(const std::string& a, const std::string& b) const {
    if constexpr (std::is_same_v<V, std::string_view>) {
      return a < b;
    } else if constexpr (std::is_same_v<V, int128_t>) {
      return decode_fixed_decimal(a) < decode_fixed_decimal(b);
    } else {
      V x, y;
      std::memcpy(&x, a.data(), sizeof(V));
      std::memcpy(&y, b.data(), sizeof(V));
      return x < y;
    }
  }

  static int128_t decode_fixed_decimal(const std::string& s) {
    uint128_t v = (!s.empty() && (static_cast<unsigned char>(s[0]) & 0x80)) ? ~uint128_t{0} : 0;
    for (char c : s) v = (v << 8) | static_cast<unsigned char>(c);
    return static_cast<int128_t>(v);
  }

  void encode_dictionary(std::string& out) const {
    if constexpr (std::is_same_v<V, std::string_view>) {
      for (size_t i = 0; i < dictionary_.size(); ++i) plain_append_byte_array(dictionary_.value(i), out);
    } else if constexpr (std::is_same_v<V, int128_t>) {
      for (uint128_t key : dictionary_.values()) append_fixed_decimal(static_cast<int128_t>(key), out);
    } else if constexpr (Physical<V>::kDictionary) {
      for (auto key : dictionary_.values()) {
        V v;
        std::memcpy(&v, &key, sizeof(V));
        out.append(reinterpret_cast<const char*>(&v), sizeof(V));
      }
    }
  }

  void reset_chunk() {
    data_pages_.clear();
    pages_.clear();
    column_index_ = ColumnIndex{};
    column_index_valid_ = true;
    dictionary_.clear();
    dictionary_mode_ = options_.enable_dictionary && Physical<V>::kDictionary;
    dictionary_used_ = false;
    dictionary_pages_ = plain_pages_ = 0;
    chunk_rows_ = chunk_values_ = chunk_nulls_ = 0;
    data_uncompressed_ = data_compressed_ = 0;
    chunk_bounds_.reset();
  }

  std::string name_;
  std::vector<std::string> path_;
  DataType type_;
  bool nullable_;
  int max_def_;
  int max_rep_;
  PhysicalType physical_;
  int type_length_;
  ParquetWriteOptions options_;

  // open page
  RleBitPackedEncoder def_levels_;
  RleBitPackedEncoder rep_levels_;
  int64_t page_values_ = 0;  // level entries (== rows for a flat column)
  std::vector<uint32_t> indices_;
  std::string plain_;
  std::vector<uint8_t> booleans_;
  int64_t page_rows_ = 0;
  int64_t page_nulls_ = 0;
  Bounds<V> page_bounds_;

  // chunk
  DictionaryFor<V> dictionary_;
  bool dictionary_mode_ = false;
  bool dictionary_used_ = false;
  int32_t dictionary_pages_ = 0;
  int32_t plain_pages_ = 0;
  std::string data_pages_;
  std::vector<PageLocation> pages_;
  ColumnIndex column_index_;
  bool column_index_valid_ = true;
  int64_t chunk_rows_ = 0;
  int64_t chunk_values_ = 0;
  int64_t chunk_nulls_ = 0;
  int64_t data_uncompressed_ = 0;
  int64_t data_compressed_ = 0;
  Bounds<V> chunk_bounds_;

  // scratch
  std::vector<V> values_;
  std::string body_;
  std::string levels_;
  std::string compressed_;
};

}  // namespace

std::unique_ptr<ColumnChunkWriter> make_column_chunk_writer(const Field& field, const SchemaElement& element,
                                                            const ParquetWriteOptions& options) {
  EMBER_CHECK(element.type.has_value(), "a Parquet leaf without a physical type");
  switch (*element.type) {
    case PhysicalType::kBoolean: return std::make_unique<TypedColumnWriter<uint8_t>>(field, element, options);
    case PhysicalType::kInt32: return std::make_unique<TypedColumnWriter<int32_t>>(field, element, options);
    case PhysicalType::kInt64: return std::make_unique<TypedColumnWriter<int64_t>>(field, element, options);
    case PhysicalType::kFloat: return std::make_unique<TypedColumnWriter<float>>(field, element, options);
    case PhysicalType::kDouble: return std::make_unique<TypedColumnWriter<double>>(field, element, options);
    case PhysicalType::kByteArray:
      return std::make_unique<TypedColumnWriter<std::string_view>>(field, element, options);
    case PhysicalType::kFixedLenByteArray:
      return std::make_unique<TypedColumnWriter<int128_t>>(field, element, options);
    default: throw_error(ErrorKind::kInternal, "ember does not write this Parquet physical type");
  }
}

std::unique_ptr<ColumnChunkWriter> make_nested_leaf_writer(const ColumnDescriptor& leaf,
                                                           std::vector<std::string> path,
                                                           const SchemaElement& element,
                                                           const ParquetWriteOptions& options) {
  EMBER_CHECK(element.type.has_value(), "a Parquet leaf without a physical type");
  const Field field{leaf.name, leaf.type, leaf.nullable};
  const int def = leaf.max_definition_level, rep = leaf.max_repetition_level;
  switch (*element.type) {
    case PhysicalType::kBoolean:
      return std::make_unique<TypedColumnWriter<uint8_t>>(field, element, options, std::move(path), def, rep);
    case PhysicalType::kInt32:
      return std::make_unique<TypedColumnWriter<int32_t>>(field, element, options, std::move(path), def, rep);
    case PhysicalType::kInt64:
      return std::make_unique<TypedColumnWriter<int64_t>>(field, element, options, std::move(path), def, rep);
    case PhysicalType::kFloat:
      return std::make_unique<TypedColumnWriter<float>>(field, element, options, std::move(path), def, rep);
    case PhysicalType::kDouble:
      return std::make_unique<TypedColumnWriter<double>>(field, element, options, std::move(path), def, rep);
    case PhysicalType::kByteArray:
      return std::make_unique<TypedColumnWriter<std::string_view>>(field, element, options, std::move(path),
                                                                   def, rep);
    case PhysicalType::kFixedLenByteArray:
      return std::make_unique<TypedColumnWriter<int128_t>>(field, element, options, std::move(path), def,
                                                           rep);
    default: throw_error(ErrorKind::kInternal, "ember does not write this Parquet physical type");
  }
}

}  // namespace ember::parquet
