//! Data-driven figure fixtures: every `tests/fixtures/figures/*.md` is extracted and
//! rendered one figure per line; the result must equal the `.expected` file beside it.
//! `UPDATE_EXPECT=1 cargo test --test figures` rewrites the expected files for review.

use std::fmt::Write as _;
use std::path::Path;

use briefing_ls::position::{Encoding, LineIndex};
use briefing_ls::{figures, Config};

fn render(text: &str) -> String {
    let idx = LineIndex::new(text);
    let mut out = String::new();
    for f in figures::extract(text, &Config::default()) {
        let lc = idx.to_line_col(text, f.span.start(), Encoding::Chars);
        let value = match (f.value.get(), f.low(), f.high()) {
            (Some(v), _, _) => v.normalize().to_string(),
            (None, Some(l), Some(h)) => format!("{}..{}", l.normalize(), h.normalize()),
            _ => "?".into(),
        };
        let _ = write!(
            out,
            "{}:{} {:?} value={value}",
            lc.line + 1,
            lc.col + 1,
            &text[f.span.range()]
        );
        if let Some(u) = &f.unit {
            let _ = write!(out, " unit={u}");
        }
        if let Some(p) = f.per() {
            let _ = write!(out, " per={p}");
        }
        if let Some(n) = &f.noun {
            let _ = write!(out, " noun={n}");
        }
        let _ = write!(
            out,
            " dim={} qual={}",
            f.dimension.as_str(),
            f.qualifier.as_str()
        );
        if let (Some(v), Some(u)) = (f.normalized_value.get(), f.normalized_unit()) {
            if Some(u) != f.unit {
                let _ = write!(out, " norm={} {u}", v.normalize());
            }
        }
        if f.elided {
            out.push_str(" elided");
        }
        if let Some(m) = f.written.malformed {
            let _ = write!(out, " malformed=\"{}\"", m.as_str());
        }
        if f.misspelt_scale().is_some() {
            out.push_str(" misspelt-scale");
        }
        out.push('\n');
    }
    out
}

#[test]
fn figure_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/figures");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let got = render(&text);
        let exp_path = path.with_extension("expected");
        if update {
            std::fs::write(&exp_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                path.display()
            ));
        }
    }
    assert!(count >= 5, "fixtures missing");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
