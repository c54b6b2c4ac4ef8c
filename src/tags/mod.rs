//! Structured tags (SPEC §4): find, read, write, update and remove them, and check them.
//!
//! A tag wraps a figure's text and records its meaning, in one of two syntaxes, both always
//! recognised:
//!
//! - `span` (Pandoc/Quarto/Djot bracketed span with the class `.fig`):
//!   `[over 4,431 pieces]{.fig value=4431 qual=over noun=pieces}`,
//!   `[148 weapons]{#weapons-seized .fig value=148 noun=weapons cat=seizures}`.
//!   Values with spaces or any of `" ' { } [ ] \ =` are double-quoted, with `\"` and `\\`
//!   escapes; single quotes are read too. `#id` and `id=` both give the `id`; `class=` adds
//!   classes; a Djot `%comment%` is skipped.
//! - `html` (the HTML5 `data` element, whose `value` attribute is its machine-readable value):
//!   `<data class="fig" value="707000000000" data-unit="KZT">707 billion tenge</data>`.
//!   Attribute mapping, canonical name ↔ HTML: `value` ↔ `value`, `id` ↔ `id`, `low` ↔
//!   `data-low`, `high` ↔ `data-high`, `unit` ↔ `data-unit`, `qual` ↔ `data-qual`, `noun` ↔
//!   `data-noun`, `per` ↔ `data-per`, `cat` ↔ `data-cat`; the class list must contain `fig`.
//!   HTML requires `value`, so a range is written `value="10..15" data-low="10"
//!   data-high="15"` (either half is enough to read it; when both are given they must agree).
//!   Values are double-quoted with `&quot;` `&amp;` `&lt;` `&gt;`; any character reference is
//!   read. Tag and attribute names are case-insensitive. `low="5"` (without `data-`) is
//!   reported as malformed rather than guessed at.
//!
//! Attributes: `value` (or `low` and `high`), `unit` (canonical, omitted for counts), `qual`
//! (one of `exact approx over at_least under at_most range`, omitted when exact and for
//! plain ranges), `noun` (counts), `per` (rates), `id`, `cat`. Numbers are plain decimals
//! (`-?digits[.digits]`), written normalized: no exponent, no separators, no trailing zeros.
//! Other attributes are kept as they are, and an update preserves `id`, `cat`, other classes
//! and unknown attributes.
//!
//! Tags are only recognised in prose (not in code, comments, HTML blocks or front matter):
//! see [`scan`]. [`Tag::attrs`] holds canonical names, so consumers (hover, `figures`
//! export) need not know which syntax a tag was written in.
//!
//! Edits never touch anything but markup: tagging inserts before and after the figure's
//! text, removing deletes the markup around the inner text, updating rewrites the
//! attribute block (span) or start tag (html). Every tag this module writes is parsed back
//! before it is offered; one that would not read back as its figure is not offered at all.

use std::ops::Range;

mod check;
mod complete;
mod meaning;
mod print;
mod scan;

pub(crate) use check::tag_id_conflicts_of;
pub use check::{malformed_tag_findings, stale_tag_findings, tag_id_conflicts};
pub use complete::{attr_context, AttrContext};
pub use meaning::{format_decimal, Meaning, Mismatch, ATTRIBUTES, QUALIFIERS};
pub(crate) use scan::{might_have_tags, scan_part};

use crate::checks::Edit;
use crate::config::TagStyle;
use crate::figures::Figure;
use crate::prose::Language;

/// Which syntax a tag is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Span,
    Html,
}

impl From<TagStyle> for Syntax {
    fn from(s: TagStyle) -> Syntax {
        match s {
            TagStyle::Span => Syntax::Span,
            TagStyle::Html => Syntax::Html,
        }
    }
}

/// A structured tag found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The whole tag, markup included.
    pub span: Range<usize>,
    /// The tagged text (the figure as written).
    pub inner: Range<usize>,
    pub syntax: Syntax,
    /// Attributes in written order, under their canonical names (`value`, `low`, `high`,
    /// `unit`, `qual`, `noun`, `per`, `id`, `cat`; an HTML range `value` stays `value`);
    /// attributes this tool does not know keep their written names. Values are unescaped.
    pub attrs: Vec<(String, String)>,
    /// Classes other than `fig`, in written order.
    pub classes: Vec<String>,
    /// The markup holding the attributes: the `{...}` block of a span tag, the `<data ...>`
    /// start tag of an HTML tag.
    pub attrs_span: Range<usize>,
}

