#include "ember/io/parquet/column_chunk_reader.h"

#include <algorithm>
#include <cstring>

#include "ember/common/error.h"
#include "ember/io/parquet/bit_packing.h"
#include "ember/io/parquet/compression.h"
#include "ember/io/parquet/plain_encoding.h"
#include "ember/io/parquet/value_conversion.h"

namespace ember::parquet {

namespace {

// Level entries decoded per step when a nested leaf's chunk is read whole.
constexpr size_t kSliceEntries = 65536;

// Moves the first m values of rows [0, k) to the rows whose level says "defined", back to front,
// so the move is in place; the other rows become null.
template <class T>
void spread(T* base, const uint8_t* levels, size_t k, size_t m, uint8_t max_level, uint8_t* validity,
            size_t row) {
  size_t j = m;
  for (size_t i = k; i-- > 0;) {
    if (levels[i] == max_level) {
      base[i] = base[--j];
    } else {
      base[i] = T{};
      clear_bit(validity, row + i);
    }
  }
}

template <class T>
void gather_dictionary(const T* dict, const uint32_t* idx, size_t m, T* out) {
  for (size_t i = 0; i < m; ++i) out[i] = dict[idx[i]];
}

// out[row + i] = src[idx[i]] for i < m, for a fixed-width type: a dictionary's values by index, or
// a decoded run's selected rows.
void gather_fixed(const Vector& src, const uint32_t* idx, size_t m, Vector& out, size_t row) {
  switch (src.type().fixed_width()) {
    case 1: gather_dictionary(src.values<uint8_t>(), idx, m, out.values<uint8_t>() + row); break;
    case 2: gather_dictionary(src.values<uint16_t>(), idx, m, out.values<uint16_t>() + row); break;
    case 4: gather_dictionary(src.values<uint32_t>(), idx, m, out.values<uint32_t>() + row); break;
    case 8: gather_dictionary(src.values<uint64_t>(), idx, m, out.values<uint64_t>() + row); break;
    case 16: gather_dictionary(src.values<int128_t>(), idx, m, out.values<int128_t>() + row); break;
    default: throw_error(ErrorKind::kInternal, "fixed-width gather for an unexpected type width");
  }
}

template <class T>
void gather_picked(const T* src, const uint32_t* idx, const uint32_t* sel, uint32_t base, size_t m, T* out) {
  for (size_t i = 0; i < m; ++i) out[i] = src[idx[sel[i] - base]];
}

// out[row + i] = src[idx[sel[i] - base]] for i < m: the dictionary values of a run's selected rows
// straight from the run's indices (one pass, no compacted index list).
void gather_fixed_picked(const Vector& src, const uint32_t* idx, const uint32_t* sel, uint32_t base, size_t m,
                         Vector& out, size_t row) {
  switch (src.type().fixed_width()) {
    case 1: gather_picked(src.values<uint8_t>(), idx, sel, base, m, out.values<uint8_t>() + row); break;
    case 2: gather_picked(src.values<uint16_t>(), idx, sel, base, m, out.values<uint16_t>() + row); break;
    case 4: gather_picked(src.values<uint32_t>(), idx, sel, base, m, out.values<uint32_t>() + row); break;
    case 8: gather_picked(src.values<uint64_t>(), idx, sel, base, m, out.values<uint64_t>() + row); break;
    case 16: gather_picked(src.values<int128_t>(), idx, sel, base, m, out.values<int128_t>() + row); break;
    default: throw_error(ErrorKind::kInternal, "fixed-width gather for an unexpected type width");
  }
}

// Below this many selected rows per row of a run, dictionary indices are read one by one at the
// selected positions rather than unpacked all and picked.
constexpr size_t kSparseIndexRatio = 8;

}  // namespace

ColumnChunkReader::ColumnChunkReader(std::shared_ptr<const InputFile> file, ColumnDescriptor column,
                                     const ColumnMetaData& meta, int64_t num_rows, int row_group)
    : file_(std::move(file)),
      column_(std::move(column)),
      codec_(meta.codec),
      num_rows_(num_rows),
      num_values_(meta.num_values),
      row_group_(row_group) {
  chunk_offset_ = meta.data_page_offset;
  // Some writers record a dictionary page offset of 0 when there is none; only an offset before
  // the first data page can be the dictionary's.
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < chunk_offset_) {
    chunk_offset_ = *meta.dictionary_page_offset;
  }
  chunk_length_ = meta.total_compressed_size;
}

void ColumnChunkReader::corrupt(const std::string& what) const {
  throw_error(ErrorKind::kMalformedInput, what);
}

void ColumnChunkReader::load_chunk() {
  if (chunk_offset_ < 4 || chunk_length_ <= 0 || chunk_offset_ > file_->size() ||
      chunk_length_ > file_->size() - chunk_offset_) {
    corrupt("the column chunk's byte range (offset " + std::to_string(chunk_offset_) + ", " +
            std::to_string(chunk_length_) + " bytes) lies outside the file of " +
            std::to_string(file_->size()) + " bytes");
  }
  if (pages_.empty()) {
    file_->read_at(chunk_offset_, static_cast<size_t>(chunk_length_), chunk_);
  } else {
    // Only the bytes before the first data page (the dictionary page, if any) now; data pages as
    // they are reached.
    chunk_.resize(static_cast<size_t>(chunk_length_));
    const int64_t prefix = pages_.front().offset - chunk_offset_;
    if (prefix > 0) file_->read_at(chunk_offset_, static_cast<size_t>(prefix), chunk_.data());
  }
  loaded_ = true;
}

