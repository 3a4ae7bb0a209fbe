#include "ember/exec/operators/window_operator.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <numeric>
#include <string>

#include "ember/common/error.h"
#include "ember/exec/window/frame_aggregator.h"
#include "ember/exec/window/window_frames.h"

namespace ember {

namespace {

constexpr uint32_t kNoRow = std::numeric_limits<uint32_t>::max();

const char* function_name(const WindowFunctionSpec& f) {
  switch (f.kind) {
    case WindowFunctionKind::kRowNumber: return "row_number";
    case WindowFunctionKind::kRank: return "rank";
    case WindowFunctionKind::kDenseRank: return "dense_rank";
    case WindowFunctionKind::kPercentRank: return "percent_rank";
    case WindowFunctionKind::kCumeDist: return "cume_dist";
    case WindowFunctionKind::kNtile: return "ntile";
    case WindowFunctionKind::kLag: return "lag";
    case WindowFunctionKind::kLead: return "lead";
    case WindowFunctionKind::kFirstValue: return "first_value";
    case WindowFunctionKind::kLastValue: return "last_value";
    case WindowFunctionKind::kNthValue: return "nth_value";
    case WindowFunctionKind::kAggregate: return "aggregate";
  }
  return "?";
}

bool uses_frame(WindowFunctionKind k) {
  return k == WindowFunctionKind::kFirstValue || k == WindowFunctionKind::kLastValue ||
         k == WindowFunctionKind::kNthValue || k == WindowFunctionKind::kAggregate;
}

bool frame_has_offsets(const WindowFrame& f) {
  return (f.lower != WindowFrame::kUnboundedPreceding && f.lower != WindowFrame::kCurrentRow) ||
         (f.upper != WindowFrame::kUnboundedFollowing && f.upper != WindowFrame::kCurrentRow);
}

const Expr& order_key_child(const ExprPtr& k) {
  return k->kind == ExprKind::kSortOrder ? *k->children[0] : *k;
}

// Rejects, before any input is read, a function the operator cannot run.
void validate(const WindowFunctionSpec& f, const std::vector<ExprPtr>& order_keys) {
  const std::string name = function_name(f);
  auto fail = [&](const std::string& error_class, const std::string& msg) {
    throw_error(ErrorKind::kAnalysis, error_class, msg + " (window function " + name + ")");
  };
  switch (f.kind) {
    case WindowFunctionKind::kNtile:
      if (f.offset <= 0)
        fail("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", "the number of buckets of ntile must be positive");
      break;
    case WindowFunctionKind::kNthValue:
      if (f.offset <= 0)
        fail("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", "the position of nth_value must be positive");
      [[fallthrough]];
    case WindowFunctionKind::kLag:
    case WindowFunctionKind::kLead:
    case WindowFunctionKind::kFirstValue:
    case WindowFunctionKind::kLastValue:
      EMBER_CHECK(!f.args.empty(), name + " needs its value argument");
      break;
    case WindowFunctionKind::kAggregate:
      EMBER_CHECK(f.aggregate != nullptr && f.aggregate->kernel != nullptr,
                  "a window aggregate must be bound");
      break;
    default: break;
  }
  if (!uses_frame(f.kind)) return;
  const WindowFrame& fr = f.frame;
  if (fr.lower == WindowFrame::kUnboundedFollowing || fr.upper == WindowFrame::kUnboundedPreceding ||
      fr.lower > fr.upper) {
    fail("DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON",
         "the window frame's lower bound is after its upper bound");
  }
  if (fr.type == WindowFrame::Type::kRange && frame_has_offsets(fr)) {
    if (order_keys.size() != 1) {
      fail("DATATYPE_MISMATCH.RANGE_FRAME_MULTI_ORDER",
           "a RANGE frame with offsets needs exactly one ORDER BY key, not " +
               std::to_string(order_keys.size()));
    }
    const DataType& t = order_key_child(order_keys[0]).type;
    if (!range_offsets_supported(t)) {
      fail("DATATYPE_MISMATCH.RANGE_FRAME_INVALID_TYPE",
           "a RANGE frame with offsets needs a numeric or date ORDER BY key, not " + t.simple_string());
    }
  }
}

// The type a function's column has: the spec's, checked against what the computation produces
// (an unset result_type, i.e. NullType, takes the computed one).
void check_result_type(const WindowFunctionSpec& f, const DataType& produced) {
  if (f.result_type.id() == TypeId::kNull) return;
  EMBER_CHECK(f.result_type == produced, std::string("window function ") + function_name(f) +
                                             " result type " + f.result_type.simple_string() +
                                             " does not match " + produced.simple_string());
}

// An integer column (int, or bigint when the planner asks for it) of value(i) for every row.
template <class Fn>
VectorPtr integer_column(const WindowFunctionSpec& f, size_t n, Fn value) {
  DataType type = f.result_type.id() == TypeId::kNull ? DataType::int32() : f.result_type;
  auto out = Vector::make(type, n);
  if (type.id() == TypeId::kLong) {
    int64_t* d = out->values<int64_t>();
    for (size_t i = 0; i < n; ++i) d[i] = value(i);
  } else {
    EMBER_CHECK(type.id() == TypeId::kInt,
                std::string(function_name(f)) + " must return int or bigint, not " + type.simple_string());
    int32_t* d = out->values<int32_t>();
    for (size_t i = 0; i < n; ++i) d[i] = static_cast<int32_t>(value(i));
  }
  return out;
}

template <class Fn>
VectorPtr double_column(const WindowFunctionSpec& f, size_t n, Fn value) {
  check_result_type(f, DataType::float64());
  auto out = Vector::make(DataType::float64(), n);
  double* d = out->values<double>();
  for (size_t i = 0; i < n; ++i) d[i] = value(i);
  return out;
}

VectorPtr ranking_column(const WindowFunctionSpec& f, const WindowRows& rows) {
  const size_t n = rows.num_rows;
  auto size = [&](size_t i) { return static_cast<int64_t>(rows.partition_end[i] - rows.partition_begin[i]); };
  auto rank = [&](size_t i) {
    return static_cast<int64_t>(rows.peer_begin[i] - rows.partition_begin[i]) + 1;
  };
  switch (f.kind) {
    case WindowFunctionKind::kRowNumber:
      return integer_column(f, n,
                            [&](size_t i) { return static_cast<int64_t>(i - rows.partition_begin[i]) + 1; });
    case WindowFunctionKind::kRank: return integer_column(f, n, rank);
    case WindowFunctionKind::kDenseRank: {
      int64_t dense = 0;
      // Rows are visited in order, so counting peer-group starts gives the dense rank.
      return integer_column(f, n, [&](size_t i) {
        if (i == rows.partition_begin[i]) dense = 0;
        if (i == rows.peer_begin[i]) ++dense;
        return dense;
      });
    }
    case WindowFunctionKind::kPercentRank:
      return double_column(f, n, [&](size_t i) {
        int64_t rows_in = size(i);
        return rows_in <= 1 ? 0.0 : static_cast<double>(rank(i) - 1) / static_cast<double>(rows_in - 1);
      });
    case WindowFunctionKind::kCumeDist:
      return double_column(f, n, [&](size_t i) {
        return static_cast<double>(rows.peer_end[i] - rows.partition_begin[i]) / static_cast<double>(size(i));
      });
    case WindowFunctionKind::kNtile: {
      const int64_t buckets = f.offset;
      return integer_column(f, n, [&](size_t i) {
        // The first rows % buckets buckets hold one row more than the others.
        const int64_t rows_in = size(i);
        const int64_t r = static_cast<int64_t>(i - rows.partition_begin[i]);
        const int64_t small = rows_in / buckets;
        const int64_t big_buckets = rows_in % buckets;
        const int64_t in_big = big_buckets * (small + 1);
        return r < in_big ? r / (small + 1) + 1 : big_buckets + (r - in_big) / small + 1;
      });
    }
    default: EMBER_CHECK(false, "not a ranking function");
  }
  return nullptr;
}

// Positions of the non-null rows of a vector, for the IGNORE NULLS forms: the k-th non-null row
// is position[k], and count_before[i] non-null rows precede row i.
struct NonNullRows {
  std::vector<uint32_t> count_before;  // num_rows + 1 entries
  std::vector<uint32_t> position;

