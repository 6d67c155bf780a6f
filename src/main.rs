//! The `jirei` binary: parses arguments and hands over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    jirei::commands::run(jirei::commands::Cli::parse())
}