void ColumnChunkReader::set_page_locations(std::vector<PageLocation> locations) {
  EMBER_CHECK(!loaded_, "page locations set after the column chunk was read");
  // Trust the locations only when they tile the chunk from its first data page to its end, in
  // row order: then every page header ember would walk to is at a known place.
  if (locations.empty() || locations.front().first_row_index != 0) return;
  const int64_t chunk_end = chunk_offset_ + chunk_length_;
  if (locations.front().offset < chunk_offset_) return;
  for (size_t p = 0; p < locations.size(); ++p) {
    const PageLocation& l = locations[p];
    const int64_t end = l.offset + l.compressed_page_size;
    if (l.compressed_page_size <= 0 || end > chunk_end) return;
    if (p + 1 < locations.size() &&
        (locations[p + 1].offset != end || locations[p + 1].first_row_index <= l.first_row_index)) {
      return;
    }
    if (p + 1 == locations.size() && (end != chunk_end || l.first_row_index >= num_rows_)) return;
  }
  pages_ = std::move(locations);
}

int64_t ColumnChunkReader::load_or_pass_page(int64_t skip_left) {
  const int64_t at = chunk_offset_ + static_cast<int64_t>(pos_);
  while (next_location_ < pages_.size() && pages_[next_location_].offset < at) ++next_location_;
  if (next_location_ == pages_.size() || pages_[next_location_].offset != at) return 0;  // the prefix
  const PageLocation& l = pages_[next_location_];
  const int64_t next_first =
      next_location_ + 1 < pages_.size() ? pages_[next_location_ + 1].first_row_index : num_rows_;
  const int64_t rows = next_first - l.first_row_index;
  if (rows <= skip_left) {
    pos_ += static_cast<size_t>(l.compressed_page_size);
    ++next_location_;
    return rows;
  }
  file_->read_at(l.offset, static_cast<size_t>(l.compressed_page_size), chunk_.data() + pos_);
  ++next_location_;
  indexed_page_rows_ = rows;
  return 0;
}

const uint8_t* ColumnChunkReader::page_data(const uint8_t* body, size_t body_size, int64_t uncompressed_size,
                                            Buffer& buffer, size_t* size) {
  if (uncompressed_size < 0) corrupt("negative uncompressed page size");
  if (codec_ == CompressionCodec::kUncompressed) {
    *size = body_size;
    return body;
  }
  buffer.resize(static_cast<size_t>(uncompressed_size));
  decompress(codec_, body, body_size, buffer.data(), static_cast<size_t>(uncompressed_size));
  *size = static_cast<size_t>(uncompressed_size);
  return buffer.data();
}

int64_t ColumnChunkReader::next_page(int64_t skip_budget) {
  int64_t skipped = 0;
  while (true) {
    if (skip_budget > 0 && skipped == skip_budget) return skipped;
    size_t chunk_size = chunk_.size();
    if (pos_ >= chunk_size) {
      corrupt("the column chunk ends after " + std::to_string(rows_read_ + skipped) + " of its " +
              std::to_string(num_rows_) + " rows");
    }
    if (!pages_.empty()) {
      const int64_t passed = load_or_pass_page(skip_budget - skipped);
      if (passed > 0) {
        skipped += passed;
        continue;
      }
    }
    page_offset_ = pos_;
    size_t header_size = 0;
    PageHeader h = decode_page_header(chunk_.data() + pos_, chunk_size - pos_, &header_size);
    pos_ += header_size;
    if (h.compressed_page_size < 0 || static_cast<size_t>(h.compressed_page_size) > chunk_size - pos_) {
      corrupt("a page of " + std::to_string(h.compressed_page_size) +
              " bytes runs past the end of the column chunk");
    }
    const uint8_t* body = chunk_.data() + pos_;
    auto body_size = static_cast<size_t>(h.compressed_page_size);
    pos_ += body_size;
    // A flat column has one value (null or not) per row, so a data page's value count is its row
    // count: pages entirely inside the rows to skip are passed over undecoded.
    int64_t page_rows = -1;
    if (h.type == PageType::kDataPage && h.data_page_header) page_rows = h.data_page_header->num_values;
    if (h.type == PageType::kDataPageV2 && h.data_page_header_v2)
      page_rows = h.data_page_header_v2->num_values;
    // Pages passed over by the offset index were counted by it; a page read through it must
    // agree, or the rows after it would be misplaced.
    if (indexed_page_rows_ >= 0 && page_rows >= 0 && page_rows != indexed_page_rows_) {
      corrupt("the offset index gives a page " + std::to_string(indexed_page_rows_) +
              " rows but its header says " + std::to_string(page_rows));
    }
    indexed_page_rows_ = -1;
    if (page_rows >= 0 && page_rows <= skip_budget - skipped) {
      skipped += page_rows;
      continue;
    }
    switch (h.type) {
      case PageType::kDictionaryPage: load_dictionary(h, body, body_size); continue;
      case PageType::kDataPage:
        start_data_page_v1(h, body, body_size);
        if (page_left_ > 0) return skipped;
        continue;
      case PageType::kDataPageV2:
        start_data_page_v2(h, body, body_size);
        if (page_left_ > 0) return skipped;
        continue;
      default: continue;  // index pages and page types newer than ember carry no rows
    }
  }
}

