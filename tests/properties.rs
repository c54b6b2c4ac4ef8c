//! Property tests of the analysis core: any input, no panic, and every span is a real,
//! ordered slice of the input on character boundaries.

use briefing_ls::prose::Language;
use briefing_ls::{analyse, figures, Config};
use proptest::prelude::*;

/// `default` cases, or `PROPTEST_CASES` when set (a `proptest_config` that names its cases
/// is otherwise deaf to it): `PROPTEST_CASES=3000 cargo test --release --test properties`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Pieces that exercise the extractor's paths, glued with arbitrary text.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("4,431".to_string()),
        Just("1.2bn".to_string()),
        Just("$5m".to_string()),
        Just(" over ".to_string()),
        Just("seven thousand".to_string()),
        Just(" and a half ".to_string()),
        Just("6-1/4 pct".to_string()),
        Just("10–15%".to_string()),
        Just("KZT 3.2 bn".to_string()),
        Just("800kg".to_string()),
        Just(" tons ".to_string()),
        Just("43,.590".to_string()),
        Just("4. 8%".to_string()),
        Just("[x](http://a/1)".to_string()),
        Just("`12`".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("😀".to_string()),
        Just("漢字".to_string()),
        Just("e\u{301}".to_string()),
        Just("½".to_string()),
        Just("\u{a0}".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("<!--".to_string()),
        Just("---\n".to_string()),
        Just("```\n".to_string()),
        Just("[5 t]{.fig value=5 unit=t}".to_string()),
        // Tags sharing an id, agreeing or not (`conflicting-figures` across chunks).
        Just("[5 t]{.fig value=5 unit=t id=a}".to_string()),
        Just("[7 t]{.fig value=7 unit=t id=a}".to_string()),
        Just(" ($6.3 (£3.35m) and $168m (£89m)) ".to_string()),
        // Other dollars, by figure and by name (`ambiguous-unit`'s bare `$`, judged
        // across the document).
        Just(" C$12m ".to_string()),
        Just(" CAD 4m ".to_string()),
        Just(" the Hong Kong dollar ".to_string()),
        Just(", of which ".to_string()),
        Just(" sales rose 3.8% to 110.14 billion from 107.01 billion. ".to_string()),
        Just("<!-- briefing-ls: ignore -->".to_string()),
        Just(" a total of 27 channels: 18 international and 8 regional. ".to_string()),
        Just("Arrests totalled 40 in all:\n".to_string()),
        Just("\n- 12 arrests\n".to_string()),
        Just(" It rose 10% to 44 from 40. ".to_string()),
        Just("<pre>".to_string()),
        Just("</pre>".to_string()),
        Just("<!DOCTYPE ".to_string()),
        Just(">".to_string()),
        Just("+++\n".to_string()),
        Just("-->".to_string()),
        // The extraction's document passes: a currency family named with its country sets
        // it for the document; bare big numbers take the money of their context.
        Just(" H.K. Dlrs 5 mln ".to_string()),
        Just(" 40 dlrs ".to_string()),
        Just(" Revs 72.2 mln vs 73.5 mln ".to_string()),
        Just(" 300 rupees in Sri Lanka ".to_string()),
        Just(" Pakistan ".to_string()),
        Just(" 12 pesos ".to_string()),
        Just(" profit 200 mln ".to_string()),
        Just(" £ ".to_string()),
        // One quantity given two values in two sentences (`conflicting-figures` across
        // chunks, and its memo of the last analysis across edits).
        Just(" Police seized 148 weapons in the raid. ".to_string()),
        Just(" Police seized 150 weapons in the raid.\n\n".to_string()),
        Just(" Coffee sales reached almost 6.2 mln bags this season. ".to_string()),
        Just(" Coffee sales were estimated at 6.13 mln bags this season.\n\n".to_string()),
        // One dimension in two units in two paragraphs (`mixed-units`' document pass, and
        // its memo of the last analysis's findings across edits that move them).
        Just(" Police seized 800 kg of drugs. ".to_string()),
        Just(" They found 14 tons of reagents.\n\n".to_string()),
        "[0-9,. ]{1,12}",
        "[a-z ]{1,12}",
        any::<String>(),
    ]
}

fn doc() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|v| v.concat())
}

/// Pieces as paragraphs: a document of many chunks, most of which an edit leaves alone.
fn paragraphs() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 1..24).prop_map(|v| v.join("\n\n"))
}

