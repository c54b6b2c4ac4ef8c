//! Which bytes of a document are prose, and how prose divides into blocks and sentences.
//!
//! Figures are looked for only in prose: never inside code spans, fenced code, URLs, link
//! destinations, HTML comments and tags, or front matter. [`mask`] returns a copy of the
//! text of the same byte length in which every byte outside prose is a space (line breaks
//! are kept, so line-based heuristics still see lines). Offsets into the mask are offsets
//! into the original, which is what lets the extractor stay simple.
//!
//! Markdown is read with `pulldown-cmark`. One deliberate departure: an *indented* code
//! block is treated as prose. Briefings pasted from wires and e-mail are indented by four
//! spaces (Reuters), and nobody writes code in a briefing without a fence.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use unicode_segmentation::UnicodeSegmentation;

/// How a document is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Markdown,
    Plain,
}

impl Language {
    /// The language of an LSP language id (`markdown`, `plaintext`, `quarto`, ...).
    pub fn from_id(id: &str) -> Language {
        match id {
            "plaintext" | "text" => Language::Plain,
            _ => Language::Markdown,
        }
    }
    /// The language of a file path by its extension; Markdown unless `.txt`.
    pub fn from_path(path: &std::path::Path) -> Language {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("txt") => Language::Plain,
            _ => Language::Markdown,
        }
    }
}

/// A copy of `text` with every non-prose byte replaced by a space (line breaks kept).
///
/// The text is read chunk by chunk (see [`chunks`]), as the figure engine and the checks
/// read it, so that every part of the product reads a document the same way.
pub fn mask(text: &str, lang: Language) -> String {
    let mut out = String::with_capacity(text.len());
    for r in chunks(text, lang) {
        out.push_str(&text[out.len()..r.start]);
        out.push_str(&mask_part(&text[r.clone()], lang, r.start == 0));
    }
    out.push_str(&text[out.len()..]);
    out
}

/// [`mask`] of a part of a document (a chunk, see `figures::chunks`) that starts at the
/// document's start (`at_start`) or later, where front matter cannot begin.
pub fn mask_part(text: &str, lang: Language, at_start: bool) -> String {
    let mut out = text.as_bytes().to_vec();
    if lang == Language::Markdown {
        blank_markdown_non_prose(text, at_start, &mut out);
    }
    blank_urls(text, &mut out);
    blank_html_comments(text, &mut out);
    if lang == Language::Markdown {
        blank_reference_labels(text, &mut out);
    }
    // Blanking whole characters keeps UTF-8 valid: every blanked range starts and ends on
    // character boundaries (they come from the parser or from ASCII delimiters), so every
    // multi-byte character is either kept whole or blanked whole.
    String::from_utf8(out).unwrap_or_else(|e| {
        // Defensive: never expected, but never panic either.
        String::from_utf8_lossy(e.as_bytes())
            .chars()
            .map(|c| if c == '\u{fffd}' { ' ' } else { c })
            .collect()
    })
}

