//! Checks: the registry and the types every check returns.
//!
//! A check is one file in this folder holding its documentation, its logic and its tests,
//! and one entry in [`REGISTRY`]. Checks receive a [`Cx`]: the plain [`Context`] (text,
//! figures, configuration; what code outside `checks` that computes findings, such as the
//! tags' `stale-tag`, takes) plus the document's shape computed once for every check
//! (sentences inside paragraphs, list items and table cells, see [`doc`]). They return
//! [`Finding`]s with byte ranges and byte-range fixes. [`run_all`] applies the configured
//! severities and the inline suppression comments (`<!-- briefing-ls: ignore CODE -->`, see
//! [`suppress`]), so checks never look at either.
//!
//! Shared helpers: [`arith`] (exact decimal intervals that respect the precision each
//! figure was written with, so that rounding never fires), [`relate`] (which figures
//! measure the same thing, and the words that tie them), [`words`] (numbers in words).

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use crate::config::Config;
use crate::figures::Figure;
use crate::prose::Language;

pub use incremental::{run_cached, run_keyed, run_whole, CheckCache, Read, BESIDE_FROM};
pub use shared::{Movable, Shared};

pub mod arith;
pub mod doc;
mod incremental;
pub mod relate;
pub mod shared;
pub mod suppress;
pub mod words;

mod ambiguous_unit;
mod change_mismatch;
pub(crate) mod conflicting_figures;
pub(crate) mod conversion_mismatch;
pub(crate) mod malformed_number;
mod malformed_tag;
mod mixed_units;
mod number_style;
mod numeral_starts_sentence;
mod part_exceeds_whole;
mod percent_sum;
mod spurious_precision;
mod stale_tag;
mod total_mismatch;
mod unitless_figure;

#[cfg(test)]
pub(crate) mod testing;

/// How loud a finding is. `Off` disables a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
    Off,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            "hint" => Severity::Hint,
            "off" => Severity::Off,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
            Severity::Off => "off",
        }
    }
}

/// The text of a finding, its related places and fixes: shared, since incremental analysis
/// copies every cached finding into each new analysis (a copy is a reference count, not an
/// allocation).
pub type Msg = std::sync::Arc<str>;

/// One replacement of a byte range of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: Msg,
}

/// A named set of edits that repairs a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: Msg,
    pub edits: Shared<Edit>,
}

/// Another place in the document that a finding involves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Range<usize>,
    pub message: Msg,
}

/// An index or count in 32 bits, for what a chunk keeps as long as its document is open
/// (a sentence's paragraph and block, `number-style`'s habits): past 4 billion, which no
/// text reaches, it stops at the largest.
pub(crate) fn small_index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A diagnostic, in core terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: Msg,
    pub span: Range<usize>,
    /// Shared between copies of the finding (see [`shared`]).
    pub related: Shared<Related>,
    pub fixes: Shared<Fix>,
}

/// A check's entry in the registry.
pub struct Check {
    pub code: &'static str,
    pub summary: &'static str,
    pub severity: Severity,
    /// What it catches, why it matters, an example that fires, one that does not, how to
    /// configure it (Markdown).
    pub explanation: &'static str,
    /// The logic: findings on the document, each with the check's default severity (or
    /// its own grade); [`run_all`] applies configuration and suppressions.
    pub run: fn(&Cx) -> Vec<Finding>,
}

/// The inputs of a check: the text, its figures and the configuration. Code outside
/// `checks` that computes findings (the tags' `stale-tag`) takes this.
pub struct Context<'a> {
    pub text: &'a str,
    pub figures: &'a [Figure],
    pub config: &'a Config,
    /// How the text is read (Markdown or plain text).
    pub lang: Language,
    /// Whether the text starts where the document starts (front matter may open it); false
    /// for a chunk read on its own.
    pub at_start: bool,
}

/// What a check sees: the [`Context`] (through `Deref`: `cx.text`, `cx.figures`,
/// `cx.config`) plus the document's shape, computed once per document for every check.
pub struct Cx<'a> {
    input: Context<'a>,
    /// The document's shape: prose mask, sentences and which sentence holds each figure.
    pub doc: doc::Doc,
    /// Figures given as conversions of each other, computed once on first use.
    conversions: std::sync::OnceLock<Vec<(usize, usize)>>,
    /// What each figure says for `conflicting-figures`, computed once on first use.
    conflicts: std::sync::OnceLock<conflicting_figures::Facts<'a>>,
    /// The document's own exchange rates, computed once on first use.
    rates: std::sync::OnceLock<conversion_mismatch::OwnRates>,
    /// The document's tags, when incremental analysis assembled them from its chunks
    /// (otherwise the checks that need them scan the text).
    tags: std::sync::OnceLock<Vec<crate::tags::Tag>>,
    /// Whether the document's prose names a dollar other than the US one, when incremental
    /// analysis folded it from its chunks (otherwise `ambiguous-unit` searches the mask).
    pub(crate) names_other_dollars: std::sync::OnceLock<bool>,
    /// Whether the figures write a bare `$` (`ambiguous-unit`), when incremental analysis
    /// joined it from its chunks (otherwise the check reads every figure).
    pub(crate) dollars: std::sync::OnceLock<ambiguous_unit::DollarFacts>,
    /// Each figure's identity across analyses of one document (its chunk's key, how many
    /// chunks with that key come before, its place in the chunk), when incremental
    /// analysis gives it.
    pub(crate) fig_ids: std::sync::OnceLock<Vec<u64>>,
    /// What `conflicting-figures` found in the last analysis of the document (incremental
    /// analysis hands it in and takes it back).
    pub(crate) conflict_memo: std::sync::Mutex<Option<conflicting_figures::Memo>>,
    /// Messages the document passes made in the last analysis of the document, by what they
    /// were made of (incremental analysis hands them in and takes them back; see [`Texts`]).
    pub(crate) texts: std::sync::Mutex<Option<Texts>>,
    /// What the document pass of `mixed-units` wrote in the last analysis of the document
    /// (incremental analysis hands it in and takes it back).
    pub(crate) mixed_memo: std::sync::Mutex<Option<mixed_units::Memo>>,
    /// The figures whose findings are wanted (all but in a window of incremental analysis,
    /// see `incremental`): checks that relate figures across paragraphs start only here.
    pub(crate) focus: Range<usize>,
    /// The prose mask with ASCII letters lower-cased (the same offsets), made on first use
    /// by [`Cx::words_between`] on a chunk or window (see [`LOWERED_MAX`]).
    lowered: std::sync::OnceLock<Lowered>,
    /// The same part of the mask lower-cased and collapsed, made on first use by
    /// [`Cx::words_between`] when the mask is not plain (a line break, two spaces,
    /// characters outside ASCII): then every gap's words are read from it.
    collapsed: std::sync::OnceLock<Collapsed>,
    /// Where in the mask the lower-cased copy is made (the whole mask unless narrowed: a
    /// window's, to its focus chunk, whose figures its checks read around; words elsewhere
    /// are lower-cased as read).
    pub(crate) lower_in: Range<usize>,
    /// The document's mask copied into one, made on first use of [`Cx::mask`] when the
    /// document keeps it as its parts' ([`doc::Doc::assemble_parts`]).
    whole_mask: std::sync::OnceLock<String>,
    /// Whether the text may hold a tag, asked once (see [`Cx::may_hold_tags`]).
    may_hold_tags: std::sync::OnceLock<bool>,
}

