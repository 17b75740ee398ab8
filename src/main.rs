//! The `kartla` binary: everything lives in the library, so the binary and the tests build the same thing.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    kartla::cli::run().await
}
