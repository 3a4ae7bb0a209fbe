#pragma once
// Deterministic sample data for the workshop examples and the main job: sales, customers and
// employees CSV files with realistic dirt (nulls, padding, mixed case, negative and missing
// amounts, duplicates) for the cleaning exercise. Same arguments, same bytes.
#include <cstdint>
#include <string>

namespace ember::sample {

struct WorkshopDataSizes {
  int64_t sales = 20'000;
  int64_t customers = 500;
  int64_t employees = 200;
};

// Writes <dir>/sales.csv, <dir>/customers.csv and <dir>/employees.csv (with headers), creating
// the directory. Throws EmberError(kIo) naming the file on failure.
void write_workshop_data(const std::string& dir, const WorkshopDataSizes& sizes = {});

}  // namespace ember::sample
