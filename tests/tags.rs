//! Structured tags, driven by the fixtures in `tests/fixtures/tags/`:
//!
//! - `roundtrip/<case>.md`: an untagged document; `<case>.span.md` and `<case>.html.md` are
//!   what tagging every figure gives in each syntax. Removing the tags must give the input
//!   back byte for byte, and tagging again must change nothing. Depends on the figure engine.
//! - `untag/<case>.md` → `<case>.untagged.md`: removing every tag (engine-independent).
//! - `findings/<case>.md` (+ optional `<case>.toml` configuration) → `<case>.expected`: what
//!   `malformed-tag`, `stale-tag` and `conflicting-figures` (for tag ids) report, as a user
//!   sees it, with the text each fix would write.
//! - `render/<case>.md` → `<case>.html`: the tagged Markdown rendered by pulldown-cmark, which
//!   knows nothing of tags: it shows that span tags stay plain, valid Markdown that keeps
//!   the text, and HTML tags stay inline HTML.
//!
//! `UPDATE_EXPECT=1 cargo test --test tags` rewrites the expected files for review.

use std::fs;
use std::path::{Path, PathBuf};

use briefing_ls::checks::{Context, Finding};
use briefing_ls::config::TagStyle;
use briefing_ls::tags;
use briefing_ls::Config;

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tags")
        .join(dir);
    let mut out: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".md") && name.matches('.').count() == 1
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", root.display());
    out
}

