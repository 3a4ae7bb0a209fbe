#pragma once
// Shreds a nested column (array, map, struct vectors in Arrow layout) into its Parquet leaves'
// level streams (Dremel): for every leaf, one (repetition, definition) level pair per entry and
// the rows of the leaf's source vector that hold the entries' values. The inverse of
// NestedColumnReader's assembly, over the same NestedNode shape (map_parquet_schema of the
// written schema).
#include <cstdint>
#include <vector>

#include "ember/io/parquet/parquet_schema.h"
#include "ember/vector/vector.h"

namespace ember::parquet {

struct ShreddedLeaf {
  std::vector<uint8_t> rep;
  std::vector<uint8_t> def;
  std::vector<uint32_t> rows;      // rows of *source holding the values of the fully defined entries
  const Vector* source = nullptr;  // the vector the leaf's values come from (null when none did)
  void clear() {
    rep.clear();
    def.clear();
    rows.clear();
    source = nullptr;
  }
};

// Shreds rows [offset, offset + count) of `v` (flat, of column.root's type) into out (one per
// leaf, cleared first). Throws kIllegalArgument naming `name` when a null meets a required node.
void shred(const NestedColumn& column, const Vector& v, size_t offset, size_t count, const std::string& name,
           std::vector<ShreddedLeaf>& out);

}  // namespace ember::parquet