/// Move a tag found in a chunk to its place in the document, `by` bytes on.
pub(crate) fn shift_tag(t: &mut Tag, by: usize) {
    // Destructured, so that a new range cannot be forgotten here.
    let Tag {
        span,
        inner,
        syntax: _,
        attrs: _,
        classes: _,
        attrs_span,
    } = t;
    for r in [span, inner, attrs_span] {
        r.start += by;
        r.end += by;
    }
}

/// Every tag in a Markdown `text`, sorted by start (an enclosing tag before the ones inside).
pub fn find(text: &str) -> Vec<Tag> {
    scan::scan(text).tags
}

/// Every tag in `text` read as `lang`.
pub fn find_lang(text: &str, lang: Language) -> Vec<Tag> {
    scan::scan_lang(text, lang).tags
}

/// Byte ranges of tag markup (everything of a tag but its inner text, and the markup of
/// tags too broken to read), which the figure extractor must not read as prose. Sorted.
pub fn markup_ranges(text: &str) -> Vec<Range<usize>> {
    markup_ranges_lang(text, Language::Markdown)
}

/// [`markup_ranges`] for `text` read as `lang`.
pub fn markup_ranges_lang(text: &str, lang: Language) -> Vec<Range<usize>> {
    markup_ranges_part(text, lang, true)
}

/// [`markup_ranges_lang`] of a part of a document (a chunk) that starts at the document's
/// start or later.
pub fn markup_ranges_part(text: &str, lang: Language, at_start: bool) -> Vec<Range<usize>> {
    let scan = scan::scan_part(text, lang, at_start);
    let mut out = Vec::new();
    for t in scan.tags {
        out.push(t.span.start..t.inner.start);
        out.push(t.inner.end..t.span.end);
    }
    for b in scan.broken {
        out.extend(b.markup);
    }
    out.retain(|r| !r.is_empty());
    out.sort_by_key(|r| (r.start, r.end));
    out
}

/// The tag that covers `figure` (its inner text overlaps the figure), if any.
pub fn tag_for<'a>(tags: &'a [Tag], figure: &Figure) -> Option<&'a Tag> {
    // The innermost tag wins when tags nest.
    tags.iter()
        .filter(|t| overlaps(&t.inner, &figure.span.range()))
        .min_by_key(|t| t.inner.len())
}

/// The figure a tag's text states: among the figures overlapping its inner text, one its
/// attributes match, else the one overlapping most.
pub fn figure_for<'a>(tag: &Tag, figures: &'a [Figure]) -> Option<&'a Figure> {
    best_figure(
        tag,
        figures
            .iter()
            .filter(|f| overlaps(&tag.inner, &f.span.range())),
    )
}

fn best_figure<'a>(
    tag: &Tag,
    candidates: impl Iterator<Item = &'a Figure> + Clone,
) -> Option<&'a Figure> {
    if let Ok(m) = tag.meaning() {
        if let Some(f) = candidates.clone().find(|f| m.mismatches(f).is_empty()) {
            return Some(f);
        }
    }
    candidates.max_by_key(|f| {
        f.span
            .end()
            .min(tag.inner.end)
            .saturating_sub(f.span.start().max(tag.inner.start))
    })
}

/// Figures sorted by start, for finding the ones that overlap a range in logarithmic time
/// (checks look up one figure per tag; a linear search each would be quadratic).
pub(crate) struct FigureIndex<'a> {
    sorted: Vec<&'a Figure>,
    longest: usize,
}

impl<'a> FigureIndex<'a> {
    pub(crate) fn new(figures: &'a [Figure]) -> FigureIndex<'a> {
        let mut sorted: Vec<&Figure> = figures.iter().collect();
        sorted.sort_by_key(|f| f.span.start());
        let longest = sorted.iter().map(|f| f.span.len()).max().unwrap_or(0);
        FigureIndex { sorted, longest }
    }

    /// The figures overlapping `r`, in order of start.
    pub(crate) fn overlapping(
        &self,
        r: &Range<usize>,
    ) -> impl Iterator<Item = &'a Figure> + Clone + '_ {
        // Only figures starting in [r.start - longest, r.end) can overlap `r`.
        let from = self
            .sorted
            .partition_point(|f| f.span.start() + self.longest < r.start);
        let to = self
            .sorted
            .partition_point(|f| f.span.start() < r.end.max(r.start + 1));
        let r = r.clone();
        self.sorted[from..to.max(from)]
            .iter()
            .copied()
            .filter(move |f| overlaps(&r, &f.span.range()))
    }

    /// [`figure_for`] through the index.
    pub(crate) fn figure_for(&self, tag: &Tag) -> Option<&'a Figure> {
        best_figure(tag, self.overlapping(&tag.inner))
    }
}