void ColumnChunkReader::load_dictionary(const PageHeader& h, const uint8_t* body, size_t size) {
  if (!h.dictionary_page_header) corrupt("a dictionary page without its dictionary_page_header");
  const DictionaryPageHeader& d = *h.dictionary_page_header;
  if (d.encoding != Encoding::kPlain && d.encoding != Encoding::kPlainDictionary) {
    throw_error(ErrorKind::kUnsupported,
                std::string("dictionary page encoding ") + encoding_name(d.encoding) + " is not supported");
  }
  size_t data_size = 0;
  const uint8_t* data = page_data(body, size, h.uncompressed_page_size, dictionary_buffer_, &data_size);
  if (d.num_values < 0) corrupt("negative dictionary size");
  auto n = static_cast<size_t>(d.num_values);
  // Bound the allocation by what the bytes can hold: every value takes at least a byte (booleans
  // a bit, byte arrays their 4-byte length).
  size_t min_bytes =
      column_.physical == PhysicalType::kByteArray           ? 4
      : column_.physical == PhysicalType::kFixedLenByteArray ? static_cast<size_t>(column_.type_length)
      : column_.physical == PhysicalType::kBoolean           ? 0
                                                   : static_cast<size_t>(fixed_width(column_.physical));
  if ((min_bytes == 0 && n > data_size * 8) || (min_bytes > 0 && n > data_size / min_bytes)) {
    corrupt("the dictionary page claims " + std::to_string(n) + " values but holds " +
            std::to_string(data_size) + " bytes");
  }
  dictionary_size_ = n;
  dictionary_ = nullptr;
  coded_dictionary_ = nullptr;
  dictionary_raw_ = nullptr;
  if (!produces_strings(column_.conversion) && has_raw_dictionary_layout()) {
    // Converted on first need (ensure_dictionary): a scan reading few rows of the chunk
    // (read_selected) converts only the values it picks from these PLAIN bytes, which stay in
    // chunk_ or dictionary_buffer_ while the chunk is read.
    dictionary_raw_ = data;
    return;
  }
  std::unique_ptr<ValuesDecoder> decoder =
      make_plain_decoder(column_.physical, column_.type_length, data, data_size);
  auto dict = Vector::make(column_.type, n);
  if (produces_strings(column_.conversion)) {
    views_.resize(n);
    decoder->decode_binary(views_.data(), n);
    StringAppender app(*dict, 0);
    size_t bytes = 0;
    for (size_t i = 0; i < n; ++i) bytes += string_bytes(column_.conversion, views_[i]);
    app.reserve(bytes);
    if (column_.conversion == ValueConversion::kUuidToString) {
      for (size_t i = 0; i < n; ++i) app.append_uuid(views_[i].data);
    } else {
      for (size_t i = 0; i < n; ++i) app.append(views_[i].data, views_[i].size);
    }
    app.finish();
  } else {
    decode_dense_fixed(*decoder, *dict, 0, n);
  }
  dictionary_ = std::move(dict);
}

bool ColumnChunkReader::has_raw_dictionary_layout() const {
  return column_.physical == PhysicalType::kInt32 || column_.physical == PhysicalType::kInt64 ||
         column_.physical == PhysicalType::kFloat || column_.physical == PhysicalType::kDouble;
}

void ColumnChunkReader::ensure_dictionary() {
  if (dictionary_) return;
  const size_t width = static_cast<size_t>(fixed_width(column_.physical));
  std::unique_ptr<ValuesDecoder> decoder =
      make_plain_decoder(column_.physical, column_.type_length, dictionary_raw_, dictionary_size_ * width);
  auto dict = Vector::make(column_.type, dictionary_size_);
  decode_dense_fixed(*decoder, *dict, 0, dictionary_size_);
  dictionary_ = std::move(dict);
}