  explicit NonNullRows(const Vector& v) {
    const size_t n = v.size();
    count_before.resize(n + 1);
    for (size_t i = 0; i < n; ++i) {
      count_before[i] = static_cast<uint32_t>(position.size());
      if (!v.is_null(i)) position.push_back(static_cast<uint32_t>(i));
    }
    count_before[n] = static_cast<uint32_t>(position.size());
  }
};

// Row i of the result is row src[i] of `values`; where src[i] is kNoRow, row i of `defaults`, or
// null when there are no defaults. One gather, whatever the type.
VectorPtr pick_rows(const VectorPtr& values, const std::vector<uint32_t>& src, const VectorPtr& defaults) {
  const size_t n = src.size();
  std::vector<uint32_t> sel(n);
  if (defaults == nullptr) {
    bool any_missing = false;
    for (size_t i = 0; i < n; ++i) {
      any_missing |= src[i] == kNoRow;
      sel[i] = src[i] == kNoRow ? 0 : src[i];
    }
    VectorPtr out = gather(*values, sel.data(), n);
    if (any_missing) {
      for (size_t i = 0; i < n; ++i) {
        if (src[i] == kNoRow) out->set_null(i);
      }
    }
    return out;
  }
  const auto base = static_cast<uint32_t>(values->size());
  for (size_t i = 0; i < n; ++i) sel[i] = src[i] == kNoRow ? base + static_cast<uint32_t>(i) : src[i];
  VectorPtr both = concat({values, defaults});
  return gather(*both, sel.data(), n);
}

}  // namespace

WindowOperatorSpec window_spec_from_exprs(const std::vector<ExprPtr>& window_exprs) {
  WindowOperatorSpec spec;
  std::string keys_text;
  for (size_t e = 0; e < window_exprs.size(); ++e) {
    const Expr* w = window_exprs[e].get();
    if (w->kind == ExprKind::kAlias) w = w->children[0].get();
    EMBER_CHECK(w->kind == ExprKind::kWindow,
                "a Window node computes window expressions only: " + w->to_string());
    const auto first_order = static_cast<size_t>(1 + w->window_partitions);
    EMBER_CHECK(first_order <= w->children.size(), "malformed window expression " + w->to_string());
    std::string text;
    for (size_t i = 1; i < w->children.size(); ++i)
      text += w->children[i]->to_string() + (i + 1 == first_order ? "|" : ",");
    if (e == 0) {
      keys_text = text;
      spec.partition_keys.assign(w->children.begin() + 1,
                                 w->children.begin() + static_cast<long>(first_order));
      spec.order_keys.assign(w->children.begin() + static_cast<long>(first_order), w->children.end());
    } else {
      EMBER_CHECK(text == keys_text,
                  "window expressions of one Window node must share PARTITION BY and ORDER BY");
    }
    const bool ordered = first_order < w->children.size();
    const Expr& fn = *w->children[0];
    WindowFunctionSpec f;
    f.result_type = fn.type;
    f.ignore_nulls = fn.ignore_nulls || w->ignore_nulls;
    switch (w->frame_type) {
      case FrameType::kRows: f.frame = {WindowFrame::Type::kRows, w->frame_lower, w->frame_upper}; break;
      case FrameType::kRange: f.frame = {WindowFrame::Type::kRange, w->frame_lower, w->frame_upper}; break;
      case FrameType::kDefault:
        // Spark's default: RANGE UNBOUNDED PRECEDING .. CURRENT ROW with an ORDER BY, else the
        // whole partition.
        f.frame = ordered ? WindowFrame{WindowFrame::Type::kRange, WindowFrame::kUnboundedPreceding,
                                        WindowFrame::kCurrentRow}
                          : WindowFrame{WindowFrame::Type::kRows, WindowFrame::kUnboundedPreceding,
                                        WindowFrame::kUnboundedFollowing};
        break;
    }
    f.args = fn.children;
    auto int_literal = [&](size_t i, const char* what) -> int64_t {
      const Expr* a = i < fn.children.size() ? fn.children[i].get() : nullptr;
      if (a == nullptr || a->kind != ExprKind::kLiteral || a->literal.is_null() ||
          !a->literal.type().is_integral()) {
        throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                    std::string(what) + " of " + fn.name + " must be an integer literal");
      }
      return a->literal.as_int64();
    };
    if (fn.kind == ExprKind::kAggregate) {
      EMBER_CHECK(fn.aggregate != nullptr, "unresolved aggregate in a window: " + fn.to_string());
      f.kind = WindowFunctionKind::kAggregate;
      f.aggregate = fn.aggregate;
    } else {
      std::string name = fn.name;
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name == "row_number") f.kind = WindowFunctionKind::kRowNumber;
      else if (name == "rank") f.kind = WindowFunctionKind::kRank;
      else if (name == "dense_rank") f.kind = WindowFunctionKind::kDenseRank;
      else if (name == "percent_rank") f.kind = WindowFunctionKind::kPercentRank;
      else if (name == "cume_dist") f.kind = WindowFunctionKind::kCumeDist;
      else if (name == "first_value") f.kind = WindowFunctionKind::kFirstValue;
      else if (name == "last_value") f.kind = WindowFunctionKind::kLastValue;
      else if (name == "ntile") {
        f.kind = WindowFunctionKind::kNtile;
        f.offset = int_literal(0, "the number of buckets");
      } else if (name == "lag" || name == "lead") {
        f.kind = name == "lag" ? WindowFunctionKind::kLag : WindowFunctionKind::kLead;
        f.offset = fn.children.size() >= 2 ? int_literal(1, "the offset") : 1;
      } else if (name == "nth_value") {
        f.kind = WindowFunctionKind::kNthValue;
        f.offset = int_literal(1, "the position");
      } else {
        throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_EXPR_FOR_WINDOW",
                    "Expression \"" + fn.pretty_name() + "\" is not supported as a window function");
      }
    }
    spec.functions.push_back(std::move(f));
  }
  return spec;
}

