//! `briefing-ls check [PATH...|-] [--format human|json|sarif] [--config FILE] [--deny warnings]`.
//!
//! Reads every input first (reporting the unreadable ones), analyses them in parallel on
//! scoped threads (one per core; documents are independent and analysis is pure CPU), then
//! prints in input order so that output is deterministic. Exit code: 2 when an input could
//! not be read or the usage is wrong, else 1 when an `error` (or, with `--deny warnings`, a
//! `warning`) was found, else 0.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use briefing_ls::report::diagnostics::{self, FileFindings};
use briefing_ls::{Finding, Severity};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or directories (walked for *.md, *.markdown, *.txt, *.qmd); `-` or nothing
    /// reads standard input.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, default_value = "human", value_parser = ["human", "json", "sarif"])]
    pub format: String,
    /// Configuration file (default: `.briefing-ls.toml` found by walking up).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// `warnings`: exit 1 on warnings too.
    #[arg(long, value_parser = ["warnings"])]
    pub deny: Option<String>,
}

pub fn run(a: CheckArgs) -> ExitCode {
    let (inputs, failed) = super::read_inputs(&a.paths);
    let mut configs = Vec::with_capacity(inputs.len());
    for input in &inputs {
        match super::config_for(a.config.as_deref(), &input.path) {
            Ok(c) => configs.push(c),
            // A bad explicit `--config` is bad usage: stop before printing anything.
            Err(()) => return ExitCode::from(2),
        }
    }
    let findings = analyse_all(&inputs, &configs);
    let files: Vec<FileFindings> = inputs
        .iter()
        .zip(&findings)
        .map(|(i, f)| FileFindings {
            path: &i.path,
            text: &i.text,
            findings: f,
        })
        .collect();
    let out = match a.format.as_str() {
        "json" => pretty(&diagnostics::json(&files)),
        "sarif" => pretty(&diagnostics::sarif(&files)),
        _ => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut s = String::new();
            for f in &files {
                s.push_str(&diagnostics::human(Some(f.path), f.text, f.findings, color));
            }
            s
        }
    };
    if !super::emit(&out) {
        return ExitCode::from(2);
    }
    // The summary goes to standard error after everything else.
    if a.format == "human" {
        summary(&findings, files.len());
    }
    let deny_warnings = a.deny.as_deref() == Some("warnings");
    let bad = findings
        .iter()
        .flatten()
        .any(|f| f.severity == Severity::Error || deny_warnings && f.severity == Severity::Warning);
    if failed {
        ExitCode::from(2)
    } else if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Analyse every input, spreading documents over the cores.
fn analyse_all(inputs: &[super::Input], configs: &[briefing_ls::Config]) -> Vec<Vec<Finding>> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(inputs.len().max(1));
    let mut out: Vec<Vec<Finding>> = vec![Vec::new(); inputs.len()];
    if threads <= 1 {
        for (k, (i, c)) in inputs.iter().zip(configs).enumerate() {
            out[k] = briefing_ls::analyse_lang(&i.text, c, i.lang).findings;
        }
        return out;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(&mut out);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(input) = inputs.get(k) else { break };
                let found =
                    briefing_ls::analyse_lang(&input.text, &configs[k], input.lang).findings;
                if let Ok(mut r) = results.lock() {
                    r[k] = found;
                }
            });
        }
    });
    out
}

/// `3 errors, 1 warning, 5 infos in 2 files` on standard error.
fn summary(findings: &[Vec<Finding>], files: usize) {
    let count = |s: Severity| {
        findings
            .iter()
            .flatten()
            .filter(|f| f.severity == s)
            .count()
    };
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let parts = [
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "info"),
        plural(count(Severity::Hint), "hint"),
    ];
    let _ = writeln!(
        std::io::stderr(),
        "{} in {}",
        parts.join(", "),
        plural(files, "file")
    );
}
