//! The subcommands, one file each, and what they share: reading inputs and errors.

pub mod check;
pub mod figures;
pub mod rules;
pub mod serve;
pub mod tag;

use std::io::Read;
use std::path::{Path, PathBuf};

/// One input document: its display path and text.
pub struct Input {
    pub path: String,
    pub text: String,
    pub lang: briefing_ls::prose::Language,
}

/// Print `briefing-ls: WHAT: MESSAGE` to stderr (a closed stderr is no reason to panic).
pub fn error(what: &str, msg: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "briefing-ls: {what}: {msg}");
}

/// Write `s` to standard output. A reader that went away (`briefing-ls check | head`)
/// ends the output quietly (`print!` panicked); another failure (a full disk) is
/// reported, and the caller exits with 2: `false`.
pub fn emit(s: &str) -> bool {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            drop(out);
            error("output", format!("cannot write to standard output: {e}"));
            false
        }
    }
}

/// Read the inputs named on the command line: files, directories (walked for Markdown and
/// text files, honouring `.gitignore`), or `-`/nothing for standard input. Unreadable
/// inputs are reported and make the result `Err` after everything readable was read.
pub fn read_inputs(paths: &[PathBuf]) -> (Vec<Input>, bool) {
    let mut out = Vec::new();
    let mut failed = false;
    if paths.is_empty() || paths.iter().any(|p| p.as_os_str() == "-") && paths.len() == 1 {
        let mut buf = Vec::new();
        match std::io::stdin().read_to_end(&mut buf) {
            Ok(_) => match String::from_utf8(buf) {
                Ok(text) => out.push(Input {
                    path: "-".into(),
                    text,
                    lang: briefing_ls::prose::Language::Markdown,
                }),
                Err(_) => {
                    error("-", "input is not valid UTF-8");
                    failed = true;
                }
            },
            Err(e) => {
                error("-", e);
                failed = true;
            }
        }
        return (out, failed);
    }
    for p in paths {
        if p.as_os_str() == "-" {
            error("-", "standard input cannot be combined with paths");
            failed = true;
            continue;
        }
        if p.is_dir() {
            let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(p)
                .require_git(false)
                .build()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_document(e.path()))
                .map(|e| e.into_path())
                .collect();
            files.sort();
            for f in files {
                failed |= read_file(&f, &mut out);
            }
        } else {
            failed |= read_file(p, &mut out);
        }
    }
    (out, failed)
}

fn read_file(p: &Path, out: &mut Vec<Input>) -> bool {
    let shown = p.display().to_string();
    match std::fs::read(p) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                out.push(Input {
                    path: shown,
                    text,
                    lang: briefing_ls::prose::Language::from_path(p),
                });
                false
            }
            Err(_) => {
                error(&shown, "not valid UTF-8");
                true
            }
        },
        Err(e) => {
            error(&shown, e);
            true
        }
    }
}

/// Whether a walked file is a document: `*.md`, `*.markdown`, `*.txt`, `*.qmd`.
pub fn is_document(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("md" | "markdown" | "txt" | "qmd")
    )
}

/// The configuration for a document: `--config FILE` when given, else `.briefing-ls.toml`
/// found by walking up from the document (standard input: from the current folder). A bad
/// explicit file is an error (exit 2); a bad found file is reported and the defaults apply.
pub fn config_for(explicit: Option<&Path>, doc: &str) -> Result<briefing_ls::Config, ()> {
    if let Some(p) = explicit {
        return match std::fs::read_to_string(p) {
            Ok(t) => {
                briefing_ls::Config::from_toml(&t).map_err(|e| error(&p.display().to_string(), e))
            }
            Err(e) => {
                error(&p.display().to_string(), e);
                Err(())
            }
        };
    }
    let start = if doc == "-" {
        std::env::current_dir().unwrap_or_default()
    } else {
        std::fs::canonicalize(doc).unwrap_or_else(|_| PathBuf::from(doc))
    };
    let Some(found) = briefing_ls::config::find_file(&start, None) else {
        return Ok(briefing_ls::Config::default());
    };
    match std::fs::read_to_string(&found)
        .map_err(|e| e.to_string())
        .and_then(|t| briefing_ls::Config::from_toml(&t).map_err(|e| e.to_string()))
    {
        Ok(c) => Ok(c),
        Err(e) => {
            error(
                &found.display().to_string(),
                format!("{e}; using the defaults"),
            );
            Ok(briefing_ls::Config::default())
        }
    }
}