fn check_spans(text: &str, lang: Language) -> Result<(), TestCaseError> {
    let figs = figures::extract_lang(text, &Config::default(), lang);
    let mut prev_end = 0;
    for f in &figs {
        prop_assert!(
            f.span.start() < f.span.end() && f.span.end() <= text.len(),
            "{:?}",
            f.span
        );
        prop_assert!(text.is_char_boundary(f.span.start()) && text.is_char_boundary(f.span.end()));
        prop_assert!(f.span.start() >= prev_end, "overlapping or unordered spans");
        prop_assert!(f.span.start() <= f.number.start() && f.number.end() <= f.span.end());
        prop_assert!(text.get(f.span.range()).is_some());
        prop_assert!(f.value.is_some() || (f.low().is_some() && f.high().is_some()));
        prev_end = f.span.end();
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(600), .. ProptestConfig::default() })]

    #[test]
    fn spans_are_ordered_slices_markdown(text in doc()) {
        check_spans(&text, Language::Markdown)?;
    }

    #[test]
    fn spans_are_ordered_slices_plain(text in doc()) {
        check_spans(&text, Language::Plain)?;
    }

    #[test]
    fn analysis_never_panics_and_findings_are_in_bounds(text in doc()) {
        let a = analyse(&text, &Config::default());
        for f in &a.findings {
            prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len());
            prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
            for fix in &f.fixes {
                for e in &fix.edits {
                    prop_assert!(e.start <= e.end && e.end <= text.len());
                    prop_assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
                }
            }
        }
    }

    #[test]
    fn decimal_comma_config_never_panics(text in doc()) {
        let cfg = Config { decimal: ',', ..Config::default() };
        let _ = figures::extract(&text, &cfg);
    }
}

