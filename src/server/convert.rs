//! Core ↔ LSP types: byte spans to ranges, findings to diagnostics, edits to text edits.
//!
//! The arithmetic of positions is in [`crate::position`]; this file only wraps it in LSP
//! types, always with the encoding negotiated at `initialize`.

use std::collections::HashMap;
use std::ops::Range as Span;
use std::path::PathBuf;
use std::str::FromStr;

use ropey::Rope;
use serde_json::json;
use tower_lsp_server::ls_types::*;

use super::transport::Pieces;
use crate::checks::{self, Edit, Finding, Fix, Severity};
use crate::position::{rope_line_col, rope_offset, Encoding, LineCol, LineIndex};

pub(crate) fn position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let lc = rope_line_col(rope, offset, enc);
    Position::new(lc.line, lc.col)
}

pub(crate) fn range(rope: &Rope, span: &Span<usize>, enc: Encoding) -> Range {
    Range::new(
        position(rope, span.start, enc),
        position(rope, span.end.max(span.start), enc),
    )
}

/// The LSP ranges of many `spans` of `text` (the content of the document's rope), which
/// mostly come in order (a figure list): one line index for them all, each position then
/// found from the last one's line, where [`range`] walks the rope twice per position
/// (~10,000 instructions each; a 1 MB document's symbols convert 18,000 positions).
pub(crate) fn ranges_in_order(
    text: &str,
    spans: impl IntoIterator<Item = Span<usize>>,
    enc: Encoding,
) -> Vec<Range> {
    let idx = LineIndex::new(text);
    let at = positions_near(text, &idx, enc);
    spans
        .into_iter()
        .map(|s| Range::new(at(s.start), at(s.end.max(s.start))))
        .collect()
}

/// Byte offset of `text` → position, each found from the line of the last one asked
/// ([`LineIndex::to_line_col_near`]).
fn positions_near<'a>(
    text: &'a str,
    idx: &'a LineIndex,
    enc: Encoding,
) -> impl Fn(usize) -> Position + 'a {
    let line = std::cell::Cell::new(usize::MAX);
    move |o| {
        let mut l = line.get();
        let lc = idx.to_line_col_near(text, o, enc, &mut l);
        line.set(l);
        Position::new(lc.line, lc.col)
    }
}

/// [`text_edits`] of many edits of `text` (the content of the document's rope), its
/// positions found with one line index (see [`ranges_in_order`]): the whole-document edits
/// of the source actions.
pub(crate) fn text_edits_in(text: &str, edits: &[Edit], enc: Encoding) -> Vec<TextEdit> {
    let idx = LineIndex::new(text);
    let at = positions_near(text, &idx, enc);
    text_edits_at(&at, edits.iter().map(|e| (e.start..e.end, &*e.text)))
}

/// An LSP position as a byte offset (clamped, never panicking).
pub(crate) fn offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    rope_offset(
        rope,
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        enc,
    )
}

/// An LSP range as a byte span, start and end in order even if the client swapped them.
pub(crate) fn span(rope: &Rope, r: Range, enc: Encoding) -> Span<usize> {
    let (a, b) = (offset(rope, r.start, enc), offset(rope, r.end, enc));
    a.min(b)..a.max(b)
}

/// Core edits as LSP text edits, in order, dropping any that overlaps an earlier one (LSP
/// forbids overlapping edits in one change).
pub(crate) fn text_edits(rope: &Rope, edits: &[Edit], enc: Encoding) -> Vec<TextEdit> {
    text_edits_at(
        &|o| position(rope, o, enc),
        edits.iter().map(|e| (e.start..e.end, &*e.text)),
    )
}

/// An edit as its byte range and its text, read without a copy.
type EditAt<'e> = (Span<usize>, &'e str);

/// A fix's edits, their positions moved by the fix's offset `by` (see
/// [`checks::Shared::stored`]) and their own.
fn edits_of(fix: &Fix, by: usize) -> impl Iterator<Item = EditAt<'_>> {
    fix.edits.stored().map(move |(e, own)| {
        let by = by.wrapping_add(own);
        (e.start.wrapping_add(by)..e.end.wrapping_add(by), &*e.text)
    })
}

