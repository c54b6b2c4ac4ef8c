//! Structured tags (SPEC §4): parse and print both syntaxes.
//!
//! `span`: `[707 billion tenge]{.fig value=707000000000 unit=KZT}` (Pandoc/Quarto/Djot).
//! `html`: `<data class="fig" value="707000000000" data-unit="KZT">707 billion tenge</data>`.

use std::ops::Range;

/// Which syntax a tag is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Span,
    Html,
}

/// A structured tag found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The whole tag, markup included.
    pub span: Range<usize>,
    /// The tagged text (the figure as written).
    pub inner: Range<usize>,
    pub syntax: Syntax,
    /// Attributes in written order (`value`, `unit`, `qual`, `noun`, `per`, `id`, `cat`, ...).
    pub attrs: Vec<(String, String)>,
}

/// Every tag in `text`. (Filled in by the tags work; empty for now.)
pub fn find(_text: &str) -> Vec<Tag> {
    Vec::new()
}

/// Byte ranges of tag markup (everything of a tag but its inner text), which the figure
/// extractor must not read as prose.
pub fn markup_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for t in find(text) {
        out.push(t.span.start..t.inner.start);
        out.push(t.inner.end..t.span.end);
    }
    out
}
