//! Checks: the registry and the types every check returns.
//!
//! A check is one file in this folder holding its documentation, its logic and its tests,
//! and one entry in [`REGISTRY`]. Checks receive the text, its figures and the
//! configuration, and return [`Finding`]s with byte ranges and byte-range fixes.

use std::ops::Range;

use serde::Serialize;

use crate::config::Config;
use crate::figures::Figure;

/// How loud a finding is. `Off` disables a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
    Off,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            "hint" => Severity::Hint,
            "off" => Severity::Off,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
            Severity::Off => "off",
        }
    }
}

/// One replacement of a byte range of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A named set of edits that repairs a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Another place in the document that a finding involves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Range<usize>,
    pub message: String,
}

/// A diagnostic, in core terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Range<usize>,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

/// A check's entry in the registry.
pub struct Check {
    pub code: &'static str,
    pub summary: &'static str,
    pub severity: Severity,
    /// What it catches, why it matters, an example that fires, one that does not, how to
    /// configure it (Markdown).
    pub explanation: &'static str,
    pub run: fn(&Context) -> Vec<Finding>,
}

/// What a check sees.
pub struct Context<'a> {
    pub text: &'a str,
    pub figures: &'a [Figure],
    pub config: &'a Config,
}

/// Every check, sorted by code.
pub static REGISTRY: &[Check] = &[];

/// The documentation URL of a code (what LSP `codeDescription.href` points to).
pub fn doc_url(code: &str) -> String {
    format!("https://github.com/briefing-ls/briefing-ls/blob/main/docs/checks.md#{code}")
}

/// Run every enabled check and return findings sorted by position.
pub fn run_all(text: &str, figures: &[Figure], config: &Config) -> Vec<Finding> {
    let cx = Context {
        text,
        figures,
        config,
    };
    let mut out = Vec::new();
    for check in REGISTRY {
        let sev = config.severity(check.code).unwrap_or(check.severity);
        if sev == Severity::Off {
            continue;
        }
        for mut f in (check.run)(&cx) {
            f.severity = sev;
            out.push(f);
        }
    }
    out.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    out
}

/// Every code of SPEC §3, sorted. The registry implements them; configuration accepts them.
pub const CODES: &[&str] = &[
    "ambiguous-unit",
    "change-mismatch",
    "conflicting-figures",
    "conversion-mismatch",
    "malformed-number",
    "malformed-tag",
    "mixed-units",
    "number-style",
    "numeral-starts-sentence",
    "part-exceeds-whole",
    "percent-sum",
    "spurious-precision",
    "stale-tag",
    "total-mismatch",
    "unitless-figure",
];

/// Whether `code` names a check of SPEC §3.
pub fn is_known_code(code: &str) -> bool {
    CODES.binary_search(&code).is_ok()
}
