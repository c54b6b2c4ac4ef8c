//! `briefing-ls figures` end to end: the JSON shape of SPEC §6, CSV, table, exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing-ls"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const TEXT: &str = "Police seized 148 weapons.\nThey found over 4,431 pieces of ammunition and 14 tons of reagents.\n";

#[test]
fn json_matches_the_spec_shape() {
    let (code, out, _) = run(&["figures", "--format", "json", "-"], TEXT);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["path"], "-");
    let figs = file["figures"].as_array().unwrap();
    assert_eq!(figs.len(), 3);
    let f = &figs[1];
    assert_eq!(f["text"], "over 4,431 pieces");
    assert_eq!(f["value"], 4431);
    assert_eq!(f["low"], serde_json::Value::Null);
    assert_eq!(f["qualifier"], "over");
    assert_eq!(f["noun"], "pieces");
    assert_eq!(f["dimension"], "count");
    assert_eq!(
        f["normalized"],
        serde_json::json!({"value": 4431, "unit": null})
    );
    assert_eq!(f["tag"], serde_json::Value::Null);
    // UTF-8 byte offsets and 1-based line/column.
    let start = f["start"].as_u64().unwrap() as usize;
    let end = f["end"].as_u64().unwrap() as usize;
    assert_eq!(&TEXT[start..end], "over 4,431 pieces");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(12))
    );
    let t = &figs[2];
    assert_eq!(
        (t["unit"].as_str(), t["dimension"].as_str()),
        (Some("t"), Some("mass"))
    );
    assert_eq!(
        t["normalized"],
        serde_json::json!({"value": 14000, "unit": "kg"})
    );
    // Every key of SPEC §6 is present on every figure.
    for f in figs {
        for k in [
            "text",
            "start",
            "end",
            "line",
            "column",
            "value",
            "low",
            "high",
            "qualifier",
            "unit",
            "per",
            "noun",
            "dimension",
            "normalized",
            "tag",
        ] {
            assert!(f.get(k).is_some(), "missing {k}");
        }
    }
}

#[test]
fn columns_count_characters_not_bytes() {
    let (_, out, _) = run(&["figures", "--format", "json"], "Ünïcödé: 5 tons\n");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["files"][0]["figures"][0];
    assert_eq!(f["column"], 10);
    assert_eq!(f["start"], 13);
}

#[test]
fn csv_has_a_header_and_quotes_fields() {
    let (code, out, _) = run(
        &["figures", "--format", "csv", "-"],
        "Costs were $1,500, then 3 tons.\n",
    );
    assert_eq!(code, 0);
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("path,line,column,start,end,text,value"),
        "{header}"
    );
    assert!(header.ends_with(",id,cat"));
    let first = lines.next().unwrap();
    assert!(first.contains("\"$1,500\""), "{first}");
    assert!(first.contains(",USD,"), "{first}");
    assert_eq!(lines.count(), 1);
}

#[test]
fn table_is_aligned_and_readable() {
    let (code, out, _) = run(&["figures"], TEXT);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("at") && lines[0].contains("normalized"));
    let row = lines.iter().find(|l| l.contains("14 tons")).unwrap();
    assert!(row.contains("14,000 kg"), "{row}");
    // The normalized column is right-aligned: every row ends its numbers at one column.
    let col = lines[0].find("qualifier").unwrap();
    assert!(lines[1..].iter().all(|l| l.len() > col));
}

#[test]
fn unreadable_input_is_an_error_not_a_panic() {
    let (code, out, err) = run(&["figures", "/no/such/file.md"], "");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.starts_with("briefing-ls: /no/such/file.md:"), "{err}");
    let (code, _, err) = run(&["figures", "--format", "xml", "-"], "");
    assert_eq!(code, 2);
    assert!(err.contains("xml"));
}

#[test]
fn directories_are_walked_for_documents() {
    let dir = std::env::temp_dir().join(format!("bls-fig-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.md"), "5 tons\n").unwrap();
    std::fs::write(dir.join("sub/b.txt"), "7 km\n").unwrap();
    std::fs::write(dir.join("c.rs"), "9 kg\n").unwrap();
    let (code, out, _) = run(&["figures", "--format", "json", dir.to_str().unwrap()], "");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[0].ends_with("a.md") && paths[1].ends_with("b.txt"));
    std::fs::remove_dir_all(&dir).unwrap();
}
