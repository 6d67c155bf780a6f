//! `jirei serve`: build, serve on loopback, watch and live-reload.
//!
//! Prints `serving http://ADDR/` on standard output once it listens (tests
//! and scripts read the address from there, e.g. with `--port 0`), then one
//! line per rebuild; diagnostics go to standard error.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use clap::Args;

use super::{Cli, exit};
use crate::serve::workspace::{Outcome, Scope};
use crate::serve::{self, Reporter, ServeOptions};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Only loopback unless you say otherwise: the
    /// preview has no access control.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Port (0: any free port; the address is printed).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the browser.
    #[arg(long)]
    pub open: bool,
    /// Include cases marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Where to build the preview [default: ROOT/.jirei-cache/serve/site].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Searches running or waiting at once; more are answered 503 at once.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_searches: u32,
    /// Search answers kept per version of the collection (0: none).
    #[arg(long, default_value_t = 4096)]
    pub search_cache: usize,
}

struct Printer {
    open: bool,
}

impl Reporter for Printer {
    fn ready(&mut self, addr: SocketAddr, cases: usize) {
        let url = format!("http://{addr}/");
        out!("serving {url} ({cases} cases); watching for changes, Ctrl-C to stop");
        if self.open && serve::open_browser(&url).is_err() {
            eprintln!("jirei: could not open a browser; open {url} yourself");
        }
    }

    fn outcome(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Unchanged => {}
            Outcome::Published {
                changed,
                scope,
                pages,
                elapsed,
            } => {
                let how = match (*scope, *pages) {
                    (Scope::Case, 1) => "the edited page".to_string(),
                    (Scope::Case, n) => format!("{n} pages showing the edited case"),
                    (Scope::Cases, n) => format!("the site from every case, {n} pages changed"),
                    (Scope::Site, n) => format!("the whole site ({n} pages)"),
                };
                let what = match changed.as_slice() {
                    [] => "the theme or config".to_string(),
                    [one] => one.clone(),
                    many => format!("{} files", many.len()),
                };
                out!("rebuilt {how} in {} ms ({what})", elapsed.as_millis());
            }
            Outcome::Failed(errors) => {
                for e in errors {
                    eprintln!("{}: {}: {}", e.location, e.severity, e.message);
                }
                eprintln!("jirei: not rebuilt; the previous site is still served");
            }
        }
    }

    fn exports(&mut self, took: std::time::Duration) {
        out!(
            "  then the search data, cases.json and cases.csv in {} ms",
            took.as_millis()
        );
    }
}

pub fn run(cli: &Cli, args: &ServeArgs) -> u8 {
    if !args.bind.is_loopback() {
        eprintln!(
            "jirei: warning: listening on {}: anyone who can reach this machine can read the preview",
            args.bind
        );
    }
    let options = ServeOptions {
        root: cli.root.clone(),
        bind: args.bind,
        port: args.port,
        out: args.out.clone(),
        drafts: args.drafts,
        max_searches: args.max_searches as usize,
        cache_entries: args.search_cache,
    };
    match serve::run(options, Printer { open: args.open }) {
        Ok(()) => exit::OK,
        Err(e @ serve::ServeError::Bind { .. }) => super::usage_error(&e.to_string()),
        Err(e) => {
            eprintln!("jirei: error: {e}");
            exit::INVALID
        }
    }
}
