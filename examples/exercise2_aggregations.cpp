// Workshop Exercise 2, aggregation part: group-bys with several aggregates, distinct counts,
// global aggregates and ordering on the generated sales and employees data.
#include <ember/ember.h>

#include <filesystem>
#include <iostream>

#include "ember/api/sample_data.h"

using namespace ember;
using namespace ember::functions;

int main() {
  try {
    if (!std::filesystem::exists("data/sales.csv")) sample::write_workshop_data("data");
    auto spark = Session::builder().app_name("exercise2").master("local[2]").get_or_create();
    auto sales = spark.read().option("header", "true").option("inferSchema", "true").csv("data/sales.csv")
                     .filter(col("amount").is_not_null() && col("status") == "completed")
                     .with_column("region", upper(col("region")));

    std::cout << "Revenue by category:\n";
    sales.group_by("category")
        .agg(sum("amount").alias("revenue"), avg("amount").alias("avg_order"), count("*").alias("orders"),
             count_distinct("customer_id").alias("customers"))
        .order_by(col("revenue").desc())
        .show();

    std::cout << "Best month per region (top 10 region-months):\n";
    sales.with_column("month", date_trunc("month", col("order_date")))
        .group_by("region", "month")
        .agg(round(sum("amount"), 2).alias("revenue"), max("amount").alias("largest_order"))
        .order_by(col("revenue").desc(), col("region"))
        .show(10);

    std::cout << "Overall:\n";
    sales.agg(sum("quantity").alias("units"), min("order_date").alias("first_order"),
              max("order_date").alias("last_order"))
        .show();

    auto employees = spark.read().option("header", "true").option("inferSchema", "true").csv("data/employees.csv");
    std::cout << "Salaries by department:\n";
    employees.group_by("department")
        .agg(count("*").alias("headcount"), round(avg("salary"), 0).alias("avg_salary"), max("salary").alias("top_salary"))
        .order_by("department")
        .show();
  } catch (const EmberError& e) {
    std::cerr << error_kind_name(e.kind()) << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