/// Replace `out[r]` with spaces, keeping line breaks.
fn blank(out: &mut [u8], r: Range<usize>) {
    let e = r.end.min(out.len());
    let s = r.start.min(e);
    for b in &mut out[s..e] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// The end of the front matter that opens a Markdown document (0 if none): a `---` line
/// (YAML, closed by `---` or `...`) or a `+++` line (TOML, closed by `+++`), followed by a
/// non-blank line, up to the end of the closing line (without its line break). Only at
/// the document's start: pulldown-cmark's metadata blocks may open anywhere, which would
/// read a passage between two thematic breaks as metadata.
pub fn front_matter(text: &str) -> usize {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else { return 0 };
    let closers: &[&str] = match first.trim_end() {
        "---" => &["---", "..."],
        "+++" => &["+++"],
        _ => return 0,
    };
    let mut pos = first.len();
    let mut second = true;
    for line in lines {
        let t = line.trim_end();
        if second && t.is_empty() {
            return 0;
        }
        second = false;
        if closers.contains(&t) {
            return pos + line.trim_end_matches(['\n', '\r']).len();
        }
        pos += line.len();
    }
    0
}

/// Whether a line is blank: nothing but spaces and tabs (and its line break), as CommonMark
/// says; a no-break space is text.
pub fn is_blank_line(line: &str) -> bool {
    line.bytes()
        .all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Split a document into chunks read independently: runs of non-blank lines, keeping in
/// one chunk, even across blank lines, what the prose mask reads as one piece: a fenced
/// code block, the front matter, an HTML comment (`<!--` to `-->`, in any language, as
/// [`mask`] blanks it) and a Markdown HTML block that ends at a marker rather than
/// at a blank line (`<pre>`, `<script>`, `<style>`, `<textarea>`, `<?`, `<!DOCTYPE`,
/// `<![CDATA[`). Text between chunks is blank.
pub fn chunks(text: &str, lang: Language) -> Vec<Range<usize>> {
    Chunker::new(text, lang).collect()
}

/// [`chunks`] as an iterator, which can also start at a line where no chunk is open
/// ([`Chunker::resume`]): what an incremental reading needs to find the chunks of an
/// edited part of a document without reading the rest.
pub struct Chunker<'t> {
    text: &'t str,
    lang: Language,
    /// The start of the next line to read.
    pos: usize,
    /// The chunk being read: its start, and the end of its last non-blank line.
    start: Option<usize>,
    end: usize,
    fence: Option<(u8, usize)>,
    html_end: Option<&'static str>,
    comment: bool,
    /// Where the next `<` is (at or after `pos`), or the text's end: a line before it
    /// cannot open a comment, and is not searched for one.
    next_lt: usize,
}

impl<'t> Chunker<'t> {
    /// The chunks of `text` from its start.
    pub fn new(text: &'t str, lang: Language) -> Chunker<'t> {
        let mut c = Chunker::resume(text, lang, 0);
        // The front matter is one chunk.
        let front = if lang == Language::Markdown {
            front_matter(text)
        } else {
            0
        };
        if front > 0 {
            // A comment may open inside it and run on.
            for line in text[..front].split_inclusive('\n') {
                c.comment = comment_open_after(line, c.comment);
            }
            c.start = Some(0);
            c.end = front;
            c.pos = front;
        }
        c
    }

    /// The chunks of `text` from `pos`, read as [`chunks`] would read them if no chunk
    /// were open at `pos` (the start of a line) and no code block, HTML block or comment:
    /// true where one of its chunks starts. The front matter is not looked for.
    pub fn resume(text: &'t str, lang: Language, pos: usize) -> Chunker<'t> {
        Chunker {
            text,
            lang,
            pos: pos.min(text.len()),
            start: None,
            end: 0,
            fence: None,
            html_end: None,
            comment: false,
            next_lt: 0,
        }
    }
}

impl Iterator for Chunker<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let (text, lang) = (self.text, self.lang);
        while self.pos < text.len() {
            let pos = self.pos;
            // A line ends at `\n`, `\r\n` or a lone `\r`, as CommonMark (and the prose
            // mask's parser) say.
            let b = text.as_bytes();
            let line_end = match memchr::memchr2(b'\n', b'\r', &b[pos..]) {
                None => text.len(),
                Some(k) if b[pos + k] == b'\r' && b.get(pos + k + 1) == Some(&b'\n') => pos + k + 2,
                Some(k) => pos + k + 1,
            };
            let line = &text[pos..line_end];
            self.pos = line_end;
            let t = line.trim_end_matches(['\n', '\r']);
            let blank = is_blank_line(t);
            if self.next_lt < pos {
                self.next_lt =
                    memchr::memchr(b'<', &text.as_bytes()[pos..]).map_or(text.len(), |k| pos + k);
            }
            if self.comment || self.next_lt < pos + t.len() {
                self.comment = comment_open_after(t, self.comment);
            }
            if lang == Language::Markdown {
                let lead = t.len() - t.trim_start_matches(' ').len();
                let rest = &t[lead..];
                if let Some(marker) = self.html_end {
                    if contains_ignore_case(t, marker) {
                        self.html_end = None;
                    }
                } else if self.fence.is_none() && lead <= 3 {
                    if let Some((marker, from)) = html_block_start(rest) {
                        if !contains_ignore_case(&rest[from..], marker) {
                            self.html_end = Some(marker);
                        }
                    }
                }
                if lead <= 3 && self.html_end.is_none() {
                    for ch in [b'`', b'~'] {
                        let n = rest.bytes().take_while(|&c| c == ch).count();
                        if n >= 3 {
                            match self.fence {
                                None => self.fence = Some((ch, n)),
                                Some((c, m))
                                    if c == ch && n >= m && rest[n..].trim().is_empty() =>
                                {
                                    self.fence = None
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            let open = self.fence.is_some() || self.html_end.is_some() || self.comment;
            if blank && !open {
                if let Some(s) = self.start.take() {
                    return Some(s..self.end);
                }
            } else {
                if self.start.is_none() {
                    self.start = Some(pos);
                }
                self.end = pos + t.len();
            }
        }
        let s = self.start.take()?;
        Some(s..self.end.max(s))
    }
}

/// Whether an HTML comment is open after `line`, given whether one was open before it
/// (the pairing of [`mask`]: `-->` is looked for from four bytes after `<!--`).
fn comment_open_after(line: &str, mut open: bool) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        // Most lines hold neither marker: one `memchr` says so.
        let (marker, byte, finder): (&[u8], u8, &memchr::memmem::Finder) = if open {
            (b"-->", b'>', finder!(b"-->"))
        } else {
            (b"<!--", b'<', finder!(b"<!--"))
        };
        let rest = &b[i..];
        let found = memchr::memchr(byte, rest).and_then(|_| finder.find(rest));
        match found {
            Some(k) => {
                open = !open;
                i += k + marker.len();
            }
            None => return open,
        }
    }
}

/// If a line (indentation removed) starts an HTML block of CommonMark's kinds 1 to 5 (those
/// that run on until a marker, across blank lines), the marker and where to look for it in
/// the line.
fn html_block_start(rest: &str) -> Option<(&'static str, usize)> {
    let b = rest.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    if rest.starts_with("<!--") {
        return Some(("-->", 4));
    }
    if rest.starts_with("<![CDATA[") {
        return Some(("]]>", 9));
    }
    if rest.starts_with("<?") {
        return Some(("?>", 2));
    }
    if rest.starts_with("<!") && b.get(2).is_some_and(u8::is_ascii_alphabetic) {
        return Some((">", 2));
    }
    for (name, end) in [
        ("pre", "</pre>"),
        ("script", "</script>"),
        ("style", "</style>"),
        ("textarea", "</textarea>"),
    ] {
        let n = name.len();
        if b.len() > n
            && b[1..=n].eq_ignore_ascii_case(name.as_bytes())
            && b.get(n + 1)
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b'>'))
        {
            return Some((end, 1));
        }
    }
    None
}

fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let n = needle.len();
    hay.len() >= n
        && hay
            .as_bytes()
            .windows(n)
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Markdown parser options: tables, footnotes and strikethrough; front matter is found by
/// [`front_matter`].
pub(crate) fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Bytes that may open Markdown syntax anywhere in a line (inline syntax, a table, HTML, a
/// fence, an escape or entity, strike-through), and the control characters other than line
/// endings (some of which CommonMark reads as white space).
static MARKUP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 32 {
        if c != b'\n' as usize && c != b'\r' as usize {
            t[c] = 1;
        }
        c += 1;
    }
    let special = b"\\`*_[]<|~&";
    let mut k = 0;
    while k < special.len() {
        t[special[k] as usize] = 1;
        k += 1;
    }
    t
};

/// Whether Markdown reads `text` as nothing but paragraph text: no [`MARKUP`] byte, and no
/// line (after `\n` or `\r`, CommonMark's line endings) opening with block syntax. Then
/// every byte but white space is in a text event and the parser has nothing to blank, so
/// [`blank_markdown_non_prose`] may skip it: most paragraphs of a briefing are such text.
fn plain_paragraphs(text: &str) -> bool {
    let b = text.as_bytes();
    // Or-ed by blocks, without a branch per byte: the test reads every byte of every
    // chunk read.
    let mut blocks = b.chunks_exact(32);
    for block in &mut blocks {
        if block.iter().fold(0u8, |a, &c| a | MARKUP[usize::from(c)]) != 0 {
            return false;
        }
    }
    if blocks
        .remainder()
        .iter()
        .any(|&c| MARKUP[usize::from(c)] != 0)
    {
        return false;
    }
    !std::iter::once(0)
        .chain(memchr::memchr2_iter(b'\n', b'\r', b).map(|k| k + 1))
        .any(|s| opens_with_block_syntax(&b[s..]))
}

/// Whether a line (its start, to the end of the text) opens with block syntax after its
/// indentation: a list marker (`-`, `+`, or digits then `.` or `)` and a space or the
/// line's end), a heading, a block quote, or a setext underline or thematic break (`=`,
/// `-`). `*`, `_`, `` ` ``, `~` and `<` are in [`MARKUP`].
fn opens_with_block_syntax(line: &[u8]) -> bool {
    let lead = line.iter().take_while(|&&c| c == b' ').count();
    let rest = &line[lead..];
    match rest.first() {
        Some(b'-' | b'+' | b'#' | b'>' | b'=') => true,
        Some(c) if c.is_ascii_digit() => {
            let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            matches!(rest.get(n), Some(b'.' | b')'))
                && matches!(rest.get(n + 1), None | Some(b' ' | b'\n' | b'\r'))
        }
        _ => false,
    }
}

fn blank_markdown_non_prose(full: &str, at_start: bool, out: &mut [u8]) {
    if !plain_paragraphs(full) {
        blank_markdown_parsed(full, at_start, out);
    }
}

/// [`blank_markdown_non_prose`] by reading the text with the Markdown parser.
fn blank_markdown_parsed(full: &str, at_start: bool, out: &mut [u8]) {
    let fm = if at_start { front_matter(full) } else { 0 };
    blank(out, 0..fm);
    let text = &full[fm..];
    let out = &mut out[fm..];
    let opts = markdown_options();
    let mut fenced = 0usize;
    let mut autolink = 0usize;
    // Text events come in document order; everything between them is not prose.
    let mut kept_to = 0usize;
    for (ev, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(_))) => fenced += 1,
            Event::End(TagEnd::CodeBlock) => fenced = fenced.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => autolink += 1,
            Event::End(TagEnd::Link) => autolink = autolink.saturating_sub(1),
            Event::Text(_) | Event::SoftBreak | Event::HardBreak
                if fenced == 0 && autolink == 0 =>
            {
                let r = clamp(range, text);
                if r.start >= kept_to {
                    blank(out, kept_to..r.start);
                    kept_to = r.end;
                } else {
                    kept_to = kept_to.max(r.end);
                }
            }
            _ => {}
        }
    }
    blank(out, kept_to..text.len());
}

