//! Bounds on analysis, so that no document can make the checks run for minutes (SPEC §9).
//!
//! Extraction is linear in the text, but several checks relate each figure to the others of
//! its sentence, which is quadratic in the figures of one sentence: a paragraph of 40,000
//! figures with no full stop (a pasted column of numbers, a CSV dump) took tens of seconds.
//! Real sentences hold a few dozen figures at most. So the checks skip any paragraph with a
//! sentence over [`MAX_SENTENCE_FIGURES`] figures, or whose figures times bytes exceed
//! [`MAX_SENTENCE_WORK`], and report that once per paragraph as an information diagnostic
//! with code [`CAPPED`]. Figures are still extracted everywhere: hover, symbols, tags and
//! export are unaffected.
//!
//! A sentence never crosses a blank line, so a document whose blank-line paragraphs are all
//! within the limits takes the plain path after one cheap pass over its lines; only the
//! others (a 100,000-row table, a pasted column) have their sentences computed to find the
//! ones that are too big.

use std::collections::BTreeMap;

use crate::checks::{self, doc::Doc, Finding, Severity};
use crate::figures::Figure;
use crate::prose::Language;
use crate::Config;

/// The most figures one sentence may hold and still be checked.
pub const MAX_SENTENCE_FIGURES: usize = 500;

/// The most figures × bytes one sentence may hold and still be checked (some checks look at
/// the sentence's text for each of its figures): 100 figures in a 640 KB sentence, say.
pub const MAX_SENTENCE_WORK: usize = 64 << 20;

/// The code of the diagnostic that says a paragraph was not checked. Not a check: it cannot
/// be configured or suppressed, and it only appears on documents no person wrote by hand.
pub const CAPPED: &str = "analysis-capped";

/// The one finding of a text larger than [`crate::figures::MAX_TEXT`], which is not
/// analysed.
pub fn too_large(text: &str) -> Finding {
    Finding {
        code: CAPPED,
        severity: Severity::Info,
        message: format!(
            "This document was not checked: it holds {} bytes, more than the {} bytes \
             (4 GiB) briefing-ls analyses.",
            text.len(),
            crate::figures::MAX_TEXT
        )
        .into(),
        span: 0..0,
        related: crate::checks::Shared::new(),
        fixes: crate::checks::Shared::new(),
    }
}

/// Run every enabled check (as [`checks::run_all_lang`]), leaving out the paragraphs too big
/// to check, each reported by one [`CAPPED`] finding.
pub fn run_checks(text: &str, figures: &[Figure], config: &Config, lang: Language) -> Vec<Finding> {
    run_checks_cached(
        text,
        figures,
        config,
        lang,
        &mut checks::CheckCache::default(),
    )
}

/// [`run_checks`] keeping per-chunk results in `cache` between analyses of one document
/// (see [`checks::run_cached`]); the findings are the same.
pub fn run_checks_cached(
    text: &str,
    figures: &[Figure],
    config: &Config,
    lang: Language,
    cache: &mut checks::CheckCache,
) -> Vec<Finding> {
    run_checks_keyed(text, figures, None, config, lang, cache)
}