/// [`text_edits`] with positions from `at` (byte offset → position).
fn text_edits_at<'e>(
    at: &dyn Fn(usize) -> Position,
    edits: impl IntoIterator<Item = EditAt<'e>>,
) -> Vec<TextEdit> {
    kept_edits(edits)
        .map(|(r, text)| TextEdit {
            range: Range::new(at(r.start), at(r.end.max(r.start))),
            new_text: text.to_string(),
        })
        .collect()
}

/// The edits of a fix in the order LSP applies them, without those that would overlap an
/// earlier one.
fn kept_edits<'e>(edits: impl IntoIterator<Item = EditAt<'e>>) -> impl Iterator<Item = EditAt<'e>> {
    let mut sorted: Vec<EditAt<'e>> = edits.into_iter().collect();
    sorted.sort_by_key(|(r, _)| (r.start, r.end));
    let mut last_end = 0;
    sorted.into_iter().filter(move |(r, _)| {
        // Insertions at one point may follow each other (LSP keeps their order); anything
        // that starts inside an earlier replacement would overlap it.
        if r.start < last_end {
            return false;
        }
        last_end = r.end.max(r.start);
        true
    })
}

/// Whether JSON escapes any of `bytes` (a control character, `"` or `\\`). Each block of 16
/// is tested whole, without stopping at the first hit, so that the compiler vectorises it.
fn needs_escape(bytes: &[u8]) -> bool {
    let bad = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |hit, &b| hit | bad(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| bad(b))
}

/// [`text_edits_at`] written straight as a JSON array of `TextEdit`s.
fn write_text_edits<'e>(
    out: &mut Vec<u8>,
    at: &dyn Fn(usize) -> Position,
    edits: impl IntoIterator<Item = EditAt<'e>>,
) {
    out.push(b'[');
    for (n, (r, text)) in kept_edits(edits).enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"range":"#);
        write_range(out, at, &r);
        out.extend_from_slice(br#","newText":"#);
        write_str(out, text);
        out.push(b'}');
    }
    out.push(b']');
}

/// `s` as a JSON string, as `serde_json` writes it: copied as it is when nothing in it needs
/// escaping (nearly always), escaped by `serde_json` otherwise.
fn write_str(out: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a `Vec` cannot fail, nor can serialising a `str`.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

pub(crate) fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

pub(crate) fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint | Severity::Off => DiagnosticSeverity::HINT,
    }
}

/// A finding as a diagnostic: `source`, `code`, `codeDescription`, related spans, and the
/// fixes (ready-made LSP edits) in `data` for clients that apply them themselves.
pub(crate) fn diagnostic(uri: &Uri, rope: &Rope, enc: Encoding, f: &Finding) -> Diagnostic {
    diagnostic_at(uri, &|o| position(rope, o, enc), f)
}

/// Every finding of an analysed text as a typed diagnostic: the reference that
/// [`publish_body`] is tested against.
#[cfg(test)]
pub(crate) fn diagnostics(
    uri: &Uri,
    text: &str,
    enc: Encoding,
    found: &[Finding],
) -> Vec<Diagnostic> {
    let idx = LineIndex::new(text);
    let at = |o: usize| {
        let lc = idx.to_line_col(text, o, enc);
        Position::new(lc.line, lc.col)
    };
    found.iter().map(|f| diagnostic_at(uri, &at, f)).collect()
}

/// What a [`PublishBody`] reads: an analysed text and its findings (sorted), kept alive by
/// the body until it is written.
pub(crate) trait Found: Send + 'static {
    fn text(&self) -> &str;
    fn findings(&self) -> &[Finding];
}

