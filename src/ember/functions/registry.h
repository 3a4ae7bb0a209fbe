#pragma once
// The single home of every function ember knows, scalar and aggregate, by Spark's names.
// Each family registers itself from its own file (functions/scalar/*.cpp,
// functions/aggregate/*.cpp) through a register_*() function called by FunctionRegistry's
// constructor; there is no other place a function is defined.
#include <string>
#include <unordered_map>
#include <vector>

#include "ember/functions/function.h"

namespace ember {

class FunctionRegistry {
 public:
  static const FunctionRegistry& instance();

  const FunctionDef* find_scalar(const std::string& name) const;
  const AggregateDef* find_aggregate(const std::string& name) const;
  bool is_aggregate(const std::string& name) const { return find_aggregate(name) != nullptr; }
  // Every registered name (scalar and aggregate), for "did you mean" suggestions.
  std::vector<std::string> names() const;

  void add(FunctionDef def);
  void add(AggregateDef def);
  // Registers `alias` as another name of an already registered function.
  void add_alias(const std::string& alias, const std::string& name);

 private:
  FunctionRegistry();
  std::unordered_map<std::string, FunctionDef> scalars_;
  std::unordered_map<std::string, AggregateDef> aggregates_;
};

// Registration entry points, one per family file.
void register_arithmetic_functions(FunctionRegistry& r);   // + - * / % div, unary minus
void register_comparison_functions(FunctionRegistry& r);   // = <> < <= > >= <=> in, and/or/not
void register_null_functions(FunctionRegistry& r);         // isnull isnotnull coalesce nvl ...
void register_string_functions(FunctionRegistry& r);       // upper lower trim substring concat ...
void register_regex_functions(FunctionRegistry& r);        // like rlike regexp_replace split
void register_array_functions(FunctionRegistry& r);        // array size element_at array_contains ...
void register_complex_type_functions(FunctionRegistry& r);  // struct named_struct map map_keys ...
void register_datetime_functions(FunctionRegistry& r);     // year month to_date date_add ...
void register_math_functions(FunctionRegistry& r);         // abs round floor ceil sqrt
void register_hash_functions(FunctionRegistry& r);         // hash xxhash64 md5 sha1 sha2 crc32
void register_string_extra_functions(FunctionRegistry& r); // lpad rpad instr locate format_string ...
void register_datetime_extra_functions(FunctionRegistry& r);  // to_timestamp date_format add_months ...
void register_math_extra_functions(FunctionRegistry& r);   // greatest least pmod
void register_conditional_extra_functions(FunctionRegistry& r);  // nvl2
void register_partition_functions(FunctionRegistry& r);    // spark_partition_id monotonically_increasing_id
void register_aggregate_functions(FunctionRegistry& r);    // count sum avg min max first ...

}  // namespace ember
