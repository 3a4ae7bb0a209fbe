// The statement half of the Spark SQL parser: queries and the commands Session::sql runs.
#include <cctype>

#include "ember/common/error.h"
#include "ember/sql/parser.h"

namespace ember::sql {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Statement Parser::parse_standalone_statement() {
  Statement s = parse_statement();
  expect_end();
  return s;
}

Statement Parser::parse_statement() {
  Statement s;
  if (is_keyword("SELECT") || is_keyword("WITH") || is_keyword("VALUES") || is_keyword("TABLE") ||
      is_op("(")) {
    s.kind = StatementKind::kQuery;
    s.plan = parse_query();
    return s;
  }
  if (accept_keyword("CREATE")) {
    if (accept_keyword("OR")) {
      expect_keyword("REPLACE");
      s.replace = true;
    }
    if (!accept_keyword("TEMP") && !accept_keyword("TEMPORARY")) {
      accept_keyword("GLOBAL");
      if (accept_keyword("TABLE")) return parse_create_table(std::move(s));
      if (!accept_keyword("TEMP") && !accept_keyword("TEMPORARY")) {
        throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                    "only temporary views can be created (CREATE [OR REPLACE] TEMP VIEW name AS query)");
      }
    }
    expect_keyword("VIEW");
    if (accept_keyword("IF")) {
      expect_keyword("NOT");
      expect_keyword("EXISTS");
      s.if_exists = true;  // IF NOT EXISTS: keep an existing view
    }
    s.name = parse_identifier("a view name");
    // (a, b) renames a query's columns; (a INT, b STRING) is the schema of a USING source.
    std::vector<std::string> columns;
    std::string ddl;
    const Token columns_at = peek();
    if (accept_op("(")) {
      do {
        columns.push_back(parse_identifier("a column name"));
        if (!is_op(",") && !is_op(")")) ddl += (ddl.empty() ? "" : ", ") + columns.back() + " " + type_text();
      } while (accept_op(","));
      expect_op(")");
    }
    if (accept_keyword("USING")) {
      if (!ddl.empty()) s.options["__schema"] = ddl;
      s.kind = StatementKind::kCreateViewUsing;
      s.format = lower(parse_identifier("a data source format"));
      if (accept_keyword("OPTIONS")) parse_options(s.options);
      return s;
    }
    s.kind = StatementKind::kCreateView;
    if (!ddl.empty()) fail("expected USING: column types are only given for a data source view");
    expect_keyword("AS");
    s.plan = parse_query();
    if (!columns.empty()) {
      if (columns.size() != s.plan->output.size()) {
        throw_error(ErrorKind::kAnalysis, "CREATE_VIEW_COLUMN_ARITY_MISMATCH",
                    "Cannot create view " + s.name + ": " + std::to_string(columns.size()) +
                        " column names at line " + std::to_string(columns_at.line) + ", column " +
                        std::to_string(columns_at.column) + " for a query with " +
                        std::to_string(s.plan->output.size()) + " columns");
      }
      std::vector<ExprPtr> list;
      for (size_t i = 0; i < columns.size(); ++i) list.push_back(make_alias(s.plan->output[i], columns[i]));
      s.plan = analyzed(make_project(s.plan, std::move(list)));
    }
    return s;
  }
  if (accept_keyword("DROP")) {
    if (!accept_keyword("VIEW")) {
      if (accept_keyword("TABLE")) {
        s.kind = StatementKind::kDropTable;
        if (accept_keyword("IF")) {
          expect_keyword("EXISTS");
          s.if_exists = true;
        }
        s.name = parse_identifier("a table name");
        return s;
      }
      fail("expected VIEW");
    }
    s.kind = StatementKind::kDropView;
    if (accept_keyword("IF")) {
      expect_keyword("EXISTS");
      s.if_exists = true;
    }
    s.name = parse_identifier("a view name");
    return s;
  }
  if (accept_keyword("INSERT")) {
    s.kind = StatementKind::kInsert;
    if (accept_keyword("OVERWRITE")) {
      s.overwrite = true;
    } else {
      expect_keyword("INTO");
    }
    accept_keyword("TABLE");
    s.name = parse_identifier("a table name");
    if (is_op("(") && !(is_keyword("SELECT", 1) || is_keyword("WITH", 1) || is_keyword("VALUES", 1))) {
      fail("a query (INSERT with a column list is not supported; list the columns in the SELECT)");
    }
    s.plan = parse_query();
    return s;
  }
  if (accept_keyword("SHOW")) {
    if (!accept_keyword("TABLES") && !accept_keyword("VIEWS")) fail("expected TABLES");
    s.kind = StatementKind::kShowTables;
    return s;
  }
  if (accept_keyword("DESCRIBE") || accept_keyword("DESC")) {
    s.kind = StatementKind::kDescribe;
    accept_keyword("TABLE");
    if (accept_keyword("EXTENDED") || accept_keyword("FORMATTED")) s.extended = true;
    if (is_keyword("SELECT") || is_keyword("WITH") || is_keyword("VALUES")) {
      s.plan = parse_query();
      return s;
    }
    accept_keyword("QUERY");
    if (is_keyword("SELECT") || is_keyword("WITH") || is_keyword("VALUES")) {
      s.plan = parse_query();
      return s;
    }
    std::vector<std::string> name{parse_identifier("a table name")};
    s.name = name[0];
    s.plan = catalog().relation(name);
    // DESCRIBE t col: one column's name, type and comment (and with EXTENDED its statistics).
    if (peek().kind == TokenKind::kIdentifier || peek().kind == TokenKind::kQuotedIdentifier) {
      s.column = parse_identifier("a column name");
      while (accept_op(".")) s.column += "." + parse_identifier("a column name");
    }
    return s;
  }
  if (accept_keyword("ANALYZE")) return parse_analyze(std::move(s));
  if (accept_keyword("EXPLAIN")) {
    s.kind = StatementKind::kExplain;
    for (const char* mode : {"EXTENDED", "CODEGEN", "COST", "FORMATTED"}) {
      if (accept_keyword(mode)) {
        s.explain_mode = mode;
        for (char& c : s.explain_mode) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        s.extended = s.explain_mode == "extended";
        break;
      }
    }
    s.plan = parse_query();
    return s;
  }
  if (accept_keyword("SET")) {
    s.kind = StatementKind::kSet;
    // SET key = value: the key is the raw text up to '=', the value the raw text after it.
    std::string key;
    while (peek().kind != TokenKind::kEnd && !is_op("=") && !is_op(";")) key += next().raw;
    s.key = key;
    if (accept_op("=")) {
      s.has_value = true;
      std::string value;
      while (peek().kind != TokenKind::kEnd && !is_op(";")) {
        const Token& t = next();
        // A leading sign belongs to the number after it: SET ...Threshold=-1 sets "-1".
        if (!value.empty() && value != "-" && value != "+") value += " ";
        value += t.kind == TokenKind::kString ? t.text : t.raw;
      }
      s.value = value;
    }
    return s;
  }
  if (accept_keyword("CACHE")) {
    accept_keyword("LAZY");
    expect_keyword("TABLE");
    s.kind = StatementKind::kCacheTable;
    s.name = parse_identifier("a table name");
    accept_keyword("AS");
    if (is_keyword("SELECT") || is_keyword("WITH") || is_keyword("VALUES")) {
      s.plan = parse_query();
    } else {
      s.plan = catalog().relation({s.name});
    }
    return s;
  }
  if (accept_keyword("UNCACHE")) {
    expect_keyword("TABLE");
    s.kind = StatementKind::kUncacheTable;
    if (accept_keyword("IF")) {
      expect_keyword("EXISTS");
      s.if_exists = true;
    }
    s.name = parse_identifier("a table name");
    return s;
  }
  fail(
      "expected a statement (SELECT, WITH, VALUES, CREATE, DROP, SHOW, DESCRIBE, EXPLAIN, SET, CACHE, "
      "UNCACHE, ANALYZE)");
}

