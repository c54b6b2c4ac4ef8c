//! Diagnostics for people and machines: compiler-style text, the `check` JSON of SPEC §6,
//! and SARIF 2.1.0 for code-scanning services.
//!
//! Every format takes findings in core terms (UTF-8 byte ranges) and converts positions
//! with [`crate::position::LineIndex`] only: lines and columns are 1-based, columns count
//! characters (SARIF says so with `columnKind: unicodeCodePoints`).

use serde_json::{json, Value};
use std::ops::Range;

use crate::checks::{self, Finding, Severity};
use crate::position::{Encoding, LineIndex};

/// One checked document.
pub struct FileFindings<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub findings: &'a [Finding],
}

/// `{"code", "severity", "message", "start", "end", "line", "column", "fixes"}` (SPEC §6).
pub fn diagnostic_json(text: &str, idx: &LineIndex, f: &Finding) -> Value {
    let lc = idx.to_line_col(text, f.span.start, Encoding::Chars);
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .map(|fix| {
            let edits: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| json!({"start": e.start, "end": e.end, "text": e.text}))
                .collect();
            json!({"title": fix.title, "edits": edits})
        })
        .collect();
    json!({
        "code": f.code,
        "severity": f.severity.as_str(),
        "message": f.message,
        "start": f.span.start,
        "end": f.span.end,
        "line": lc.line + 1,
        "column": lc.col + 1,
        "fixes": fixes,
    })
}

/// `{"path": ..., "diagnostics": [...]}` for one document.
pub fn file_diagnostics_json(file: &FileFindings) -> Value {
    let idx = LineIndex::new(file.text);
    let diags: Vec<Value> = file
        .findings
        .iter()
        .map(|f| diagnostic_json(file.text, &idx, f))
        .collect();
    json!({"path": file.path, "diagnostics": diags})
}