void ColumnChunkReader::start_data_page_v1(const PageHeader& h, const uint8_t* body, size_t size) {
  if (!h.data_page_header) corrupt("a data page without its data_page_header");
  const DataPageHeader& d = *h.data_page_header;
  if (d.num_values < 0) corrupt("negative value count in a data page header");
  size_t data_size = 0;
  const uint8_t* data = page_data(body, size, h.uncompressed_page_size, page_buffer_, &data_size);
  const uint8_t* p = data;
  const uint8_t* end = data + data_size;
  auto num_values = static_cast<size_t>(d.num_values);
  legacy_levels_ = false;
  if (column_.max_repetition_level > 0) {
    // Repetition levels come first, RLE with a 4-byte length (BIT_PACKED is long deprecated).
    if (d.repetition_level_encoding != Encoding::kRle) {
      throw_error(ErrorKind::kUnsupported, std::string("repetition level encoding ") +
                                               encoding_name(d.repetition_level_encoding) +
                                               " is not supported");
    }
    if (end - p < 4) corrupt("truncated repetition levels");
    uint32_t len;
    std::memcpy(&len, p, 4);
    p += 4;
    if (len > static_cast<size_t>(end - p)) {
      corrupt("repetition levels of " + std::to_string(len) + " bytes run past the end of the page");
    }
    rep_decoder_ =
        RleBitPackedDecoder(p, len, bit_width_of(static_cast<uint64_t>(column_.max_repetition_level)));
    p += len;
  }
  if (column_.max_definition_level > 0) {
    int bw = bit_width_of(static_cast<uint64_t>(column_.max_definition_level));
    if (d.definition_level_encoding == Encoding::kRle) {
      if (end - p < 4) corrupt("truncated definition levels");
      uint32_t len;
      std::memcpy(&len, p, 4);
      p += 4;
      if (len > static_cast<size_t>(end - p)) {
        corrupt("definition levels of " + std::to_string(len) + " bytes run past the end of the page");
      }
      def_decoder_ = RleBitPackedDecoder(p, len, bw);
      p += len;
    } else if (d.definition_level_encoding == Encoding::kBitPacked) {
      size_t bytes = (num_values * static_cast<size_t>(bw) + 7) / 8;
      if (bytes > static_cast<size_t>(end - p)) corrupt("truncated BIT_PACKED definition levels");
      legacy_level_values_.resize(num_values);
      p += decode_legacy_bit_packed(p, static_cast<size_t>(end - p), bw, legacy_level_values_.data(),
                                    num_values);
      legacy_levels_ = true;
      legacy_level_pos_ = 0;
    } else {
      throw_error(ErrorKind::kUnsupported, std::string("definition level encoding ") +
                                               encoding_name(d.definition_level_encoding) +
                                               " is not supported");
    }
  }
  start_values(d.encoding, p, static_cast<size_t>(end - p), num_values);
  page_left_ = d.num_values;
}

void ColumnChunkReader::start_data_page_v2(const PageHeader& h, const uint8_t* body, size_t size) {
  if (!h.data_page_header_v2) corrupt("a data page v2 without its data_page_header_v2");
  const DataPageHeaderV2& d = *h.data_page_header_v2;
  if (d.num_values < 0 || d.num_nulls < 0 || d.num_nulls > d.num_values) {
    corrupt("inconsistent value counts in a data page v2 header");
  }
  if (d.repetition_levels_byte_length < 0 || d.definition_levels_byte_length < 0 ||
      static_cast<uint64_t>(d.repetition_levels_byte_length) +
              static_cast<uint64_t>(d.definition_levels_byte_length) >
          size) {
    corrupt("the levels of a data page v2 run past the end of the page");
  }
  auto rep_len = static_cast<size_t>(d.repetition_levels_byte_length);
  auto def_len = static_cast<size_t>(d.definition_levels_byte_length);
  legacy_levels_ = false;
  if (column_.max_repetition_level > 0) {
    rep_decoder_ =
        RleBitPackedDecoder(body, rep_len, bit_width_of(static_cast<uint64_t>(column_.max_repetition_level)));
  }
  if (column_.max_definition_level > 0) {
    def_decoder_ = RleBitPackedDecoder(body + rep_len, def_len,
                                       bit_width_of(static_cast<uint64_t>(column_.max_definition_level)));
  }
  const uint8_t* values = body + rep_len + def_len;
  size_t values_size = size - rep_len - def_len;
  size_t data_size = values_size;
  const uint8_t* data = values;
  if (d.is_compressed && codec_ != CompressionCodec::kUncompressed) {
    int64_t uncompressed = int64_t{h.uncompressed_page_size} - static_cast<int64_t>(rep_len + def_len);
    data = page_data(values, values_size, uncompressed, page_buffer_, &data_size);
  }
  start_values(d.encoding, data, data_size, static_cast<size_t>(d.num_values - d.num_nulls));
  page_left_ = d.num_values;
}

void ColumnChunkReader::start_values(Encoding encoding, const uint8_t* data, size_t size, size_t num_values) {
  values_.reset();
  if (encoding == Encoding::kPlainDictionary || encoding == Encoding::kRleDictionary) {
    if (!dictionary_ && !dictionary_raw_) corrupt("a dictionary-encoded data page but no dictionary page");
    if (size < 1) corrupt("a dictionary-encoded data page without its bit width");
    int bw = data[0];
    if (bw > 32) corrupt("dictionary index bit width " + std::to_string(bw) + " exceeds 32");
    index_decoder_ = RleBitPackedDecoder(data + 1, size - 1, bw);
    dictionary_encoded_ = true;
    return;
  }
  dictionary_encoded_ = false;
  values_ = make_values_decoder(encoding, column_.physical, column_.type_length, data, size, num_values);
}

