//! The `kartla` binary: everything lives in the library, so the binary and the tests build the same thing.

use std::process::ExitCode;

/// jemalloc rather than the system's malloc: a GraphQL answer is thousands of small allocations made and
/// freed across threads, which glibc's malloc serves slower and leaves more fragmented (see
/// benchmarks/RESULTS.md). Its options are set at build time in `.cargo/config.toml`.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    kartla::cli::run().await
}
