//! `briefing-ls tag PATH [--write] [--style span|html]` and `briefing-ls untag PATH [--write]`.
//!
//! Both print the rewritten document to standard output, or with `--write` replace the file
//! atomically: the new text goes to a temporary file in the same folder, is flushed to disk,
//! given the original's permissions, and renamed over the original, but only if the original
//! still holds what was read (same bytes, same modification time). On any error the file is
//! left untouched and the temporary file removed. A file whose text would not change is not
//! written at all. `PATH` may be `-` for standard input (not with `--write`).
//!
//! A run killed mid-write leaves the original intact and, at worst, its temporary file
//! (`.NAME.briefing-ls.PID.N.tmp`); the next `--write` on that file removes temporary files
//! whose process is gone. Test builds (debug assertions) honour
//! `BRIEFING_LS_TEST_WRITE_DELAY_MS`: a pause after half the new text is written, so that
//! `tests/file_safety.rs` can kill the process or change the file mid-write.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use briefing_ls::config::TagStyle;
use briefing_ls::prose::Language;
use briefing_ls::tags;

/// Which tag syntax to write.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum StyleArg {
    /// `[148 weapons]{.fig value=148 noun=weapons}`
    Span,
    /// `<data class="fig" value="148" data-noun="weapons">148 weapons</data>`
    Html,
}

#[derive(clap::Args)]
pub struct TagArgs {
    /// The document (`-`: standard input).
    pub path: PathBuf,
    /// Replace the file (atomically) instead of printing the result.
    #[arg(long)]
    pub write: bool,
    /// Tag syntax to write (default: the `tags` setting of `.briefing-ls.toml`, else span).
    #[arg(long, value_enum)]
    pub style: Option<StyleArg>,
    /// Configuration file (default: `.briefing-ls.toml` found by walking up).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct UntagArgs {
    /// The document (`-`: standard input).
    pub path: PathBuf,
    /// Replace the file (atomically) instead of printing the result.
    #[arg(long)]
    pub write: bool,
}

pub fn run_tag(a: TagArgs) -> ExitCode {
    let shown = a.path.display().to_string();
    let Some(doc) = Snapshot::read(&a.path, a.write) else {
        return ExitCode::from(2);
    };
    let Ok(config) = super::config_for(a.config.as_deref(), &shown) else {
        return ExitCode::from(2);
    };
    let style = match a.style {
        Some(StyleArg::Span) => TagStyle::Span,
        Some(StyleArg::Html) => TagStyle::Html,
        None => config.tags,
    };
    let figures = briefing_ls::figures::extract_lang(&doc.text, &config, doc.lang);
    let edits = tags::tag_all_edits_lang(&doc.text, &figures, style, doc.lang);
    finish(&a.path, &doc, tags::apply_edits(&doc.text, &edits), a.write)
}

pub fn run_untag(a: UntagArgs) -> ExitCode {
    let Some(doc) = Snapshot::read(&a.path, a.write) else {
        return ExitCode::from(2);
    };
    let edits = tags::untag_all_edits_lang(&doc.text, doc.lang);
    finish(&a.path, &doc, tags::apply_edits(&doc.text, &edits), a.write)
}

fn finish(path: &Path, doc: &Snapshot, out: String, write: bool) -> ExitCode {
    if !write {
        let mut stdout = std::io::stdout().lock();
        return match stdout
            .write_all(out.as_bytes())
            .and_then(|_| stdout.flush())
        {
            Ok(()) => ExitCode::SUCCESS,
            // A closed pipe (`| head`) is the reader's choice, not an error worth a message.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                super::error("-", e);
                ExitCode::from(2)
            }
        };
    }
    if out == doc.text {
        return ExitCode::SUCCESS;
    }
    match write_atomically(path, doc, out.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            super::error(&path.display().to_string(), e);
            ExitCode::from(2)
        }
    }
}

/// A document as it was read: its text, and what `--write` checks before replacing it.
struct Snapshot {
    text: String,
    lang: Language,
    modified: Option<SystemTime>,
}

impl Snapshot {
    /// Read `path` (or standard input for `-`), reporting any error.
    fn read(path: &Path, write: bool) -> Option<Snapshot> {
        let shown = path.display().to_string();
        let fail = |msg: &dyn std::fmt::Display| {
            super::error(&shown, msg);
            None
        };
        if path.as_os_str() == "-" {
            if write {
                return fail(&"--write needs a file, not standard input");
            }
            return match super::read_text(std::io::stdin().lock()) {
                Ok(text) => Some(Snapshot {
                    text,
                    lang: Language::Markdown,
                    modified: None,
                }),
                Err(e) => fail(&e.message("input is ")),
            };
        }
        if path.is_dir() {
            return fail(&"is a directory: give one file");
        }
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) => return fail(&e),
        };
        match fs::File::open(path)
            .map_err(super::ReadError::Io)
            .and_then(super::read_text)
        {
            Ok(text) => Some(Snapshot {
                text,
                lang: Language::from_path(path),
                modified: meta.modified().ok(),
            }),
            Err(e) => fail(&e.message("")),
        }
    }
}

/// Removes the temporary file unless the rename happened.
struct TempGuard(Option<PathBuf>);

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_file(p);
        }
    }
}