void ColumnChunkReader::read_levels(uint8_t* out, size_t n) {
  if (legacy_levels_) {
    if (n > legacy_level_values_.size() - legacy_level_pos_) corrupt("definition levels end early");
    std::memcpy(out, legacy_level_values_.data() + legacy_level_pos_, n);
    legacy_level_pos_ += n;
    return;
  }
  if (def_decoder_.get_batch(out, n) != n) {
    corrupt("the definition levels end before the page's " + std::to_string(n) + " values");
  }
}

void ColumnChunkReader::read_indices(size_t m) {
  indices_.resize(m);
  if (index_decoder_.get_batch(indices_.data(), m) != m) corrupt("the dictionary indices end early");
  auto dict_size = static_cast<uint32_t>(dictionary_size_);
  uint32_t max = 0;
  for (size_t i = 0; i < m; ++i) max = std::max(max, indices_[i]);
  if (m > 0 && max >= dict_size) {
    corrupt("dictionary index " + std::to_string(max) + " is out of range for a dictionary of " +
            std::to_string(dict_size) + " values");
  }
}

void ColumnChunkReader::decode_dense_fixed(ValuesDecoder& decoder, Vector& out, size_t row, size_t m) {
  if (m == 0) return;
  if (is_binary_physical(column_.physical)) {
    views_.resize(m);
    decoder.decode_binary(views_.data(), m);
    convert_binary_to_fixed(column_.conversion, views_.data(), m, out, row);
  } else if (is_identity_conversion(column_.conversion)) {
    auto w = static_cast<size_t>(column_.type.fixed_width());
    decoder.decode_fixed(out.values<uint8_t>() + row * w, m);
  } else {
    physical_.resize(m * static_cast<size_t>(fixed_width(column_.physical)));
    decoder.decode_fixed(physical_.data(), m);
    convert_fixed(column_.conversion, physical_.data(), m, out, row);
  }
}

void ColumnChunkReader::decode_dense_fixed_from_dictionary(Vector& out, size_t row, size_t m) {
  ensure_dictionary();
  read_indices(m);
  gather_fixed(*dictionary_, indices_.data(), m, out, row);
}

void ColumnChunkReader::append_strings(Vector& out, size_t row, size_t k, size_t m, const uint8_t* levels) {
  const auto max_level = static_cast<uint8_t>(column_.max_definition_level);
  StringAppender app(out, row);
  if (dictionary_encoded_) {
    read_indices(m);
    const int32_t* doff = dictionary_->offsets();
    const auto* dchars = reinterpret_cast<const uint8_t*>(dictionary_->chars());
    size_t bytes = 0;
    for (size_t i = 0; i < m; ++i) bytes += static_cast<size_t>(doff[indices_[i] + 1] - doff[indices_[i]]);
    app.reserve(bytes);
    size_t j = 0;
    for (size_t i = 0; i < k; ++i) {
      if (levels == nullptr || levels[i] == max_level) {
        uint32_t x = indices_[j++];
        app.append(dchars + doff[x], static_cast<size_t>(doff[x + 1] - doff[x]));
      } else {
        app.append_null();
      }
    }
  } else {
    views_.resize(m);
    if (m > 0) values_->decode_binary(views_.data(), m);
    size_t bytes = 0;
    for (size_t i = 0; i < m; ++i) bytes += string_bytes(column_.conversion, views_[i]);
    app.reserve(bytes);
    bool uuid = column_.conversion == ValueConversion::kUuidToString;
    size_t j = 0;
    for (size_t i = 0; i < k; ++i) {
      if (levels == nullptr || levels[i] == max_level) {
        const ByteArrayView& v = views_[j++];
        if (uuid) app.append_uuid(v.data);
        else app.append(v.data, v.size);
      } else {
        app.append_null();
      }
    }
  }
  app.finish();
  if (levels != nullptr && m < k) {
    uint8_t* validity = out.mutable_validity();
    for (size_t i = 0; i < k; ++i) {
      if (levels[i] != max_level) clear_bit(validity, row + i);
    }
  }
}

void ColumnChunkReader::read_run(Vector& out, size_t row, size_t k) {
  const uint8_t* levels = nullptr;
  size_t m = k;
  if (column_.max_definition_level > 0) {
    if (levels_.size() < k) levels_.resize(k);
    read_levels(levels_.data(), k);
    levels = levels_.data();
    const auto max_level = static_cast<uint8_t>(column_.max_definition_level);
    m = 0;
    for (size_t i = 0; i < k; ++i) m += levels[i] == max_level;
  }
  if (produces_strings(column_.conversion)) {
    append_strings(out, row, k, m, levels);
    return;
  }
  if (dictionary_encoded_) decode_dense_fixed_from_dictionary(out, row, m);
  else decode_dense_fixed(*values_, out, row, m);
  if (m < k) {
    uint8_t* validity = out.mutable_validity();
    auto max_level = static_cast<uint8_t>(column_.max_definition_level);
    switch (column_.type.fixed_width()) {
      case 1: spread(out.values<uint8_t>() + row, levels, k, m, max_level, validity, row); break;
      case 2: spread(out.values<uint16_t>() + row, levels, k, m, max_level, validity, row); break;
      case 4: spread(out.values<uint32_t>() + row, levels, k, m, max_level, validity, row); break;
      case 8: spread(out.values<uint64_t>() + row, levels, k, m, max_level, validity, row); break;
      case 16: spread(out.values<int128_t>() + row, levels, k, m, max_level, validity, row); break;
      default: throw_error(ErrorKind::kInternal, "null spreading for an unexpected type width");
    }
  }
}

