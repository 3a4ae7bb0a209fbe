#pragma once
// Struct and map functions (complex_type_functions.cpp). element_at / try_element_at are
// registered with the array functions and hand a map argument to bind_map_lookup.
#include "ember/functions/function.h"

namespace ember {

// element_at(map, key) / try_element_at(map, key): the value for the key, or null when the map,
// the key or the entry is absent (Spark 4 returns null for a missing key in every mode).
BoundFunction bind_map_lookup(const char* name, const std::vector<DataType>& args, const BindContext& ctx);

}  // namespace ember
