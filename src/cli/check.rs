//! `briefing-ls check`: diagnostics for CI.
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
    pub paths: Vec<PathBuf>,
    #[arg(long, default_value = "human")]
    pub format: String,
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[arg(long)]
    pub deny: Option<String>,
}

pub fn run(_a: CheckArgs) -> ExitCode {
    super::error("check", "not built yet");
    ExitCode::from(2)
}
