//! File safety of `tag --write` and `untag --write` (SPEC §9, issue 8), against the built
//! binary: the file is replaced atomically (a new inode renamed into place, mode kept, no
//! temporary file left), nothing is written without `--write` or when nothing changes, a file
//! changed on disk while the command ran is not overwritten, and a process killed in the
//! middle of writing leaves the old content (the next run cleans its temporary file up).
//!
//! The mid-write cases use the test-build hook `BRIEFING_LS_TEST_WRITE_DELAY_MS` (see
//! `src/cli/tag.rs`), which pauses after half the new text is in the temporary file.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const DOC: &str =
    "Police seized 148 weapons, over 4,431 pieces of ammunition and 800kg of drugs.\n\n\
Exports rose to 707 billion tenge; emoji 😀 and CJK 漢字 stay put.\r\n";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_briefing-ls"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run briefing-ls")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "briefing-ls-file-safety-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn temps(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.contains(".briefing-ls.") && n.ends_with(".tmp"))
        .collect()
}

/// What `tag PATH` prints (the text `tag --write` must leave).
fn tagged(path: &Path) -> String {
    let out = run(&["tag", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[cfg(unix)]
fn mode_and_inode(p: &Path) -> (u32, u64) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let m = fs::metadata(p).unwrap();
    (m.permissions().mode() & 0o7777, m.ino())
}

#[cfg(unix)]
#[test]
fn tag_and_untag_write_replace_the_file_atomically_and_keep_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("atomic");
    let p = dir.join("brief.md");
    fs::write(&p, DOC).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
    let (_, inode) = mode_and_inode(&p);
    let want = tagged(&p);
    assert_ne!(want, DOC, "the engine tags something");

    let out = run(&["tag", p.to_str().unwrap(), "--write"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "--write prints nothing");
    assert_eq!(fs::read_to_string(&p).unwrap(), want);
    let (mode, new_inode) = mode_and_inode(&p);
    assert_eq!(mode, 0o640, "mode kept");
    assert_ne!(
        new_inode, inode,
        "a new file renamed into place, not rewritten in place"
    );
    assert_eq!(names(&dir), ["brief.md"], "no temporary file left");

    // Removing every tag gives the original back, byte for byte, the same way.
    let out = run(&["untag", p.to_str().unwrap(), "--write"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read_to_string(&p).unwrap(), DOC);
    assert_eq!(mode_and_inode(&p).0, 0o640);
    assert_eq!(names(&dir), ["brief.md"]);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn nothing_is_written_without_write_or_without_a_change() {
    let dir = scratch("untouched");
    let p = dir.join("brief.md");
    fs::write(&p, DOC).unwrap();
    let before = fs::metadata(&p).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let out = run(&["tag", p.to_str().unwrap()]);
    assert!(out.status.success());
    let out = run(&["untag", p.to_str().unwrap(), "--write"]);
    assert!(out.status.success(), "nothing to untag is success");
    assert_eq!(fs::read_to_string(&p).unwrap(), DOC);
    assert_eq!(fs::metadata(&p).unwrap().modified().unwrap(), before);
    // A document with no figures: `tag --write` has nothing to do and does not write.
    let q = dir.join("plain.md");
    fs::write(&q, "No numbers here.\n").unwrap();
    let before = fs::metadata(&q).unwrap().modified().unwrap();
    assert!(run(&["tag", q.to_str().unwrap(), "--write"])
        .status
        .success());
    assert_eq!(fs::metadata(&q).unwrap().modified().unwrap(), before);
    // Standard input cannot be written.
    let out = bin()
        .args(["tag", "-", "--write"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(names(&dir), ["brief.md", "plain.md"]);
    fs::remove_dir_all(dir).unwrap();
}

/// Start `briefing-ls ARGS` with the mid-write pause, and wait until its temporary file
/// exists (half written).
fn start_paused(dir: &Path, args: &[&str], delay_ms: u64) -> std::process::Child {
    let child = bin()
        .args(args)
        .env("BRIEFING_LS_TEST_WRITE_DELAY_MS", delay_ms.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while temps(dir).is_empty() {
        assert!(Instant::now() < deadline, "no temporary file appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

#[test]
fn a_file_changed_on_disk_during_the_run_is_not_overwritten() {
    if !cfg!(debug_assertions) {
        return; // The pause hook exists only in test builds.
    }
    let dir = scratch("changed");
    let p = dir.join("brief.md");
    fs::write(&p, DOC).unwrap();
    let child = start_paused(&dir, &["tag", p.to_str().unwrap(), "--write"], 1500);
    // Another program (the editor) saves the file meanwhile.
    let edited = format!("{DOC}A line added in the editor: 12 tons.\n");
    fs::write(&p, &edited).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("changed on disk"), "{err}");
    assert!(err.starts_with("briefing-ls: "), "{err}");
    assert_eq!(
        fs::read_to_string(&p).unwrap(),
        edited,
        "the editor's save is kept"
    );
    assert_eq!(names(&dir), ["brief.md"], "temporary file removed");
    fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_run_killed_mid_write_leaves_the_old_file_and_the_next_run_cleans_up() {
    if !cfg!(debug_assertions) {
        return; // The pause hook exists only in test builds.
    }
    let dir = scratch("killed");
    let p = dir.join("brief.md");
    fs::write(&p, DOC).unwrap();
    let want = tagged(&p);
    let mut child = start_paused(&dir, &["tag", p.to_str().unwrap(), "--write"], 30_000);
    child.kill().unwrap(); // SIGKILL: no destructor, no cleanup
    child.wait().unwrap();
    assert_eq!(
        fs::read_to_string(&p).unwrap(),
        DOC,
        "the old content, whole"
    );
    let left = temps(&dir);
    assert_eq!(
        left.len(),
        1,
        "the killed run's partial temporary file: {left:?}"
    );
    let partial = fs::read(dir.join(&left[0])).unwrap();
    assert!(partial.len() < want.len(), "it was killed mid-write");

    // The next run succeeds and removes the dead run's temporary file.
    let out = run(&["tag", p.to_str().unwrap(), "--write"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read_to_string(&p).unwrap(), want);
    assert_eq!(names(&dir), ["brief.md"]);
    fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn kills_at_any_moment_leave_the_old_or_the_new_file() {
    // No hook: kill real runs after varying delays; whenever it lands, the file is one of
    // the two versions, never a mixture or empty.
    let dir = scratch("kill-anytime");
    let p = dir.join("brief.md");
    let big = DOC.repeat(2000);
    fs::write(&p, &big).unwrap();
    let want = tagged(&p);
    for i in 0..20u64 {
        fs::write(&p, &big).unwrap();
        let mut child = bin()
            .args(["tag", p.to_str().unwrap(), "--write"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(i * 7));
        let _ = child.kill();
        child.wait().unwrap();
        let now = fs::read_to_string(&p).unwrap();
        assert!(
            now == big || now == want,
            "kill after {} ms: a mixed file",
            i * 7
        );
    }
    // Whatever temporary files the kills left, the next run removes.
    fs::write(&p, &big).unwrap();
    assert!(run(&["tag", p.to_str().unwrap(), "--write"])
        .status
        .success());
    assert_eq!(fs::read_to_string(&p).unwrap(), want);
    assert_eq!(names(&dir), ["brief.md"]);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unreadable_and_odd_paths_are_errors_that_touch_nothing() {
    let dir = scratch("odd");
    let missing = dir.join("missing.md");
    let out = run(&["tag", missing.to_str().unwrap(), "--write"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!missing.exists());
    let out = run(&["untag", dir.to_str().unwrap(), "--write"]);
    assert_eq!(out.status.code(), Some(2), "a directory");
    let bad = dir.join("latin1.md");
    fs::write(&bad, b"caf\xe9 14 tons\n").unwrap();
    let out = run(&["tag", bad.to_str().unwrap(), "--write"]);
    assert_eq!(out.status.code(), Some(2), "not UTF-8");
    assert_eq!(fs::read(&bad).unwrap(), b"caf\xe9 14 tons\n");
    assert_eq!(names(&dir), ["latin1.md"]);
    fs::remove_dir_all(dir).unwrap();
}