/// What an `Arc` allocates beside its value: its two counts (for memory estimates).
pub(crate) const ARC_COUNTS: usize = 2 * std::mem::size_of::<usize>();

/// Messages made from text alone, kept between analyses of one document: a document pass
/// that writes again a message it wrote last time, from the same words and values, takes
/// last time's instead of formatting it (a document pass writes every finding of the
/// document after every edit). A message is found by all it was made of, compared in full,
/// so it is the one `make` would give; those not asked for in an analysis are forgotten.
#[derive(Default)]
pub(crate) struct Texts {
    /// What a message was made of (each part with its length) → (analysis, message).
    made: std::collections::HashMap<Box<[u8]>, (u64, Msg), crate::figures::FxBuild>,
    analysis: u64,
    key: Vec<u8>,
}

impl Texts {
    /// Bytes held (for `profile_memory`): the table (entries and control bytes), the keys
    /// and the messages (with their shared counts).
    pub(crate) fn heap(&self) -> usize {
        self.made.capacity() * (1 + std::mem::size_of::<(Box<[u8]>, (u64, Msg))>())
            + self
                .made
                .iter()
                .map(|(k, (_, m))| k.len() + m.len() + ARC_COUNTS)
                .sum::<usize>()
    }
    /// The message made of `parts` (a check's code first, then every input of `make`).
    pub(crate) fn get(&mut self, parts: &[&[u8]], make: impl FnOnce() -> String) -> Msg {
        self.key.clear();
        for p in parts {
            self.key.extend_from_slice(&(p.len() as u64).to_le_bytes());
            self.key.extend_from_slice(p);
        }
        if let Some((at, m)) = self.made.get_mut(&self.key[..]) {
            *at = self.analysis;
            return m.clone();
        }
        let m: Msg = make().into();
        self.made
            .insert(self.key.as_slice().into(), (self.analysis, m.clone()));
        m
    }

    /// Forget the messages this analysis did not ask for; the next one starts.
    pub(crate) fn turn(&mut self) {
        let now = self.analysis;
        self.made.retain(|_, (at, _)| *at == now);
        self.analysis += 1;
    }
}

/// The longest mask [`Cx::words_between`] keeps a lower-cased copy of: a chunk's or a
/// window's, never a whole large document's (its document passes read few words).
const LOWERED_MAX: usize = 1 << 16;

impl<'a> std::ops::Deref for Cx<'a> {
    type Target = Context<'a>;
    fn deref(&self) -> &Context<'a> {
        &self.input
    }
}

impl<'a> Cx<'a> {
    /// Build the context of a document (figures in document order).
    pub fn new(text: &'a str, figures: &'a [Figure], config: &'a Config, lang: Language) -> Cx<'a> {
        let doc = doc::Doc::new(text, figures, lang);
        Cx::with_doc(text, figures, config, lang, doc)
    }

    /// The context of a document whose shape is already known.
    pub(crate) fn with_doc(
        text: &'a str,
        figures: &'a [Figure],
        config: &'a Config,
        lang: Language,
        doc: doc::Doc,
    ) -> Cx<'a> {
        Cx {
            input: Context {
                text,
                figures,
                config,
                lang,
                at_start: doc.at_start,
            },
            doc,
            conversions: std::sync::OnceLock::new(),
            conflicts: std::sync::OnceLock::new(),
            rates: std::sync::OnceLock::new(),
            tags: std::sync::OnceLock::new(),
            names_other_dollars: std::sync::OnceLock::new(),
            dollars: std::sync::OnceLock::new(),
            fig_ids: std::sync::OnceLock::new(),
            conflict_memo: std::sync::Mutex::new(None),
            texts: std::sync::Mutex::new(None),
            mixed_memo: std::sync::Mutex::new(None),
            focus: 0..figures.len(),
            lowered: std::sync::OnceLock::new(),
            collapsed: std::sync::OnceLock::new(),
            lower_in: 0..usize::MAX,
            whole_mask: std::sync::OnceLock::new(),
            may_hold_tags: std::sync::OnceLock::new(),
        }
    }

    /// Whether the text may hold a tag (`false` only when it holds none): asked once, for
    /// the checks of tags and the chunk's own tags, each of which would read the text for
    /// them again.
    pub(crate) fn may_hold_tags(&self) -> bool {
        *self
            .may_hold_tags
            .get_or_init(|| crate::tags::might_have_tags(self.text))
    }

    /// Pairs of figures where the second converts the first (`$22m (£11.7m)`), computed
    /// once per document; see `conversion_mismatch::pairs`.
    pub fn conversion_pairs(&self) -> &[(usize, usize)] {
        self.conversions
            .get_or_init(|| conversion_mismatch::pairs(self))
    }

    /// The rates the document's conversions give, by pair of currencies, computed once per
    /// document; see `conversion_mismatch::expected_rate`.
    pub(crate) fn own_rates(&self) -> &conversion_mismatch::OwnRates {
        self.rates
            .get_or_init(|| conversion_mismatch::own_rates(self))
    }

    /// The document's tags if already known (see the field).
    pub(crate) fn known_tags(&self) -> Option<&[crate::tags::Tag]> {
        self.tags.get().map(Vec::as_slice)
    }

