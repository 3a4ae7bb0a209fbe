#include "ember/functions/registry.h"

#include <algorithm>

#include "ember/common/error.h"

namespace ember {

const FunctionRegistry& FunctionRegistry::instance() {
  // Built once, on first use, thread-safely (a function-local static); read-only afterwards.
  static const FunctionRegistry registry;
  return registry;
}

FunctionRegistry::FunctionRegistry() {
  register_arithmetic_functions(*this);
  register_comparison_functions(*this);
  register_null_functions(*this);
  register_string_functions(*this);
  register_regex_functions(*this);
  register_array_functions(*this);
  register_complex_type_functions(*this);
  register_datetime_functions(*this);
  register_math_functions(*this);
  register_hash_functions(*this);
  register_string_extra_functions(*this);
  register_datetime_extra_functions(*this);
  register_math_extra_functions(*this);
  register_conditional_extra_functions(*this);
  register_partition_functions(*this);
  register_aggregate_functions(*this);
}

// Spark resolves function names case-insensitively; names are stored lower case.
const FunctionDef* FunctionRegistry::find_scalar(const std::string& name) const {
  auto it = scalars_.find(to_lower(name));
  return it == scalars_.end() ? nullptr : &it->second;
}

const AggregateDef* FunctionRegistry::find_aggregate(const std::string& name) const {
  auto it = aggregates_.find(to_lower(name));
  return it == aggregates_.end() ? nullptr : &it->second;
}

std::vector<std::string> FunctionRegistry::names() const {
  std::vector<std::string> out;
  out.reserve(scalars_.size() + aggregates_.size());
  for (const auto& [name, def] : scalars_) out.push_back(name);
  for (const auto& [name, def] : aggregates_) out.push_back(name);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void FunctionRegistry::add(FunctionDef def) {
  std::string key = to_lower(def.name);
  EMBER_CHECK(!scalars_.count(key), "function registered twice: " + key);
  scalars_.emplace(std::move(key), std::move(def));
}

void FunctionRegistry::add(AggregateDef def) {
  std::string key = to_lower(def.name);
  EMBER_CHECK(!aggregates_.count(key), "aggregate registered twice: " + key);
  aggregates_.emplace(std::move(key), std::move(def));
}

// An alias is a copy of the definition under another name; bind() is shared, so both names
// behave identically (the call keeps the name it was written with, as Spark prints it).
void FunctionRegistry::add_alias(const std::string& alias, const std::string& name) {
  std::string key = to_lower(name);
  if (auto it = scalars_.find(key); it != scalars_.end()) {
    FunctionDef copy = it->second;
    copy.name = to_lower(alias);
    add(std::move(copy));
    return;
  }
  if (auto it = aggregates_.find(key); it != aggregates_.end()) {
    AggregateDef copy = it->second;
    copy.name = to_lower(alias);
    add(std::move(copy));
    return;
  }
  throw_internal(__FILE__, __LINE__, "alias " + alias + " of unknown function " + name);
}

}  // namespace ember
