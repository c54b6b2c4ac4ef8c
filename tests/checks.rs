//! The checks as users see them: the registry's invariants, the generated reference page,
//! and data-driven fixtures (`tests/fixtures/<code>/<case>.md` + `<case>.expected`, the
//! compiler-style text a user would see; an empty expected file means the case must stay
//! silent). `UPDATE_EXPECT=1 cargo test --test checks` rewrites the expected files and
//! `docs/checks.md` for review.

use std::path::{Path, PathBuf};

use briefing_ls::checks::{self, REGISTRY};
use briefing_ls::report::diagnostics;
use briefing_ls::Config;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn update() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

#[test]
fn registry_is_sorted_unique_kebab_case_and_complete() {
    let codes: Vec<&str> = REGISTRY.iter().map(|c| c.code).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        codes, sorted,
        "registry must be sorted by code, without duplicates"
    );
    assert_eq!(
        codes,
        checks::CODES,
        "registry and checks::CODES must list the same codes"
    );
    for c in REGISTRY {
        assert!(
            c.code
                .split('-')
                .all(|p| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_lowercase())),
            "{} is not kebab-case",
            c.code
        );
        assert!(
            c.summary.len() > 10 && !c.summary.ends_with('.'),
            "{}: summary",
            c.code
        );
        for part in [
            "**Fires",
            "**Does not fire",
            "**Configure.**",
            "Why it matters",
        ] {
            assert!(
                c.explanation.contains(part),
                "{}: explanation lacks {part}",
                c.code
            );
        }
        let dir = root().join("tests/fixtures").join(c.code);
        assert!(
            dir.is_dir(),
            "{}: no fixture folder {}",
            c.code,
            dir.display()
        );
    }
}

#[test]
fn docs_checks_md_is_generated_from_the_registry() {
    let path = root().join("docs/checks.md");
    let want = checks::reference_markdown();
    if update() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/checks.md is stale: run `UPDATE_EXPECT=1 cargo test --test checks`"
    );
}

/// What a user sees for one check on one fixture.
fn render(code: &str, md: &Path) -> String {
    let text = std::fs::read_to_string(md).unwrap();
    let toml = md.with_extension("toml");
    let config = if toml.is_file() {
        Config::from_toml(&std::fs::read_to_string(&toml).unwrap()).unwrap()
    } else {
        Config::default()
    };
    let found: Vec<_> = briefing_ls::analyse(&text, &config)
        .findings
        .into_iter()
        .filter(|f| f.code == code)
        .collect();
    diagnostics::human(None, &text, &found, false)
}

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    let mut count = 0;
    for c in REGISTRY {
        let dir = root().join("tests/fixtures").join(c.code);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut mds: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        mds.sort();
        for md in mds {
            count += 1;
            let got = render(c.code, &md);
            let expected_path = md.with_extension("expected");
            if update() {
                std::fs::write(&expected_path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|_| format!("<missing {}>", expected_path.display()));
            if got != want {
                failures.push(format!(
                    "--- {}\n--- expected\n{want}--- got\n{got}",
                    md.display()
                ));
            }
        }
    }
    assert!(count > 0, "no fixtures found");
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ (UPDATE_EXPECT=1 rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_check_has_a_fixture_that_fires_and_one_that_stays_silent() {
    for c in REGISTRY {
        let dir = root().join("tests/fixtures").join(c.code);
        let expected: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "expected"))
            .map(|p| std::fs::read_to_string(p).unwrap_or_default())
            .collect();
        assert!(
            expected.iter().any(String::is_empty),
            "{}: no silent fixture",
            c.code
        );
        assert!(
            expected.iter().any(|e| !e.is_empty()),
            "{}: no fixture that fires",
            c.code
        );
    }
}