/// The whole `check --format json` object.
pub fn json(files: &[FileFindings]) -> Value {
    json!({"files": files.iter().map(file_diagnostics_json).collect::<Vec<_>>()})
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[1;34m";

fn colour(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
        Severity::Hint | Severity::Off => "\x1b[1;32m",
    }
}

/// One finding the way a compiler prints it:
///
/// ```text
/// path:1:20: warning[change-mismatch] 110.14 / 107.01 = +2.9%, not +3.8%
///   | Spending will rise 3.8 pct to 110.14 billion dlrs from 107.01 billion.
///   |                    ^^^^^^^^
///   = related 1:31: to: 110.14 billion dlrs
///   = fix: Replace with 2.9
/// ```
///
/// Without a path the line starts at `1:20:` (what fixture files show).
pub fn human_one(
    path: Option<&str>,
    text: &str,
    idx: &LineIndex,
    f: &Finding,
    color: bool,
) -> String {
    let lc = idx.to_line_col(text, f.span.start, Encoding::Chars);
    let (line, col) = (lc.line as usize, lc.col as usize);
    let at = match path {
        Some(p) => format!("{p}:{}:{}:", line + 1, col + 1),
        None => format!("{}:{}:", line + 1, col + 1),
    };
    let mut out = String::new();
    let (c, b, bl, r) = if color {
        (colour(f.severity), BOLD, BLUE, RESET)
    } else {
        ("", "", "", "")
    };
    out.push_str(&format!(
        "{b}{at}{r} {c}{}[{}]{r} {b}{}{r}\n",
        f.severity.as_str(),
        f.code,
        f.message
    ));
    let range = idx.line_range(text, line);
    let (src, col, width) = excerpt(text, range, f.span.clone(), col);
    out.push_str(&format!("{bl}  |{r} {src}\n"));
    out.push_str(&format!(
        "{bl}  |{r} {}{c}{}{r}\n",
        " ".repeat(col),
        "^".repeat(width)
    ));
    for rel in &f.related {
        let rl = idx.to_line_col(text, rel.span.start, Encoding::Chars);
        out.push_str(&format!(
            "{bl}  ={r} related {}:{}: {}\n",
            rl.line + 1,
            rl.col + 1,
            rel.message.replace('\n', " ")
        ));
    }
    for fix in &f.fixes {
        out.push_str(&format!(
            "{bl}  ={r} fix: {}\n",
            fix.title.replace('\n', " ")
        ));
    }
    out
}

/// At most this many characters of a source line are shown under a finding: a longer line
/// is cut around the finding (up to [`SHOWN_BEFORE`] characters before it), with `…` where
/// it was cut. A one-line document of thousands of sentences was otherwise printed whole
/// under each of its thousands of findings (gigabytes).
const SHOWN: usize = 240;
const SHOWN_BEFORE: usize = 80;

/// The source line `range` as shown under a finding at `span` (tabs as spaces, cut when
/// longer than [`SHOWN`] bytes), where the caret starts in it and how wide it is (`col`:
/// the finding's column in the whole line, in characters).
fn excerpt(
    text: &str,
    range: Range<usize>,
    span: Range<usize>,
    col: usize,
) -> (String, usize, usize) {
    let start = span.start.clamp(range.start, range.end);
    let end = span.end.clamp(start, range.end);
    let chars = |a: usize, b: usize| text.get(a..b).map_or(0, |s| s.chars().count());
    let (from, to, caret) = if range.len() <= SHOWN {
        (range.start, range.end, col)
    } else {
        // Back from the finding and on from there, character by character, never reading
        // the whole line.
        let from = text
            .get(range.start..start)
            .and_then(|s| s.char_indices().rev().take(SHOWN_BEFORE).last())
            .map_or(start, |(k, _)| range.start + k);
        let to = text
            .get(from..range.end)
            .and_then(|s| s.char_indices().nth(SHOWN))
            .map_or(range.end, |(k, _)| from + k);
        (
            from,
            to,
            chars(from, start) + usize::from(from > range.start),
        )
    };
    let mut src: String = text
        .get(from..to)
        .unwrap_or_default()
        .chars()
        .map(|ch| if ch == '\t' { ' ' } else { ch })
        .collect();
    if from > range.start {
        src.insert(0, '…');
    }
    if to < range.end {
        src.push('…');
    } else {
        src.truncate(src.trim_end().len());
    }
    (src, caret, chars(start, end.min(to)).max(1))
}

/// Every finding of a document, compiler style.
pub fn human(path: Option<&str>, text: &str, findings: &[Finding], color: bool) -> String {
    let idx = LineIndex::new(text);
    findings
        .iter()
        .map(|f| human_one(path, text, &idx, f, color))
        .collect()
}

fn sarif_level(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
        Severity::Off => "none",
    }
}

