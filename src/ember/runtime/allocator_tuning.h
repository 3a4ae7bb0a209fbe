#pragma once

namespace ember {

// Makes the C allocator keep freed memory for reuse instead of returning it to the kernel.
//
// Executors allocate and free buffers of a few hundred KiB to tens of MiB per batch (decompressed
// Parquet pages and dictionaries, column vectors, hash-table arrays). With glibc's defaults many of
// those are fresh mmap'd or trimmed-and-regrown pages, and every first touch of a page is a page
// fault: TPC-H Q6 over SF1 lineitem took 57,500 page faults and 232 ms of CPU, against 3,750 and
// 159 ms with the settings below (`perf stat -r 8`, docs/benchmarks.md). DuckDB and Velox get the
// same effect from jemalloc's retained extents.
//
// Called once per process (idempotent) when the first executor starts. Leaves the allocator alone
// when the user configured it (GLIBC_TUNABLES, MALLOC_MMAP_THRESHOLD_ or MALLOC_TRIM_THRESHOLD_ in
// the environment) or when EMBER_MALLOC_TUNING=0; does nothing on other C libraries.
void tune_allocator_for_executors();

}  // namespace ember