Statement Parser::parse_analyze(Statement s) {
  if (accept_keyword("TABLES")) {
    s.kind = StatementKind::kAnalyzeTables;
    if (accept_keyword("IN") || accept_keyword("FROM")) s.name = parse_identifier("a database name");
  } else {
    expect_keyword("TABLE");
    s.kind = StatementKind::kAnalyzeTable;
    s.name = parse_identifier("a table name");
    if (is_keyword("PARTITION")) {
      throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                  "ANALYZE TABLE ... PARTITION: ember's tables keep statistics for the whole table only");
    }
  }
  expect_keyword("COMPUTE");
  expect_keyword("STATISTICS");
  if (accept_keyword("NOSCAN")) {
    s.noscan = true;
  } else if (s.kind == StatementKind::kAnalyzeTable && accept_keyword("FOR")) {
    if (accept_keyword("ALL")) {
      expect_keyword("COLUMNS");
      s.all_columns = true;
    } else {
      expect_keyword("COLUMNS");
      do {
        s.columns.push_back(parse_identifier("a column name"));
      } while (accept_op(","));
    }
  }
  return s;
}

void Parser::parse_options(std::map<std::string, std::string>& options) {
  expect_op("(");
  do {
    std::string key;
    if (peek().kind == TokenKind::kString) {
      key = next().text;
    } else {
      key = parse_identifier("an option name");
      while (accept_op(".")) key += "." + parse_identifier("an option name");
    }
    accept_op("=");
    const Token& v = peek();
    std::string value;
    if (v.kind == TokenKind::kString || v.kind == TokenKind::kInteger || v.kind == TokenKind::kDecimal ||
        v.kind == TokenKind::kIdentifier) {
      value = next().text;
    } else {
      fail("expected an option value");
    }
    options[lower(key)] = value;
  } while (accept_op(","));
  expect_op(")");
}

