#include "ember/io/parquet/nested_shredder.h"

#include "ember/common/error.h"

namespace ember::parquet {

namespace {

class Shredder {
 public:
  Shredder(std::vector<ShreddedLeaf>& out, const std::string& name) : out_(out), name_(name) {}

  void emit(const NestedNode& node, const Vector& v, size_t i, uint8_t rep) {
    if (v.is_null(i)) {
      if (!node.nullable) {
        throw_error(ErrorKind::kIllegalArgument,
                    "cannot write a null into a non-nullable part of the Parquet column '" + name_ + "'");
      }
      absent(node, rep, static_cast<uint8_t>(node.def_present - 1));
      return;
    }
    switch (node.kind) {
      case NestedNode::Kind::kLeaf: {
        ShreddedLeaf& l = out_[static_cast<size_t>(node.leaf)];
        l.rep.push_back(rep);
        l.def.push_back(static_cast<uint8_t>(node.def_present));
        l.rows.push_back(static_cast<uint32_t>(i));
        l.source = &v;
        return;
      }
      case NestedNode::Kind::kStruct:
        for (size_t f = 0; f < node.children.size(); ++f) emit(node.children[f], *v.field(f), i, rep);
        return;
      case NestedNode::Kind::kList:
      case NestedNode::Kind::kMap: {
        const size_t m = v.array_size(i);
        if (m == 0) {  // present but empty: the entry stops at the list's own level
          absent(node, rep, static_cast<uint8_t>(node.def_present));
          return;
        }
        const size_t begin = v.array_offset(i);
        const auto inner = static_cast<uint8_t>(node.children[0].rep_limit);
        for (size_t k = 0; k < m; ++k) {
          const uint8_t r = k == 0 ? rep : inner;
          if (node.kind == NestedNode::Kind::kList) {
            emit(node.children[0], *v.child(), begin + k, r);
          } else {
            emit(node.children[0], *v.map_keys(), begin + k, r);
            emit(node.children[1], *v.map_values(), begin + k, r);
          }
        }
        return;
      }
    }
  }

 private:
  // One entry without a value for every leaf below `node`.
  void absent(const NestedNode& node, uint8_t rep, uint8_t def) {
    if (node.kind == NestedNode::Kind::kLeaf) {
      ShreddedLeaf& l = out_[static_cast<size_t>(node.leaf)];
      l.rep.push_back(rep);
      l.def.push_back(def);
      return;
    }
    for (const NestedNode& c : node.children) absent(c, rep, def);
  }

  std::vector<ShreddedLeaf>& out_;
  const std::string& name_;
};

}  // namespace

void shred(const NestedColumn& column, const Vector& v, size_t offset, size_t count, const std::string& name,
           std::vector<ShreddedLeaf>& out) {
  out.resize(column.leaves.size());
  for (ShreddedLeaf& l : out) l.clear();
  Shredder s(out, name);
  for (size_t i = offset; i < offset + count; ++i) s.emit(column.root, v, i, 0);
}

}  // namespace ember::parquet