#[test]
fn suppression_comments_and_severity_overrides_apply() {
    let text = "Police seized 14 tons of reagents. <!-- briefing-ls: ignore ambiguous-unit -->\n\n<!-- briefing-ls: ignore -->\nThey found 14 tons of straw.\n\nAnd 3 tons of salt.\n";
    let found = briefing_ls::analyse(text, &Config::default()).findings;
    let ambiguous: Vec<_> = found
        .iter()
        .filter(|f| f.code == "ambiguous-unit")
        .collect();
    assert_eq!(ambiguous.len(), 1, "{found:?}");
    assert!(ambiguous[0].span.start > text.find("salt").unwrap() - 10);
    let config =
        Config::from_toml("[checks]\nambiguous-unit = \"error\"\nnumber-style = \"off\"\n")
            .unwrap();
    let found = briefing_ls::analyse("They found 14 tons and 800kg of straw.", &config).findings;
    assert!(found
        .iter()
        .any(|f| f.code == "ambiguous-unit" && f.severity == briefing_ls::Severity::Error));
    assert!(!found.iter().any(|f| f.code == "number-style"));
}

#[test]
fn odd_input_never_panics() {
    let config = Config::default();
    for text in [
        "",
        "\n",
        "1",
        "1.",
        ". 1",
        "( 5 (",
        "$",
        "5 % %",
        "—5—",
        "1,,,,",
        "9. 9. 9.",
        "|1|2|\n|-|-|\n|3|4|",
        "- 5\n- 6",
        "😀 5 kg (3 😀)",
        "a\r\n5 tons\r\n",
    ] {
        let _ = briefing_ls::analyse(text, &config);
    }
}

mod never_panics {
    use proptest::prelude::*;

    /// Pieces that exercise every check: numbers with odd separators, scale words, units,
    /// currencies, qualifiers, cue words, Markdown and multi-byte characters.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "4,431",
            "43,.590",
            "9,,100",
            "4. 8",
            "1.4",
            "0143",
            "12",
            "7",
            "500",
            "3-2",
            "1/4",
            "2024",
            "$",
            "£",
            "€",
            "US$",
            "C$",
            "KZT ",
            "bn",
            "m",
            " million",
            " billon",
            " tons",
            "kg",
            " miles",
            " km",
            "%",
            " pct",
            " percent",
            " pp",
            " about",
            " nearly",
            " over",
            " up to",
            " rose",
            " fell",
            " to",
            " from",
            " of which",
            " including",
            " out of",
            " a total of",
            ":",
            ",",
            " and",
            " or",
            " (",
            ")",
            ". ",
            ".\n",
            "\n\n",
            "- ",
            "| ",
            " |",
            "# ",
            "**",
            "—",
            "–",
            " seven thousand",
            " five",
            " Ten",
            " compared with",
            " above",
            " fewer than",
            " decrease from",
            " of the",
            "<!-- briefing-ls: ignore -->",
            "[148 weapons]{.fig value=148}",
            "😀",
            "é",
            "\u{a0}",
            "\r\n",
            "`5 kg`",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
        #[test]
        fn analysis_is_total_and_in_bounds(pieces in prop::collection::vec(piece(), 0..40)) {
                        let text: String = pieces.concat();
            let config = briefing_ls::Config::default();
            let figures = briefing_ls::figures::extract(&text, &config);
            let findings = briefing_ls::checks::run_all(&text, &figures, &config);
            for f in &findings {
                prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len());
                prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
                for r in &f.related {
                    prop_assert!(r.span.end <= text.len() && text.is_char_boundary(r.span.start) && text.is_char_boundary(r.span.end));
                }
                for fix in &f.fixes {
                    for e in &fix.edits {
                        prop_assert!(e.start <= e.end && e.end <= text.len());
                        prop_assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
                    }
                }
            }
                        let _ = briefing_ls::report::diagnostics::human(Some("x"), &text, &findings, true);
        }
    }

    /// Found by the property test above: chained scale words overflowed the engine's
    /// decimal (`Multiplication overflowed`). The engine now stops applying scales that would
    /// overflow.
    #[test]
    fn engine_survives_chained_scale_words() {
        let text =
            "9,,1001.4bn billon billon4,431 and 5 trillion trillion trillion trillion dollars";
        let a = briefing_ls::analyse(text, &briefing_ls::Config::default());
        assert!(!a.figures.is_empty());
        for f in a.figures.iter() {
            assert!(f.span.end() <= text.len());
        }
    }
}
