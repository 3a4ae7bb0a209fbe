#include "ember/api/sample_data.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "ember/common/error.h"
#include "ember/types/temporal.h"

namespace ember::sample {

namespace {

// SplitMix64: a tiny, well-mixed deterministic generator, so the data is the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t uniform(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1)); }
  bool chance(int percent) { return uniform(1, 100) <= percent; }

 private:
  uint64_t state_;
};

const char* const kRegions[] = {"North", "South", "East", "West", "Central"};
const char* const kProducts[] = {"Laptop", "Phone", "Tablet", "Monitor", "Keyboard", "Mouse", "Headphones", "Camera"};
const char* const kCategories[] = {"Computers", "Mobile", "Mobile", "Computers", "Accessories", "Accessories", "Audio", "Photo"};
const int kBasePrice[] = {1200, 800, 450, 300, 80, 40, 150, 650};
const char* const kFirst[] = {"Alice", "Bob", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Keiko", "Liam"};
const char* const kLast[] = {"Smith", "Garcia", "Chen", "Okafor", "Muller", "Rossi", "Silva", "Kowalski", "Dubois", "Tanaka"};
const char* const kDepartments[] = {"Engineering", "Sales", "Marketing", "Finance", "Operations", "Support"};
const char* const kSegments[] = {"Consumer", "Corporate", "Home Office"};

std::ofstream open_file(const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw_error(ErrorKind::kIo, "cannot create " + path.string());
  return out;
}

void check(std::ofstream& out, const std::filesystem::path& path) {
  out.flush();
  if (!out) throw_error(ErrorKind::kIo, "cannot write " + path.string() + " (disk full?)");
}

std::string to_lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string money(int64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s%lld.%02lld", cents < 0 ? "-" : "", static_cast<long long>(std::llabs(cents) / 100),
                static_cast<long long>(std::llabs(cents) % 100));
  return buf;
}

}  // namespace

void write_workshop_data(const std::string& dir, const WorkshopDataSizes& sizes) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw_error(ErrorKind::kIo, "cannot create directory " + dir + ": " + ec.message());
  const int32_t first_day = days_from_civil(2022, 1, 1);

  {
    auto path = std::filesystem::path(dir) / "customers.csv";
    auto out = open_file(path);
    Rng rng(11);
    out << "customer_id,name,email,city,segment,signup_date\n";
    for (int64_t i = 1; i <= sizes.customers; ++i) {
      std::string first = kFirst[rng.uniform(0, 11)], last = kLast[rng.uniform(0, 9)];
      std::string name = first + " " + last;
      // Dirt for the cleaning exercise: padded or upper-cased names, missing emails.
      if (rng.chance(5)) name = "  " + name + " ";
      if (rng.chance(3)) {
        for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      std::string email = rng.chance(4) ? "" : to_lower_ascii(first) + "." + to_lower_ascii(last) + std::to_string(i) + "@example.com";
      out << i << "," << name << "," << email << "," << kRegions[rng.uniform(0, 4)] << " City,"
          << kSegments[rng.uniform(0, 2)] << "," << format_date(first_day - static_cast<int32_t>(rng.uniform(0, 1500))) << "\n";
    }
    check(out, path);
  }
  {
    auto path = std::filesystem::path(dir) / "employees.csv";
    auto out = open_file(path);
    Rng rng(23);
    out << "employee_id,name,department,region,salary,hire_date,manager_id\n";
    for (int64_t i = 1; i <= sizes.employees; ++i) {
      int dept = static_cast<int>(rng.uniform(0, 5));
      int64_t salary = 40'000 + rng.uniform(0, 80) * 1000 + dept * 3000;
      std::string manager = i <= 6 ? "" : std::to_string(rng.uniform(1, 6));
      out << i << "," << kFirst[rng.uniform(0, 11)] << " " << kLast[rng.uniform(0, 9)] << "," << kDepartments[dept] << ","
          << kRegions[rng.uniform(0, 4)] << "," << (rng.chance(2) ? "" : std::to_string(salary)) << ","
          << format_date(first_day - static_cast<int32_t>(rng.uniform(0, 3000))) << "," << manager << "\n";
    }
    check(out, path);
  }
  {
    auto path = std::filesystem::path(dir) / "sales.csv";
    auto out = open_file(path);
    Rng rng(42);
    out << "order_id,customer_id,product,category,region,quantity,unit_price,amount,order_date,status\n";
    for (int64_t i = 1; i <= sizes.sales; ++i) {
      int p = static_cast<int>(rng.uniform(0, 7));
      int64_t qty = rng.uniform(1, 5);
      int64_t price_cents = kBasePrice[p] * 100 + rng.uniform(-1500, 1500);
      int64_t amount_cents = qty * price_cents;
      std::string amount = money(amount_cents);
      if (rng.chance(2)) amount = "";                     // missing amount
      else if (rng.chance(1)) amount = money(-amount_cents);  // refund recorded as negative
      std::string region = kRegions[rng.uniform(0, 4)];
      if (rng.chance(3)) region = to_lower_ascii(region);     // inconsistent case
      const char* status = rng.chance(90) ? "completed" : (rng.chance(50) ? "cancelled" : "pending");
      std::string date = format_date(first_day + static_cast<int32_t>(rng.uniform(0, 3 * 365)));
      const int64_t customer = rng.uniform(1, sizes.customers);
      out << i << "," << customer << "," << kProducts[p] << "," << kCategories[p] << "," << region
          << "," << qty << "," << money(price_cents) << "," << amount << "," << date << "," << status << "\n";
      if (rng.chance(1)) {  // an exact duplicate line, for drop_duplicates
        out << i << "," << customer << "," << kProducts[p] << "," << kCategories[p] << "," << region << "," << qty << ","
            << money(price_cents) << "," << amount << "," << date << "," << status << "\n";
      }
    }
    check(out, path);
  }
}

}  // namespace ember::sample
