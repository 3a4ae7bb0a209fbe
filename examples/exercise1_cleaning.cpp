// Workshop Exercise 1 (basic operations): a cleaning pipeline over the generated sales and
// customers data — filters, derived columns, casts, and dropping bad rows.
#include <ember/ember.h>

#include <filesystem>
#include <iostream>

#include "ember/api/sample_data.h"

using namespace ember;
using namespace ember::functions;

int main() {
  try {
    if (!std::filesystem::exists("data/sales.csv")) sample::write_workshop_data("data");
    auto spark = Session::builder().app_name("exercise1").master("local[2]").get_or_create();

    auto raw = spark.read().option("header", "true").option("inferSchema", "true").csv("data/sales.csv");
    std::cout << "Raw sales schema:\n";
    raw.print_schema();
    std::cout << "raw rows: " << raw.count() << "\n";

    // Transformations are lazy: nothing runs until an action (count, show, write).
    auto cleaned = raw.filter(col("amount").is_not_null() && col("amount") > 0)
                       .filter(col("status") == "completed")
                       .with_column("region", upper(trim(col("region"))))
                       .with_column("order_date", to_date(col("order_date")))
                       .with_column("order_month", month(col("order_date")))
                       .with_column("unit_price", col("unit_price").cast("decimal(10,2)"))
                       .with_column("size_band", when(col("amount") >= 2000, "large")
                                                     .when(col("amount") >= 500, "medium")
                                                     .otherwise("small"))
                       .drop("status")
                       .distinct();
    std::cout << "clean rows: " << cleaned.count() << "\n";
    cleaned.select("order_id", "region", "product", "amount", "size_band", "order_month").order_by("order_id").show(10);

    auto customers = spark.read().option("header", "true").option("inferSchema", "true").csv("data/customers.csv");
    auto tidy_customers = customers.with_column("name", trim(col("name")))
                              .with_column("email", coalesce({col("email"), lit("unknown@example.com")}))
                              .filter(col("customer_id").is_not_null());
    tidy_customers.show(5, false);

    cleaned.write().mode("overwrite").option("header", "true").csv("out/clean_sales");
    std::cout << "wrote out/clean_sales\n";
  } catch (const EmberError& e) {
    std::cerr << error_kind_name(e.kind()) << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