    /// What each figure says for `conflicting-figures` (subject words, period, change),
    /// computed once per document.
    pub(crate) fn conflict_facts(&self) -> &conflicting_figures::Facts<'a> {
        self.conflicts
            .get_or_init(|| conflicting_figures::Facts::flat(conflicting_figures::fig_facts(self)))
    }

    /// The text of a byte range (empty when out of bounds).
    pub fn slice(&self, r: Range<usize>) -> &'a str {
        self.text.get(r).unwrap_or("")
    }

    /// The text of a figure as written.
    pub fn fig_text(&self, i: usize) -> &'a str {
        self.slice(self.figures[i].span.range())
    }

    /// A figure without its leading qualifier (`707 million tenge` of `exceeded 707
    /// million tenge`).
    pub fn fig_core(&self, i: usize) -> &'a str {
        let f = &self.figures[i];
        self.slice(f.number.start().max(f.span.start())..f.span.end())
    }

    /// The byte range of a figure's unit, currency or noun as written: the engine's
    /// `unit_span`, or the currency sign or code written before the number (`$`, `US$`,
    /// `KZT `), which the engine does not always record.
    // NEEDS(engine): `written.unit_span` for prefix currencies (`$25m`).
    pub fn unit_range(&self, i: usize) -> Option<Range<usize>> {
        let f = &self.figures[i];
        if let Some(r) = f.written.unit_span.get() {
            if r.end > r.start {
                return Some(r);
            }
        }
        f.unit.as_ref()?;
        let from = f
            .written
            .qualifier_span
            .get()
            .map(|q| q.end)
            .unwrap_or(f.span.start())
            .max(f.span.start());
        if from >= f.number.start() {
            return None;
        }
        let s = self.slice(from..f.number.start());
        let lead = s.len() - s.trim_start().len();
        let t = s.trim();
        (!t.is_empty()).then(|| from + lead..from + lead + t.len())
    }

    /// Whether a figure's digits read as an identifier rather than a quantity: a leading
    /// zero (`0143` of a phone number), or a "range" that runs backwards (a score, `3-2`).
    // NEEDS(engine): phone numbers and scores should not be figures at all.
    pub fn looks_like_identifier(&self, i: usize) -> bool {
        let f = &self.figures[i];
        let t = self.number_text(i);
        let b = t.as_bytes();
        (b.len() > 1 && b[0] == b'0' && b[1].is_ascii_digit())
            || matches!((f.low(), f.high()), (Some(l), Some(h)) if l >= h)
    }

    /// The number of a figure as written (`4,431`, `707 billion`).
    pub fn number_text(&self, i: usize) -> &'a str {
        self.slice(self.figures[i].number.range())
    }

    /// Indices of the figures of the sentence holding figure `i`.
    pub fn sentence_figures(&self, i: usize) -> Range<usize> {
        self.doc.sentence_figures(self.doc.fig_sentence[i])
    }

    /// The document's prose mask (see [`crate::prose::mask`]): the text with everything that
    /// is not prose blanked, byte for byte.
    pub fn mask(&self) -> &str {
        match &self.doc.parts {
            None => &self.doc.mask,
            Some(parts) => self.whole_mask.get_or_init(|| parts.join(self.text)),
        }
    }

    /// The prose (masked) text between two byte offsets, lower-cased, with runs of
    /// whitespace collapsed: what the words between two figures say.
    ///
    /// Borrowed from a copy of the chunk's or window's mask, lower-cased (and collapsed if
    /// it is not plain); elsewhere when the words are already collapsed ASCII.
    pub fn words_between(&self, start: usize, end: usize) -> Cow<'_, str> {
        if start >= end {
            return Cow::Borrowed("");
        }
        // A chunk's or window's words come from its copies, which take any range of
        // characters as it is (white space at its ends included).
        let mask = &self.doc.mask;
        let small = self.doc.parts.is_none()
            && mask.len() <= LOWERED_MAX
            && start >= self.lower_in.start
            && end <= self.lower_in.end.min(mask.len())
            && mask.is_char_boundary(start)
            && mask.is_char_boundary(end);
        if small {
            let lower = self.lowered();
            let words = if lower.plain {
                // A plain mask's words are collapsed already, but for a space at either
                // end (never two in a row).
                lower.words(start..end)
            } else {
                self.collapsed().words(start..end)
            };
            if let Some(w) = words {
                return Cow::Borrowed(w);
            }
        }
        let s = match &self.doc.parts {
            None => self.doc.mask.get(start..end).map(Cow::Borrowed),
            Some(parts) => parts.get(self.text, start..end),
        };
        let Some(s) = s else {
            return Cow::Borrowed("");
        };
        let s: &str = match s {
            Cow::Borrowed(s) => s,
            // Across parts (rare: the words between figures of two paragraphs).
            Cow::Owned(s) => return Cow::Owned(collapsed_lower(&s)),
        };
        // White space at either end is dropped by the collapsing: trimmed first, the words
        // before a figure (which end with a space) can be borrowed too.
        let (lead, trail) = ascii_space_ends(s.as_bytes());
        let s = &s[lead..s.len() - trail];
        match collapsed_ascii(s.as_bytes()) {
            Some(false) => Cow::Borrowed(s),
            Some(true) => Cow::Owned(s.to_ascii_lowercase()),
            None => Cow::Owned(collapsed_lower(s)),
        }
    }

    /// The copies of the mask that [`Cx::words_between`] made, taken for another context
    /// whose mask holds this one's (see [`Cx::give_copies`]): those of the whole mask only.
    pub(crate) fn take_copies(&mut self) -> Copies {
        let len = self.doc.mask.len();
        Copies {
            lowered: self.lowered.take().filter(|l| l.at == 0),
            collapsed: self.collapsed.take().filter(|c| c.at == 0 && c.end == len),
        }
    }

    /// Take `copies`, made of another context's whole mask, which is this one's mask at
    /// [`Cx::lower_in`] (a window's middle chunk): they are what [`Cx::words_between`]
    /// would make of it, moved there. Copies of a mask of another length are dropped.
    pub(crate) fn give_copies(&mut self, copies: Copies, len: usize) {
        let at = self.lower_in.start;
        if self.lower_in.end != at + len || at + len > self.doc.mask.len() {
            return;
        }
        if let Some(mut l) = copies.lowered {
            l.at += at;
            debug_assert!(
                l.text.is_empty() || self.doc.mask[at..at + len].to_ascii_lowercase() == l.text
            );
            let _ = self.lowered.set(l);
        }
        if let Some(mut c) = copies.collapsed {
            c.at += at;
            c.end += at;
            debug_assert_eq!(collapse_marked(&self.doc.mask[at..at + len]).0, c.text);
            let _ = self.collapsed.set(c);
        }
    }

    /// The mask lower-cased, made on first use (a chunk's or window's: see
    /// [`LOWERED_MAX`]).
    fn lowered(&self) -> &Lowered {
        self.lowered
            .get_or_init(|| Lowered::of(&self.doc.mask, self.lower_in.clone()))
    }

    /// The mask lower-cased and collapsed, made on first use (where [`Cx::lowered`] is).
    fn collapsed(&self) -> &Collapsed {
        self.collapsed
            .get_or_init(|| Collapsed::of(&self.doc.mask, self.lower_in.clone()))
    }

    /// The words of the figure's sentence before the figure (lower-cased, collapsed; at
    /// most the last 400 bytes, so a sentence without an end stays cheap).
    pub fn words_before(&self, i: usize) -> Cow<'_, str> {
        self.words_before_within(i, 400)
    }

    /// [`Cx::words_before`] looking back at most `max` bytes.
    pub fn words_before_within(&self, i: usize, max: usize) -> Cow<'_, str> {
        let s = &self.doc.sentences[self.doc.fig_sentence[i]];
        let end = self.figures[i].span.start();
        let mut start = s.range.start.max(end.saturating_sub(max));
        while !self.text.is_char_boundary(start) {
            start += 1;
        }
        self.words_between(start, end)
    }

    /// The words of the figure's sentence after the figure (lower-cased, collapsed).
    pub fn words_after(&self, i: usize) -> Cow<'_, str> {
        self.words_after_within(i, 400)
    }

    /// [`Cx::words_after`] looking ahead at most `max` bytes.
    pub fn words_after_within(&self, i: usize, max: usize) -> Cow<'_, str> {
        let s = &self.doc.sentences[self.doc.fig_sentence[i]];
        let start = self.figures[i].span.end();
        let mut end = s.range.end.min(start + max);
        while end < self.text.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        self.words_between(start, end.max(start))
    }

    /// A finding of `check` on `span` (severity is set by [`run_all`]).
    pub fn finding(&self, check: &Check, span: Range<usize>, message: impl Into<Msg>) -> Finding {
        Finding {
            code: check.code,
            severity: check.severity,
            message: message.into(),
            span,
            related: Shared::new(),
            fixes: Shared::new(),
        }
    }

    /// A `Related` entry pointing at figure `i`, labelled with its text.
    pub fn related(&self, i: usize, what: &str) -> Related {
        let t = self.fig_text(i);
        Related {
            span: self.figures[i].span.range(),
            message: if what.is_empty() {
                t.into()
            } else {
                // Joined by hand: `format!` costs several times as much, once per related
                // figure of every finding.
                let mut m = String::with_capacity(what.len() + 2 + t.len());
                m.push_str(what);
                m.push_str(": ");
                m.push_str(t);
                m.into()
            },
        }
    }
}