fn clamp(r: Range<usize>, text: &str) -> Range<usize> {
    let mut s = r.start.min(text.len());
    let mut e = r.end.min(text.len());
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    s..e
}

/// Blank bare URLs, `www.` addresses and e-mail addresses.
fn blank_urls(text: &str, out: &mut [u8]) {
    let b = text.as_bytes();
    let url_end = |mut j: usize| {
        while j < b.len()
            && !b[j].is_ascii_whitespace()
            && b[j] != b'<'
            && b[j] != b'"'
            && b[j] != b')'
            && b[j] < 0x80
        {
            j += 1;
        }
        j
    };
    // `scheme://...`: the scheme is the letters before `://`.
    for i in finder!(b"://").find_iter(b) {
        let mut s = i;
        while s > 0 && b[s - 1].is_ascii_alphabetic() {
            s -= 1;
        }
        if s < i {
            blank(out, s..url_end(i + 3));
        }
    }
    for i in finder!(b"www.").find_iter(b) {
        if i == 0 || !b[i - 1].is_ascii_alphanumeric() {
            blank(out, i..url_end(i));
        }
    }
    for i in memchr::memchr_iter(b'@', b) {
        if i > 0
            && b[i - 1].is_ascii_alphanumeric()
            && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
        {
            let mut s = i;
            while s > 0
                && (b[s - 1].is_ascii_alphanumeric()
                    || matches!(b[s - 1], b'.' | b'_' | b'-' | b'+'))
            {
                s -= 1;
            }
            let mut e = i + 1;
            while e < b.len() && (b[e].is_ascii_alphanumeric() || matches!(b[e], b'.' | b'-')) {
                e += 1;
            }
            blank(out, s..e);
        }
    }
}