fn with_ext(p: &Path, ext: &str) -> PathBuf {
    p.with_extension(ext)
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Compare `actual` with the expected file, or rewrite it under `UPDATE_EXPECT=1`.
fn expect(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `UPDATE_EXPECT=1 cargo test --test tags` and review it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs (UPDATE_EXPECT=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

fn config_for(p: &Path) -> Config {
    let toml = with_ext(p, "toml");
    if toml.exists() {
        Config::from_toml(&read(&toml)).unwrap()
    } else {
        Config::default()
    }
}

fn tag_all(text: &str, config: &Config, style: TagStyle) -> String {
    let figures = briefing_ls::figures::extract(text, config);
    tags::apply_edits(text, &tags::tag_all_edits(text, &figures, style))
}

fn untag_all(text: &str) -> String {
    tags::apply_edits(text, &tags::untag_all_edits(text))
}

/// Whether the figure engine finds figures yet (it was built in parallel with tags).
fn engine_finds_figures() -> bool {
    !briefing_ls::figures::extract("Police seized 148 weapons.", &Config::default()).is_empty()
}

#[test]
fn roundtrip_fixtures() {
    for p in fixtures("roundtrip") {
        let text = read(&p);
        let config = config_for(&p);
        for (style, ext) in [(TagStyle::Span, "span.md"), (TagStyle::Html, "html.md")] {
            let tagged = tag_all(&text, &config, style);
            if engine_finds_figures() {
                expect(&with_ext(&p, ext), &tagged);
                // Depends on the engine: a fixture full of figures must get tags.
                assert!(
                    !tags::find(&tagged).is_empty(),
                    "{}: no figure was tagged",
                    p.display()
                );
            }
            assert_eq!(
                untag_all(&tagged),
                text,
                "{}: untagging did not give the input back",
                p.display()
            );
            assert_eq!(
                tag_all(&tagged, &config, style),
                tagged,
                "{}: tagging twice changed the text",
                p.display()
            );
            // Every tag reads back as the figure the engine finds in its text.
            let figures = briefing_ls::figures::extract(&tagged, &config);
            for t in tags::find(&tagged) {
                let m = t
                    .meaning()
                    .unwrap_or_else(|e| panic!("{}: {e}", &tagged[t.span.clone()]));
                let f = tags::figure_for(&t, &figures).unwrap_or_else(|| {
                    panic!("{}: no figure in {}", p.display(), &tagged[t.span.clone()])
                });
                assert!(
                    m.mismatches(f).is_empty(),
                    "{}: {:?}",
                    &tagged[t.span.clone()],
                    m.mismatches(f)
                );
            }
        }
    }
}

#[test]
fn crlf_fixture_really_has_crlf() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tags/roundtrip/crlf.md");
    assert!(
        read(&p).contains("\r\n"),
        "crlf.md lost its CRLF line breaks (see .gitattributes)"
    );
}

#[test]
fn untag_fixtures() {
    for p in fixtures("untag") {
        let text = read(&p);
        expect(&with_ext(&p, "untagged.md"), &untag_all(&text));
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

fn render_finding(text: &str, f: &Finding) -> String {
    let (line, col) = line_col(text, f.span.start);
    let mut s = format!(
        "{line}:{col}: {}[{}] {}\n",
        f.severity.as_str(),
        f.code,
        f.message
    );
    s.push_str(&format!("  | {}\n", &text[f.span.clone()]));
    for fix in &f.fixes {
        for e in &fix.edits {
            s.push_str(&format!(
                "  fix {}: `{}` -> `{}`\n",
                fix.title,
                &text[e.start..e.end],
                e.text
            ));
        }
    }
    for r in &f.related {
        let (line, col) = line_col(text, r.span.start);
        s.push_str(&format!("  related {line}:{col}: {}\n", r.message));
    }
    s
}

#[test]
fn findings_fixtures() {
    for p in fixtures("findings") {
        let text = read(&p);
        let config = config_for(&p);
        let figures = briefing_ls::figures::extract(&text, &config);
        let cx = Context {
            text: &text,
            figures: &figures,
            config: &config,
            lang: briefing_ls::prose::Language::Markdown,
            at_start: true,
        };
        let mut all = tags::malformed_tag_findings(&cx);
        if engine_finds_figures() {
            all.extend(tags::stale_tag_findings(&cx));
        }
        all.extend(tags::tag_id_conflicts(&cx));
        all.sort_by_key(|f| (f.span.start, f.code));
        let out: String = all.iter().map(|f| render_finding(&text, f)).collect();
        expect(&with_ext(&p, "expected"), &out);
        // Fixes must leave a tag that is no longer stale.
        for f in all.iter().filter(|f| f.code == "stale-tag") {
            for fix in &f.fixes {
                let fixed = tags::apply_edits(&text, &fix.edits.to_vec());
                let figures = briefing_ls::figures::extract(&fixed, &config);
                let cx = Context {
                    text: &fixed,
                    figures: &figures,
                    config: &config,
                    lang: briefing_ls::prose::Language::Markdown,
                    at_start: true,
                };
                let stale_after = tags::stale_tag_findings(&cx).len();
                let stale_before = all.iter().filter(|f| f.code == "stale-tag").count();
                assert_eq!(
                    stale_after,
                    stale_before - 1,
                    "fix `{}` did not fix: {}",
                    fix.title,
                    f.message
                );
            }
        }
    }
}

fn render_html(md: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES),
    );
    out
}

/// The HTML elements of a rendered page in order, leaving out the `data` elements of tags.
fn elements(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|s| {
            s.split(|c: char| c == '>' || c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_string()
        })
        .filter(|n| n != "data" && n != "/data")
        .collect()
}

#[test]
fn render_fixtures() {
    for p in fixtures("render") {
        let text = read(&p);
        let html = render_html(&text);
        expect(&with_ext(&p, "html"), &html);
        // The text survives: every tag's inner text is in the rendered page, and the block
        // structure is the one of the untagged document.
        for t in tags::find(&text) {
            let inner = &text[t.inner.clone()];
            if !inner.contains('[') {
                assert!(
                    html.contains(inner),
                    "{inner} missing from the rendered page"
                );
            }
        }
        assert_eq!(elements(&html), elements(&render_html(&untag_all(&text))));
    }
}

#[test]
fn cli_tag_and_untag() {
    use std::process::Command;
    let exe = env!("CARGO_BIN_EXE_briefing-ls");
    let dir = std::env::temp_dir().join(format!("briefing-ls-tags-cli-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let doc = dir.join("note.md");
    let original = "Seized [148 weapons]{.fig value=148 noun=weapons} and 5 tons of flour.\n";
    fs::write(&doc, original).unwrap();

    let out = Command::new(exe)
        .args(["untag"])
        .arg(&doc)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Seized 148 weapons and 5 tons of flour.\n"
    );
    assert_eq!(
        read(&doc),
        original,
        "untag without --write must not touch the file"
    );

    fs::write(dir.join(".briefing-ls.toml"), "tags = \"html\"\n").unwrap();
    let out = Command::new(exe).args(["tag"]).arg(&doc).output().unwrap();
    assert!(out.status.success());
    let tagged = String::from_utf8(out.stdout).unwrap();
    assert!(
        tagged.starts_with("Seized [148 weapons]{.fig value=148 noun=weapons} and"),
        "{tagged}"
    );
    if engine_finds_figures() {
        assert!(
            tagged.contains("<data class=\"fig\""),
            "the configured html style was not used: {tagged}"
        );
    }
    let out = Command::new(exe)
        .args(["tag", "--style", "span"])
        .arg(&doc)
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("<data"));

    let out = Command::new(exe)
        .args(["untag", "--write"])
        .arg(&doc)
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.is_empty());
    assert_eq!(read(&doc), "Seized 148 weapons and 5 tons of flour.\n");

    let out = Command::new(exe)
        .args(["tag", "--write"])
        .arg(dir.join("missing.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("briefing-ls: ") && err.contains("missing.md: "),
        "{err}"
    );

    let out = Command::new(exe)
        .args(["tag", "--style", "xml"])
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    fs::remove_dir_all(&dir).unwrap();
}