/// Every check, sorted by code.
pub static REGISTRY: &[Check] = &[
    ambiguous_unit::CHECK,
    change_mismatch::CHECK,
    conflicting_figures::CHECK,
    conversion_mismatch::CHECK,
    malformed_number::CHECK,
    malformed_tag::CHECK,
    mixed_units::CHECK,
    number_style::CHECK,
    numeral_starts_sentence::CHECK,
    part_exceeds_whole::CHECK,
    percent_sum::CHECK,
    spurious_precision::CHECK,
    stale_tag::CHECK,
    total_mismatch::CHECK,
    unitless_figure::CHECK,
];

/// The registry entry of a code.
pub fn check(code: &str) -> Option<&'static Check> {
    REGISTRY.iter().find(|c| c.code == code)
}

/// The documentation URL of a code (what LSP `codeDescription.href` points to): the
/// code's section of the generated `docs/checks.md`.
pub fn doc_url(code: &str) -> String {
    format!("https://github.com/briefing-ls/briefing-ls/blob/main/docs/checks.md#{code}")
}

/// Run every enabled check on a Markdown document and return findings sorted by position.
pub fn run_all(text: &str, figures: &[Figure], config: &Config) -> Vec<Finding> {
    run_all_lang(text, figures, config, Language::Markdown)
}

/// Run every enabled check and return findings sorted by position, with the configured
/// severities applied and the findings that a suppression comment covers removed.
///
/// This is [`run_cached`] with an empty cache: local checks read each chunk (see
/// [`crate::figures::chunks`]) on its own, document checks read the whole document.
pub fn run_all_lang(
    text: &str,
    figures: &[Figure],
    config: &Config,
    lang: Language,
) -> Vec<Finding> {
    run_cached(text, figures, config, lang, &mut CheckCache::default())
}

/// Apply the configured severities and the suppression comments to the raw findings of
/// `check`, appending what remains to `out`.
fn settle(
    text: &str,
    config: &Config,
    ignores: &suppress::Suppressions,
    check: &Check,
    found: impl IntoIterator<Item = Finding>,
    out: &mut Vec<Finding>,
) {
    let grade = Grade::of(config, check);
    let found = found.into_iter();
    // Exactly: grown by doubling, the list of a large document's first analysis (sized for
    // its chunks' findings, the document passes' unknown yet) held up to twice its findings
    // at its largest moment.
    out.reserve_exact(found.size_hint().0);
    out.extend(found.filter_map(|f| grade.settle(text, ignores, f)));
}

/// How a check's findings are settled: the severity configured for it, if any, and its
/// default.
#[derive(Clone, Copy)]
struct Grade {
    configured: Option<Severity>,
    default: Severity,
}

impl Grade {
    fn of(config: &Config, check: &Check) -> Grade {
        let configured = config.severity(check.code);
        Grade {
            configured,
            default: configured.unwrap_or(check.severity),
        }
    }

    /// The finding as published, or `None` when it is out of the text or suppressed.
    fn settle(
        self,
        text: &str,
        ignores: &suppress::Suppressions,
        mut f: Finding,
    ) -> Option<Finding> {
        self.keep(text, ignores, &mut f).then_some(f)
    }

    /// Grade the finding in place; false when it is out of the text or suppressed.
    fn keep(self, text: &str, ignores: &suppress::Suppressions, f: &mut Finding) -> bool {
        if f.span.start > text.len() || f.span.end > text.len() || f.span.start > f.span.end {
            return false;
        }
        if ignores.covers(text, f.span.start, f.code) {
            return false;
        }
        // A check may grade its own findings (a tag's unknown `cat` is only a warning
        // of `malformed-tag`); the configuration overrides every grade.
        match self.configured {
            Some(s) => f.severity = s,
            None if f.severity == Severity::Off => f.severity = self.default,
            None => {}
        }
        true
    }
}

/// Sort findings by position and drop duplicates.
fn sort_findings(out: &mut Vec<Finding>) {
    order_findings(out);
    // The places first: they tell most neighbours apart without comparing strings.
    out.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
}

/// What findings are put in order by: place, then code.
fn order_key(f: &Finding) -> (usize, usize, &'static str) {
    (f.span.start, f.span.end, f.code)
}

/// Put findings in order: by place, then code, and as they came for the rest (a stable
/// sort).
///
/// A stable sort of the findings themselves moves each one several times (the list is one
/// run per check, merged pass by pass), and a finding is large; so their keys are sorted
/// (the index last: the order a stable sort gives) and the findings put in that order by
/// swaps, one cycle of the permutation at a time.
fn order_findings(out: &mut [Finding]) {
    let key = order_key;
    if out.is_sorted_by(|a, b| key(a) <= key(b)) {
        return;
    }
    let mut order: Vec<_> = out.iter().enumerate().map(|(i, f)| (key(f), i)).collect();
    // Each index once: no two entries are equal, so any sort gives the stable order; this
    // one merges the runs already in order (the local findings are one, each document
    // pass's another) rather than sorting them again.
    order.sort();
    // Place `p` takes the finding at `order[p].1`.
    let mut done = vec![false; out.len()];
    for i in 0..out.len() {
        let mut j = i;
        while !done[j] {
            done[j] = true;
            let k = order[j].1;
            if k == i {
                break;
            }
            out.swap(j, k);
            j = k;
        }
    }
}

/// Put a run of findings in order among themselves, as [`order_findings`] would (stably):
/// a list made of such runs is then put in order by merging them, not sorting again.
fn order_run(run: &mut [Finding]) {
    if run.len() > 1 {
        run.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    }
}

