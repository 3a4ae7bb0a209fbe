#pragma once
// A reference engine for end-to-end tests: the same rows loaded into an in-memory sqlite3
// database, queried with the equivalent SQL, and compared with ember's answer cell by cell.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "ember/ember.h"

namespace ember::testing {

// The deterministic generator of the e2e tests' data (a 64-bit LCG's high 31 bits): the same
// tables on every run and machine, so a failure reproduces. `next()` draws the next number.
class TestRandom {
 public:
  explicit TestRandom(uint64_t seed) : state_(seed) {}
  uint64_t operator()() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;
  }

 private:
  uint64_t state_;
};

// One cell in a comparable form: null, an integer, a real, or text.
struct Cell {
  enum Kind { kNull, kInt, kReal, kText } kind = kNull;
  int64_t i = 0;
  double d = 0;
  std::string s;

  std::string to_string() const {
    switch (kind) {
      case kNull: return "NULL";
      case kInt: return std::to_string(i);
      case kReal: return std::to_string(d);
      case kText: return "'" + s + "'";
    }
    return "?";
  }
};

using Table = std::vector<std::vector<Cell>>;

inline bool cells_equal(const Cell& a, const Cell& b) {
  auto numeric = [](const Cell& c) { return c.kind == Cell::kInt || c.kind == Cell::kReal; };
  if (a.kind == Cell::kNull || b.kind == Cell::kNull) return a.kind == b.kind;
  if (numeric(a) && numeric(b)) {
    double x = a.kind == Cell::kInt ? static_cast<double>(a.i) : a.d;
    double y = b.kind == Cell::kInt ? static_cast<double>(b.i) : b.d;
    // Sums of doubles differ in the last bits with summation order.
    return std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)});
  }
  if (a.kind == Cell::kText && b.kind == Cell::kText) return a.s == b.s;
  return false;
}

inline bool cell_less(const Cell& a, const Cell& b) { return a.to_string() < b.to_string(); }

inline void sort_rows(Table& t) {
  std::sort(t.begin(), t.end(), [](const auto& x, const auto& y) {
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(), cell_less);
  });
}

class SqliteReference {
 public:
  SqliteReference() {
    if (sqlite3_open(":memory:", &db_) != SQLITE_OK) std::abort();
  }
  ~SqliteReference() { sqlite3_close(db_); }
  SqliteReference(const SqliteReference&) = delete;
  SqliteReference& operator=(const SqliteReference&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      ADD_FAILURE() << "sqlite: " << msg << " in " << sql;
    }
  }

  // Loads rows (ember Values) into a new table whose columns are declared with `ddl`.
  void load(const std::string& table, const std::string& column_ddl, const std::vector<std::vector<Value>>& rows) {
    exec("CREATE TABLE " + table + " (" + column_ddl + ")");
    exec("BEGIN");
    for (const auto& row : rows) {
      std::string sql = "INSERT INTO " + table + " VALUES (";
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) sql += ",";
        const Value& v = row[i];
        if (v.is_null()) sql += "NULL";
        else if (v.type().id() == TypeId::kString || v.type().id() == TypeId::kDate) {
          std::string s = v.to_string();
          std::string q;
          for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
          sql += "'" + q + "'";
        } else if (v.type().id() == TypeId::kDouble) {
          char buf[64];
          std::snprintf(buf, sizeof(buf), "%.17g", v.as_double());
          sql += buf;
        } else {
          sql += v.to_string();
        }
      }
      exec(sql + ")");
    }
    exec("COMMIT");
  }

  Table query(const std::string& sql) {
    Table out;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "sqlite prepare: " << sqlite3_errmsg(db_) << " in " << sql;
      return out;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<Cell> row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        Cell cell;
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: break;
          case SQLITE_INTEGER: cell.kind = Cell::kInt; cell.i = sqlite3_column_int64(stmt, c); break;
          case SQLITE_FLOAT: cell.kind = Cell::kReal; cell.d = sqlite3_column_double(stmt, c); break;
          default:
            cell.kind = Cell::kText;
            cell.s = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        }
        row.push_back(std::move(cell));
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

inline Cell to_cell(const Value& v) {
  Cell c;
  if (v.is_null()) return c;
  const DataType& t = v.type();
  if (t.is_integral()) {
    c.kind = Cell::kInt;
    c.i = v.as_int64();
  } else if (t.is_floating()) {
    c.kind = Cell::kReal;
    c.d = v.as_double();
  } else if (t.id() == TypeId::kDecimal) {
    c.kind = Cell::kReal;
    c.d = std::strtod(v.to_string().c_str(), nullptr);
  } else if (t.id() == TypeId::kBoolean) {
    c.kind = Cell::kInt;
    c.i = v.as_bool() ? 1 : 0;
  } else {
    c.kind = Cell::kText;
    c.s = v.to_string();
  }
  return c;
}

inline Table to_table(const std::vector<Row>& rows) {
  Table t;
  for (const auto& r : rows) {
    std::vector<Cell> cells;
    for (const auto& v : r.values()) cells.push_back(to_cell(v));
    t.push_back(std::move(cells));
  }
  return t;
}

inline std::string table_string(const Table& t) {
  std::string s;
  for (const auto& r : t) {
    for (size_t i = 0; i < r.size(); ++i) s += (i ? " | " : "") + r[i].to_string();
    s += "\n";
  }
  return s;
}

// Asserts ember's rows equal sqlite's, in order when `ordered`, else as multisets.
inline void expect_same_rows(Table ember_rows, Table reference, bool ordered) {
  if (!ordered) {
    sort_rows(ember_rows);
    sort_rows(reference);
  }
  // Failure messages show at most the first rows of each side: whole tables per mismatching cell
  // once exhausted memory on a large wrong answer.
  auto head = [](const Table& t) {
    Table first(t.begin(), t.begin() + static_cast<long>(std::min<size_t>(t.size(), 20)));
    return table_string(first) + (t.size() > 20 ? "... (" + std::to_string(t.size()) + " rows)\n" : "");
  };
  ASSERT_EQ(ember_rows.size(), reference.size()) << "ember:\n" << head(ember_rows) << "sqlite:\n" << head(reference);
  for (size_t r = 0; r < ember_rows.size(); ++r) {
    ASSERT_EQ(ember_rows[r].size(), reference[r].size()) << "row " << r;
    for (size_t c = 0; c < ember_rows[r].size(); ++c) {
      // The first differing cell fails the comparison; later ones add nothing.
      ASSERT_TRUE(cells_equal(ember_rows[r][c], reference[r][c]))
          << "row " << r << " column " << c << ": ember " << ember_rows[r][c].to_string() << " vs sqlite "
          << reference[r][c].to_string() << "\nember:\n" << head(ember_rows) << "sqlite:\n" << head(reference);
    }
  }
}

}  // namespace ember::testing