/// Blank footnote references (`[^1]`) and reference-link labels (`[text][1]`), whose
/// definitions may sit in another paragraph than the one being read.
fn blank_reference_labels(text: &str, out: &mut [u8]) {
    let b = text.as_bytes();
    for i in memchr::memchr_iter(b'[', b) {
        let footnote = b.get(i + 1) == Some(&b'^');
        let reference = i > 0 && b[i - 1] == b']';
        if !(footnote || reference) {
            continue;
        }
        let end = b[i + 1..]
            .iter()
            .take(64)
            .position(|&c| c == b']' || c == b'\n' || c == b'[');
        if let Some(e) = end.filter(|&e| b[i + 1 + e] == b']') {
            blank(out, i..i + e + 2);
        }
    }
}

/// Blank HTML comments and character references (`&#3;`, `&amp;`).
fn blank_html_comments(text: &str, out: &mut [u8]) {
    let mut from = 0;
    let b = text.as_bytes();
    while let Some(s) = finder!(b"<!--").find(&b[from..]) {
        let s = from + s;
        let e = finder!(b"-->")
            .find(&b[s + 4..])
            .map(|e| s + 4 + e + 3)
            .unwrap_or(text.len());
        blank(out, s..e);
        from = e;
    }
    for s in memchr::memchr_iter(b'&', b) {
        let mut e = s + 1;
        if b.get(e) == Some(&b'#') {
            e += 1;
        }
        while e < b.len() && e - s < 12 && b[e].is_ascii_alphanumeric() {
            e += 1;
        }
        if b.get(e) == Some(&b';') && e > s + 1 {
            blank(out, s..e + 1);
        }
    }
}

