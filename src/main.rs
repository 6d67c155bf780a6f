//! The `jirei` binary: parses arguments and hands over to the library.

use clap::Parser;

/// mimalloc: the build allocates millions of small strings and posting
/// lists; glibc's malloc spent about a tenth of a 10,000-case build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    jirei::commands::run(jirei::commands::Cli::parse())
}
