//! `briefing-ls tag` and `untag`.
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct TagArgs {
    pub path: PathBuf,
    #[arg(long)]
    pub write: bool,
    #[arg(long)]
    pub style: Option<String>,
}

#[derive(clap::Args)]
pub struct UntagArgs {
    pub path: PathBuf,
    #[arg(long)]
    pub write: bool,
}

pub fn run_tag(_a: TagArgs) -> ExitCode {
    super::error("tag", "not built yet");
    ExitCode::from(2)
}

pub fn run_untag(_a: UntagArgs) -> ExitCode {
    super::error("untag", "not built yet");
    ExitCode::from(2)
}