/// Merge `late` into `out`, both in the order of [`order_findings`]: a stable merge (on
/// equal keys `out`'s findings come first), each finding moved once or twice, from the
/// end.
fn merge_findings(out: &mut Vec<Finding>, mut late: Vec<Finding>) {
    let key = order_key;
    let (a, b) = (out.len(), late.len());
    let Some(first) = late.first() else {
        return;
    };
    if a == 0 || key(&out[a - 1]) <= key(first) {
        out.append(&mut late);
        return;
    }
    // The places not yet written hold a stand-in (a copy of a finding: its lists are
    // shared, not copied).
    let hole = first.clone();
    // Exactly: the list is kept as it is (doubling a list of thousands for the few merged
    // in would hold both copies at once).
    out.reserve_exact(b);
    out.resize(a + b, hole);
    let (mut i, mut j) = (a, b);
    for k in (0..a + b).rev() {
        if j == 0 {
            break;
        }
        if i > 0 && key(&out[i - 1]) > key(&late[j - 1]) {
            out.swap(i - 1, k);
            i -= 1;
        } else {
            std::mem::swap(&mut out[k], &mut late[j - 1]);
            j -= 1;
        }
    }
}

/// Every code of SPEC §3, sorted. The registry implements them; configuration accepts them.
pub const CODES: &[&str] = &[
    "ambiguous-unit",
    "change-mismatch",
    "conflicting-figures",
    "conversion-mismatch",
    "malformed-number",
    "malformed-tag",
    "mixed-units",
    "number-style",
    "numeral-starts-sentence",
    "part-exceeds-whole",
    "percent-sum",
    "spurious-precision",
    "stale-tag",
    "total-mismatch",
    "unitless-figure",
];

/// The reference page `docs/checks.md`, generated from the registry (a test keeps the
/// file in sync: `UPDATE_EXPECT=1 cargo test --test checks` rewrites it).
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "# Checks\n\n<!-- Generated from the registry in src/checks/ by `UPDATE_EXPECT=1 cargo test --test checks`. Do not edit by hand. -->\n\n\
         Every diagnostic of briefing-ls has one of these codes. Set a check's severity in `.briefing-ls.toml` \
         (`[checks] mixed-units = \"warning\"`, or `\"off\"`), or silence one place with \
         `<!-- briefing-ls: ignore CODE -->` on the line before or at the end of the line (`ignore` alone silences every check). \
         `briefing-ls rules CODE` prints the same text.\n\n| code | default | summary |\n|---|---|---|\n",
    );
    for c in REGISTRY {
        s.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            c.code,
            c.code,
            c.severity.as_str(),
            c.summary
        ));
    }
    for c in REGISTRY {
        s.push_str(&format!(
            "\n## {}\n\n*Default severity: {}.* {}.\n\n{}\n",
            c.code,
            c.severity.as_str(),
            c.summary,
            c.explanation
        ));
    }
    s
}

/// Whether `code` names a check of SPEC §3.
pub fn is_known_code(code: &str) -> bool {
    CODES.binary_search(&code).is_ok()
}

/// `w` lower-cased as [`str::to_ascii_lowercase`] does, in `buf`; `""` when it is longer
/// than `buf`. For the short words checks compare a word with, without allocating.
pub(crate) fn ascii_lower_in<'b, const N: usize>(w: &str, buf: &'b mut [u8; N]) -> &'b str {
    let Some(out) = buf.get_mut(..w.len()) else {
        return "";
    };
    out.copy_from_slice(w.as_bytes());
    out.make_ascii_lowercase();
    // Only ASCII letters change, one byte for one: the bytes stay the UTF-8 they were.
    std::str::from_utf8(out).unwrap_or("")
}

/// For ASCII text already collapsed (words separated by single spaces, no other white space
/// or control character, none at either end), whether it holds an upper-case letter;
/// `None` for any other text. One pass, short gaps being the common case.
fn collapsed_ascii(b: &[u8]) -> Option<bool> {
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return None;
    }
    // Three tests over the whole slice without early exit, each of which the compiler
    // vectorises (one loop carrying the previous byte did not: ~5 instructions a byte, on
    // every gap the checks read).
    let odd = b.iter().fold(false, |a, &c| a | !(b' '..0x80).contains(&c));
    let (head, tail) = (&b[..b.len().saturating_sub(1)], b.get(1..).unwrap_or(&[]));
    let double = head
        .iter()
        .zip(tail)
        .fold(false, |a, (&x, &y)| a | ((x == b' ') & (y == b' ')));
    if odd | double {
        return None;
    }
    Some(b.iter().fold(false, |a, &c| a | c.is_ascii_uppercase()))
}

/// The widest part of a mask within `within` (clamped to it, widened to its characters).
fn mask_within(mask: &str, within: Range<usize>) -> (usize, &str) {
    let mut lo = within.start.min(mask.len());
    while !mask.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = within.end.clamp(lo, mask.len());
    while !mask.is_char_boundary(hi) {
        hi += 1;
    }
    (lo, &mask[lo..hi])
}

/// A context's copies of its mask (see [`Cx::take_copies`]).
#[derive(Default)]
pub(crate) struct Copies {
    lowered: Option<Lowered>,
    collapsed: Option<Collapsed>,
}

/// A prose mask with ASCII letters lower-cased (from `at` on), and whether it is plain.
struct Lowered {
    at: usize,
    /// The lower-cased copy; empty when the mask is not plain (its words are read from
    /// [`Collapsed`]).
    text: String,
    /// Only printable ASCII with no two spaces in a row: then each of its slices that
    /// neither starts nor ends with white space is collapsed already ([`collapsed_ascii`]
    /// gives `Some`), and its lower-cased words are those of `text` at the same offsets.
    plain: bool,
}

impl Lowered {
    /// The lower-cased copy of `mask[within]` (see [`mask_within`]).
    fn of(mask: &str, within: Range<usize>) -> Lowered {
        let (lo, mask) = mask_within(mask, within);
        let b = mask.as_bytes();
        // Tests that vectorise, as in `collapsed_ascii`.
        let odd = b.iter().fold(false, |a, &c| a | !(b' '..0x80).contains(&c));
        let double = b
            .iter()
            .zip(b.get(1..).unwrap_or(&[]))
            .fold(false, |a, (&x, &y)| a | ((x == b' ') & (y == b' ')));
        let plain = !(odd | double);
        Lowered {
            at: lo,
            // A mask that is not plain is read from its collapsed copy.
            text: if plain {
                mask.to_ascii_lowercase()
            } else {
                String::new()
            },
            plain,
        }
    }

    /// The lower-cased, collapsed words of the plain mask's `range` (`None` if it does
    /// not lie within the copy).
    #[inline]
    fn words(&self, range: Range<usize>) -> Option<&str> {
        let s = self
            .text
            .get(range.start.checked_sub(self.at)?..range.end.checked_sub(self.at)?)?;
        let s = s.strip_prefix(' ').unwrap_or(s);
        Some(s.strip_suffix(' ').unwrap_or(s))
    }
}

/// A prose mask's words lower-cased and collapsed (from `at` on): what
/// [`collapsed_lower`] makes of any of its slices, made once for all of them. For masks
/// that are not plain (wrapped lines, indented lists, curly quotes and dashes): there,
/// testing each gap and collapsing some from scratch cost more than this copy: 2% more
/// instructions on real briefings (0.5% fewer on generated text, mostly plain).
struct Collapsed {
    /// Where the part of the mask starts and ends.
    at: usize,
    end: usize,
    text: String,
    /// The places where the copy's offsets move against the mask's, in order: runs of
    /// white space other than one ASCII byte (made one space), and characters whose lower
    /// case is not as long as they are. Between two, both move together.
    marks: Vec<Mark>,
}

