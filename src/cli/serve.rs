//! `briefing-ls [serve [--stdio]]`: the language server on stdio.
//!
//! Stdout is the protocol, so everything else goes to stderr: logs (at `--log-level`, `warn`
//! by default) and errors. The exit code follows LSP: 0 when the client asked for `shutdown`
//! before `exit`, 1 otherwise (the input closed, or `exit` came unannounced).

use std::process::ExitCode;

use tracing_subscriber::filter::LevelFilter;

pub fn run(log_level: &str) -> ExitCode {
    let level = match log_level.to_ascii_lowercase().as_str() {
        "off" => LevelFilter::OFF,
        "error" => LevelFilter::ERROR,
        "warn" | "warning" => LevelFilter::WARN,
        "info" => LevelFilter::INFO,
        "debug" => LevelFilter::DEBUG,
        "trace" => LevelFilter::TRACE,
        other => {
            super::error(
                "serve",
                format!("unknown --log-level `{other}` (error, warn, info, debug, trace, off)"),
            );
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .init();
    let runtime = match briefing_ls::server::runtime() {
        Ok(r) => r,
        Err(e) => {
            super::error("serve", format!("cannot start the async runtime: {e}"));
            return ExitCode::from(2);
        }
    };
    let shut_down =
        runtime.block_on(async { briefing_ls::server::serve(tokio::io::stdin(), output()).await });
    // The stdin reader may be parked on a read that never returns (a client that keeps the
    // pipe open after `exit`): don't wait for it.
    runtime.shutdown_background();
    if shut_down {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Where the server writes: standard output as a plain file. `std`'s standard output is
/// line-buffered, and so searches every message it is given for a line break (a megabyte
/// publication of diagnostics has none); a duplicate of its descriptor writes the same pipe
/// without that. Standard output itself when it cannot be duplicated.
fn output() -> std::pin::Pin<Box<dyn tokio::io::AsyncWrite + Send>> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        match std::io::stdout().as_fd().try_clone_to_owned() {
            Ok(fd) => return Box::pin(tokio::fs::File::from_std(std::fs::File::from(fd))),
            Err(e) => tracing::warn!("cannot duplicate standard output ({e}): writing it as is"),
        }
    }
    Box::pin(tokio::io::stdout())
}