#[test]
fn the_spec_example_is_read_exactly() {
    let text = "148 weapons and over 4,431 pieces of ammunition were seized. It exceeded 707 billion tenge, of which 1.2 billion tenge was returned.";
    let figs = figures::extract(text, &Config::default());
    let shown: Vec<(&str, String, Option<&str>)> = figs
        .iter()
        .map(|f| {
            (
                &text[f.span.range()],
                f.value.get().unwrap().normalize().to_string(),
                f.unit,
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("148 weapons", "148".to_string(), None),
            ("over 4,431 pieces", "4431".to_string(), None),
            (
                "exceeded 707 billion tenge",
                "707000000000".to_string(),
                Some("KZT")
            ),
            ("1.2 billion tenge", "1200000000".to_string(), Some("KZT")),
        ]
    );
    // Exact decimal arithmetic: 1.2 billion is exactly 1200000000.
    assert_eq!(
        figs[3].value.get().unwrap(),
        rust_decimal::Decimal::from(1_200_000_000u64)
    );
    // `1.4 mln` stands for [1.35, 1.45) million.
    let f = &figures::extract("Output was 1.4 mln tonnes.", &Config::default())[0];
    assert_eq!(f.precision, rust_decimal::Decimal::from(50_000));
}

#[test]
fn pathological_inputs_finish() {
    let digits = "9".repeat(200_000);
    let _ = figures::extract(&digits, &Config::default());
    let nested = ">".repeat(5_000) + " 5 tons";
    let _ = figures::extract(&nested, &Config::default());
    let list: String = (0..20_000).map(|i| format!("- {i} tons\n")).collect();
    let figs = figures::extract(&list, &Config::default());
    assert_eq!(figs.len(), 20_000);
    // Thousands of figures of one dimension in two units far apart: `mixed-units` compared
    // each with each (seconds per analysis); none competes.
    let far: String = (0..3_000)
        .map(|i| {
            format!(
                "A dose was {} mg. A cargo was {} tons.\n\n",
                5 + i % 7,
                5_000_000 + i
            )
        })
        .collect();
    let a = analyse(&far, &Config::default());
    assert_eq!(a.figures.len(), 6_000);
    assert!(a.findings.iter().all(|f| f.code != "mixed-units"));
}

/// An edit: replace `len` bytes at `at` (both taken modulo the text) with `insert`.
fn edits() -> impl Strategy<Value = Vec<(usize, usize, String)>> {
    prop::collection::vec((any::<usize>(), 0usize..12, piece()), 1..12)
}

fn apply(text: &mut String, edit: &(usize, usize, String)) {
    apply_at(text, edit);
}

/// [`apply`], giving what of the text it left as it was: its first and its last bytes.
fn apply_at(text: &mut String, (at, len, insert): &(usize, usize, String)) -> figures::Unchanged {
    let mut s = at % (text.len() + 1);
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = (s + len).min(text.len());
    while !text.is_char_boundary(e) {
        e += 1;
    }
    let suffix = text.len() - e;
    text.replace_range(s..e, insert);
    figures::Unchanged { prefix: s, suffix }
}

/// Analysis from scratch in two separate steps: the checks find the chunks, key them and
/// mask them again rather than take what extraction found (as [`briefing_ls::analyse_lang`]
/// and every incremental analysis do).
fn unkeyed(
    text: &str,
    config: &Config,
    lang: Language,
) -> (Vec<briefing_ls::Figure>, Vec<briefing_ls::Finding>) {
    let figures = figures::extract_lang(text, config, lang);
    let findings = briefing_ls::limits::run_checks(text, &figures, config, lang);
    (figures, findings)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), .. ProptestConfig::default() })]

    /// Incremental extraction (a cache kept across edits) equals extraction from scratch
    /// after every edit.
    #[test]
    fn incremental_equals_from_scratch(start in doc(), edits in edits(), plain in any::<bool>(), hold in any::<bool>()) {
        let lang = if plain { Language::Plain } else { Language::Markdown };
        let config = Config::default();
        let mut cache = figures::ChunkCache::default();
        let mut text = start;
        let first = figures::extract_cached(&text, &config, lang, &mut cache);
        prop_assert_eq!(&*first, &figures::extract_lang(&text, &config, lang));
        drop(first);
        // `hold`: every list stays held, so the cache copies into a new one each time;
        // otherwise the cache owns the last list alone and changes it in place.
        let mut held = Vec::new();
        for e in &edits {
            apply(&mut text, e);
            let inc = figures::extract_cached(&text, &config, lang, &mut cache);
            let scratch = figures::extract_lang(&text, &config, lang);
            prop_assert_eq!(&*inc, &scratch, "after edit {:?} text {:?}", e, text);
            if hold {
                held.push(inc);
            }
        }
    }

    /// The chunks an incremental extraction finds (reading again only the part an edit
    /// changed) and their keys are those of a reading from scratch after every edit.
    #[test]
    fn incremental_chunks_equal_from_scratch(start in doc(), edits in edits(), plain in any::<bool>(), front in any::<bool>()) {
        let lang = if plain { Language::Plain } else { Language::Markdown };
        let config = Config::default();
        let mut cache = figures::ChunkCache::default();
        // `front`: front matter opened, which an edit far below may close (`---`).
        let mut text = if front { format!("---\ntitle: 5 t\n{start}") } else { start };
        let _ = figures::extract_keyed(&text, &config, lang, &mut cache);
        for e in &edits {
            apply(&mut text, e);
            let inc = figures::extract_keyed(&text, &config, lang, &mut cache).chunks;
            let ranges: Vec<_> = inc.iter().map(|c| c.0.clone()).collect();
            prop_assert_eq!(&ranges, &briefing_ls::prose::chunks(&text, lang), "after edit {:?} text {:?}", e, text);
            let fresh = figures::extract_keyed(&text, &config, lang, &mut figures::ChunkCache::default()).chunks;
            prop_assert_eq!(inc, fresh);
        }
    }

    /// The same when the caller says what an edit left as it was (as the language server
    /// does): all of it, or any part of it (`less`: bytes taken off a claim), the
    /// chunks there are taken without reading their text, and the chunks, keys and
    /// figures are still those of a reading from scratch.
    #[test]
    fn edited_chunks_equal_from_scratch(start in paragraphs(), edits in edits(), plain in any::<bool>(), less in (0usize..40, 0usize..40), whole in any::<(bool, bool)>()) {
        let lang = if plain { Language::Plain } else { Language::Markdown };
        let config = Config::default();
        let mut cache = figures::ChunkCache::default();
        let mut text = start;
        let _ = figures::extract_keyed(&text, &config, lang, &mut cache);
        for e in &edits {
            let same = apply_at(&mut text, e);
            // `whole`: each claim as large as it can be, or `less` off it.
            let same = figures::Unchanged {
                prefix: same.prefix.saturating_sub(if whole.0 { 0 } else { less.0 }),
                suffix: same.suffix.saturating_sub(if whole.1 { 0 } else { less.1 }),
            };
            let inc = figures::extract_edited(&text, &config, lang, &mut cache, same);
            let fresh = figures::extract_keyed(&text, &config, lang, &mut figures::ChunkCache::default());
            prop_assert_eq!(&inc.chunks, &fresh.chunks, "after edit {:?} text {:?}", e, text);
            prop_assert_eq!(&*inc.figures, &*fresh.figures);
        }
    }

    /// Incremental analysis (extraction and checks, caches kept across edits) equals
    /// analysis from scratch after every edit.
    #[test]
    fn incremental_checks_equal_from_scratch(start in doc(), edits in edits(), plain in any::<bool>(), beside in any::<bool>(), hold in any::<bool>()) {
        let lang = if plain { Language::Plain } else { Language::Markdown };
        let config = Config::default();
        // `beside`: the document passes are shared with a second thread (by what each took
        // last time), whatever the size.
        let mut inc = briefing_ls::Incremental::threaded(if beside { 0 } else { usize::MAX });
        let mut text = start;
        let first = inc.analyse(&text, &config, lang);
        prop_assert_eq!(&first.findings, &unkeyed(&text, &config, lang).1);
        // Held while the next analysis runs, as a server keeps the last one for its
        // requests (the cache then copies its figures rather than change them in place).
        let mut last = if hold { Some(first) } else { None };
        for e in &edits {
            apply(&mut text, e);
            let got = inc.analyse(&text, &config, lang);
            let scratch = briefing_ls::analyse_lang(&text, &config, lang);
            prop_assert_eq!(&got.figures, &scratch.figures);
            // Checks that read each chunk anew (masks, keys) find the same.
            prop_assert_eq!(&scratch.findings, &unkeyed(&text, &config, lang).1);
            // The tags assembled from cached chunks are the document's tags.
            prop_assert_eq!(inc.tags(), &briefing_ls::tags::find_lang(&text, lang)[..]);
            prop_assert_eq!(&got.findings, &scratch.findings, "after edit {:?} text {:?}", e, text);
            if last.is_some() {
                last = Some(got);
            }
        }
    }
}