/// A search for any of a few fixed strings in one pass over the text (several `memmem`
/// searches, one per string, read a chunk once for each).
pub(crate) struct AnyOf {
    any: Option<aho_corasick::AhoCorasick>,
    /// The strings one by one, should the searcher not build (it does for a few short
    /// strings).
    each: Vec<memchr::memmem::Finder<'static>>,
}

impl AnyOf {
    pub(crate) fn new(words: &[&'static str]) -> AnyOf {
        // Leftmost-first: the searcher skips ahead with its prefilter (SIMD) where the
        // standard semantics step through every byte; any match says one of them is there.
        // The prefilter finds the candidates, so the automaton that confirms them is the
        // compact one (a quarter of the memory of the default, a DFA here, for the same
        // work on a chunk).
        let any = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(words)
            .ok();
        let each = match any {
            Some(_) => Vec::new(),
            None => words
                .iter()
                .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
                .collect(),
        };
        AnyOf { any, each }
    }

    /// Whether one of the strings is in `hay`.
    pub(crate) fn in_(&self, hay: &[u8]) -> bool {
        match &self.any {
            Some(a) => a.is_match(hay),
            None => self.each.iter().any(|f| f.find(hay).is_some()),
        }
    }
}

/// The lines of `text` with their line breaks, as `text.split_inclusive('\n')` gives them,
/// found with `memchr`'s vector search (the standard library's reads a word at a time):
/// every chunk's lines are read a few times over.
pub(crate) fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut breaks = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        // A line break is one byte: the slice ends on a character boundary.
        let end = breaks.next().map_or(text.len(), |k| k + 1);
        let line = text.get(start..end)?;
        start = end;
        Some(line)
    })
}