/// [`run_checks_cached`] with the chunk keys of [`crate::figures::extract_keyed`] (see
/// [`checks::run_keyed`]); a capped document drops figures, so its keys are not used.
pub fn run_checks_keyed(
    text: &str,
    figures: &[Figure],
    keyed: Option<checks::Read<'_>>,
    config: &Config,
    lang: Language,
    cache: &mut checks::CheckCache,
) -> Vec<Finding> {
    let chunked = keyed
        .as_ref()
        .is_some_and(|k| within_limits_by_chunk(k.chunks.iter().map(|c| &c.0), figures));
    if chunked || within_limits_by_paragraph(text, figures) {
        return checks::run_keyed(text, figures, keyed, config, lang, cache);
    }
    let doc = Doc::new(text, figures, lang);
    // Paragraphs (blocks) to skip, with the sentence that tipped each over.
    let mut capped: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for (s, sentence) in doc.sentences.iter().enumerate() {
        let figs = doc.sentence_figures(s);
        let n = figs.len();
        if n > MAX_SENTENCE_FIGURES || n.saturating_mul(sentence.range.len()) > MAX_SENTENCE_WORK {
            capped.entry(sentence.block).or_insert((s, n));
        }
    }
    if capped.is_empty() {
        return checks::run_cached(text, figures, config, lang, cache);
    }
    let in_capped = |i: usize| {
        doc.fig_sentence
            .get(i)
            .and_then(|&s| doc.sentences.get(s))
            .is_some_and(|s| capped.contains_key(&s.block))
    };
    let kept: Vec<Figure> = figures
        .iter()
        .enumerate()
        .filter(|&(i, _)| !in_capped(i))
        .map(|(_, f)| f.clone())
        .collect();
    let mut out = checks::run_cached(text, &kept, config, lang, cache);
    for &(s, n) in capped.values() {
        let first = doc.sentence_figures(s).start;
        let span = figures
            .get(first)
            .map_or(doc.sentences[s].range.clone(), |f| f.span.range());
        out.push(Finding {
            code: CAPPED,
            severity: Severity::Info,
            message: format!(
                "This paragraph was not checked: one of its sentences holds {n} figures \
                 ({} bytes), more than briefing-ls checks in one sentence (at most \
                 {MAX_SENTENCE_FIGURES}). Split the sentence to have it checked; hover, \
                 outline and tags still work here.",
                doc.sentences[s].range.len()
            )
            .into(),
            span,
            related: crate::checks::Shared::new(),
            fixes: crate::checks::Shared::new(),
        });
    }
    out.sort_by_key(|f| (f.span.start, f.span.end));
    out
}

/// Whether every chunk ([`crate::prose::chunks`], in order) is within the sentence limits,
/// with every figure in one: then so is every stretch between blank lines, which lies in one
/// chunk (chunks are runs of lines that only an open fence or comment carries across blank
/// lines). One pass over the chunks and the figures, not the text; `false` says only that
/// [`within_limits_by_paragraph`] must decide.
fn within_limits_by_chunk<'a>(
    chunks: impl Iterator<Item = &'a std::ops::Range<usize>>,
    figures: &[Figure],
) -> bool {
    let mut k = 0;
    for r in chunks {
        if figures.get(k).is_some_and(|f| f.span.start() < r.start) {
            return false;
        }
        let first = k;
        while let Some(f) = figures.get(k).filter(|f| f.span.start() < r.end) {
            // Out of order: not what extraction gives, and not counted here.
            if k > 0 && f.span.start() < figures[k - 1].span.start() {
                return false;
            }
            k += 1;
        }
        let n = k - first;
        if n > MAX_SENTENCE_FIGURES || n.saturating_mul(r.len()) > MAX_SENTENCE_WORK {
            return false;
        }
    }
    k == figures.len()
}

