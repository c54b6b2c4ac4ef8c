//! `briefing-ls rules [CODE]`.
use std::process::ExitCode;

pub fn run(_code: Option<&str>) -> ExitCode {
    super::error("rules", "not built yet");
    ExitCode::from(2)
}