void ColumnChunkReader::skip_run(size_t k) {
  size_t m = k;
  if (column_.max_definition_level > 0) {
    if (levels_.size() < k) levels_.resize(k);
    read_levels(levels_.data(), k);
    const auto max_level = static_cast<uint8_t>(column_.max_definition_level);
    m = 0;
    for (size_t i = 0; i < k; ++i) m += levels_[i] == max_level;
  }
  if (m == 0) return;
  if (dictionary_encoded_) {
    // Skipped indices are never looked up, so they need neither unpacking nor a range check.
    if (index_decoder_.skip(m) != m) corrupt("the dictionary indices end early");
  } else if (is_binary_physical(column_.physical)) {
    views_.resize(m);
    values_->decode_binary(views_.data(), m);
  } else if (!values_->skip_fixed(m)) {
    physical_.resize(m * static_cast<size_t>(fixed_width(column_.physical)));
    values_->decode_fixed(physical_.data(), m);
  }
}

void ColumnChunkReader::read_selected_run(Vector& out, size_t at, size_t k, const uint32_t* sel, size_t count,
                                          uint32_t base) {
  const auto max_level = static_cast<uint8_t>(column_.max_definition_level);
  size_t m = k;
  if (column_.max_definition_level > 0) {
    if (levels_.size() < k) levels_.resize(k);
    read_levels(levels_.data(), k);
    m = 0;
    for (size_t i = 0; i < k; ++i) m += levels_[i] == max_level;
  }
  values_skipped_ += static_cast<int64_t>(k - count);
  if (m == k && dictionary_encoded_) {
    // Row i holds value i. Sparse: read the selected rows' indices alone; dense: unpack the run's
    // indices and gather the selected rows' values from them.
    const bool sparse = count * kSparseIndexRatio < k;
    const size_t have = sparse ? count : k;
    indices_.resize(have);
    if (sparse) {
      run_sel_.resize(count);
      for (size_t i = 0; i < count; ++i) run_sel_[i] = sel[i] - base;
      if (index_decoder_.get_selected(run_sel_.data(), count, k, indices_.data()) != k)
        corrupt("the dictionary indices end early");
    } else if (index_decoder_.get_batch(indices_.data(), k) != k) {
      corrupt("the dictionary indices end early");
    }
    const auto dict_size = static_cast<uint32_t>(dictionary_size_);
    uint32_t max = 0;
    for (size_t i = 0; i < have; ++i) max = std::max(max, indices_[i]);
    if (max >= dict_size) {
      corrupt("dictionary index " + std::to_string(max) + " is out of range for a dictionary of " +
              std::to_string(dict_size) + " values");
    }
    if (sparse && !dictionary_) {
      // The picked values straight from the PLAIN dictionary bytes, converted alone.
      const auto width = static_cast<size_t>(fixed_width(column_.physical));
      physical_.resize(count * width);
      for (size_t i = 0; i < count; ++i)
        std::memcpy(physical_.data() + i * width, dictionary_raw_ + indices_[i] * width, width);
      convert_fixed(column_.conversion, physical_.data(), count, out, at);
      return;
    }
    ensure_dictionary();
    if (sparse) gather_fixed(*dictionary_, indices_.data(), count, out, at);
    else gather_fixed_picked(*dictionary_, indices_.data(), sel, base, count, out, at);
    return;
  }
  // Decode the run's values densely, then pick the selected rows' values; with nulls, row i's
  // value is the number of defined rows before it.
  auto dense = Vector::make(column_.type, m);
  if (dictionary_encoded_) decode_dense_fixed_from_dictionary(*dense, 0, m);
  else decode_dense_fixed(*values_, *dense, 0, m);
  if (m == k) {
    // The run's values are their own "dictionary", indexed by row: idx[r] = r.
    identity_.resize(k);
    for (size_t i = 0; i < k; ++i) identity_[i] = static_cast<uint32_t>(i);
    gather_fixed_picked(*dense, identity_.data(), sel, base, count, out, at);
    return;
  }
  local_sel_.resize(count);
  uint32_t rank = 0;
  size_t t = 0;
  bool any_null = false;
  for (size_t i = 0; i < k && t < count; ++i) {
    const bool defined = levels_[i] == max_level;
    if (sel[t] - base == i) {
      local_sel_[t] = defined ? rank : 0;
      any_null |= !defined;
      ++t;
    }
    rank += defined ? 1 : 0;
  }
  if (m > 0) gather_fixed(*dense, local_sel_.data(), count, out, at);
  if (!any_null && m > 0) return;
  uint8_t* validity = out.mutable_validity();
  const auto width = static_cast<size_t>(column_.type.fixed_width());
  for (size_t i = 0; i < count; ++i) {
    if (levels_[sel[i] - base] == max_level) continue;
    clear_bit(validity, at + i);
    std::memset(out.values<uint8_t>() + (at + i) * width, 0, width);
  }
}