/// The byte ranges no new tag may overlap: existing tags and broken ones, merged, sorted.
fn covered(scan: &scan::Scan) -> Vec<Range<usize>> {
    let mut all: Vec<Range<usize>> = scan
        .tags
        .iter()
        .map(|t| t.span.clone())
        .chain(scan.broken.iter().map(|b| b.span.clone()))
        .collect();
    all.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(all.len());
    for r in all {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end || (b.is_empty() && a.contains(&b.start))
}

/// The markup that wraps `figure` in a tag written in `syntax`: `(before, after)`.
/// `None` when the figure has no number to write.
pub fn markup_for(figure: &Figure, syntax: Syntax) -> Option<(String, String)> {
    let attrs = print::figure_attrs(figure)?;
    Some(match syntax {
        Syntax::Span => (
            "[".to_string(),
            format!("]{}", print::span_block(None, &[], &attrs)),
        ),
        Syntax::Html => (print::html_start(None, &[], &attrs), "</data>".to_string()),
    })
}

/// Edits that wrap `figure` in a tag written in `style`: empty when it is already tagged
/// (use [`update_edits`] then) or when no tag could be written there that reads back as
/// the figure (a figure right after a backslash, or whose text has unbalanced brackets).
pub fn tag_edits(text: &str, figure: &Figure, style: TagStyle) -> Vec<Edit> {
    let scan = scan::scan(text);
    tag_edits_in(text, figure, style.into(), &covered(&scan))
}

fn tag_edits_in(
    text: &str,
    figure: &Figure,
    syntax: Syntax,
    covered: &[Range<usize>],
) -> Vec<Edit> {
    let r = figure.span.range();
    if r.is_empty()
        || r.end > text.len()
        || !text.is_char_boundary(r.start)
        || !text.is_char_boundary(r.end)
    {
        return Vec::new();
    }
    let k = covered.partition_point(|c| c.end <= r.start);
    if covered.get(k).is_some_and(|c| c.start < r.end) {
        return Vec::new();
    }
    // A backslash before the opening `[` or `<` would escape it.
    if text[..r.start].ends_with('\\') {
        return Vec::new();
    }
    let Some((before, after)) = markup_for(figure, syntax) else {
        return Vec::new();
    };
    let inner = &text[r.clone()];
    let candidate = format!("{before}{inner}{after}");
    let back = scan::scan(&candidate);
    let reads_back = back.broken.is_empty()
        && back.tags.len() == 1
        && back.tags[0].span == (0..candidate.len())
        && back.tags[0].inner == (before.len()..before.len() + inner.len())
        && back.tags[0]
            .meaning()
            .is_ok_and(|m| m.mismatches(figure).is_empty());
    if !reads_back {
        return Vec::new();
    }
    vec![
        Edit {
            start: r.start,
            end: r.start,
            text: before.into(),
        },
        Edit {
            start: r.end,
            end: r.end,
            text: after.into(),
        },
    ]
}

/// Edits that tag every figure not yet tagged, in document order. Figures that overlap an
/// earlier one are left alone.
pub fn tag_all_edits(text: &str, figures: &[Figure], style: TagStyle) -> Vec<Edit> {
    tag_all_edits_lang(text, figures, style, Language::Markdown)
}

/// [`tag_all_edits`] for `text` read as `lang`.
pub fn tag_all_edits_lang(
    text: &str,
    figures: &[Figure],
    style: TagStyle,
    lang: Language,
) -> Vec<Edit> {
    let covered = covered(&scan::scan_lang(text, lang));
    // Write tags only where they will be read back: in prose as the tag scanner sees it. The
    // extractor's own masking can disagree (`<!D` opens an HTML block that runs to the end;
    // the extractor still read `2b` after it), and a tag written there would never be
    // removed again (SPEC §4; found by fuzzing).
    let mask = crate::prose::mask(text, lang);
    let in_prose = |f: &Figure| {
        let at = f.span.start();
        at < text.len() && mask.as_bytes().get(at) == text.as_bytes().get(at)
    };
    let mut order: Vec<&Figure> = figures.iter().filter(|f| in_prose(f)).collect();
    order.sort_by_key(|f| (f.span.start(), f.span.end()));
    let mut per_figure: Vec<Vec<Edit>> = Vec::new();
    let mut last_end = 0;
    for f in order {
        if f.span.start() < last_end {
            continue;
        }
        let edits = tag_edits_in(text, f, style.into(), &covered);
        if !edits.is_empty() {
            last_end = f.span.end();
            per_figure.push(edits);
        }
    }
    verified(text, lang, per_figure)
}

/// The edits whose tags read back in the tagged document. Each tag is checked on its own
/// when written, but the Markdown around it can still change how it reads (`]4` tagged is
/// `][4]{...}`, where `][4]` reads as a reference label; found by fuzzing), and a tag that
/// does not read back would never be removed (SPEC §4). So: all of them if the document
/// reads every new tag, else those that read back one by one, else none.
fn verified(text: &str, lang: Language, per_figure: Vec<Vec<Edit>>) -> Vec<Edit> {
    if per_figure.is_empty() {
        return Vec::new();
    }
    // Read back means: the document reads one more tag per figure, and removing every tag
    // gives what removing every tag gave before (no new tag pairs with old brackets).
    let before = find_lang(text, lang).len();
    let bare = apply_edits(text, &untag_all_edits_lang(text, lang));
    let reads_all = |edits: &[Edit], n: usize| {
        let tagged = apply_edits(text, edits);
        find_lang(&tagged, lang).len() == before + n
            && apply_edits(&tagged, &untag_all_edits_lang(&tagged, lang)) == bare
    };
    let all: Vec<Edit> = per_figure.iter().flatten().cloned().collect();
    if reads_all(&all, per_figure.len()) {
        return all;
    }
    let good: Vec<Vec<Edit>> = per_figure
        .into_iter()
        .filter(|edits| reads_all(edits, 1))
        .collect();
    let all: Vec<Edit> = good.iter().flatten().cloned().collect();
    if reads_all(&all, good.len()) {
        all
    } else {
        Vec::new()
    }
}

/// Edits that rewrite an existing tag's attributes to match `figure`, keeping its syntax,
/// `id`, `cat`, other classes and unknown attributes. Empty when nothing would change.
pub fn update_edits(text: &str, tag: &Tag, figure: &Figure) -> Vec<Edit> {
    let ok = tag.span.end <= text.len()
        && tag.span.start <= tag.attrs_span.start
        && tag.attrs_span.end <= tag.span.end
        && text.is_char_boundary(tag.attrs_span.start)
        && text.is_char_boundary(tag.attrs_span.end)
        && text.is_char_boundary(tag.span.start)
        && text.is_char_boundary(tag.span.end);
    if !ok {
        return Vec::new();
    }
    let Some(attrs) = print::figure_attrs(figure) else {
        return Vec::new();
    };
    let attrs = print::merged_attrs(attrs, &tag.attrs);
    let id = tag.attr("id");
    let markup = match tag.syntax {
        Syntax::Span => print::span_block(id, &tag.classes, &attrs),
        Syntax::Html => print::html_start(id, &tag.classes, &attrs),
    };
    if markup == text[tag.attrs_span.clone()] {
        return Vec::new();
    }
    let candidate = format!(
        "{}{markup}{}",
        &text[tag.span.start..tag.attrs_span.start],
        &text[tag.attrs_span.end..tag.span.end]
    );
    let back = scan::scan(&candidate);
    let reads_back = back.broken.is_empty()
        && back.tags.first().is_some_and(|t| {
            t.span == (0..candidate.len())
                && t.meaning().is_ok_and(|m| m.mismatches(figure).is_empty())
        });
    if !reads_back {
        return Vec::new();
    }
    vec![Edit {
        start: tag.attrs_span.start,
        end: tag.attrs_span.end,
        text: markup.into(),
    }]
}

/// Edits that remove one tag, leaving its inner text byte for byte.
pub fn untag_edits(tag: &Tag) -> Vec<Edit> {
    vec![
        Edit {
            start: tag.span.start,
            end: tag.inner.start,
            text: String::new().into(),
        },
        Edit {
            start: tag.inner.end,
            end: tag.span.end,
            text: String::new().into(),
        },
    ]
}

/// Edits that remove every tag, leaving the inner text byte for byte.
pub fn untag_all_edits(text: &str) -> Vec<Edit> {
    untag_all_edits_lang(text, Language::Markdown)
}

/// [`untag_all_edits`] for `text` read as `lang`.
pub fn untag_all_edits_lang(text: &str, lang: Language) -> Vec<Edit> {
    let mut out: Vec<Edit> = find_lang(text, lang)
        .iter()
        .flat_map(untag_edits)
        .filter(|e| e.start < e.end)
        .collect();
    out.sort_by_key(|e| (e.start, e.end));
    out
}

/// Apply non-overlapping `edits` to `text`. Edits are taken in order of their start (inserts
/// at one offset in the order given); an edit that overlaps an earlier one or does not fall
/// on character boundaries is skipped.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|e| e.start);
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut pos = 0;
    for e in order {
        if e.start < pos
            || e.end < e.start
            || e.end > text.len()
            || !text.is_char_boundary(e.start)
            || !text.is_char_boundary(e.end)
        {
            continue;
        }
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.text);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::figures::{Dimension, Qualifier, Written};
    use rust_decimal::Decimal;

    /// A figure built by hand, as the engine would report it, for tests that must not
    /// depend on the extractor.
    pub(crate) fn figure(
        text: &str,
        what: &str,
        value: i64,
        unit: Option<&'static str>,
        noun: Option<&str>,
    ) -> Figure {
        let start = text.find(what).expect("figure text in document");
        Figure {
            span: (start..start + what.len()).into(),
            number: (start..start + what.len()).into(),
            value: Some(Decimal::from(value)).into(),
            rare: Default::default(),
            qualifier: Qualifier::Exact,
            unit,
            noun: noun.map(Into::into),
            dimension: if unit.is_some() {
                Dimension::Other
            } else {
                Dimension::Count
            },
            normalized_value: Some(Decimal::from(value)).into(),
            precision: Decimal::ZERO,
            bare: unit.is_none() && noun.is_none(),
            elided: false,
            unit_inferred: false,
            written: Written::default(),
        }
    }

    const DOC: &str = "It exceeded 707 billion tenge, over 4,431 pieces and 10–15% of 148 weapons.";

    fn spec_figures() -> Vec<Figure> {
        let mut f1 = figure(DOC, "707 billion tenge", 707_000_000_000, Some("KZT"), None);
        f1.dimension = Dimension::Currency;
        let mut f2 = figure(DOC, "over 4,431 pieces", 4431, None, Some("pieces"));
        f2.qualifier = Qualifier::Over;
        let mut f3 = figure(DOC, "10–15%", 0, Some("%"), None);
        f3.value = None.into();
        f3.rare = crate::figures::Rare::bounds(Some(Decimal::from(10)), Some(Decimal::from(15)));
        f3.qualifier = Qualifier::Range;
        let f4 = figure(DOC, "148 weapons", 148, None, Some("weapons"));
        vec![f1, f2, f3, f4]
    }

    #[test]
    fn tags_the_spec_examples_in_both_syntaxes() {
        let figs = spec_figures();
        let span = apply_edits(DOC, &tag_all_edits(DOC, &figs, TagStyle::Span));
        assert_eq!(
            span,
            "It exceeded [707 billion tenge]{.fig value=707000000000 unit=KZT}, \
             [over 4,431 pieces]{.fig value=4431 qual=over noun=pieces} and \
             [10–15%]{.fig low=10 high=15 unit=%} of [148 weapons]{.fig value=148 noun=weapons}."
        );
        let html = apply_edits(DOC, &tag_all_edits(DOC, &figs, TagStyle::Html));
        assert_eq!(
            html,
            "It exceeded <data class=\"fig\" value=\"707000000000\" data-unit=\"KZT\">707 billion tenge</data>, \
             <data class=\"fig\" value=\"4431\" data-qual=\"over\" data-noun=\"pieces\">over 4,431 pieces</data> and \
             <data class=\"fig\" value=\"10..15\" data-low=\"10\" data-high=\"15\" data-unit=\"%\">10–15%</data> of \
             <data class=\"fig\" value=\"148\" data-noun=\"weapons\">148 weapons</data>."
        );
        for tagged in [&span, &html] {
            assert_eq!(apply_edits(tagged, &untag_all_edits(tagged)), DOC);
            let tags = find(tagged);
            assert_eq!(tags.len(), 4);
            for (t, f) in tags.iter().zip(&figs) {
                assert!(t.meaning().unwrap().mismatches(f).is_empty(), "{t:?}");
            }
        }
    }

    #[test]
    fn tagging_a_tagged_figure_does_nothing_and_update_rewrites() {
        let text = "Police seized [148 weapons]{#w .fig .big value=150 noun=weapons cat=seizures src=\"desk 2\"}.";
        let f = figure(text, "148 weapons", 148, None, Some("weapons"));
        assert!(tag_edits(text, &f, TagStyle::Span).is_empty());
        let tag = &find(text)[0];
        let edits = update_edits(text, tag, &f);
        assert_eq!(
            apply_edits(text, &edits),
            "Police seized [148 weapons]{#w .fig .big value=148 noun=weapons cat=seizures src=\"desk 2\"}."
        );
        let updated = apply_edits(text, &edits);
        assert!(update_edits(&updated, &find(&updated)[0], &f).is_empty());

        let html = "<data id=\"w\" class=\"fig\" value=\"150\" data-cat=\"seizures\" title=\"x\">148 weapons</data>";
        let f = figure(html, "148 weapons", 148, None, Some("weapons"));
        let out = apply_edits(html, &update_edits(html, &find(html)[0], &f));
        assert_eq!(
            out,
            "<data class=\"fig\" id=\"w\" value=\"148\" data-noun=\"weapons\" data-cat=\"seizures\" title=\"x\">148 weapons</data>"
        );
    }

    #[test]
    fn refuses_tags_that_would_not_read_back() {
        let text = r"A \5 tons and 6] tons";
        assert!(tag_edits(
            text,
            &figure(text, "5 tons", 5, Some("t"), None),
            TagStyle::Span
        )
        .is_empty());
        assert!(tag_edits(
            text,
            &figure(text, "6] tons", 6, Some("t"), None),
            TagStyle::Span
        )
        .is_empty());
        // The same figure is fine as HTML except after a backslash.
        assert!(!tag_edits(
            text,
            &figure(text, "6] tons", 6, Some("t"), None),
            TagStyle::Html
        )
        .is_empty());
        let mut none = figure(text, "6] tons", 6, None, None);
        none.value = None.into();
        assert!(tag_edits(text, &none, TagStyle::Span).is_empty());
    }

    #[test]
    fn untag_keeps_inner_bytes_including_nested_and_crlf() {
        let t = "a [[5]{.fig value=5} tons]{.fig value=5 unit=t}\r\nb <data class=\"fig\" value=\"6\">6 <b>kg</b></data>\r\n";
        assert_eq!(
            apply_edits(t, &untag_all_edits(t)),
            "a 5 tons\r\nb 6 <b>kg</b>\r\n"
        );
    }

    #[test]
    fn markup_ranges_cover_markup_only() {
        let t = "x [5 tons]{.fig value=5 unit=t} y";
        let r = markup_ranges(t);
        assert_eq!(r, vec![2..3, 9..31]);
        assert_eq!(&t[9..31], "]{.fig value=5 unit=t}");
    }

    #[test]
    fn apply_edits_skips_bad_edits() {
        let e = |s, e, t: &str| Edit {
            start: s,
            end: e,
            text: t.into(),
        };
        assert_eq!(
            apply_edits(
                "héllo",
                &[e(2, 3, "x"), e(0, 1, "H"), e(0, 2, "z"), e(9, 9, "!")]
            ),
            "Héllo"
        );
        assert_eq!(apply_edits("ab", &[e(1, 1, "1"), e(1, 1, "2")]), "a12b");
    }

    proptest::proptest! {
        #[test]
        fn figure_index_agrees_with_a_linear_search(
            spans in proptest::collection::vec((0usize..200, 0usize..30), 0..40),
            start in 0usize..220,
            len in 0usize..40,
        ) {
            let text = "x".repeat(300);
            let figs: Vec<Figure> = spans
                .iter()
                .map(|&(s, l)| {
                    let mut f = figure(&text, "x", 1, None, None);
                    f.span = (s..s + l).into();
                    f
                })
                .collect();
            let r = start..start + len;
            let index = FigureIndex::new(&figs);
            let mut fast: Vec<Range<usize>> = index.overlapping(&r).map(|f| f.span.range()).collect();
            let mut slow: Vec<Range<usize>> =
                figs.iter().filter(|f| overlaps(&r, &f.span.range())).map(|f| f.span.range()).collect();
            fast.sort_by_key(|r| (r.start, r.end));
            slow.sort_by_key(|r| (r.start, r.end));
            proptest::prop_assert_eq!(fast, slow);
        }
    }
}