/// A place of [`Collapsed::marks`]: the mask's `src` (from the copy's start) became the
/// copy's `dst`.
struct Mark {
    src: Range<u32>,
    dst: Range<u32>,
}

impl Collapsed {
    /// The collapsed copy of `mask[within]` (see [`mask_within`]).
    fn of(mask: &str, within: Range<usize>) -> Collapsed {
        let (at, mask) = mask_within(mask, within);
        if mask.len() > (u32::MAX / 2) as usize {
            // Offsets past 2 GB are not marked (lower case may make a copy longer, by half
            // at most: `İ`): a copy of nothing, its words read as they come.
            return Collapsed {
                at,
                end: at,
                text: String::new(),
                marks: Vec::new(),
            };
        }
        let (text, marks) = collapse_marked(mask);
        Collapsed {
            at,
            end: at + mask.len(),
            text,
            marks,
        }
    }

    /// Where the copy's offset `p` (from its start, a character boundary) falls in the
    /// copy, `k` being the number of marks that start before it; inside a run of white
    /// space, before its space.
    fn place(&self, p: usize, k: usize) -> usize {
        let Some(m) = k.checked_sub(1).and_then(|k| self.marks.get(k)) else {
            return p;
        };
        let src_end = m.src.end as usize;
        if p >= src_end {
            m.dst.end as usize + (p - src_end)
        } else {
            m.dst.start as usize
        }
    }

    /// The lower-cased, collapsed words of the mask's `range`, which lies within the copy
    /// (`None` if the copy cannot say: a range that does not).
    fn words(&self, range: Range<usize>) -> Option<&str> {
        if range.start < self.at || range.end > self.end || range.start > range.end {
            return None;
        }
        let (p, q) = (range.start - self.at, range.end - self.at);
        // The marks before the range's start searched for; those before its end are a
        // few more at most (a gap is some words long).
        let j = self.marks.partition_point(|m| (m.src.start as usize) < p);
        let k = j + self.marks[j..]
            .iter()
            .take_while(|m| (m.src.start as usize) < q)
            .count();
        let (a, z) = (self.place(p, j), self.place(q, k));
        if a >= z {
            return Some("");
        }
        let s = self.text.get(a..z)?;
        // White space at an end of the range (that the caller did not trim: a no-break
        // space, a vertical tab; or a run that the range starts or ends inside) is one
        // space of the copy.
        let s = s.strip_prefix(' ').unwrap_or(s);
        Some(s.strip_suffix(' ').unwrap_or(s))
    }
}

/// [`collapsed_lower`] of `mask` (at most 2 GB) without the trimming: each run of
/// white space is one space, even at the ends. With the [`Collapsed::marks`] saying where
/// its offsets move.
fn collapse_marked(mask: &str) -> (String, Vec<Mark>) {
    let mut marks = Vec::new();
    // Offsets fit: the mask is at most 2 GB, the copy at most 3.
    let text = collapse(mask, |src, dst| {
        marks.push(Mark {
            src: src.start as u32..src.end as u32,
            dst: dst.start as u32..dst.end as u32,
        })
    });
    (text, marks)
}

