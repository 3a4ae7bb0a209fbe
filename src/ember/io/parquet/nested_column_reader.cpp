#include "ember/io/parquet/nested_column_reader.h"

#include "ember/common/error.h"

namespace ember::parquet {

namespace {

// Builds a node's vector from the leaves' level entries.
class Assembler {
 public:
  explicit Assembler(const std::vector<LeafEntries>& leaves) : leaves_(leaves) {}

  // The entries of `node`'s first leaf that are its slots.
  std::vector<uint32_t> slots(const NestedNode& node) const {
    const LeafEntries& l = leaves_[static_cast<size_t>(node.first_leaf)];
    std::vector<uint32_t> out;
    const auto rep_limit = static_cast<uint8_t>(node.rep_limit);
    const auto def_slot = static_cast<uint8_t>(node.def_slot);
    for (size_t e = 0; e < l.rep.size(); ++e) {
      if (l.rep[e] <= rep_limit && l.def[e] >= def_slot) out.push_back(static_cast<uint32_t>(e));
    }
    return out;
  }

  VectorPtr build(const NestedNode& node) const {
    const std::vector<uint32_t> at = slots(node);
    const LeafEntries& l = leaves_[static_cast<size_t>(node.first_leaf)];
    const size_t n = at.size();
    VectorPtr out;
    switch (node.kind) {
      case NestedNode::Kind::kLeaf:
        // Value slots hold a value exactly where def reaches the leaf's maximum; others are null.
        // Slots are a subset of the entries in order, so as many slots as entries means all of
        // them (no empty or null list above): the values are the leaf's vector itself.
        if (n == l.values->size()) return l.values;
        return gather(*l.values, at.data(), n);
      case NestedNode::Kind::kStruct: {
        std::vector<VectorPtr> fields;
        for (const NestedNode& f : node.children) {
          fields.push_back(build(f));
          if (fields.back()->size() != n)
            malformed("the leaves of a struct disagree on its number of values");
        }
        out = Vector::make_struct(node.type, n, std::move(fields));
        break;
      }
      case NestedNode::Kind::kList:
      case NestedNode::Kind::kMap: {
        // Elements (entries) are the child slots between this node's slots, in the same leaf.
        const NestedNode& first = node.children[0];
        const std::vector<uint32_t> inner = slots(first);
        out = Vector::make(node.type, n);
        int32_t* off = out->mutable_offsets();
        size_t k = 0;
        for (size_t i = 0; i < n; ++i) {
          off[i] = static_cast<int32_t>(k);
          const uint32_t end = i + 1 < n ? at[i + 1] : static_cast<uint32_t>(l.rep.size());
          while (k < inner.size() && inner[k] < end) ++k;
        }
        off[n] = static_cast<int32_t>(k);
        if (k != inner.size()) malformed("list elements outside any list");
        if (node.kind == NestedNode::Kind::kList) {
          out->set_child(build(first));
        } else {
          VectorPtr keys = build(node.children[0]);
          VectorPtr values = build(node.children[1]);
          if (keys->size() != k || values->size() != k)
            malformed("a map's keys and values disagree in number");
          if (keys->count_nulls() > 0) malformed("a map key is null");
          out->set_child(
              Vector::make_struct(node.type.element_type(), k, {std::move(keys), std::move(values)}));
        }
        break;
      }
    }
    // Nulls: a slot whose definition level stops short of the node's own.
    const auto def_present = static_cast<uint8_t>(node.def_present);
    for (size_t i = 0; i < n; ++i) {
      if (l.def[at[i]] < def_present) out->set_null(i);
    }
    return out;
  }

 private:
  [[noreturn]] static void malformed(const std::string& what) {
    throw_error(ErrorKind::kMalformedInput, what);
  }
  const std::vector<LeafEntries>& leaves_;
};

}  // namespace

NestedColumnReader::NestedColumnReader(std::shared_ptr<const NestedColumn> column,
                                       std::vector<std::unique_ptr<ColumnChunkReader>> leaves,
                                       int64_t num_rows, std::string file, int row_group)
    : column_(std::move(column)),
      leaf_readers_(std::move(leaves)),
      num_rows_(num_rows),
      file_(std::move(file)),
      row_group_(row_group) {}

void NestedColumnReader::assemble() {
  std::vector<LeafEntries> entries;
  entries.reserve(leaf_readers_.size());
  for (auto& r : leaf_readers_) entries.push_back(r->read_all_entries());
  try {
    assembled_ = Assembler(entries).build(column_->root);
    if (static_cast<int64_t>(assembled_->size()) != num_rows_) {
      throw_error(ErrorKind::kMalformedInput, "the levels describe " + std::to_string(assembled_->size()) +
                                                  " rows but the row group has " + std::to_string(num_rows_));
    }
  } catch (const EmberError& e) {
    if (e.kind() != ErrorKind::kMalformedInput) throw;
    throw_error(ErrorKind::kMalformedInput, "Malformed Parquet file " + file_ + ": nested column '" +
                                                column_->root.type.simple_string() + "' (row group " +
                                                std::to_string(row_group_) + "): " + e.what());
  }
  leaf_readers_.clear();
}

VectorPtr NestedColumnReader::read(size_t n) {
  if (!assembled_) assemble();
  EMBER_CHECK(position_ + n <= assembled_->size(), "read past the end of a nested column");
  std::vector<uint32_t> sel(n);
  for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(position_ + i);
  position_ += n;
  if (position_ == n && n == assembled_->size()) return assembled_;
  return gather(*assembled_, sel.data(), n);
}

}  // namespace ember::parquet
