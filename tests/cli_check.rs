//! `briefing-ls check` and `briefing-ls rules` end to end: inputs, formats, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_briefing-ls"))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut c = bin();
    c.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    if let Some(s) = stdin {
        use std::io::Write;
        // A command that fails on its arguments exits before reading: ignore a closed pipe.
        let _ = child.stdin.take().unwrap().write_all(s.as_bytes());
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh folder under the system temp folder, laid out as a git checkout.
fn workspace(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("briefing-ls-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

const BROKEN: &str = "New prices are 42,525 dlrs for the sedan and 43,.590 dlrs for the coupe.\n";
const STYLE: &str = "Wages increased three pct in the year.\n";
const WARNING: &str = "Spending will rise 3.8 pct to 110.14 billion dlrs from 107.01 billion.\n";

#[test]
fn json_is_exactly_the_spec_shape() {
    let o = run(&["check", "--format", "json", "-"], Some(WARNING));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["files"][0]["path"], "-");
    let d = &v["files"][0]["diagnostics"][0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["code", "severity", "message", "start", "end", "line", "column", "fixes"]
    );
    assert_eq!(d["code"], "change-mismatch");
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(20))
    );
    assert_eq!(d["start"], 19);
    let fix = &d["fixes"][0];
    assert_eq!(
        fix["edits"][0],
        serde_json::json!({"start": 19, "end": 22, "text": "2.9"})
    );
}

#[test]
fn exit_codes() {
    assert_eq!(run(&["check", "-"], Some(STYLE)).status.code(), Some(0));
    assert_eq!(run(&["check", "-"], Some(BROKEN)).status.code(), Some(1));
    assert_eq!(run(&["check", "-"], Some(WARNING)).status.code(), Some(0));
    assert_eq!(
        run(&["check", "--deny", "warnings", "-"], Some(WARNING))
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["check", "--deny", "errors", "-"], Some(WARNING))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--format", "xml", "-"], Some(WARNING))
            .status
            .code(),
        Some(2)
    );
    let o = run(&["check", "/no/such/file.md"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("briefing-ls: /no/such/file.md:"));
}

#[test]
fn human_output_reads_like_a_compiler() {
    let dir = workspace("human", &[("a.md", BROKEN)]);
    let file = dir.join("a.md");
    let o = run(&["check", file.to_str().unwrap()], None);
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert_eq!(first, format!("{}:1:46: error[malformed-number] `43,.590` has two separators in a row and forms no number: `43,590`?", file.display()));
    assert!(out.contains("\n  | New prices are 42,525 dlrs"));
    assert!(out.contains("\n  |                                              ^^^^^^^\n"));
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 error"));
}

/// A long line is shown cut around each finding, with `…` where it was cut, and the caret
/// under the figure: a one-line document of thousands of sentences was printed whole
/// under each of its findings (gigabytes of output).
#[test]
fn long_lines_are_cut_around_the_finding() {
    let filler = "The committee met again and nothing was decided. ".repeat(20);
    let text = format!("{filler}{}{filler}", BROKEN.trim_end());
    let dir = workspace("long-line", &[("a.md", &text)]);
    let o = run(&["check", dir.join("a.md").to_str().unwrap()], None);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let src = lines[1].strip_prefix("  | ").unwrap();
    let caret = lines[2].strip_prefix("  | ").unwrap();
    assert!(src.starts_with('…') && src.ends_with('…'), "{src}");
    assert!(src.chars().count() <= 242, "{}", src.chars().count());
    let at = caret.find('^').unwrap();
    let under: String = src.chars().skip(at).take(7).collect();
    assert_eq!(under, "43,.590");
    assert_eq!(caret.trim(), "^^^^^^^");
}

/// A reader that goes away (`briefing-ls check | head`) ends the output quietly: no panic.
#[test]
fn a_closed_output_pipe_is_no_panic() {
    let text =
        "Spending will rise 3.8 pct to 110.14 billion dlrs from 107.01 billion.\n\n".repeat(3000);
    let dir = workspace("pipe", &[("a.md", &text)]);
    for args in [
        vec!["check", dir.join("a.md").to_str().unwrap()],
        vec!["figures", dir.join("a.md").to_str().unwrap()],
    ] {
        let mut child = bin()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Closed before the output (far more than a pipe holds) is written.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(o.status.code(), Some(101), "{args:?}");
    }
}

