#pragma once
// Window specifications and window functions, as PySpark's pyspark.sql.Window and the window
// functions of pyspark.sql.functions:
//
//   auto w = Window::partition_by("region").order_by(col("day"));
//   df.with_column("running", sum("amount").over(w.rows_between(Window::unbounded_preceding,
//   Window::current_row)))
//     .with_column("rank", rank().over(w));
#include <cstdint>
#include <string>
#include <vector>

#include "ember/api/column.h"

namespace ember {

class WindowSpec {
 public:
  WindowSpec() = default;
  WindowSpec partition_by(const std::vector<ColumnOrName>& cols) const;
  template <class... Cs>
  WindowSpec partition_by(const ColumnOrName& first, const Cs&... more) const {
    return partition_by(std::vector<ColumnOrName>{first, ColumnOrName(more)...});
  }
  WindowSpec order_by(const std::vector<ColumnOrName>& cols) const;
  template <class... Cs>
  WindowSpec order_by(const ColumnOrName& first, const Cs&... more) const {
    return order_by(std::vector<ColumnOrName>{first, ColumnOrName(more)...});
  }
  // Frame bounds are row offsets (rows_between) or order-key offsets (range_between) relative to
  // the current row; use Window::unbounded_preceding / unbounded_following / current_row.
  WindowSpec rows_between(int64_t start, int64_t end) const;
  WindowSpec range_between(int64_t start, int64_t end) const;

  const std::vector<ExprPtr>& partition_exprs() const { return partition_; }
  const std::vector<ExprPtr>& order_exprs() const { return order_; }
  FrameType frame_type() const { return frame_type_; }
  int64_t frame_start() const { return start_; }
  int64_t frame_end() const { return end_; }

 private:
  WindowSpec with_frame(FrameType type, int64_t start, int64_t end) const;
  std::vector<ExprPtr> partition_;
  std::vector<ExprPtr> order_;
  FrameType frame_type_ = FrameType::kDefault;
  int64_t start_ = kUnboundedPreceding;
  int64_t end_ = kCurrentRow;
};

// Entry points, as PySpark's Window class.
struct Window {
  static constexpr int64_t unbounded_preceding = kUnboundedPreceding;
  static constexpr int64_t unbounded_following = kUnboundedFollowing;
  static constexpr int64_t current_row = kCurrentRow;
  template <class... Cs>
  static WindowSpec partition_by(const Cs&... cols) {
    return WindowSpec().partition_by(cols...);
  }
  template <class... Cs>
  static WindowSpec order_by(const Cs&... cols) {
    return WindowSpec().order_by(cols...);
  }
  static WindowSpec rows_between(int64_t start, int64_t end) { return WindowSpec().rows_between(start, end); }
  static WindowSpec range_between(int64_t start, int64_t end) {
    return WindowSpec().range_between(start, end);
  }
};

namespace functions {
Column row_number();
Column rank();
Column dense_rank();
Column percent_rank();
Column cume_dist();
Column ntile(int n);
// lag/lead(col, offset = 1, default = null): the value `offset` rows before/after in the window.
Column lag(const ColumnOrName& c, int offset = 1);
Column lag(const ColumnOrName& c, int offset, const Column& default_value);
Column lead(const ColumnOrName& c, int offset = 1);
Column lead(const ColumnOrName& c, int offset, const Column& default_value);
Column first_value(const ColumnOrName& c, bool ignore_nulls = false);
Column last_value(const ColumnOrName& c, bool ignore_nulls = false);
Column nth_value(const ColumnOrName& c, int n, bool ignore_nulls = false);
}  // namespace functions

}  // namespace ember