/// Replace the file at `path` with `new`: temporary file in the same folder, write, fsync,
/// original permissions, check that the original is unchanged since `doc` was read, rename.
fn write_atomically(path: &Path, doc: &Snapshot, new: &[u8]) -> Result<(), String> {
    // Write through a symbolic link to its target rather than replace the link.
    let target = fs::canonicalize(path).map_err(|e| e.to_string())?;
    let dir = target
        .parent()
        .ok_or("has no folder to write a temporary file in")?;
    let name = target
        .file_name()
        .ok_or("is not a file")?
        .to_string_lossy()
        .into_owned();
    let meta = fs::metadata(&target).map_err(|e| e.to_string())?;

    clean_stale_temps(dir, &name);
    let mut guard = TempGuard(None);
    let mut file = None;
    for n in 0..100 {
        let (prefix, suffix) = temp_affixes(&name);
        let tmp = dir.join(format!("{prefix}{}.{n}{suffix}", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => {
                guard.0 = Some(tmp);
                file = Some(f);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(format!(
                    "cannot create a temporary file in {}: {e}",
                    dir.display()
                ))
            }
        }
    }
    let (Some(mut file), Some(tmp)) = (file, guard.0.clone()) else {
        return Err(format!(
            "cannot create a temporary file in {}",
            dir.display()
        ));
    };
    let (first, rest) = new.split_at(new.len() / 2);
    file.write_all(first)
        .map_err(|e| format!("cannot write the temporary file: {e}"))?;
    test_delay(&mut file);
    file.write_all(rest)
        .map_err(|e| format!("cannot write the temporary file: {e}"))?;
    file.sync_all()
        .map_err(|e| format!("cannot flush the temporary file: {e}"))?;
    drop(file);
    fs::set_permissions(&tmp, meta.permissions())
        .map_err(|e| format!("cannot set permissions: {e}"))?;

    // The last look before the rename: the file must still be what was read.
    let now = fs::read(&target).map_err(|e| e.to_string())?;
    let now_modified = fs::metadata(&target).ok().and_then(|m| m.modified().ok());
    if now != doc.text.as_bytes() || now_modified != doc.modified {
        return Err(
            "changed on disk since it was read; not written (run the command again)".to_string(),
        );
    }
    fs::rename(&tmp, &target).map_err(|e| format!("cannot replace the file: {e}"))?;
    guard.0 = None;
    // Make the rename itself durable; not every platform can open a folder, so best effort.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The prefix and suffix of this file's temporary files: `.NAME.briefing-ls.` and `.tmp`.
fn temp_affixes(name: &str) -> (String, &'static str) {
    (format!(".{name}.briefing-ls."), ".tmp")
}

/// Remove temporary files left next to `name` by runs that were killed mid-write: those
/// whose process no longer exists (where `/proc` says so), else those over an hour old.
fn clean_stale_temps(dir: &Path, name: &str) {
    let (prefix, suffix) = temp_affixes(name);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let procfs = Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix.as_str()))
            .and_then(|n| n.strip_suffix(suffix))
        else {
            continue;
        };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let gone = if procfs {
            pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists()
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600)
        };
        if gone {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Test builds only: pause mid-write when `BRIEFING_LS_TEST_WRITE_DELAY_MS` says so (the
/// first half of the text flushed to the temporary file, so that a kill leaves it partial).
#[cfg(debug_assertions)]
fn test_delay(file: &mut fs::File) {
    let ms = std::env::var("BRIEFING_LS_TEST_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(ms) = ms {
        let _ = file.sync_all();
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

#[cfg(not(debug_assertions))]
fn test_delay(_: &mut fs::File) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("briefing-ls-tag-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_the_file_and_keeps_its_mode() {
        let dir = scratch("ok");
        let p = dir.join("a.md");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
        let doc = Snapshot::read(&p, true).unwrap();
        write_atomically(&p, &doc, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        assert_eq!(leftovers(&dir), vec!["a.md"]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn refuses_when_the_file_changed_since_it_was_read() {
        let dir = scratch("changed");
        let p = dir.join("a.md");
        fs::write(&p, "old").unwrap();
        let doc = Snapshot::read(&p, true).unwrap();
        fs::write(&p, "edited elsewhere").unwrap();
        let e = write_atomically(&p, &doc, b"new").unwrap_err();
        assert!(e.contains("changed on disk"), "{e}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "edited elsewhere");
        assert_eq!(leftovers(&dir), vec!["a.md"]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn temporary_files_of_dead_runs_are_removed_and_others_kept() {
        let dir = scratch("stale");
        let p = dir.join("a.md");
        fs::write(&p, "old").unwrap();
        // A process id that cannot be running (above the kernel's maximum), this process's
        // own, another file's, and a stranger's file.
        let dead = dir.join(".a.md.briefing-ls.4294967295.0.tmp");
        let mine = dir.join(format!(".a.md.briefing-ls.{}.7.tmp", std::process::id()));
        let other = dir.join(".b.md.briefing-ls.4294967295.0.tmp");
        let stranger = dir.join(".a.md.tmp");
        for f in [&dead, &mine, &other, &stranger] {
            fs::write(f, "partial").unwrap();
        }
        let doc = Snapshot::read(&p, true).unwrap();
        write_atomically(&p, &doc, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        let mut want = vec![
            ".a.md.tmp".to_string(),
            ".b.md.briefing-ls.4294967295.0.tmp".to_string(),
            format!(".a.md.briefing-ls.{}.7.tmp", std::process::id()),
            "a.md".to_string(),
        ];
        if !Path::new("/proc/self").exists() {
            // Without /proc only old files count as stale; this one is new.
            want.push(".a.md.briefing-ls.4294967295.0.tmp".to_string());
        }
        want.sort();
        assert_eq!(leftovers(&dir), want);
        fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_symbolic_links() {
        let dir = scratch("link");
        let real = dir.join("real.md");
        let link = dir.join("link.md");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let doc = Snapshot::read(&link, true).unwrap();
        write_atomically(&link, &doc, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        fs::remove_dir_all(dir).unwrap();
    }
}