/// The next of a fixed pseudo-random sequence (xorshift).
fn next(seed: &mut u64) {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
}

/// Where each paragraph of `text` starts.
fn paragraph_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices("\n\n").map(|(k, _)| k + 2))
        .filter(|&k| k < text.len())
        .collect()
}

/// `conflicting-figures` keeps what its document pass found between analyses and compares
/// again only the figures whose candidates changed: after edits that add, remove, change
/// and duplicate the figures it compares (past its 32 latest candidates too), its findings
/// are those of a fresh analysis, whether the pass runs on the analysis's thread or beside
/// it.
#[test]
fn conflicting_figures_follow_edits() {
    follow_edits(briefing_ls::Incremental::threaded(usize::MAX));
}

#[test]
fn conflicting_figures_follow_edits_on_a_second_thread() {
    follow_edits(briefing_ls::Incremental::threaded(0));
}

fn follow_edits(mut inc: briefing_ls::Incremental) {
    let config = Config::default();
    let lang = Language::Markdown;
    let para = |n: u64| {
        match n % 2 {
        // A subject word twice: the figure sits twice in one bucket.
        0 => format!("Border police and police units seized {} weapons.\n\n", 140 + n % 5),
        _ => format!(
            "Police seized {} weapons in the raid. Customs seized {} kg of cocaine in the port.\n\n",
            140 + n % 7,
            800 + n % 3
        ),
    }
    };
    let mut text: String = (0..160).map(para).collect();
    let conflicts = |a: &briefing_ls::Analysis| {
        a.findings
            .iter()
            .filter(|f| f.code == "conflicting-figures")
            .count()
    };
    let first = inc.analyse(&text, &config, lang);
    assert_eq!(
        first.findings,
        briefing_ls::analyse_lang(&text, &config, lang).findings
    );
    let mut counts = std::collections::BTreeSet::new();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for step in 0..120 {
        next(&mut seed);
        let paras = paragraph_starts(&text);
        let at = paras[seed as usize % paras.len()];
        let end = text[at..].find("\n\n").map_or(text.len(), |k| at + k + 2);
        match step % 5 {
            // A new paragraph, a copy of one (same chunk key twice), a paragraph gone,
            // a figure changed, a word of prose changed.
            0 => text.insert_str(at, &para(seed >> 8)),
            1 => {
                let copy = text[at..end].to_string();
                text.insert_str(at, &copy);
            }
            2 => text.replace_range(at..end, ""),
            3 => {
                if let Some(k) = text[at..end].find("14") {
                    text.replace_range(at + k..at + k + 2, "15");
                }
            }
            _ => {
                if let Some(k) = text[at..end].find("raid") {
                    text.replace_range(at + k..at + k + 4, "raids");
                }
            }
        }
        let got = inc.analyse(&text, &config, lang);
        let scratch = briefing_ls::analyse_lang(&text, &config, lang);
        assert_eq!(got.findings, scratch.findings, "step {step}");
        counts.insert(conflicts(&got));
    }
    // The edits did change what the check finds, many times over.
    assert!(counts.len() > 10, "{counts:?}");
}