/// `s` lower-cased, each run of white space made one space (at the ends too), telling
/// `mark` each place where the copy's offsets move against `s`'s (a run other than one
/// ASCII byte, a character whose lower case is not as long as it is): `s`'s range, then
/// the copy's. The one definition of [`collapsed_lower`] outside ASCII, and of
/// [`Collapsed`]'s copy; [`collapsed_lower_chars`] is what it must give.
fn collapse(s: &str, mut mark: impl FnMut(Range<usize>, Range<usize>)) -> String {
    let b = s.as_bytes();
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    let mut out = String::with_capacity(s.len());
    // The start of bytes not yet copied: copied whole up to the next byte that needs a
    // look (one outside ASCII, a control or white space byte other than a lone space).
    // A byte copied as it is: printable ASCII other than a space, or a space before one.
    let printable = |c: u8| c.wrapping_sub(0x21) < 0x5F;
    let plain = |x: u8, y: u8| printable(x) | ((x == b' ') & printable(y));
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        // Sixteen bytes at a time while all are plain (a test that vectorises), then one
        // by one up to the byte that is not.
        while let Some(w) = b.get(i..i + 17) {
            let mut odd = 0u8;
            for j in 0..16 {
                odd |= u8::from(!plain(w[j], w[j + 1]));
            }
            if odd != 0 {
                break;
            }
            i += 16;
        }
        while i < b.len() && plain(b[i], b.get(i + 1).copied().unwrap_or(b'a')) {
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            break;
        };
        out.push_str(&s[from..i]);
        let ch = if c < 0x80 {
            c as char
        } else {
            match s.get(i..).and_then(|t| t.chars().next()) {
                Some(ch) => ch,
                None => break,
            }
        };
        if ch.is_whitespace() {
            // The whole run, ASCII or not.
            let start = i;
            loop {
                if b.get(i).is_some_and(|&c| space(c)) {
                    i += 1;
                } else if let Some(ch) = s.get(i..).and_then(|t| t.chars().next()) {
                    if !ch.is_ascii() && ch.is_whitespace() {
                        i += ch.len_utf8();
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            let d = out.len();
            out.push(' ');
            if i - start != 1 {
                mark(start..i, d..d + 1);
            }
        } else {
            let d = out.len();
            if ch.is_ascii() {
                // A control byte: kept, as `collapsed_lower_chars` keeps it.
                out.push(ch);
            } else {
                out.extend(ch.to_lowercase());
            }
            let n = ch.len_utf8();
            if out.len() - d != n {
                mark(i..i + n, d..out.len());
            }
            i += n;
        }
        from = i;
    }
    out.push_str(&s[from.min(s.len())..]);
    // No character outside ASCII lower-cases into an upper-case ASCII letter.
    out.make_ascii_lowercase();
    out
}

/// How many bytes of ASCII white space (`u8::is_ascii_whitespace`) open and close `b`
/// (the whole of `b` counted once when it is all white space).
fn ascii_space_ends(b: &[u8]) -> (usize, usize) {
    let lead = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let trail = b[lead..]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_whitespace())
        .count();
    (lead, trail)
}

/// `s` lower-cased, its runs of white space made one space and trimmed (see
/// [`Cx::words_between`]).
fn collapsed_lower(s: &str) -> String {
    if s.is_ascii() {
        // The common case: whole words copied, then lower-cased in one pass. White space
        // is `char::is_whitespace`'s on ASCII (the vertical tab too).
        let b = s.as_bytes();
        // Already collapsed (one space between words, no other white space, none at the
        // ends): copied and lower-cased whole, with tests that vectorise.
        if b.first() != Some(&b' ')
            && b.last() != Some(&b' ')
            && !b.iter().any(|&c| c < b' ')
            && finder!(b"  ").find(b).is_none()
        {
            return s.to_ascii_lowercase();
        }
        let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
        // No white space at either end nor two in a row (wrapped lines: a line break
        // stands for a space): each white space byte becomes a space, every byte in one
        // pass that vectorises.
        let runs = b
            .iter()
            .zip(b.get(1..).unwrap_or(&[]))
            .fold(false, |a, (&x, &y)| a | (space(x) & space(y)));
        if !runs && !b.first().is_some_and(|&c| space(c)) && !b.last().is_some_and(|&c| space(c)) {
            let bytes: Vec<u8> = b
                .iter()
                .map(|&c| {
                    if space(c) {
                        b' '
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
            // ASCII in, ASCII out: always valid.
            return String::from_utf8(bytes).unwrap_or_default();
        }
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && space(b[i]) {
                i += 1;
            }
            let start = i;
            while i < b.len() && !space(b[i]) {
                i += 1;
            }
            if start < i {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&s[start..i]);
            }
        }
        out.make_ascii_lowercase();
        return out;
    }
    collapsed_lower_mixed(s)
}

/// [`collapsed_lower`] of text that is not all ASCII: [`collapse`]'s copy, without the
/// space that a run of white space at either end leaves.
fn collapsed_lower_mixed(s: &str) -> String {
    let mut out = collapse(s, |_, _| {});
    if out.ends_with(' ') {
        out.pop();
    }
    if out.starts_with(' ') {
        out.remove(0);
    }
    out
}

/// [`collapsed_lower`] char by char, into `out`: what the faster paths must give.
#[cfg(test)]
fn collapsed_lower_chars(s: &str, mut out: String) -> String {
    let mut space = false;
    for ch in s.chars() {
        if ch.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(ch.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod collapse_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_are_lowered_and_spaces_collapsed() {
        assert_eq!(collapsed_lower("  Rose \t\n BY\x0b5%  "), "rose by 5%");
        assert_eq!(collapsed_lower("Ünd  ÉTÉ\u{a0}x"), "ünd été x");
        assert_eq!(collapsed_lower(" \r\n "), "");
        assert_eq!(collapsed_lower("Already One Space"), "already one space");
        assert_eq!(collapsed_lower("Two  spaces"), "two spaces");
        assert_eq!(collapsed_lower("a\x01b"), "a\x01b");
    }

    #[test]
    fn the_collapsed_copy_maps_offsets_past_runs_and_longer_lower_case() {
        // `İ` lower-cases to three bytes, the Kelvin sign to one.
        let mask = "Rose  by\n 5%\u{a0}to \u{130}K \u{212a}x\n";
        let copy = Collapsed::of(mask, 0..mask.len());
        assert_eq!(copy.text, "rose by 5% to i\u{307}k kx ");
        let at = |w: &str| mask.find(w).unwrap();
        assert_eq!(copy.words(0..at("by") + 2), Some("rose by"));
        assert_eq!(copy.words(at("5%")..at("to") + 2), Some("5% to"));
        assert_eq!(copy.words(at("\u{130}")..mask.len()), Some("i\u{307}k kx"));
        // Starting or ending inside a run of white space.
        assert_eq!(copy.words(at("by") + 3..at("to")), Some("5%"));
        assert_eq!(copy.words(at("by") + 2..at("by") + 4), Some(""));
        // Outside the part copied.
        let part = Collapsed::of(mask, at("5%")..mask.len());
        assert_eq!(part.words(0..at("by")), None);
        assert_eq!(part.words(at("5%")..at("5%") + 2), Some("5%"));
    }

    proptest! {
        #[test]
        fn ascii_text_is_collapsed_as_any_other(s in "[a-zA-Z0-9 .,\t\n\r\x0B\x0C\x01]{0,40}|([A-Za-z]{1,5} ){0,6}[A-Za-z]{1,5}") {
            prop_assert_eq!(collapsed_lower(&s), collapsed_lower_chars(&s, String::new()));
        }

        /// Mixed text is collapsed as char by char.
        #[test]
        fn mixed_text_is_collapsed_as_char_by_char(s in "[a-zA-Z0-9 .,\t\n\r\x0B\x0C\x01\u{a0}\u{85}\u{2009}\u{3000}éÉİΣẞ’—Ǆ\u{212A}]{0,40}", any in any::<String>()) {
            prop_assert_eq!(collapsed_lower_mixed(&s), collapsed_lower_chars(&s, String::new()));
            prop_assert_eq!(collapsed_lower(&any), collapsed_lower_chars(&any, String::new()));
        }

        /// Trimming ASCII white space off the ends changes nothing collapsed, and what is
        /// left starts and ends with no ASCII white space.
        #[test]
        fn trimmed_ends_collapse_the_same(s in "[a-zA-Z .\t\n\r\x0B\x0C\u{a0}é]{0,30}") {
            let (lead, trail) = ascii_space_ends(s.as_bytes());
            let t = &s[lead..s.len() - trail];
            prop_assert_eq!(collapsed_lower(t), collapsed_lower(&s));
            prop_assert!(!t.starts_with(|c: char| c.is_ascii_whitespace()));
            prop_assert!(!t.ends_with(|c: char| c.is_ascii_whitespace()));
            prop_assert!(lead + trail <= s.len());
        }

        /// The vectorised test says what the byte-by-byte one said.
        #[test]
        fn collapsed_ascii_as_byte_by_byte(s in "[a-zA-Z0-9 .,\t\n\x0B\x7F\x01é]{0,40}|([A-Za-z]{1,5}  ?){0,6}[A-Za-z]{0,5}") {
            let b = s.as_bytes();
            let want = if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
                None
            } else {
                let (mut odd, mut upper, mut prev_space) = (false, false, false);
                for &c in b {
                    let space = c == b' ';
                    odd |= !(b' '..0x80).contains(&c) || (space & prev_space);
                    upper |= c.is_ascii_uppercase();
                    prev_space = space;
                }
                (!odd).then_some(upper)
            };
            prop_assert_eq!(collapsed_ascii(b), want);
        }

        /// The words between any two places are the mask's there, collapsed and lower-cased,
        /// whether the mask is plain or not (a chunk's whole mask, as checks read it), read
        /// several times from one context (its copies made once).
        #[test]
        fn words_between_are_the_collapsed_lower_words(
            text in "([a-zA-Z0-9,.*\u{e9}\u{130}\u{212a}\u{1e9e}\u{3a3}]{1,6}( |  |\n|\t|\r\n|\u{a0}|\x0B|\x01| \n| \u{a0} |\u{2003}\n|\u{85}|\u{2019})?){0,20}|[a-zA-Z\u{e9}\u{2019} ]{0,30}",
            ranges in proptest::collection::vec((0usize..200, 0usize..200), 1..8),
            markdown in any::<bool>(),
            narrowed in proptest::option::of((0usize..200, 0usize..200)),
        ) {
            let config = Config::default();
            let lang = if markdown { Language::Markdown } else { Language::Plain };
            let mut cx = Cx::new(&text, &[], &config, lang);
            // The lower-cased copy made of part of the mask only (a window's), anywhere.
            if let Some((lo, hi)) = narrowed {
                cx.lower_in = lo..hi;
            }
            let mask = cx.mask().to_string();
            for (a, b) in ranges {
                let (start, end) = (a.min(text.len()), b.min(text.len()));
                if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                    continue;
                }
                let want = if start >= end { String::new() } else { collapsed_lower(&mask[start..end]) };
                let got = cx.words_between(start, end);
                prop_assert_eq!(got.as_ref(), want.as_str(), "{}..{} of {:?}", start, end, mask);
            }
        }

        /// The collapsed copy of any part of a mask gives, for each range within it, what
        /// collapsing the range gives.
        #[test]
        fn collapsed_copy_words_are_the_collapsed_lower_words(
            mask in "([a-zA-Z0-9,.\u{e9}\u{130}\u{212a}\u{1e9e}\u{3a3}\u{2019}\x01]{1,6}( |  |\n|\t|\r\n|\u{a0}|\x0B| \n| \u{a0} |\u{2003}\n|\u{85}|\u{3000})?){0,24}",
            within in (0usize..200, 0usize..200),
            ranges in proptest::collection::vec((0usize..200, 0usize..200), 1..12),
        ) {
            let copy = Collapsed::of(&mask, within.0..within.1);
            for (a, b) in ranges {
                let (start, end) = (a.min(mask.len()), b.min(mask.len()));
                if !mask.is_char_boundary(start) || !mask.is_char_boundary(end) {
                    continue;
                }
                let inside = start >= copy.at && end <= copy.end && start <= end;
                match copy.words(start..end) {
                    Some(w) => {
                        prop_assert!(inside);
                        prop_assert_eq!(w, collapsed_lower(&mask[start..end]), "{}..{} of {:?}", start, end, mask);
                    }
                    None => prop_assert!(!inside, "{}..{} of {:?}", start, end, mask),
                }
            }
        }

        /// A chunk's copies, given to a window that holds the chunk (its middle chunk),
        /// give the window's words as the window's own copies would; copies of a chunk of
        /// another length are not taken.
        #[test]
        fn copies_given_to_a_window_read_as_its_own(
            chunk in "([a-zA-Z0-9,.\u{e9}\u{130}\u{212a}\u{2019}]{1,6}( |  |\n|\t|\u{a0}| \n|\u{2003})?){1,16}|([a-zA-Z0-9,.]{1,6} ){0,12}[a-zA-Z0-9,.]{1,6}",
            before in "[a-z ]{0,12}",
            after in "[a-z ]{0,12}",
            ranges in proptest::collection::vec((0usize..120, 0usize..120), 1..8),
            wrong in any::<bool>(),
        ) {
            let config = Config::default();
            let mut own = Cx::new(&chunk, &[], &config, Language::Plain);
            // Both copies made, as the chunk's checks would.
            let _ = own.lowered();
            let _ = own.collapsed();
            let copies = own.take_copies();
            prop_assert!(copies.lowered.is_some() && copies.collapsed.is_some());
            let window = format!("{before}\n\n{chunk}\n\n{after}");
            let at = before.len() + 2;
            let mut given = Cx::new(&window, &[], &config, Language::Plain);
            given.lower_in = at..at + chunk.len();
            given.give_copies(copies, chunk.len() + usize::from(wrong));
            prop_assert_eq!(given.lowered.get().is_some(), !wrong);
            let mut made = Cx::new(&window, &[], &config, Language::Plain);
            made.lower_in = at..at + chunk.len();
            for (a, b) in ranges {
                let (start, end) = ((at + a).min(window.len()), (at + b).min(window.len()));
                if !window.is_char_boundary(start) || !window.is_char_boundary(end) {
                    continue;
                }
                prop_assert_eq!(given.words_between(start, end), made.words_between(start, end));
            }
        }

        /// What [`Cx::words_between`] borrows is what it would have made.
        #[test]
        fn borrowed_words_are_the_collapsed_ones(s in "[a-zA-Z0-9 .,\t\n\x0B\x7F\x01é]{0,40}|([A-Za-z]{1,5} ){0,6}[A-Za-z]{1,5}") {
            match collapsed_ascii(s.as_bytes()) {
                Some(upper) => {
                    prop_assert_eq!(upper, s != s.to_ascii_lowercase());
                    prop_assert_eq!(s.to_ascii_lowercase(), collapsed_lower(&s));
                }
                None => prop_assert!(!s.is_ascii() || collapsed_lower(&s) != s.to_ascii_lowercase() || s.bytes().any(|c| c < b' ')),
            }
        }
    }
}

#[cfg(test)]
mod order_tests {
    use super::*;

    fn finding(start: usize, end: usize, code: &'static str, tag: usize) -> Finding {
        Finding {
            code,
            severity: Severity::Warning,
            message: Msg::from(tag.to_string()),
            span: start..end,
            related: shared::Shared::new(),
            fixes: shared::Shared::new(),
        }
    }

    proptest::proptest! {
        /// Two runs, each put in order, then merged: what a stable sort of both gives
        /// (the first run's findings first among equals).
        #[test]
        fn merged_runs_are_the_stable_sort(
            a in proptest::collection::vec((0usize..6, 0usize..3, 0usize..2), 0..40),
            b in proptest::collection::vec((0usize..6, 0usize..3, 0usize..2), 0..40),
        ) {
            const CODES: [&str; 2] = ["mixed-units", "number-style"];
            let make = |v: &[(usize, usize, usize)], from: usize| -> Vec<Finding> {
                v.iter()
                    .enumerate()
                    .map(|(t, &(s, l, c))| finding(s, s + l, CODES[c], from + t))
                    .collect()
            };
            let mut want = make(&a, 0);
            want.extend(make(&b, 1000));
            want.sort_by_key(|f| (f.span.start, f.span.end, f.code));
            let mut out = make(&a, 0);
            order_findings(&mut out);
            let mut late = make(&b, 1000);
            order_findings(&mut late);
            merge_findings(&mut out, late);
            proptest::prop_assert_eq!(out, want);
        }

        /// Pieces of a list each put in order first (as the chunks' findings are), then
        /// the whole: what putting the whole in order alone gives, equal places and codes
        /// in the order they came.
        #[test]
        fn runs_put_in_order_first_change_nothing(
            v in proptest::collection::vec((0usize..6, 0usize..3, 0usize..2), 0..60),
            cuts in proptest::collection::vec(0usize..60, 0..8),
        ) {
            const CODES: [&str; 2] = ["mixed-units", "number-style"];
            let list: Vec<Finding> = v
                .iter()
                .enumerate()
                .map(|(t, &(s, l, c))| finding(s, s + l, CODES[c], t))
                .collect();
            let mut want = list.clone();
            order_findings(&mut want);
            let mut got = list;
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(got.len())).collect();
            cuts.sort_unstable();
            let mut from = 0;
            for to in cuts.into_iter().chain([got.len()]) {
                order_run(&mut got[from..to]);
                from = to;
            }
            order_findings(&mut got);
            proptest::prop_assert_eq!(got, want);
        }
    }
}