VectorPtr ColumnReader::read_selected(size_t n, const uint32_t* sel, size_t count) {
  VectorPtr all = read(n);
  values_skipped_ += static_cast<int64_t>(n - count);
  return count == n ? all : gather(*all, sel, count);
}

VectorPtr ColumnChunkReader::read_selected(size_t n, const uint32_t* sel, size_t count) {
  EMBER_CHECK(static_cast<int64_t>(n) <= rows_left(), "read past the end of a column chunk");
  if (count == n) return read(n);
  const int width = column_.type.fixed_width();
  if (column_.conversion == ValueConversion::kAllNull || produces_strings(column_.conversion) ||
      column_.max_repetition_level > 0 || width == 0) {
    if (count > 0) return ColumnReader::read_selected(n, sel, count);
    skip_unselected(n);
    return Vector::make(column_.type, 0);
  }
  try {
    if (!loaded_) load_chunk();
    auto out = Vector::make(column_.type, count);
    size_t row = 0;
    size_t t = 0;  // next selected row
    while (row < n) {
      if (page_left_ == 0) {
        // Whole pages before the next selected row are passed over undecoded.
        const size_t gap = (t < count ? sel[t] : n) - row;
        const auto passed = static_cast<size_t>(next_page(static_cast<int64_t>(gap)));
        row += passed;
        values_skipped_ += static_cast<int64_t>(passed);
        if (page_left_ == 0) continue;
      }
      const size_t k = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n - row), page_left_));
      // The selected rows in this run: sel[t..end).
      const size_t end =
          row + k >= n ? count
                       : static_cast<size_t>(
                             std::lower_bound(sel + t, sel + count, static_cast<uint32_t>(row + k)) - sel);
      if (end == t) {
        skip_run(k);
        values_skipped_ += static_cast<int64_t>(k);
      } else {
        read_selected_run(*out, t, k, sel + t, end - t, static_cast<uint32_t>(row));
      }
      t = end;
      page_left_ -= static_cast<int64_t>(k);
      row += k;
    }
    rows_read_ += static_cast<int64_t>(n);
    return out;
  } catch (const EmberError& e) {
    rethrow_with_context(e);
  }
}

void ColumnChunkReader::rethrow_with_context(const EmberError& e) const {
  if (e.kind() != ErrorKind::kMalformedInput && e.kind() != ErrorKind::kUnsupported) throw e;
  std::string where = "column '" + column_.name + "' (row group " + std::to_string(row_group_) +
                      ", column chunk at byte " + std::to_string(chunk_offset_) + ", page at chunk byte " +
                      std::to_string(page_offset_) + ")";
  if (e.kind() == ErrorKind::kUnsupported) {
    throw_error(ErrorKind::kUnsupported,
                "cannot read Parquet file " + file_->path() + ": " + where + ": " + e.what());
  }
  throw_error(ErrorKind::kMalformedInput,
              "Malformed Parquet file " + file_->path() + ": " + where + ": " + e.what());
}

void ColumnChunkReader::read_codes_run(int32_t* codes, BufferPtr& validity, size_t row, size_t k, size_t n) {
  const auto null_code = static_cast<int32_t>(dictionary_->size());
  size_t m = k;
  const uint8_t* levels = nullptr;
  const auto max_level = static_cast<uint8_t>(column_.max_definition_level);
  if (column_.max_definition_level > 0) {
    if (levels_.size() < k) levels_.resize(k);
    read_levels(levels_.data(), k);
    levels = levels_.data();
    m = 0;
    for (size_t i = 0; i < k; ++i) m += levels[i] == max_level;
  }
  read_indices(m);
  if (m == k) {
    for (size_t i = 0; i < k; ++i) codes[row + i] = static_cast<int32_t>(indices_[i]);
    return;
  }
  if (!validity) {
    validity = make_buffer(bitmap_bytes(n));
    std::memset(validity->data(), 0xff, validity->size());
  }
  size_t j = 0;
  for (size_t i = 0; i < k; ++i) {
    if (levels[i] == max_level) {
      codes[row + i] = static_cast<int32_t>(indices_[j++]);
    } else {
      codes[row + i] = null_code;
      clear_bit(validity->data(), row + i);
    }
  }
}

VectorPtr ColumnChunkReader::read_dictionary_codes(size_t n) {
  auto codes = make_buffer(n * sizeof(int32_t));
  auto* c = reinterpret_cast<int32_t*>(codes->data());
  BufferPtr validity;
  size_t row = 0;
  while (row < n) {
    if (page_left_ == 0) next_page(0);
    if (!dictionary_encoded_) break;
    size_t k = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n - row), page_left_));
    read_codes_run(c, validity, row, k, n);
    page_left_ -= static_cast<int64_t>(k);
    row += k;
  }
  if (!coded_dictionary_) coded_dictionary_ = concat({dictionary_, Vector::make_null(column_.type, 1)});
  auto coded = Vector::make_dictionary(coded_dictionary_, std::move(codes), std::move(validity), n);
  if (row == n) return coded;
  // A page without the dictionary: the rows so far become flat strings and the rest is read as
  // usual into the same vector.
  coded->truncate(row);
  VectorPtr head = decode_dictionary(coded);
  auto out = Vector::make(column_.type, n);
  for (size_t i = 0; i < row; ++i) {
    if (head->is_null(i)) out->set_null_string(i);
    else out->set_string(i, head->string_at(i));
  }
  while (row < n) {
    if (page_left_ == 0) next_page(0);
    size_t k = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n - row), page_left_));
    read_run(*out, row, k);
    page_left_ -= static_cast<int64_t>(k);
    row += k;
  }
  return out;
}