/// Blocks: runs of non-blank lines (paragraphs, list items, table rows are split further
/// by the checks that care). Byte ranges without the trailing line break.
pub fn blocks(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    for line in lines_inclusive(text) {
        let blank = is_blank_line(line);
        if blank {
            if let Some(s) = start.take() {
                out.push(s..trim_end(text, pos));
            }
        } else if start.is_none() {
            start = Some(pos);
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(s..trim_end(text, pos));
    }
    out
}

fn trim_end(text: &str, mut e: usize) -> usize {
    let b = text.as_bytes();
    while e > 0 && matches!(b[e - 1], b'\n' | b'\r' | b' ' | b'\t') {
        e -= 1;
    }
    e
}

/// Sentences of `text[range]` (Unicode sentence boundaries), as byte ranges of `text`,
/// trimmed of surrounding whitespace.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let Some(slice) = text.get(range.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, s) in slice.split_sentence_bound_indices() {
        let lead = s.len() - s.trim_start().len();
        let t = s.trim();
        if t.is_empty() {
            continue;
        }
        let st = range.start + i + lead;
        out.push(st..st + t.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> String {
        mask(text, Language::Markdown)
    }

    proptest::proptest! {
        /// `lines_inclusive` gives what `split_inclusive('\n')` gives, and counts the
        /// non-blank lines `lines` counts.
        #[test]
        fn lines_are_split_as_the_standard_library_splits(s in "([a-z ]|\n|\r|\r\n|\u{e9}|\u{2028}){0,30}") {
            let got: Vec<&str> = lines_inclusive(&s).collect();
            let want: Vec<&str> = s.split_inclusive('\n').collect();
            proptest::prop_assert_eq!(&got, &want);
            proptest::prop_assert_eq!(
                got.iter().filter(|l| !l.trim().is_empty()).count(),
                s.lines().filter(|l| !l.trim().is_empty()).count()
            );
        }

        /// The shortcut for plain paragraphs gives the parser's mask.
        #[test]
        fn plain_paragraphs_mask_as_the_parser_does(
            text in "[a-zA-Z0-9 .,;:!^#>=?'\"()%$€£\n\r\u{a0}\u{85}\u{2028}\u{3000}\u{7f}/@+-]{0,80}"
        ) {
            if plain_paragraphs(&text) {
                let mut fast = text.as_bytes().to_vec();
                blank_markdown_non_prose(&text, true, &mut fast);
                let mut parsed = text.as_bytes().to_vec();
                blank_markdown_parsed(&text, true, &mut parsed);
                proptest::prop_assert_eq!(fast, parsed);
            }
        }
    }

    proptest::proptest! {
        /// One search for a set of strings says what a search for each would, overlapping
        /// and nested strings included (`which` in `of which`); so do the fixed-needle searchers.
        #[test]
        fn any_of_finds_what_each_search_finds(pieces in proptest::collection::vec(
            proptest::sample::select(vec!["HK", "$", "S", "of", " ", "which", "£", "a", ".", "b", "x"]),
            0..12,
        )) {
            let hay = pieces.concat();
            static WORDS: &[&str] = &["HK$", "S$", "of which", "which", "£", "a. b"];
            static ANY: std::sync::LazyLock<AnyOf> = std::sync::LazyLock::new(|| AnyOf::new(WORDS));
            let each = WORDS.iter().any(|w| hay.contains(w));
            proptest::prop_assert_eq!(ANY.in_(hay.as_bytes()), each);
            // And the searches one by one, should the one searcher not build.
            let one_by_one = AnyOf {
                any: None,
                each: WORDS.iter().map(|w| memchr::memmem::Finder::new(w.as_bytes())).collect(),
            };
            proptest::prop_assert_eq!(one_by_one.in_(hay.as_bytes()), each);
            proptest::prop_assert_eq!(holds!(hay.as_str(), "of which"), hay.contains("of which"));
            proptest::prop_assert_eq!(
                finder!(b"S$").find(hay.as_bytes()),
                hay.find("S$")
            );
        }
    }

    #[test]
    fn plain_paragraphs_are_told_from_markup() {
        for t in [
            "Police seized 148 weapons.",
            "Output fell\n2.2 pct",
            "1994 was\n  a year",
            "Output fell\n2.bn",
            "Source: police, 10:30 GMT! 4 = four; #5 > 4, 2^3",
        ] {
            assert!(plain_paragraphs(t), "{t:?}");
        }
        for t in [
            "- 148 weapons",
            "Seized\n  + 4 guns",
            "Seized\r1. 4 guns",
            "Seized\n2) 4 guns",
            "Seized 4 *guns*",
            "Title\n---",
            "Title\n===",
            "## 4 guns",
            "Seized\n> 4 guns",
            "a\tb",
            "\u{b}\n",
            "see [4 guns][1]",
        ] {
            assert!(!plain_paragraphs(t), "{t:?}");
        }
    }

    #[test]
    fn chunking_resumes_where_a_chunk_starts() {
        let texts = [
            "a\n\nb\r\n\r\nc",
            "---\ntitle: x\n\n---\nLead 5.\n\nNext 6.\n",
            "x\n\n```\n1\n\n2\n```\n\n<!-- a\n\nb -->\n\n<pre>\n\n</pre>\n\nend 7\n\n",
            "",
            "\n\n",
        ];
        for t in texts {
            for lang in [Language::Markdown, Language::Plain] {
                let all = chunks(t, lang);
                // The first chunk may be the front matter, which only a reading from the
                // start looks for.
                for (k, r) in all.iter().enumerate().skip(1) {
                    let rest: Vec<_> = Chunker::resume(t, lang, r.start).collect();
                    assert_eq!(rest, all[k..], "{t:?} from {}", r.start);
                }
            }
        }
        // Inside a fenced block the resumed reading is not the document's: callers resume
        // only where a chunk starts.
        let t = "```\n1\n\n2\n```\n";
        assert_eq!(
            chunks(t, Language::Markdown),
            vec![Range { start: 0, end: 12 }]
        );
        // (`2` opens a chunk, and the closing fence opens a block that runs to the end.)
        assert_eq!(
            Chunker::resume(t, Language::Markdown, 7).collect::<Vec<_>>(),
            vec![Range { start: 7, end: 12 }]
        );
    }

    #[test]
    fn code_urls_destinations_comments_and_front_matter_are_not_prose() {
        let t = "---\ntitle: 2024 report 5\n---\nSeized `12 kg` and [4 guns](https://x.y/5/6) <!-- 7 -->\n\n```\n8 tons\n```\nSee https://a.b/9 now.";
        let m = masked(t);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("2024") && !m.contains("12 kg") && !m.contains('5'));
        assert!(!m.contains('6') && !m.contains('7') && !m.contains("8 tons") && !m.contains('9'));
        assert!(m.contains("4 guns") && m.contains("Seized") && m.contains("now."));
    }

    #[test]
    fn indented_text_is_prose() {
        let t = "HEADLINE\n    WASHINGTON, Mar 2 -\n\n    Output fell 2.2 pct.\n";
        assert!(masked(t).contains("Output fell 2.2 pct."));
    }

    #[test]
    fn multibyte_characters_are_blanked_whole() {
        let t = "`😀 5` €5 [x](é)";
        let m = masked(t);
        assert_eq!(m.len(), t.len());
        assert!(m.contains("€5"));
    }

    #[test]
    fn sentences_split_and_trim() {
        let t = "One. Two has 3.5 tons.  Three";
        let s: Vec<&str> = sentences(t, 0..t.len())
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(s, vec!["One.", "Two has 3.5 tons.", "Three"]);
    }
}