#[test]
fn directories_are_walked_honouring_gitignore_and_config_files() {
    let dir = workspace(
        "walk",
        &[
            (".gitignore", "ignored/\n"),
            ("a.md", BROKEN),
            ("notes/b.txt", STYLE),
            ("notes/c.rs", BROKEN),
            ("ignored/d.md", BROKEN),
            (
                "quiet/.briefing-ls.toml",
                "[checks]\nmalformed-number = \"off\"\n",
            ),
            ("quiet/e.md", BROKEN),
        ],
    );
    let o = run(&["check", "--format", "json", dir.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let names: Vec<&str> = paths
        .iter()
        .map(|p| Path::new(p).file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(names, ["a.md", "b.txt", "e.md"]);
    let quiet = &v["files"][2]["diagnostics"];
    assert!(
        quiet
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "malformed-number"),
        "{quiet}"
    );
    // `--config` overrides the files found by walking up.
    let cfg = dir.join("loud.toml");
    std::fs::write(&cfg, "[checks]\nnumber-style = \"error\"\n").unwrap();
    let o = run(
        &[
            "check",
            "--config",
            cfg.to_str().unwrap(),
            "--format",
            "json",
            dir.join("notes/b.txt").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "style = 5\n").unwrap();
    assert_eq!(
        run(
            &["check", "--config", bad.to_str().unwrap(), "-"],
            Some(STYLE)
        )
        .status
        .code(),
        Some(2)
    );
}

/// Object keys a SARIF 2.1.0 object of each kind may have (from the schema's
/// `properties`, all of which set `additionalProperties: false`), and the required ones.
fn sarif_shape(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        "log" => (
            &[
                "$schema",
                "version",
                "runs",
                "inlineExternalProperties",
                "properties",
            ],
            &["version", "runs"],
        ),
        "run" => (
            &[
                "tool",
                "results",
                "artifacts",
                "columnKind",
                "invocations",
                "originalUriBaseIds",
                "properties",
            ],
            &["tool"],
        ),
        "tool" => (&["driver", "extensions", "properties"], &["driver"]),
        "driver" => (
            &[
                "name",
                "version",
                "informationUri",
                "rules",
                "semanticVersion",
                "properties",
            ],
            &["name"],
        ),
        "rule" => (
            &[
                "id",
                "name",
                "shortDescription",
                "fullDescription",
                "help",
                "helpUri",
                "defaultConfiguration",
                "properties",
            ],
            &["id"],
        ),
        "result" => (
            &[
                "ruleId",
                "ruleIndex",
                "level",
                "message",
                "locations",
                "relatedLocations",
                "fixes",
                "properties",
            ],
            &["message"],
        ),
        "location" => (&["id", "physicalLocation", "message", "properties"], &[]),
        "physical" => (&["artifactLocation", "region", "properties"], &[]),
        "region" => (
            &[
                "startLine",
                "startColumn",
                "endLine",
                "endColumn",
                "byteOffset",
                "byteLength",
                "charOffset",
                "charLength",
                "properties",
            ],
            &[],
        ),
        "fix" => (
            &["description", "artifactChanges", "properties"],
            &["artifactChanges"],
        ),
        "change" => (
            &["artifactLocation", "replacements", "properties"],
            &["artifactLocation", "replacements"],
        ),
        "replacement" => (
            &["deletedRegion", "insertedContent", "properties"],
            &["deletedRegion"],
        ),
        _ => unreachable!(),
    }
}

fn shape(v: &Value, kind: &str) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{kind}: not an object: {v}"));
    let (allowed, required) = sarif_shape(kind);
    for k in obj.keys() {
        assert!(
            allowed.contains(&k.as_str()),
            "{kind}: unexpected property {k}"
        );
    }
    for r in required {
        assert!(obj.contains_key(*r), "{kind}: missing required {r}");
    }
}

#[test]
fn sarif_is_a_valid_2_1_0_log() {
    let o = run(
        &["check", "--format", "sarif", "-"],
        Some(&format!("{WARNING}\n{BROKEN}")),
    );
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    shape(&v, "log");
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    shape(run, "run");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    shape(&run["tool"], "tool");
    shape(&run["tool"]["driver"], "driver");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, briefing_ls::checks::CODES);
    for r in rules {
        shape(r, "rule");
        assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
        assert!(["none", "note", "warning", "error"]
            .contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 2);
    for res in results {
        shape(res, "result");
        assert!(res["message"]["text"].is_string());
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[idx], res["ruleId"].as_str().unwrap());
        for loc in res["locations"]
            .as_array()
            .unwrap()
            .iter()
            .chain(res["relatedLocations"].as_array().into_iter().flatten())
        {
            shape(loc, "location");
            shape(&loc["physicalLocation"], "physical");
            let region = &loc["physicalLocation"]["region"];
            shape(region, "region");
            assert!(
                region["startLine"].as_u64().unwrap() >= 1
                    && region["startColumn"].as_u64().unwrap() >= 1
            );
        }
        for fix in res["fixes"].as_array().into_iter().flatten() {
            shape(fix, "fix");
            for ch in fix["artifactChanges"].as_array().unwrap() {
                shape(ch, "change");
                assert!(!ch["replacements"].as_array().unwrap().is_empty());
                for rep in ch["replacements"].as_array().unwrap() {
                    shape(rep, "replacement");
                }
            }
        }
    }
}

#[test]
fn rules_lists_and_explains() {
    let o = run(&["rules"], None);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for code in briefing_ls::checks::CODES {
        assert!(
            out.lines().any(|l| l.starts_with(code)),
            "{code} missing from `rules`"
        );
    }
    assert!(out.contains("change-mismatch") && out.contains("warning"));
    let o = run(&["rules", "change-mismatch"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("110.14"));
    let o = run(&["rules", "no-such-check"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown check"));
}