/// The same after edits of many paragraphs at once: a block removed, a block of new ones,
/// a block moved elsewhere, a block copied, all but a block removed (the document pass
/// then finds most figures' records of the last pass away from where it looks first, and
/// many of its buckets empty).
#[test]
fn conflicting_figures_follow_large_edits() {
    for from in [usize::MAX, 0] {
        let mut inc = briefing_ls::Incremental::threaded(from);
        let config = Config::default();
        let lang = Language::Markdown;
        // Subjects from places (`Kaka`, `Kalo`, ...), three paragraphs each, so that a
        // block removed takes whole buckets with it.
        let syl = ["ka", "lo", "mi", "ra", "tu", "se", "no", "vi", "de", "zo"];
        let place = |k: usize| {
            let mut p = format!("{}{}{}", syl[k / 100 % 10], syl[k / 10 % 10], syl[k % 10]);
            p[..1].make_ascii_uppercase();
            p
        };
        // Paragraph `n` is about place `n / 3`: new blocks are about new places.
        let para = |n: u64| {
            let place = place((n / 3) as usize);
            match n % 3 {
                0 => format!("{place} border police units seized {} weapons.\n\n", 140 + n % 5),
                1 => format!(
                    "{place} police seized {} weapons in the raid. Customs seized {} kg of cocaine.\n\n",
                    140 + n % 7,
                    800 + n % 3
                ),
                _ => format!("{place} customs officers seized {} kg of cocaine.\n\n", 790 + n % 11),
            }
        };
        let mut text: String = (0..300).map(para).collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut counts = std::collections::BTreeSet::new();
        for step in 0..40 {
            next(&mut seed);
            let paras = paragraph_starts(&text);
            let n = paras.len();
            let a = seed as usize % n;
            let len = 20 + (seed >> 20) as usize % 81;
            let b = (a + len).min(n);
            let (at, end) = (paras[a], paras.get(b).copied().unwrap_or(text.len()));
            match step % 5 {
                0 => text.replace_range(at..end, ""),
                4 => text = text[at..end].to_string(),
                1 => {
                    let first = 900 + 60 * step as u64;
                    let block: String = (first..first + len as u64).map(para).collect();
                    text.insert_str(at, &block);
                }
                2 => {
                    let block = text[at..end].to_string();
                    text.replace_range(at..end, "");
                    let to = paras[(seed >> 32) as usize % a.max(1)].min(text.len());
                    text.insert_str(to, &block);
                }
                _ => {
                    let block = text[at..end].to_string();
                    text.insert_str(paras[(seed >> 32) as usize % n], &block);
                }
            }
            if text.len() < 4000 {
                let first = 930 + 60 * step as u64;
                text.extend((first..first + 60).map(para));
            }
            let got = inc.analyse(&text, &config, lang);
            let scratch = briefing_ls::analyse_lang(&text, &config, lang);
            assert_eq!(
                got.findings, scratch.findings,
                "step {step} (second thread from {from})"
            );
            counts.insert(
                got.findings
                    .iter()
                    .filter(|f| f.code == "conflicting-figures")
                    .count(),
            );
        }
        assert!(counts.len() > 10, "{counts:?}");
    }
}

/// The checks read chunk by chunk (local checks) and in windows of chunks
/// (`change-mismatch`, `total-mismatch`) find what they find reading the whole document at
/// once: caching per chunk narrows no check's reach.
fn chunked_equals_whole(text: &str, lang: Language) -> Result<(), TestCaseError> {
    let config = Config::default();
    let figs = figures::extract_lang(text, &config, lang);
    let chunked = briefing_ls::checks::run_all_lang(text, &figs, &config, lang);
    let whole = briefing_ls::checks::run_whole(text, &figs, &config, lang);
    prop_assert_eq!(chunked, whole, "{:?} text {:?}", lang, text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(400), .. ProptestConfig::default() })]

    #[test]
    fn chunked_checks_equal_whole_document_checks(text in doc(), plain in any::<bool>()) {
        chunked_equals_whole(&text, if plain { Language::Plain } else { Language::Markdown })?;
    }
}

/// The figure engine reads only prose, as the prose mask (what the checks and tags see)
/// says: every figure's number is unmasked text.
fn figures_are_in_prose(text: &str, lang: Language) -> Result<(), TestCaseError> {
    let mask = briefing_ls::prose::mask(text, lang);
    for f in figures::extract_lang(text, &Config::default(), lang) {
        let at = f.number.start();
        prop_assert_eq!(
            mask.as_bytes().get(at),
            text.as_bytes().get(at),
            "{:?}: figure {:?} at {} lies outside prose in {:?}",
            lang,
            &text[f.span.range()],
            at,
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(400), .. ProptestConfig::default() })]

    #[test]
    fn figures_lie_in_prose(text in doc(), plain in any::<bool>()) {
        figures_are_in_prose(&text, if plain { Language::Plain } else { Language::Markdown })?;
    }
}

