#include "ember/exec/operators/generate_operator.h"

#include <algorithm>

namespace ember {

GenerateOperator::GenerateOperator(OperatorPtr child, GenerateSpec spec, const EvalContext& ctx)
    : UnaryOperator(spec.with_position ? "PosExplode" : "Explode", std::move(child)),
      spec_(std::move(spec)),
      evaluator_(ctx) {}

bool GenerateOperator::produce(Batch& out) {
  for (;;) {
    if (!have_input_) {
      if (!child_->next(input_)) return false;
      arrays_ = flatten(evaluator_.eval(*spec_.array, input_));
      next_row_ = 0;
      next_element_ = 0;
      have_input_ = true;
    }
    // Collect up to kBatchSize output rows: (input row, element row in the child or -1 for the
    // null row of an outer generator, position).
    SelectionVector rows;
    std::vector<int64_t> elements;
    std::vector<int32_t> positions;
    while (next_row_ < input_.num_rows && rows.size() < kBatchSize) {
      const size_t r = next_row_;
      const bool null_array = arrays_->is_null(r);
      const size_t n = null_array ? 0 : arrays_->array_size(r);
      if (n == 0) {
        if (spec_.outer) {
          rows.push_back(static_cast<uint32_t>(r));
          elements.push_back(-1);
          positions.push_back(-1);
        }
        ++next_row_;
        continue;
      }
      const size_t base = arrays_->array_offset(r);
      const size_t take = std::min(n - next_element_, kBatchSize - rows.size());
      for (size_t e = next_element_; e < next_element_ + take; ++e) {
        rows.push_back(static_cast<uint32_t>(r));
        elements.push_back(static_cast<int64_t>(base + e));
        positions.push_back(static_cast<int32_t>(e));
      }
      next_element_ += take;
      if (next_element_ == n) {
        ++next_row_;
        next_element_ = 0;
      }
    }
    if (next_row_ >= input_.num_rows) have_input_ = false;
    if (rows.empty()) continue;

    out = input_.select(rows.data(), rows.size());
    const VectorPtr& child = arrays_->child();
    const DataType& element_type = arrays_->type().element_type();
    // The element column: a gather of the child rows, null where an outer row has no element.
    SelectionVector picks;
    bool any_missing = false;
    for (int64_t e : elements) {
      any_missing |= e < 0;
      picks.push_back(static_cast<uint32_t>(e < 0 ? 0 : e));
    }
    auto pick = [&](const VectorPtr& from, const DataType& type) {
      if (from->size() == 0) return Vector::make_null(type, rows.size());
      VectorPtr v = gather(*from, picks.data(), picks.size());
      if (any_missing) {
        for (size_t i = 0; i < elements.size(); ++i) {
          if (elements[i] < 0) v->set_null(i);
        }
      }
      return v;
    };
    // A map's entries become two columns, key and value; an array's elements one.
    const bool is_map = arrays_->type().id() == TypeId::kMap;
    VectorPtr keys = is_map ? pick(arrays_->map_keys(), arrays_->type().key_type()) : nullptr;
    VectorPtr values =
        is_map ? pick(arrays_->map_values(), arrays_->type().value_type()) : pick(child, element_type);
    if (spec_.with_position) {
      auto pos = Vector::make(DataType::int32(), rows.size());
      int32_t* p = pos->values<int32_t>();
      for (size_t i = 0; i < positions.size(); ++i) {
        p[i] = positions[i] < 0 ? 0 : positions[i];
        if (positions[i] < 0) pos->set_null(i);
      }
      out.columns.push_back(std::move(pos));
    }
    if (keys) out.columns.push_back(std::move(keys));
    out.columns.push_back(std::move(values));
    return true;
  }
}

}  // namespace ember