VectorPtr ColumnChunkReader::read(size_t n) {
  EMBER_CHECK(static_cast<int64_t>(n) <= rows_left(), "read past the end of a column chunk");
  if (column_.conversion == ValueConversion::kAllNull) {
    rows_read_ += static_cast<int64_t>(n);
    return Vector::make_null(column_.type, n);
  }
  try {
    if (!loaded_) load_chunk();
    if (dictionary_output_ && produces_strings(column_.conversion) && column_.max_repetition_level == 0) {
      if (page_left_ == 0 && n > 0) next_page(0);
      if (dictionary_encoded_) {
        VectorPtr out = read_dictionary_codes(n);
        rows_read_ += static_cast<int64_t>(n);
        return out;
      }
    }
    auto out = Vector::make(column_.type, n);
    size_t row = 0;
    while (row < n) {
      if (page_left_ == 0) next_page(0);
      size_t k = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n - row), page_left_));
      read_run(*out, row, k);
      page_left_ -= static_cast<int64_t>(k);
      row += k;
    }
    rows_read_ += static_cast<int64_t>(n);
    return out;
  } catch (const EmberError& e) {
    rethrow_with_context(e);
  }
}

LeafEntries ColumnChunkReader::read_all_entries() {
  LeafEntries out;
  try {
    if (num_values_ < num_rows_ || num_values_ > INT32_MAX) {
      corrupt("the chunk holds " + std::to_string(num_values_) + " level entries for " + std::to_string(num_rows_) +
              " rows");
    }
    const auto n = static_cast<size_t>(num_values_);
    const auto max_def = static_cast<uint8_t>(column_.max_definition_level);
    if (column_.conversion == ValueConversion::kAllNull) {
      out.rep.assign(n, 0);
      out.def.assign(n, max_def);
      out.values = Vector::make_null(column_.type, n);
      return out;
    }
    if (!loaded_) load_chunk();
    // Grown slice by slice as the pages decode (levels compress so well that the chunk's size says
    // nothing about the entry count): a corrupt count fails at the first level that is missing
    // rather than by allocating for entries that never come.
    out.values = Vector::make(column_.type, 0);
    // Reserve what the footer promises, within reason, so growth does not copy the streams.
    const size_t expect = std::min<size_t>(n, size_t{1} << 24);
    out.rep.reserve(expect);
    out.def.reserve(expect);
    size_t e = 0;
    while (e < n) {
      if (page_left_ == 0) next_page(0);
      const size_t k = std::min<size_t>({n - e, static_cast<size_t>(page_left_), kSliceEntries});
      out.rep.resize(e + k, 0);
      out.def.resize(e + k, max_def);
      out.values->append_rows(k);
      if (column_.max_repetition_level > 0 && rep_decoder_.get_batch(out.rep.data() + e, k) != k) {
        corrupt("the repetition levels end before the page's values");
      }
      read_run(*out.values, e, k);
      if (column_.max_definition_level > 0) std::memcpy(out.def.data() + e, levels_.data(), k);
      page_left_ -= static_cast<int64_t>(k);
      e += k;
    }
    const auto max_rep = static_cast<uint8_t>(column_.max_repetition_level);
    for (size_t i = 0; i < n; ++i) {
      if (out.rep[i] > max_rep || out.def[i] > max_def) corrupt("a level exceeds the column's maximum");
    }
    if (n > 0 && out.rep[0] != 0) corrupt("the first repetition level is not 0");
    rows_read_ = num_rows_;
    return out;
  } catch (const EmberError& e) {
    rethrow_with_context(e);
  }
}

void ColumnChunkReader::skip(size_t n) {
  EMBER_CHECK(static_cast<int64_t>(n) <= rows_left(), "skip past the end of a column chunk");
  if (column_.conversion == ValueConversion::kAllNull || n == 0) {
    rows_read_ += static_cast<int64_t>(n);
    return;
  }
  try {
    if (!loaded_) load_chunk();
    auto left = static_cast<int64_t>(n);
    while (left > 0) {
      if (page_left_ == 0) {
        left -= next_page(left);
        if (left == 0) break;
      }
      int64_t k = std::min(left, page_left_);
      skip_run(static_cast<size_t>(k));
      page_left_ -= k;
      left -= k;
    }
    rows_read_ += static_cast<int64_t>(n);
  } catch (const EmberError& e) {
    rethrow_with_context(e);
  }
}

}  // namespace ember::parquet