/// The body of a `textDocument/publishDiagnostics` notification for every finding of an
/// analysed text (the rope's content), written straight as JSON: the same message as
/// serialising [`diagnostics`] in a `PublishDiagnosticsParams`, without building thousands of
/// typed values first. What every diagnostic of one code shares (`code`, `codeDescription`,
/// `source`) is written once per code.
///
/// Written in pieces ([`Pieces::fill`]) rather than whole: a megabyte of generated
/// briefing has 5,000 diagnostics, 2.7 MB of JSON that the server held all at once (3 bytes
/// per byte of the document, the largest single part of its peak memory). The header needs
/// the length first, so [`Body::new`] writes the body once into a reused piece to
/// measure it (keeping it whole instead when it is small), and the transport writes it
/// again, piece by piece, as it sends it. Both passes run the same code over the same
/// unchanging analysis, so they agree byte for byte.
pub(crate) struct PublishBody<F> {
    found: F,
    uri_json: Vec<u8>,
    idx: LineIndex,
    enc: Encoding,
    version: Option<i32>,
    /// What the diagnostics of each code share, written once per code.
    shared: Vec<(&'static str, Vec<u8>)>,
    /// The next part to write: 0 the head, `k + 1` the `k`-th finding, then the tail.
    next: usize,
    /// The line of the last position written (findings are sorted: most positions are on
    /// the line of the one before).
    line: usize,
    len: usize,
}

/// The size of the pieces a [`PublishBody`] is written in.
pub(crate) const PIECE: usize = 64 << 10;

/// The largest body held whole and sent as written (one pass; the 669 diagnostics of a
/// megabyte of real briefings take ~400 KB). A larger one is written twice, once to
/// measure it and once as it is sent (~1.2 ms more for the 2.7 MB of 5,000 diagnostics).
pub(crate) const WHOLE_UP_TO: usize = 512 << 10;

/// A `publishDiagnostics` body: held whole, or to be written in pieces.
pub(crate) enum Body<F> {
    Whole(Held),
    Pieces(PublishBody<F>),
}

impl<F: Found> Body<F> {
    /// The body of the notification: whole when it comes to [`WHOLE_UP_TO`] bytes or less
    /// (written once), or else measured here, to be written again piece by piece.
    pub(crate) fn new(uri: &Uri, found: F, enc: Encoding, version: Option<i32>) -> Body<F> {
        let idx = LineIndex::new(found.text());
        let mut body = PublishBody {
            found,
            // A `Uri` serialises as a string: writing it to a vector cannot fail.
            uri_json: serde_json::to_vec(uri).unwrap_or_else(|_| b"\"\"".to_vec()),
            idx,
            enc,
            version,
            shared: Vec::new(),
            next: 0,
            line: 0,
            len: 0,
        };
        // Held as written, in pieces: one vector grown by doubling would hold the old and
        // the new copy at once each time, and keep up to twice the body.
        let mut held: Vec<Vec<u8>> = Vec::new();
        let mut spare = Vec::new();
        let mut len = 0;
        loop {
            let mut piece = match len > WHOLE_UP_TO {
                // Only measuring now: one piece, reused.
                true => std::mem::take(&mut spare),
                false => Vec::with_capacity(PIECE + 4096),
            };
            piece.clear();
            let more = body.fill(&mut piece);
            len += piece.len();
            if len <= WHOLE_UP_TO {
                piece.shrink_to_fit();
                held.push(piece);
            } else {
                // Too large to hold: from here on only measured.
                held = Vec::new();
                spare = piece;
            }
            if !more {
                break;
            }
        }
        if len <= WHOLE_UP_TO {
            return Body::Whole(Held {
                pieces: held.into_iter(),
                len,
            });
        }
        body.len = len;
        body.next = 0;
        body.line = 0;
        Body::Pieces(body)
    }
}

/// A body held whole, as the pieces it was written in.
pub(crate) struct Held {
    pieces: std::vec::IntoIter<Vec<u8>>,
    len: usize,
}

impl Pieces for Held {
    fn len(&self) -> usize {
        self.len
    }

    fn fill(&mut self, out: &mut Vec<u8>) -> bool {
        if let Some(piece) = self.pieces.next() {
            out.extend_from_slice(&piece);
        }
        self.pieces.len() > 0
    }
}

impl<F: Found> Pieces for PublishBody<F> {
    fn len(&self) -> usize {
        self.len
    }