/// Whether every stretch of text between blank lines is within the sentence limits (then
/// every sentence is). One pass over the lines and the figures, both in order.
fn within_limits_by_paragraph(text: &str, figures: &[Figure]) -> bool {
    if figures.len() <= MAX_SENTENCE_FIGURES
        && figures.len().saturating_mul(text.len()) <= MAX_SENTENCE_WORK
    {
        return true;
    }
    let b = text.as_bytes();
    let mut next_fig = 0;
    let mut para_start = 0;
    let mut line_start = 0;
    let check = |start: usize, end: usize, next_fig: &mut usize| -> bool {
        let mut n = 0;
        while *next_fig < figures.len() && figures[*next_fig].span.start() < end {
            if figures[*next_fig].span.start() >= start {
                n += 1;
            }
            *next_fig += 1;
        }
        n <= MAX_SENTENCE_FIGURES && n.saturating_mul(end - start) <= MAX_SENTENCE_WORK
    };
    while line_start < b.len() {
        let line_end = memchr::memchr(b'\n', &b[line_start..]).map_or(b.len(), |i| line_start + i);
        let blank = b[line_start..line_end]
            .iter()
            .all(|c| matches!(c, b' ' | b'\t' | b'\r'));
        if blank {
            if !check(para_start, line_start, &mut next_fig) {
                return false;
            }
            para_start = line_end + 1;
        }
        line_start = line_end + 1;
    }
    check(para_start, b.len().max(para_start), &mut next_fig)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        let config = Config::default();
        let figures = crate::figures::extract(text, &config);
        run_checks(text, &figures, &config, Language::Markdown)
            .iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn ordinary_documents_are_checked_as_ever() {
        let text =
            "Police seized 10 drug laboratories.\n\n10 drug laboratories have been liquidated.\n";
        let config = Config::default();
        let figures = crate::figures::extract(text, &config);
        assert_eq!(
            run_checks(text, &figures, &config, Language::Markdown),
            checks::run_all_lang(text, &figures, &config, Language::Markdown)
        );
    }

    #[test]
    fn paragraphs_are_measured_between_blank_lines() {
        let config = Config::default();
        let para = "Police seized 148 weapons and 800kg of drugs. ".repeat(200);
        let text = format!("{para}\n\n{para}\n \t\n{para}");
        let figures = crate::figures::extract(&text, &config);
        assert!(figures.len() > MAX_SENTENCE_FIGURES);
        assert!(within_limits_by_paragraph(&text, &figures));
        let one = para.repeat(3);
        let figures = crate::figures::extract(&one, &config);
        assert!(!within_limits_by_paragraph(&one, &figures));
        // ... though its sentences are all small: checked as usual.
        assert!(!codes(&one).contains(&CAPPED));
    }

    proptest::proptest! {
        /// Chunks within the limits say that the paragraphs are (never the reverse), so the
        /// plain path is taken only where the paragraph pass would take it.
        #[test]
        fn chunks_within_limits_imply_paragraphs_within(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "1,234 ", "5 ", "7% ", "\n", "\n\n", "```\n", "<!-- ", "--> ", "word. ",
                ]),
                0..400,
            ),
            repeat in 1usize..400,
        ) {
            let text: String = parts.concat().repeat(repeat.min(4000 / parts.len().max(1)));
            let figures = crate::figures::extract(&text, &Config::default());
            let chunks = crate::prose::chunks(&text, Language::Markdown);
            if within_limits_by_chunk(chunks.iter(), &figures) {
                proptest::prop_assert!(within_limits_by_paragraph(&text, &figures));
            }
        }
    }

    #[test]
    fn chunks_over_the_limits_leave_the_decision_to_paragraphs() {
        let config = Config::default();
        let column = "1,234\n".repeat(MAX_SENTENCE_FIGURES + 1);
        let figures = crate::figures::extract(&column, &config);
        let chunks = crate::prose::chunks(&column, Language::Markdown);
        assert!(!within_limits_by_chunk(chunks.iter(), &figures));
        let plain = "Police seized 148 weapons.\n\n".repeat(MAX_SENTENCE_FIGURES + 1);
        let figures = crate::figures::extract(&plain, &config);
        let chunks = crate::prose::chunks(&plain, Language::Markdown);
        assert!(within_limits_by_chunk(chunks.iter(), &figures));
    }

    #[test]
    fn a_monster_sentence_skips_its_paragraph_only_and_says_so_once() {
        let monster = "1,234 ".repeat(MAX_SENTENCE_FIGURES + 1);
        let text = format!(
            "10 drug laboratories have been liquidated.\n\n{monster}\n\nPolice detained 54 \
             out of 45 suspects.\n"
        );
        let got = codes(&text);
        assert_eq!(got.iter().filter(|c| **c == CAPPED).count(), 1, "{got:?}");
        // The paragraphs around it are still checked.
        assert!(got.contains(&"numeral-starts-sentence"), "{got:?}");
        assert!(got.contains(&"part-exceeds-whole"), "{got:?}");
    }
}
