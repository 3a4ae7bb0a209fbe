// Workshop Exercise 2, joins part ("data warehouse ETL"): the sales fact table joined with the
// customer dimension and a product dimension derived from the facts, revenue by segment, and the
// top 3 customers of each region ranked with a window function. explain() shows the broadcast
// hash join ember picks for the small dimension. Run from the repository root:
// ./build/exercise2_star_schema
#include <ember/ember.h>

#include <filesystem>
#include <iostream>

#include "ember/api/sample_data.h"

using namespace ember;
using namespace ember::functions;

int main() {
  try {
    if (!std::filesystem::exists("data/sales.csv")) sample::write_workshop_data("data");
    auto spark = Session::builder().app_name("exercise2-star").master("local[2]").get_or_create();
    auto read = [&](const char* path) {
      return spark.read().option("header", "true").option("inferSchema", "true").csv(path);
    };
    auto sales = read("data/sales.csv")
                     .filter(col("status") == "completed" && col("amount").is_not_null())
                     .with_column("region", upper(trim(col("region"))));
    auto customers = read("data/customers.csv").select("customer_id", "name", "city", "segment");
    // A product dimension: one row per product with its category and list price.
    auto products = sales.group_by("product", "category").agg(max("unit_price").alias("list_price"));

    auto facts = sales.join(customers, "customer_id").join(products.drop("category"), "product");
    std::cout << "The star join (the customer and product dimensions are broadcast):\n";
    facts.explain();

    std::cout << "Revenue by customer segment and category:\n";
    facts.group_by("segment", "category")
        .agg(sum("amount").alias("revenue"), count("*").alias("orders"),
             count_distinct("customer_id").alias("customers"))
        .order_by(col("segment"), col("revenue").desc())
        .show(10);

    std::cout << "Top 3 customers per region:\n";
    auto by_customer = facts.group_by("region", "customer_id", "name")
                           .agg(sum("amount").alias("revenue"), count("*").alias("orders"));
    auto rank_in_region = Window::partition_by("region").order_by(col("revenue").desc(), col("customer_id"));
    by_customer.with_column("rank", rank().over(rank_in_region))
        .with_column("share_of_region", round(col("revenue") / sum("revenue").over(Window::partition_by("region")) * 100, 2))
        .filter(col("rank") <= 3)
        .order_by(col("region"), col("rank"))
        .show();

    std::cout << "Customers who never ordered (left anti join): "
              << customers.join(sales, "customer_id", "left_anti").count() << "\n";
  } catch (const EmberError& e) {
    std::cerr << error_kind_name(e.kind()) << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