Statement Parser::parse_create_table(Statement s) {
  s.kind = StatementKind::kCreateTable;
  s.format = "parquet";  // spark.sql.sources.default
  if (accept_keyword("IF")) {
    expect_keyword("NOT");
    expect_keyword("EXISTS");
    s.if_exists = true;  // IF NOT EXISTS: keep an existing table
  }
  s.name = parse_identifier("a table name");
  if (accept_op("(")) {
    std::string ddl;
    do {
      std::string column = parse_identifier("a column name");
      ddl += (ddl.empty() ? "" : ", ") + column + " " + type_text();
    } while (accept_op(","));
    expect_op(")");
    s.options["__schema"] = ddl;
  }
  // The clauses may come in any order, each at most once (Spark's createTableClauses).
  for (;;) {
    if (accept_keyword("USING")) {
      s.format = lower(parse_identifier("a data source format"));
    } else if (accept_keyword("OPTIONS")) {
      parse_options(s.options);
    } else if (accept_keyword("PARTITIONED")) {
      expect_keyword("BY");
      expect_op("(");
      do {
        s.partition_columns.push_back(parse_identifier("a partition column"));
      } while (accept_op(","));
      expect_op(")");
    } else if (accept_keyword("LOCATION")) {
      if (peek().kind != TokenKind::kString) fail("a quoted LOCATION path");
      s.location = next().text;
    } else {
      break;
    }
  }
  if (accept_keyword("AS") || is_keyword("SELECT") || is_keyword("WITH") || is_keyword("VALUES")) {
    if (s.options.count("__schema")) fail("no column list: CREATE TABLE ... AS takes its columns from the query");
    s.plan = parse_query();
  } else if (!s.options.count("__schema")) {
    fail("a column list or AS query");
  }
  return s;
}

}  // namespace ember::sql