/// A path as a SARIF `uri` (a relative or absolute URI reference).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for ch in path.chars() {
        match ch {
            '\\' => out.push('/'),
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn region(text: &str, idx: &LineIndex, span: &std::ops::Range<usize>) -> Value {
    let s = idx.to_line_col(text, span.start, Encoding::Chars);
    let e = idx.to_line_col(text, span.end, Encoding::Chars);
    json!({
        "startLine": s.line + 1,
        "startColumn": s.col + 1,
        "endLine": e.line + 1,
        "endColumn": e.col + 1,
        "byteOffset": span.start,
        "byteLength": span.end.saturating_sub(span.start),
    })
}

/// The first paragraph of a check's explanation, as plain text.
fn first_paragraph(s: &str) -> String {
    s.split("\n\n").next().unwrap_or("").replace('\n', " ")
}

/// The SARIF 2.1.0 log of a `check` run: one run, every check a rule.
pub fn sarif(files: &[FileFindings]) -> Value {
    let rules: Vec<Value> = checks::REGISTRY
        .iter()
        .map(|c| {
            json!({
                "id": c.code,
                "name": c.code.split('-').map(crate::checks::words::capitalise).collect::<String>(),
                "shortDescription": {"text": c.summary},
                "fullDescription": {"text": first_paragraph(c.explanation)},
                "help": {"text": c.explanation, "markdown": c.explanation},
                "helpUri": checks::doc_url(c.code),
                "defaultConfiguration": {"level": sarif_level(c.severity)},
            })
        })
        .collect();
    let artifacts: Vec<Value> = files
        .iter()
        .map(|f| json!({"location": {"uri": uri(f.path)}, "length": f.text.len()}))
        .collect();
    let mut results = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let idx = LineIndex::new(file.text);
        let location = |span: &std::ops::Range<usize>| {
            json!({"physicalLocation": {
                "artifactLocation": {"uri": uri(file.path), "index": k},
                "region": region(file.text, &idx, span),
            }})
        };
        for f in file.findings {
            let rule_index = checks::REGISTRY
                .iter()
                .position(|c| c.code == f.code)
                .unwrap_or(0);
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": rule_index,
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [location(&f.span)],
            });
            if !f.related.is_empty() {
                let related: Vec<Value> = f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(n, r)| {
                        let mut l = location(&r.span);
                        l["id"] = json!(n);
                        l["message"] = json!({"text": r.message});
                        l
                    })
                    .collect();
                result["relatedLocations"] = Value::Array(related);
            }
            if !f.fixes.is_empty() {
                let fixes: Vec<Value> = f
                    .fixes
                    .iter()
                    .filter(|fix| !fix.edits.is_empty())
                    .map(|fix| {
                        let replacements: Vec<Value> = fix
                            .edits
                            .iter()
                            .map(|e| {
                                json!({
                                    "deletedRegion": {"byteOffset": e.start, "byteLength": e.end.saturating_sub(e.start)},
                                    "insertedContent": {"text": e.text},
                                })
                            })
                            .collect();
                        json!({
                            "description": {"text": fix.title},
                            "artifactChanges": [{"artifactLocation": {"uri": uri(file.path), "index": k}, "replacements": replacements}],
                        })
                    })
                    .collect();
                if !fixes.is_empty() {
                    result["fixes"] = Value::Array(fixes);
                }
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "briefing-ls",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/briefing-ls/briefing-ls",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{Edit, Fix, Related};

    fn finding() -> Finding {
        Finding {
            code: "change-mismatch",
            severity: Severity::Warning,
            message: "110.14 / 107.01 = +2.9%, not +3.8%".into(),
            span: 19..27,
            related: vec![Related {
                span: 31..51,
                message: "to: 110.14 billion dlrs".into(),
            }]
            .into(),
            fixes: vec![Fix {
                title: "Replace with 2.9".into(),
                edits: vec![Edit {
                    start: 19,
                    end: 22,
                    text: "2.9".into(),
                }]
                .into(),
            }]
            .into(),
        }
    }

    const TEXT: &str = "Spending will rise 3.8 pct to 110.14 billion dlrs from 107.01 billion.";

    #[test]
    fn human_is_compiler_style() {
        let h = human(Some("a.md"), TEXT, &[finding()], false);
        assert_eq!(
            h,
            "a.md:1:20: warning[change-mismatch] 110.14 / 107.01 = +2.9%, not +3.8%\n  | Spending will rise 3.8 pct to 110.14 billion dlrs from 107.01 billion.\n  |                    ^^^^^^^^\n  = related 1:32: to: 110.14 billion dlrs\n  = fix: Replace with 2.9\n"
        );
        assert!(human(None, TEXT, &[finding()], true).contains("\x1b["));
    }

    #[test]
    fn json_has_exactly_the_spec_keys() {
        let v = json(&[FileFindings {
            path: "-",
            text: TEXT,
            findings: &[finding()],
        }]);
        let d = &v["files"][0]["diagnostics"][0];
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["code", "severity", "message", "start", "end", "line", "column", "fixes"]
        );
        assert_eq!(d["line"], 1);
        assert_eq!(d["column"], 20);
        assert_eq!(d["fixes"][0]["edits"][0]["text"], "2.9");
    }
}