/// The same on every check fixture (written to make each check fire and stay silent).
#[test]
fn chunked_checks_equal_whole_document_checks_on_fixtures() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut n = 0;
    let files = briefing_ls::checks::CODES
        .iter()
        .flat_map(|code| std::fs::read_dir(root.join(code)).unwrap())
        .chain(std::fs::read_dir(root.join("figures")).unwrap());
    for entry in files {
        let path = entry.unwrap().path();
        let lang = match path.extension().and_then(|e| e.to_str()) {
            Some("md") => Language::Markdown,
            Some("txt") => Language::Plain,
            _ => continue,
        };
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(e) = chunked_equals_whole(&text, lang) {
            panic!("{}: {e}", path.display());
        }
        n += 1;
    }
    assert!(n > 50, "only {n} fixtures read");
}

#[test]
fn the_cache_rereads_only_changed_chunks() {
    let config = Config::default();
    let para = "Police seized 148 weapons and 14 tons of drugs.\n\n";
    let mut text = para.repeat(50);
    let mut cache = figures::ChunkCache::default();
    // The chunks read afresh are those given a prose mask (the others are copied).
    let read = |k: &figures::Keyed| k.masks.iter().filter(|m| m.is_some()).count();
    let before = figures::extract_keyed(&text, &config, Language::Markdown, &mut cache);
    assert_eq!(before.figures.len(), 100);
    // Identical paragraphs are read once, but for the first (at the document's start, where
    // front matter may be).
    assert_eq!(read(&before), 2);
    assert_eq!(cache.len(), 50);
    text.insert_str(0, "Officers detained 35 people.\n\n");
    let after = figures::extract_keyed(&text, &config, Language::Markdown, &mut cache);
    assert_eq!(after.figures.len(), 101);
    // Only the new first paragraph: the old first one, no longer at the start, reads as
    // the others do.
    assert_eq!(read(&after), 1);
    assert_eq!(cache.len(), 51);
    assert_eq!(
        after.figures[1].span.start(),
        before.figures[0].span.start() + 30
    );
    // An edit inside one paragraph rereads that paragraph alone.
    let at = text.len() - para.len() * 20 + 5;
    text.insert(at, 'x');
    let edited = figures::extract_keyed(&text, &config, Language::Markdown, &mut cache);
    assert_eq!(read(&edited), 1);
    assert_eq!(edited.figures.len(), 101);
}

/// A paragraph written twice is read once (both share a cache entry), but each copy's
/// figures point into its own text: the same figures as the paragraph read alone, moved by
/// the copy's offset. (Extraction from scratch shares this path, so it is checked against
/// the paragraph alone, not against a fresh extraction.)
#[test]
fn repeated_paragraphs_keep_their_own_offsets() {
    let config = Config::default();
    let para = "Customs seized 800kg of cocaine and 14 tons of cannabis worth $1.8 billion.\n\n";
    let alone = figures::extract(para, &config);
    assert_eq!(alone.len(), 3);
    let mut text = "Intro.\n\n".to_string();
    let mut cache = figures::ChunkCache::default();
    for round in 0..3 {
        text.push_str(para);
        let got = figures::extract_cached(&text, &config, Language::Markdown, &mut cache);
        let copies = round + 1;
        assert_eq!(got.len(), 3 * copies, "round {round}");
        for (k, f) in got.iter().enumerate() {
            let at = "Intro.\n\n".len() + (k / 3) * para.len();
            let want = &alone[k % 3];
            assert_eq!(
                f.span,
                want.span.start() + at..want.span.end() + at,
                "round {round} figure {k}"
            );
            assert_eq!(f.number, want.number.start() + at..want.number.end() + at);
            assert_eq!(&text[f.span.range()], &para[want.span.range()]);
            let unit = |r: Option<std::ops::Range<usize>>| r.map(|r| r.start + at..r.end + at);
            assert_eq!(f.written.unit_span, unit(want.written.unit_span.get()));
            assert_eq!(f.value, want.value);
            assert_eq!(f.unit, want.unit);
        }
    }
}

