//! `briefing-ls [serve [--stdio]]`: the language server on stdio.
use std::process::ExitCode;

pub fn run(_log_level: &str) -> ExitCode {
    super::error("serve", "the language server is not built yet");
    ExitCode::from(2)
}