WindowOperator::WindowOperator(OperatorPtr child, WindowOperatorSpec spec, const EvalContext& ctx)
    : UnaryOperator("Window", std::move(child)), spec_(std::move(spec)), evaluator_(ctx) {
  for (const auto& f : spec_.functions) validate(f, spec_.order_keys);
}

bool WindowOperator::produce(Batch& out) {
  if (!computed_) {
    computed_ = true;
    compute();
  }
  if (emitted_ >= result_.num_rows) return false;
  const size_t n = std::min(kBatchSize, result_.num_rows - emitted_);
  if (emitted_ == 0 && n == result_.num_rows) {
    out = result_;
  } else {
    SelectionVector sel(n);
    std::iota(sel.begin(), sel.end(), static_cast<uint32_t>(emitted_));
    out = result_.select(sel.data(), n);
  }
  emitted_ += n;
  if (emitted_ >= result_.num_rows) result_ = Batch();  // the last slice is out: free the input
  return true;
}

void WindowOperator::compute() {
  std::vector<Batch> input;
  Batch b;
  while (child_->next(b)) input.push_back(std::move(b));
  if (input.empty()) return;
  Batch all = concat_batches(input);
  input.clear();
  const size_t n = all.num_rows;
  if (n >= kNoRow) {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                "a window partition task holds " + std::to_string(n) +
                    " rows; ember's window operator handles fewer than 2^32 rows per task (raise "
                    "spark.sql.shuffle.partitions)");
  }

  std::vector<VectorPtr> partition_keys;
  for (const auto& k : spec_.partition_keys) partition_keys.push_back(flatten(evaluator_.eval(*k, all)));
  std::vector<VectorPtr> order_keys;
  std::vector<SortKeySpec> order_specs;
  for (const auto& k : spec_.order_keys) {
    order_keys.push_back(flatten(evaluator_.eval(order_key_child(k), all)));
    const bool sort_order = k->kind == ExprKind::kSortOrder;
    order_specs.push_back(SortKeySpec{sort_order ? k->ascending : true, sort_order ? k->nulls_first : true});
  }
  const WindowRows rows = find_partitions_and_peers(partition_keys, order_keys, order_specs, n);

  // Frames are shared by the functions that use the same one.
  std::vector<std::pair<WindowFrame, FrameBounds>> frames;
  auto bounds_of = [&](const WindowFrame& frame) -> const FrameBounds& {
    for (const auto& [f, fb] : frames) {
      if (f == frame) return fb;
    }
    const Vector* key = order_keys.size() == 1 ? order_keys[0].get() : nullptr;
    const SortKeySpec key_spec = order_specs.empty() ? SortKeySpec{} : order_specs[0];
    frames.emplace_back(frame, compute_frame_bounds(frame, rows, key, key_spec));
    return frames.back().second;
  };
  auto eval_arg = [&](const WindowFunctionSpec& f, size_t i) {
    return flatten(evaluator_.eval(*f.args[i], all));
  };

  result_ = all;
  for (const auto& f : spec_.functions) {
    VectorPtr column;
    switch (f.kind) {
      case WindowFunctionKind::kRowNumber:
      case WindowFunctionKind::kRank:
      case WindowFunctionKind::kDenseRank:
      case WindowFunctionKind::kPercentRank:
      case WindowFunctionKind::kCumeDist:
      case WindowFunctionKind::kNtile: column = ranking_column(f, rows); break;

      case WindowFunctionKind::kLag:
      case WindowFunctionKind::kLead: {
        VectorPtr values = eval_arg(f, 0);
        check_result_type(f, values->type());
        // lag(x, k) is lead(x, -k); clamping keeps the negation and the sums below in range.
        const int64_t limit = static_cast<int64_t>(n) + 1;
        int64_t d = std::clamp<int64_t>(f.offset, -limit, limit);
        if (f.kind == WindowFunctionKind::kLag) d = -d;
        std::vector<uint32_t> src(n);
        if (!f.ignore_nulls || d == 0) {
          for (size_t i = 0; i < n; ++i) {
            int64_t t = static_cast<int64_t>(i) + d;
            src[i] =
                t >= rows.partition_begin[i] && t < rows.partition_end[i] ? static_cast<uint32_t>(t) : kNoRow;
          }
        } else {
          // The |d|-th non-null row strictly after (d > 0) or before (d < 0) the current row.
          NonNullRows nn(*values);
          for (size_t i = 0; i < n; ++i) {
            int64_t k = d > 0 ? static_cast<int64_t>(nn.count_before[i + 1]) + d - 1
                              : static_cast<int64_t>(nn.count_before[i]) + d;
            bool inside = k >= static_cast<int64_t>(nn.count_before[rows.partition_begin[i]]) &&
                          k < static_cast<int64_t>(nn.count_before[rows.partition_end[i]]);
            src[i] = inside ? nn.position[static_cast<size_t>(k)] : kNoRow;
          }
        }
        ExprPtr def = f.args.size() >= 3 ? f.args[2] : make_literal(f.default_value);
        VectorPtr defaults;
        if (!(def->kind == ExprKind::kLiteral && def->literal.is_null())) {
          if (def->type != values->type()) def = make_cast(def, values->type());
          defaults = flatten(evaluator_.eval(*def, all));
        }
        column = pick_rows(values, src, defaults);
        break;
      }

      case WindowFunctionKind::kFirstValue:
      case WindowFunctionKind::kLastValue:
      case WindowFunctionKind::kNthValue: {
        VectorPtr values = eval_arg(f, 0);
        check_result_type(f, values->type());
        const FrameBounds& fb = bounds_of(f.frame);
        const int64_t nth = f.kind == WindowFunctionKind::kFirstValue ? 1 : f.offset;
        std::vector<uint32_t> src(n);
        if (!f.ignore_nulls) {
          for (size_t i = 0; i < n; ++i) {
            const int64_t size = static_cast<int64_t>(fb.end[i]) - fb.begin[i];
            if (f.kind == WindowFunctionKind::kLastValue) src[i] = size > 0 ? fb.end[i] - 1 : kNoRow;
            else src[i] = nth <= size ? fb.begin[i] + static_cast<uint32_t>(nth - 1) : kNoRow;
          }
        } else {
          NonNullRows nn(*values);
          for (size_t i = 0; i < n; ++i) {
            const int64_t lo = nn.count_before[fb.begin[i]];
            const int64_t hi = nn.count_before[fb.end[i]];
            if (f.kind == WindowFunctionKind::kLastValue) {
              src[i] = hi > lo ? nn.position[static_cast<size_t>(hi - 1)] : kNoRow;
            } else {
              src[i] = nth <= hi - lo ? nn.position[static_cast<size_t>(lo + nth - 1)] : kNoRow;
            }
          }
        }
        column = pick_rows(values, src, nullptr);
        break;
      }

      case WindowFunctionKind::kAggregate: {
        check_result_type(f, f.aggregate->result_type);
        std::vector<VectorPtr> args;
        for (size_t i = 0; i < f.args.size(); ++i) args.push_back(eval_arg(f, i));
        const FrameBounds& fb = bounds_of(f.frame);
        column = aggregate_over_frames(*f.aggregate, args, fb.begin.data(), fb.end.data(), n,
                                       evaluator_.context());
        break;
      }
    }
    result_.columns.push_back(std::move(column));
  }
}

}  // namespace ember