/// An edit that turns a paragraph into a copy of another, before or after it, and back:
/// the cache, changing its last list in place, keeps each copy's figures at its own place
/// (a paragraph after the edit shares its entry with the edited one).
#[test]
fn an_edit_copying_another_paragraph_keeps_both_copies() {
    let config = Config::default();
    let paras = [
        "Police seized 5 kg of heroin.",
        "The fund paid $3 million, or £2.4 million.",
        "Customs counted 14 tons and 800kg.",
        "Officers found 7 guns and 40 rounds.",
    ];
    let join = |ps: &[&str]| ps.join("\n\n") + "\n";
    for lang in [Language::Markdown, Language::Plain] {
        let mut cache = figures::ChunkCache::default();
        let mut last = figures::extract_cached(&join(&paras), &config, lang, &mut cache);
        for i in 0..paras.len() {
            for j in 0..paras.len() {
                let mut edited = paras;
                edited[i] = paras[j];
                for text in [join(&edited), join(&paras)] {
                    drop(last);
                    last = figures::extract_cached(&text, &config, lang, &mut cache);
                    assert_eq!(
                        *last,
                        figures::extract_lang(&text, &config, lang),
                        "paragraph {i} as {j}: {text:?}"
                    );
                }
            }
        }
    }
}

/// The extraction's document passes change a chunk's figures without changing its text:
/// A lone `\r` ends a line (CommonMark): a fence after one opens a code block, which the
/// chunks must keep whole, as the prose mask's parser reads it (found by the property test
/// above: a tag in that block was a tag of its chunk but not of the document).
#[test]
fn a_lone_carriage_return_ends_a_line_for_the_chunks_too() {
    let config = Config::default();
    let text = "Lead 5 t.\n\n\r```\n\nx [5 t]{.fig value=5 unit=t id=a}\n";
    let lang = Language::Markdown;
    assert_eq!(
        briefing_ls::prose::chunks(text, lang),
        vec![
            std::ops::Range { start: 0, end: 9 },
            std::ops::Range { start: 12, end: 50 }
        ]
    );
    let mut inc = briefing_ls::Incremental::default();
    let got = inc.analyse(text, &config, lang);
    assert!(briefing_ls::tags::find_lang(text, lang).is_empty());
    assert!(inc.tags().is_empty());
    assert_eq!(
        got.findings,
        briefing_ls::analyse_lang(text, &config, lang).findings
    );
    assert_eq!(got.findings, unkeyed(text, &config, lang).1);
}

/// `Revs 72.2 mln` is in euros after a paragraph in euros, and bare (so `unitless-figure`
/// fires) once that paragraph no longer names money. The incremental analysis must see it.
#[test]
fn money_context_from_another_chunk_reaches_the_cached_checks() {
    let config = Config::default();
    let with = "Revenue was 12 mln euros.\n\nRevs 72.2 mln vs 73.5 mln.\n";
    let without = "Revenue was 12 mln units.\n\nRevs 72.2 mln vs 73.5 mln.\n";
    let mut inc = briefing_ls::Incremental::default();
    let unitless = |a: &briefing_ls::Analysis| {
        a.findings
            .iter()
            .filter(|f| f.code == "unitless-figure")
            .count()
    };
    for (k, text) in [with, without, with, without].into_iter().enumerate() {
        let got = inc.analyse(text, &config, Language::Markdown);
        let scratch = briefing_ls::analyse_lang(text, &config, Language::Markdown);
        assert_eq!(got.figures, scratch.figures, "step {k}");
        assert_eq!(got.findings, scratch.findings, "step {k}");
        assert_eq!(unitless(&got), if text == with { 0 } else { 1 }, "step {k}");
    }
}

/// A money family's code comes from the countries the whole document names (kept per
/// chunk): editing another paragraph's country changes the code of an unchanged one.
#[test]
fn the_country_named_in_another_chunk_decides_the_currency() {
    let config = Config::default();
    let mut inc = briefing_ls::Incremental::default();
    for (country, code) in [
        ("SRI LANKA", "LKR"),
        ("Pakistan", "PKR"),
        ("the region", "INR"),
        ("Sri Lanka", "LKR"),
    ] {
        let text = format!("Exports from {country} rose.\n\nIt cost 500 rupees.\n");
        let got = inc.analyse(&text, &config, Language::Markdown);
        let scratch = briefing_ls::analyse_lang(&text, &config, Language::Markdown);
        assert_eq!(got.figures, scratch.figures, "{country}");
        assert_eq!(got.findings, scratch.findings, "{country}");
        let units: Vec<Option<&str>> = got.figures.iter().map(|f| f.unit).collect();
        assert_eq!(units, vec![Some(code)], "{country}");
    }
}