    /// Append the next piece of the body to `out` (about [`PIECE`] bytes, or what is left);
    /// `false` once the body is complete.
    fn fill(&mut self, out: &mut Vec<u8>) -> bool {
        let found = self.found.findings();
        let text = self.found.text();
        let idx = &self.idx;
        let enc = self.enc;
        let line = std::cell::Cell::new(self.line);
        let at = |o: usize| {
            let mut l = line.get();
            let lc = idx.to_line_col_near(text, o, enc, &mut l);
            line.set(l);
            Position::new(lc.line, lc.col)
        };
        let limit = out.len() + PIECE;
        if self.next == 0 {
            out.extend_from_slice(
                br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
            );
            out.extend_from_slice(&self.uri_json);
            out.extend_from_slice(br#","diagnostics":["#);
            self.next = 1;
        }
        while self.next <= found.len() && out.len() < limit {
            let k = self.next - 1;
            if k > 0 {
                out.push(b',');
            }
            write_diagnostic(out, &at, &self.uri_json, &mut self.shared, &found[k]);
            self.next += 1;
        }
        self.line = line.get();
        if self.next <= found.len() {
            return true;
        }
        if self.next == found.len() + 1 {
            out.push(b']');
            if let Some(v) = self.version {
                out.extend_from_slice(br#","version":"#);
                write_int(out, v);
            }
            out.extend_from_slice(b"}}");
            self.next += 1;
        }
        false
    }
}

/// The whole body of a publication in one vector, whether held or written in pieces
/// (tests).
#[cfg(test)]
pub(crate) fn publish_body(
    uri: &Uri,
    text: &str,
    enc: Encoding,
    found: &[Finding],
    version: Option<i32>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let len = match Body::new(uri, Pair(text.to_string(), found.to_vec()), enc, version) {
        Body::Whole(mut body) => {
            while body.fill(&mut out) {}
            body.len()
        }
        Body::Pieces(mut body) => {
            while body.fill(&mut out) {}
            body.len()
        }
    };
    assert_eq!(out.len(), len, "the measured length is the written one");
    out
}

/// A text and its findings, owned (tests).
#[cfg(test)]
pub(crate) struct Pair(pub String, pub Vec<Finding>);

#[cfg(test)]
impl Found for Pair {
    fn text(&self) -> &str {
        &self.0
    }
    fn findings(&self) -> &[Finding] {
        &self.1
    }
}

/// An integer as `serde_json` writes it.
fn write_int(out: &mut Vec<u8>, v: i32) {
    // Writing to a vector cannot fail.
    let _ = serde_json::to_writer(&mut *out, &v);
}

/// One finding as a diagnostic object.
fn write_diagnostic(
    out: &mut Vec<u8>,
    at: &dyn Fn(usize) -> Position,
    uri_json: &[u8],
    shared: &mut Vec<(&'static str, Vec<u8>)>,
    f: &Finding,
) {
    out.extend_from_slice(br#"{"range":"#);
    write_range(out, at, &f.span);
    out.extend_from_slice(br#","severity":"#);
    // Writing to a vector cannot fail, nor can serialising these plain values.
    let _ = serde_json::to_writer(&mut *out, &severity(f.severity));
    // A dozen codes at most: a list searched in order beats hashing each finding's code.
    let k = match shared.iter().position(|(c, _)| *c == f.code) {
        Some(k) => k,
        None => {
            let mut v = br#","code":"#.to_vec();
            write_str(&mut v, f.code);
            if let Some(d) = code_description(f.code) {
                v.extend_from_slice(br#","codeDescription":"#);
                let _ = serde_json::to_writer(&mut v, &d);
            }
            v.extend_from_slice(br#","source":"briefing-ls""#);
            shared.push((f.code, v));
            shared.len() - 1
        }
    };
    out.extend_from_slice(&shared[k].1);
    out.extend_from_slice(br#","message":"#);
    write_str(out, &f.message);
    if !f.related.is_empty() {
        out.extend_from_slice(br#","relatedInformation":["#);
        // Read where they are stored (a copy of each would count its message).
        for (n, (r, by)) in f.related.stored().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"location":{"uri":"#);
            out.extend_from_slice(uri_json);
            out.extend_from_slice(br#","range":"#);
            let span = r.span.start.wrapping_add(by)..r.span.end.wrapping_add(by);
            write_range(out, at, &span);
            out.extend_from_slice(br#"},"message":"#);
            write_str(out, &r.message);
            out.push(b'}');
        }
        out.push(b']');
    }
    if !f.fixes.is_empty() {
        out.extend_from_slice(br#","data":{"fixes":["#);
        for (n, (fix, by)) in f.fixes.stored().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"title":"#);
            write_str(out, &fix.title);
            out.extend_from_slice(br#","edits":"#);
            write_text_edits(out, at, edits_of(fix, by));
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");
    }
    out.push(b'}');
}

/// `{"start":{"line":..,"character":..},"end":{..}}` of a byte span.
fn write_range(out: &mut Vec<u8>, at: &dyn Fn(usize) -> Position, s: &Span<usize>) {
    let (a, b) = (at(s.start), at(s.end.max(s.start)));
    let n = |v: u32, out: &mut Vec<u8>| {
        let mut buf = [0u8; 10];
        let mut i = buf.len();
        let mut v = v;
        loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        out.extend_from_slice(&buf[i..]);
    };
    out.extend_from_slice(br#"{"start":{"line":"#);
    n(a.line, out);
    out.extend_from_slice(br#","character":"#);
    n(a.character, out);
    out.extend_from_slice(br#"},"end":{"line":"#);
    n(b.line, out);
    out.extend_from_slice(br#","character":"#);
    n(b.character, out);
    out.extend_from_slice(b"}}");
}

/// The documentation link of a code, parsed once per code.
fn code_description(code: &str) -> Option<CodeDescription> {
    static LINKS: std::sync::OnceLock<std::sync::Mutex<HashMap<String, Uri>>> =
        std::sync::OnceLock::new();
    let mut links = LINKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(href) = links.get(code) {
        return Some(CodeDescription { href: href.clone() });
    }
    let href = Uri::from_str(&checks::doc_url(code)).ok()?;
    links.insert(code.to_string(), href.clone());
    Some(CodeDescription { href })
}

/// [`diagnostic`] with positions from `at` (byte offset → position).
fn diagnostic_at(uri: &Uri, at: &dyn Fn(usize) -> Position, f: &Finding) -> Diagnostic {
    let range_of = |s: &Span<usize>| Range::new(at(s.start), at(s.end.max(s.start)));
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: range_of(&r.span),
            },
            message: r.message.to_string(),
        })
        .collect();
    let fixes: Vec<serde_json::Value> = f
        .fixes
        .iter()
        .map(|fix| {
            let edits = fix.edits.to_vec();
            let edits = text_edits_at(at, edits.iter().map(|e| (e.start..e.end, &*e.text)));
            json!({"title": fix.title, "edits": edits})
        })
        .collect();
    Diagnostic {
        range: range_of(&f.span),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code.to_string())),
        code_description: code_description(f.code),
        source: Some("briefing-ls".into()),
        message: f.message.to_string(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: (!fixes.is_empty()).then(|| json!({"fixes": fixes})),
    }
}

/// The local path of a `file:` URI.
pub(crate) fn uri_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

/// Whether a URI names a configuration file.
pub(crate) fn is_config_uri(uri: &Uri) -> bool {
    uri.path().as_str().ends_with(crate::config::FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_edits_are_dropped_and_order_is_kept() {
        let rope = Rope::from_str("abcdef");
        let e = |start, end, text: &str| Edit {
            start,
            end,
            text: text.into(),
        };
        let out = text_edits(
            &rope,
            &[e(4, 4, "]"), e(0, 0, "["), e(1, 3, "x"), e(2, 5, "y")],
            Encoding::Utf16,
        );
        let got: Vec<(u32, u32, &str)> = out
            .iter()
            .map(|t| {
                (
                    t.range.start.character,
                    t.range.end.character,
                    t.new_text.as_str(),
                )
            })
            .collect();
        assert_eq!(got, vec![(0, 0, "["), (1, 3, "x"), (4, 4, "]")]);
    }

    /// The direct writer says exactly what serialising the typed diagnostics says.
    #[test]
    fn publish_body_equals_the_typed_notification() {
        use crate::checks::{Fix, Related};
        let text = "Line one has 5 kg.\r\nThé second £1bn line\n\n and \"quoted\" 7 t\\ end";
        let uri = Uri::from_str("file:///tmp/a%20b/brief.md").unwrap();
        let f = |code, severity, span: Span<usize>, message: &str| Finding {
            code,
            severity,
            message: message.into(),
            span,
            related: crate::checks::Shared::new(),
            fixes: crate::checks::Shared::new(),
        };
        let mut a = f(
            "mixed-units",
            Severity::Warning,
            13..17,
            "mixed `kg` and \"t\"\n",
        );
        a.related.push(Related {
            span: 60..63,
            message: "here: 7 t".into(),
        });
        a.related.push(Related {
            span: 30..36,
            message: "é".into(),
        });
        let mut b = f("number-style", Severity::Hint, 31..36, "style");
        b.fixes.push(Fix {
            title: "Write `£1 billion`".into(),
            edits: vec![
                Edit {
                    start: 34,
                    end: 36,
                    text: " billion".into(),
                },
                Edit {
                    start: 31,
                    end: 31,
                    text: "".into(),
                },
            ]
            .into(),
        });
        // Everything JSON escapes, in a title and an edit's text.
        b.fixes.push(Fix {
            title: "Quote \"it\" \\ tab\t bell\u{7} del\u{7f} \u{2028}".into(),
            edits: vec![Edit {
                start: 40,
                end: 41,
                text: "a\nb\r\"c\"\\".into(),
            }]
            .into(),
        });
        let c = f("limits", Severity::Info, 5..500, "capped");
        let d = f("mixed-units", Severity::Error, 0..0, "");
        // The same findings with their lists stored `k` bytes back and moved forward, the
        // fixes' edits another `k` back and moved twice, as incremental analysis keeps
        // them (read where they are stored, with the offset).
        let k = 20;
        let back = |f: &Finding| {
            let mut g = f.clone();
            g.related = g
                .related
                .iter()
                .map(|r| Related {
                    span: r.span.start.wrapping_sub(k)..r.span.end.wrapping_sub(k),
                    ..r
                })
                .collect();
            g.related.shift(0, k);
            g.fixes = g
                .fixes
                .iter()
                .map(|fix| {
                    let mut edits: crate::checks::Shared<Edit> = fix
                        .edits
                        .iter()
                        .map(|e| Edit {
                            start: e.start.wrapping_sub(2 * k),
                            end: e.end.wrapping_sub(2 * k),
                            ..e
                        })
                        .collect();
                    edits.shift(0, k);
                    Fix { edits, ..fix }
                })
                .collect();
            g.fixes.shift(0, k);
            assert_eq!(&g, f);
            g
        };
        let (a2, b2) = (back(&a), back(&b));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            for found in [
                vec![],
                vec![a.clone(), b.clone(), c.clone(), d.clone()],
                vec![a2.clone(), b2.clone(), c.clone(), d.clone()],
            ] {
                for version in [None, Some(7)] {
                    let typed = serde_json::json!({
                        "jsonrpc": "2.0",
                        "method": "textDocument/publishDiagnostics",
                        "params": PublishDiagnosticsParams {
                            uri: uri.clone(),
                            diagnostics: diagnostics(&uri, text, enc, &found),
                            version,
                        },
                    });
                    let body = publish_body(&uri, text, enc, &found, version);
                    let direct: serde_json::Value = serde_json::from_slice(&body).unwrap();
                    assert_eq!(direct, typed, "{enc:?} {}", found.len());
                }
            }
        }
    }

    /// A body of many pieces says what the typed notification says, and its measured
    /// length is the one written.
    #[test]
    fn a_body_of_many_pieces_equals_the_typed_notification() {
        let line = "Revenue rose 5% to $10m, of which £2bn abroad; 1,000 t.\n";
        let text = line.repeat(3000);
        let uri = Uri::from_str("file:///tmp/many.md").unwrap();
        let found: Vec<Finding> = (0..3000)
            .map(|k| {
                let at = k * line.len() + 13;
                let mut f = Finding {
                    code: ["mixed-units", "number-style", "total-mismatch"][k % 3],
                    severity: Severity::Warning,
                    message: format!("finding {k} with \"quotes\"").into(),
                    span: at..at + 2,
                    related: crate::checks::Shared::new(),
                    fixes: crate::checks::Shared::new(),
                };
                if k % 2 == 0 {
                    f.related.push(crate::checks::Related {
                        span: at + 7..at + 10,
                        message: "here".into(),
                    });
                }
                f
            })
            .collect();
        let Body::Pieces(mut measured) = Body::new(
            &uri,
            Pair(text.clone(), found.clone()),
            Encoding::Utf16,
            Some(3),
        ) else {
            panic!("a body of 3,000 diagnostics is written in pieces");
        };
        let mut pieces = 0;
        let mut body = Vec::new();
        loop {
            let before = body.len();
            let more = measured.fill(&mut body);
            assert!(
                body.len() - before < PIECE + 4096,
                "a piece stays near its size"
            );
            pieces += 1;
            if !more {
                break;
            }
        }
        assert!(pieces > 3, "{pieces} pieces");
        assert!(
            matches!(
                Body::new(
                    &uri,
                    Pair(text.clone(), found[..100].to_vec()),
                    Encoding::Utf16,
                    None
                ),
                Body::Whole(_)
            ),
            "a body of 100 diagnostics is held whole"
        );
        assert_eq!(body.len(), measured.len());
        assert_eq!(
            body,
            publish_body(&uri, &text, Encoding::Utf16, &found, Some(3))
        );
        let typed = serde_json::json!({
            "jsonrpc": "2.0",
            "method": "textDocument/publishDiagnostics",
            "params": PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics: diagnostics(&uri, &text, Encoding::Utf16, &found),
                version: Some(3),
            },
        });
        let direct: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(direct, typed);
    }

    #[test]
    fn ranges_are_written_as_serde_writes_them() {
        let values = [
            0,
            1,
            9,
            10,
            99,
            100,
            4_294_967,
            999_999_999,
            1_000_000_000,
            u32::MAX,
        ];
        for (k, &a) in values.iter().enumerate() {
            let b = values[(k * 7 + 3) % values.len()];
            // Offsets stand for themselves: line `a`, column `b` at the start; swapped at the end.
            let at = |o: usize| {
                if o == 0 {
                    Position::new(a, b)
                } else {
                    Position::new(b, a)
                }
            };
            let mut out = b"x".to_vec();
            write_range(&mut out, &at, &(0..1));
            let typed = Range::new(Position::new(a, b), Position::new(b, a));
            let mut expected = b"x".to_vec();
            expected.extend(serde_json::to_vec(&typed).unwrap());
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    #[test]
    fn strings_are_escaped_exactly_when_json_needs_it() {
        for c in 0u8..=0x7f {
            let expected = c < 0x20 || c == b'"' || c == b'\\';
            // The byte alone, at each place of a block, and in the remainder after blocks.
            for at in [0, 7, 15, 16, 20, 33] {
                let mut s = vec![b'a'; 34];
                s[at] = c;
                assert_eq!(needs_escape(&s), expected, "{c:#x} at {at}");
                let text = String::from_utf8(s).unwrap();
                let mut out = Vec::new();
                write_str(&mut out, &text);
                assert_eq!(out, serde_json::to_vec(&text).unwrap(), "{c:#x} at {at}");
            }
        }
        for text in ["", "é £1bn \u{2028} ✓", "x\u{1f}"] {
            let mut out = Vec::new();
            write_str(&mut out, text);
            assert_eq!(out, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Ranges found with one line index, for spans in any order (inside a character,
        /// in a line break, past the end), are the ranges found on the rope one by one; so
        /// are the edits.
        #[test]
        fn ranges_in_order_are_the_ropes(
            text in "([a-z 5.]|😀|é|\r\n|\n|\r){0,40}",
            spans in proptest::collection::vec((0usize..90, 0usize..90), 0..12),
            utf8 in proptest::bool::ANY,
        ) {
            let enc = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
            let rope = Rope::from_str(&text);
            let spans: Vec<Span<usize>> = spans.into_iter().map(|(a, b)| a..b).collect();
            let one_by_one: Vec<Range> = spans.iter().map(|s| range(&rope, s, enc)).collect();
            proptest::prop_assert_eq!(ranges_in_order(&text, spans.iter().cloned(), enc), one_by_one);
            let edits: Vec<Edit> = spans
                .iter()
                .map(|s| Edit { start: s.start, end: s.end, text: "x".into() })
                .collect();
            proptest::prop_assert_eq!(
                text_edits_in(&text, &edits, enc),
                text_edits(&rope, &edits, enc)
            );
        }
    }

    #[test]
    fn swapped_ranges_are_ordered() {
        let rope = Rope::from_str("héllo\nworld");
        let r = Range::new(Position::new(1, 2), Position::new(0, 1));
        assert_eq!(span(&rope, r, Encoding::Utf16), 1..9);
    }
}
