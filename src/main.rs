//! The `jirei` binary: parses arguments and hands over to the library.

use clap::Parser;
use jirei::commands::{Cli, Command};

/// mimalloc: the build allocates millions of small strings and posting
/// lists; glibc's malloc spent about a tenth of a 10,000-case build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        keep_freed_memory();
    }
    jirei::commands::run(cli)
}

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h` (the `extended`
/// bindings have no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc not to give freed memory back to the system. A command
/// that runs once frees and allocates hundreds of megabytes in turn (one
/// batch of documents after another): given back after mimalloc's default
/// 10 ms, each page came back as a fault and was zeroed again, about a
/// second of system time at 10,000 cases. `jirei serve` keeps the default:
/// it runs for hours and should shrink after a rebuild.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores the value in mimalloc's option
    // table; -1 is the documented value for "never purge".
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}
