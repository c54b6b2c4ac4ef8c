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
        match read_text(std::io::stdin().lock()) {
            Ok(text) => out.push(Input {
                path: "-".into(),
                text,
                lang: briefing_ls::prose::Language::Markdown,
            }),
            Err(e) => {
                error("-", e.message("input is "));
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
    match std::fs::File::open(p)
        .map_err(ReadError::Io)
        .and_then(read_text)
    {
        Ok(text) => {
            out.push(Input {
                path: shown,
                text,
                lang: briefing_ls::prose::Language::from_path(p),
            });
            false
        }
        Err(e) => {
            error(&shown, e.message(""));
            true
        }
    }
}

/// Why a text could not be read.
pub(crate) enum ReadError {
    Io(std::io::Error),
    NotUtf8,
    /// Over [`MAX_TEXT`](briefing_ls::figures::MAX_TEXT) bytes: the analysis keeps offsets
    /// in 32 bits, so a larger text is refused rather than read in part.
    TooLarge,
}

impl ReadError {
    /// The message, `utf8` naming what was not UTF-8 (`input is` for standard input).
    pub(crate) fn message(&self, utf8: &str) -> String {
        match self {
            ReadError::Io(e) => e.to_string(),
            ReadError::NotUtf8 => format!("{utf8}not valid UTF-8"),
            ReadError::TooLarge => format!(
                "larger than {} bytes (4 GiB), the most briefing-ls reads",
                briefing_ls::figures::MAX_TEXT
            ),
        }
    }
}

/// Read a whole text, UTF-8 and at most [`MAX_TEXT`](briefing_ls::figures::MAX_TEXT)
/// bytes; a larger one is not read past its limit.
pub(crate) fn read_text(r: impl Read) -> Result<String, ReadError> {
    read_text_limited(r, briefing_ls::figures::MAX_TEXT)
}

fn read_text_limited(r: impl Read, max: usize) -> Result<String, ReadError> {
    let mut buf = Vec::new();
    r.take(max as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(ReadError::Io)?;
    if buf.len() > max {
        return Err(ReadError::TooLarge);
    }
    String::from_utf8(buf).map_err(|_| ReadError::NotUtf8)
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

#[cfg(test)]
mod tests {
    use super::{read_text_limited, ReadError};

    #[test]
    fn a_text_is_read_up_to_its_limit_and_refused_past_it() {
        let read = |b: &[u8]| read_text_limited(b, 10);
        assert!(matches!(read(b"0123456789"), Ok(t) if t == "0123456789"));
        assert!(matches!(read(b""), Ok(t) if t.is_empty()));
        let e = read(b"0123456789a").err().unwrap();
        assert!(matches!(e, ReadError::TooLarge));
        assert!(e.message("").contains("4 GiB"), "{}", e.message(""));
        let e = read(b"\xff\xfe").err().unwrap();
        assert_eq!(e.message("input is "), "input is not valid UTF-8");
        assert_eq!(e.message(""), "not valid UTF-8");
    }

    /// The limit counts bytes: a text of multi-byte characters over it is refused even when
    /// it holds fewer characters than the limit.
    #[test]
    fn the_limit_counts_bytes() {
        let text = "€€€€"; // 12 bytes, 4 characters
        assert!(matches!(
            read_text_limited(text.as_bytes(), 10),
            Err(ReadError::TooLarge)
        ));
        assert!(matches!(read_text_limited(text.as_bytes(), 12), Ok(t) if t == text));
    }
}