/// `number-style` findings are kept per chunk under the document's verdict (its habits and
/// their example figures): a finding in one paragraph quotes and points at an example in
/// another, so editing the example, or moving it, must reach the unchanged paragraph.
#[test]
fn a_habit_example_in_another_chunk_reaches_the_kept_findings() {
    let config = Config::default();
    let mut inc = briefing_ls::Incremental::default();
    let body = "\n\nThey seized 12000 rounds and 18 000 bullets.\n";
    let mut seen = Vec::new();
    for head in [
        "Police counted 4,431 weapons and 5,120 knives.",
        "Police counted 4,432 weapons and 5,120 knives.",
        "Then police counted 4,432 weapons and 5,120 knives.",
        "Police counted 4 431 weapons, 5 120 knives and 7 000 bullets.",
    ] {
        let text = format!("{head}{body}");
        let got = inc.analyse(&text, &config, Language::Markdown);
        let scratch = briefing_ls::analyse_lang(&text, &config, Language::Markdown);
        assert_eq!(got.findings, scratch.findings, "{head}");
        let style: Vec<String> = got
            .findings
            .iter()
            .filter(|f| f.code == "number-style")
            .map(|f| format!("{} {:?}", f.message, f.related))
            .collect();
        seen.push(style);
    }
    // Each head gives the body's `12000` and `18 000` a different example or habit.
    assert!(seen.iter().all(|s| !s.is_empty()), "{seen:#?}");
    for k in 1..seen.len() {
        assert_ne!(seen[k - 1], seen[k], "{seen:#?}");
    }
}

/// `mixed-units` keeps its document pass's findings by the identities of the two figures
/// each names (the odd one and the dominant unit's): after edits that move either figure,
/// change one, or change which unit dominates, its findings are those of a fresh analysis.
#[test]
fn mixed_units_findings_follow_edits() {
    let config = Config::default();
    let mut inc = briefing_ls::Incremental::default();
    let mut seen = Vec::new();
    let (kg, tons) = (
        "Police seized 800 kg of drugs and 600 kg of cash.",
        "They found 14 tons of reagents.",
    );
    for (head, aside, body) in [
        (kg, "An aside.", tons),
        // The odd figure moves alone: the finding is kept, its related place stays.
        (kg, "A longer aside.", tons),
        // The dominant figure moves; the odd one with it.
        (&*format!("Then {kg}"), "A longer aside.", tons),
        // The odd figure changes.
        (
            &format!("Then {kg}"),
            "A longer aside.",
            "They found 15 tons of reagents.",
        ),
        // The dominant figure changes.
        (
            "Then police seized 900 kg of drugs and 600 kg of cash.",
            "A longer aside.",
            "They found 15 tons of reagents.",
        ),
        // Tons dominate now: the odd ones are the kilograms.
        (
            "Then police seized 900 kg of drugs and 6 tons of cash.",
            "A longer aside.",
            "They found 15 tons of reagents.",
        ),
    ] {
        let text = format!("{head}\n\n{aside}\n\n{body}\n");
        let got = inc.analyse(&text, &config, Language::Markdown);
        let scratch = briefing_ls::analyse_lang(&text, &config, Language::Markdown);
        assert_eq!(got.findings, scratch.findings, "{text}");
        let mixed: Vec<String> = got
            .findings
            .iter()
            .filter(|f| f.code == "mixed-units")
            .map(|f| format!("{:?} {} {:?} {:?}", f.span, f.message, f.related, f.fixes))
            .collect();
        seen.push(mixed);
    }
    // Every step has a finding, and each differs from the last (its place, figure, related
    // place or message).
    assert!(seen.iter().all(|s| !s.is_empty()), "{seen:#?}");
    for k in 1..seen.len() {
        assert_ne!(seen[k - 1], seen[k], "{seen:#?}");
    }
}

/// A money family's code may come from another paragraph (`H.K. Dlrs` makes every `dlrs`
/// of the document Hong Kong dollars), and the checks kept per chunk read it: `500 dlrs,
/// compared with US$ 400` compares two currencies only in a Hong Kong story.
#[test]
fn a_currency_decided_elsewhere_reaches_the_kept_checks() {
    let config = Config::default();
    let mut inc = briefing_ls::Incremental::default();
    let body = "\n\nRevenue was 500 dlrs, compared with US$ 400 a year earlier.\n";
    for (k, head) in [
        "Shares rose 5 H.K. Dlrs on Monday.",
        "Shares rose 5 points on Monday.",
        "Shares rose 5 H.K. Dlrs on Monday.",
    ]
    .into_iter()
    .enumerate()
    {
        let text = format!("{head}{body}");
        let got = inc.analyse(&text, &config, Language::Markdown);
        let scratch = briefing_ls::analyse_lang(&text, &config, Language::Markdown);
        assert_eq!(got.findings, scratch.findings, "{head}");
        let compared = got.findings.iter().any(|f| f.code == "mixed-units");
        assert_eq!(compared, k != 1, "{head}");
    }
}
