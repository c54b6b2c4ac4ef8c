//! The `briefing-ls` command: language server (default), `check`, `figures`, `tag`,
//! `untag`, `rules`. Exit codes: 0 fine, 1 findings (for `check`), 2 bad usage or input.
#![allow(clippy::print_stdout)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

/// jemalloc rather than the system allocator: with glibc's, a server that opened and closed
/// 8 MB of documents kept ~150 MB it no longer used (freed, but pinned by fragmentation).
/// jemalloc's background thread returns freed pages to the system within about ten seconds
/// (its default decay), whatever the server does next (SPEC §9, bounded resources;
/// tests/robustness_resources.rs measures it).
#[cfg(all(unix, not(target_env = "musl")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "briefing-ls",
    version,
    about = "Figures in briefings: a language server and a linter"
)]
struct Args {
    /// Log level for the server's stderr log: error, warn, info, debug, trace.
    #[arg(long, global = true, default_value = "warn")]
    log_level: String,
    /// Accepted for editors that start servers with `--stdio`.
    #[arg(long, hide = true)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the Language Server Protocol on stdin/stdout (the default).
    Serve {
        #[arg(long)]
        stdio: bool,
    },
    /// Check documents and report diagnostics.
    Check(cli::check::CheckArgs),
    /// List the figures of documents.
    Figures(cli::figures::FiguresArgs),
    /// Wrap every figure of a document in a structured tag.
    Tag(cli::tag::TagArgs),
    /// Remove every structured tag of a document.
    Untag(cli::tag::UntagArgs),
    /// List the checks, or print one check's documentation.
    Rules { code: Option<String> },
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match args.command {
        None | Some(Command::Serve { .. }) => cli::serve::run(&args.log_level),
        Some(Command::Check(a)) => cli::check::run(a),
        Some(Command::Figures(a)) => cli::figures::run(a),
        Some(Command::Tag(a)) => cli::tag::run_tag(a),
        Some(Command::Untag(a)) => cli::tag::run_untag(a),
        Some(Command::Rules { code }) => cli::rules::run(code.as_deref()),
    }
}
