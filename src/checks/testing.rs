//! Helpers for the checks' inline tests: run one check on a text and compare what a user
//! would see (`line:col message`, one finding a line) with the expected text.

use super::{Check, Cx, Finding};
use crate::config::Config;
use crate::position::{Encoding, LineIndex};
use crate::prose::Language;

/// The findings of one check on `text` with `config`.
pub fn findings(check: &Check, text: &str, config: &Config) -> Vec<Finding> {
    let figures = crate::figures::extract(text, config);
    let cx = Cx::new(text, &figures, config, Language::Markdown);
    let mut v = (check.run)(&cx);
    v.sort_by_key(|f| (f.span.start, f.span.end));
    v
}

/// `line:col message` lines (1-based, columns in characters).
pub fn render(text: &str, found: &[Finding]) -> String {
    let idx = LineIndex::new(text);
    found
        .iter()
        .map(|f| {
            let lc = idx.to_line_col(text, f.span.start, Encoding::Chars);
            format!("{}:{} {}", lc.line + 1, lc.col + 1, f.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Assert that `check` on `text` reports exactly `expected` (`""` for silence).
#[track_caller]
pub fn check(check: &Check, text: &str, expected: &str) {
    check_with(check, text, &Config::default(), expected);
}

/// [`check`] with a configuration.
#[track_caller]
pub fn check_with(check: &Check, text: &str, config: &Config, expected: &str) {
    let got = render(text, &findings(check, text, config));
    assert_eq!(got.trim(), expected.trim(), "\n{}\non: {text}", check.code);
}

/// The text of every fix edit applied to `text` for the first finding.
#[track_caller]
pub fn fixed(check: &Check, text: &str) -> String {
    let found = findings(check, text, &Config::default());
    let f = found
        .first()
        .unwrap_or_else(|| panic!("{} found nothing in {text}", check.code));
    let fix = f
        .fixes
        .first()
        .unwrap_or_else(|| panic!("{} has no fix for {text}", check.code));
    let mut edits = fix.edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.start..e.end, &e.text);
    }
    out
}
