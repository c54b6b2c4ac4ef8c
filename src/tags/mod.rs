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

/// Edits that wrap `figure` in a tag written in `style` (empty when it is already tagged;
/// use [`update_edits`] then). (Filled in by the tags work.)
pub fn tag_edits(
    _text: &str,
    _figure: &crate::figures::Figure,
    _style: crate::config::TagStyle,
) -> Vec<crate::checks::Edit> {
    Vec::new()
}

/// Edits that rewrite an existing tag's attributes to match its figure. (Tags work.)
pub fn update_edits(
    _text: &str,
    _tag: &Tag,
    _figure: &crate::figures::Figure,
) -> Vec<crate::checks::Edit> {
    Vec::new()
}

/// Edits that remove every tag, leaving the inner text byte for byte. (Tags work.)
pub fn untag_all_edits(_text: &str) -> Vec<crate::checks::Edit> {
    Vec::new()
}

/// Where `offset` sits inside a span tag's `{...}` attribute block, for completion:
/// `Some(AttrContext)` when inside one. (Tags work.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrContext {
    /// Typing an attribute name.
    Name,
    /// Typing the value of the named attribute (`unit`, `cat`, ...).
    Value(String),
}

pub fn attr_context(_text: &str, _offset: usize) -> Option<AttrContext> {
    None
}
