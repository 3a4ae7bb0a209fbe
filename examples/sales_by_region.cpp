// The main job: revenue by region and year from the generated sales data, exactly the program of
// the core-engine issue. Run from the repository root: ./build/sales_by_region
#include <ember/ember.h>

#include <filesystem>
#include <iostream>

#include "ember/api/sample_data.h"

using namespace ember;
using namespace ember::functions;

int main() {
  try {
    if (!std::filesystem::exists("data/sales.csv")) sample::write_workshop_data("data");
    auto spark = Session::builder().app_name("sales").master("local[2]").get_or_create();
    auto sales = spark.read().option("header", "true").option("inferSchema", "true").csv("data/sales.csv");
    auto by_region = sales.filter(col("amount") > 100)
                         .with_column("year", year(col("order_date")))
                         .group_by("region", "year")
                         .agg(sum("amount").alias("revenue"), count("*").alias("orders"))
                         .order_by(col("revenue").desc());
    by_region.explain(true);
    by_region.show();
    by_region.write().mode("overwrite").partition_by("year").option("header", "true").csv("out/by_region");
    std::cout << "wrote out/by_region (" << by_region.count() << " rows)\n";
  } catch (const EmberError& e) {
    std::cerr << error_kind_name(e.kind()) << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
