#include "ember/api/window.h"

#include "ember/common/error.h"

namespace ember {

Column Column::over(const WindowSpec& window) const {
  return Column(make_window(expr(), window.partition_exprs(), window.order_exprs(), window.frame_type(),
                            window.frame_start(), window.frame_end()));
}

WindowSpec WindowSpec::partition_by(const std::vector<ColumnOrName>& cols) const {
  WindowSpec w = *this;
  w.partition_.clear();
  for (const auto& c : cols) w.partition_.push_back(c.expr());
  return w;
}

WindowSpec WindowSpec::order_by(const std::vector<ColumnOrName>& cols) const {
  WindowSpec w = *this;
  w.order_.clear();
  for (const auto& c : cols) w.order_.push_back(c.expr());
  return w;
}

WindowSpec WindowSpec::with_frame(FrameType type, int64_t start, int64_t end) const {
  WindowSpec w = *this;
  w.frame_type_ = type;
  w.start_ = start;
  w.end_ = end;
  return w;
}

WindowSpec WindowSpec::rows_between(int64_t start, int64_t end) const {
  return with_frame(FrameType::kRows, start, end);
}

WindowSpec WindowSpec::range_between(int64_t start, int64_t end) const {
  return with_frame(FrameType::kRange, start, end);
}

namespace functions {

namespace {
Column window_call(const char* name, std::vector<ExprPtr> args, bool ignore_nulls = false) {
  auto e = std::make_shared<Expr>(*make_call(name, std::move(args)));
  e->ignore_nulls = ignore_nulls;
  return Column(ExprPtr(e));
}
}  // namespace

Column row_number() { return window_call("row_number", {}); }
Column rank() { return window_call("rank", {}); }
Column dense_rank() { return window_call("dense_rank", {}); }
Column percent_rank() { return window_call("percent_rank", {}); }
Column cume_dist() { return window_call("cume_dist", {}); }
Column ntile(int n) { return window_call("ntile", {make_literal(Value::int32(n))}); }
Column lag(const ColumnOrName& c, int offset) {
  return window_call("lag", {c.expr(), make_literal(Value::int32(offset))});
}
Column lag(const ColumnOrName& c, int offset, const Column& default_value) {
  return window_call("lag", {c.expr(), make_literal(Value::int32(offset)), default_value.expr()});
}
Column lead(const ColumnOrName& c, int offset) {
  return window_call("lead", {c.expr(), make_literal(Value::int32(offset))});
}
Column lead(const ColumnOrName& c, int offset, const Column& default_value) {
  return window_call("lead", {c.expr(), make_literal(Value::int32(offset)), default_value.expr()});
}
Column first_value(const ColumnOrName& c, bool ignore_nulls) {
  return window_call("first_value", {c.expr()}, ignore_nulls);
}
Column last_value(const ColumnOrName& c, bool ignore_nulls) {
  return window_call("last_value", {c.expr()}, ignore_nulls);
}
Column nth_value(const ColumnOrName& c, int n, bool ignore_nulls) {
  return window_call("nth_value", {c.expr(), make_literal(Value::int32(n))}, ignore_nulls);
}

}  // namespace functions

}  // namespace ember
