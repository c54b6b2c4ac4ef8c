//! Document synchronisation: open, incremental change, save, close.
//!
//! Every change is applied to the rope synchronously, before the handler's first `.await`,
//! so edits take effect in the order the client sent them even though `tower-lsp-server`
//! runs handlers concurrently. A change whose version is not newer than the document's is
//! stale (or a replay) and is ignored.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::*;
use tracing::{debug, warn};

use super::convert;
use super::state::{Cached, Document};
use super::Inner;
use crate::position::Encoding;
use crate::prose::Language;

impl Inner {
    pub(crate) async fn did_open(self: Arc<Self>, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        if convert::is_config_uri(&doc.uri) {
            // The configuration file itself is not a briefing; opening it re-reads it.
            self.reload_configs();
            return;
        }
        {
            let mut st = self.lock();
            let generation = st.generation();
            let config = self.config_for(&mut st, &doc.uri);
            st.docs.insert(
                doc.uri.clone(),
                Document {
                    rope: Rope::from_str(&doc.text),
                    version: doc.version,
                    language: Language::from_id(&doc.language_id),
                    config,
                    generation,
                    edits: 0,
                    cell: Arc::default(),
                    chunks: Arc::new(std::sync::Mutex::new(Cached::opened(generation, doc.text))),
                },
            );
        }
        debug!("opened {} (version {})", doc.uri.as_str(), doc.version);
        // Diagnostics on open come at once; only edits are debounced.
        self.clone().schedule_diagnostics(doc.uri, 0);
        self.publish_config_errors().await;
    }

    pub(crate) fn did_change(self: Arc<Self>, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let (debounce, old) = {
            let mut st = self.lock();
            let enc = st.encoding;
            let generation = st.generation();
            let Some(doc) = st.docs.get_mut(&uri) else {
                // The configuration file is not kept as a document; it is re-read on save.
                if !convert::is_config_uri(&uri) {
                    warn!("change to {} which is not open: ignored", uri.as_str());
                }
                return;
            };
            if version <= doc.version {
                warn!(
                    "stale change to {} (version {version}, have {}): ignored",
                    uri.as_str(),
                    doc.version
                );
                return;
            }
            // Edit a copy (O(1) to clone) so that the document is either wholly updated or,
            // should anything panic, left as it was.
            let mut rope = doc.rope.clone();
            doc.edits += 1;
            let look = doc.edits >= COMPACT_EVERY;
            let applied = super::guarded("didChange", || {
                for change in &params.content_changes {
                    apply(&mut rope, change, enc);
                }
                if look && compact(&mut rope) {
                    debug!("{}: rope made compact again", uri.as_str());
                }
            });
            if look {
                doc.edits = 0;
            }
            if applied.is_err() {
                return;
            }
            doc.rope = rope;
            doc.version = version;
            doc.generation = generation;
            (doc.config.debounce, std::mem::take(&mut doc.cell))
        };
        // Let go of the previous figure list now, so that the next extraction finds the chunk
        // cache the only holder and updates the list in place instead of copying it.
        let mut old = old;
        if let Some(figures) = take_shared_figures(&mut old) {
            drop(figures);
        }
        // Freeing the rest of the previous analysis (its findings, tens of thousands in a large
        // document) takes a few milliseconds: do it beside the next analysis, not before it.
        tokio::task::spawn_blocking(move || {
            drop(old);
            super::memory::release_thread_cache();
        });
        self.schedule_diagnostics(uri, debounce);
    }

    pub(crate) fn did_save(self: Arc<Self>, params: DidSaveTextDocumentParams) {
        if convert::is_config_uri(&params.text_document.uri) {
            self.reload_configs();
        }
    }

    pub(crate) async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.lock().docs.remove(&uri).is_none() {
            return;
        }
        // Under the publish lock: no diagnostics task can publish for this document after
        // this, since it is no longer open.
        let _guard = self.publish.lock().await;
        self.publish_diagnostics(uri, Vec::new(), None);
    }
}

/// The figure list of an analysis nobody else holds, when the chunk cache shares it (so that
/// dropping it here only lowers a count). `None` when the analysis is still in use (a reply
/// being computed on it) or the list is not shared: it is then freed with the rest, later.
fn take_shared_figures(cell: &mut super::state::AnalysisCell) -> Option<Arc<Vec<crate::Figure>>> {
    let analysed = Arc::get_mut(Arc::get_mut(cell)?.get_mut()?)?;
    let figures = &mut analysed.analysis.figures;
    (Arc::strong_count(figures) > 1).then(|| std::mem::take(figures))
}

/// Documents of this many bytes or more get their rope made compact again ([`compact`]).
const COMPACT_FROM: usize = 64 << 10;
/// A document's rope is looked at for room to give back once every this many edits.
const COMPACT_EVERY: u32 = 16;
/// A rope is made compact again once its room exceeds its text by this fraction of it
/// (`1 / COMPACT_SLACK`): a sixteenth, reached after ~75 one-character edits at random
/// places of a megabyte (an eighth, the first setting, after ~150: what the server held
/// above its compact text was ~6% of the text on average, now ~3%).
const COMPACT_SLACK: usize = 16;

/// Make `rope` compact again when edits have left it with a sixteenth more room than its
/// text needs ([`COMPACT_SLACK`]), for a document of [`COMPACT_FROM`] bytes or more;
/// whether it did. ropey keeps a text in leaves of a fixed size (a block of ~1 KB, whatever
/// it holds), splits a full leaf in two for an insertion into it, and joins leaves again
/// only where text is removed: edits at many places grow a rope towards twice its text,
/// and the server's memory with it (300 one-character edits at random places of 1 MB of
/// generated text: 250 leaves more, a quarter of a byte per byte of the document; README,
/// Benchmarks). Compacting copies the text into full leaves, O(n) (~1 ms a megabyte); the
/// old leaves go once nothing else holds them (the last analysis and the caches' copy of
/// the rope, until the next analysis is done). That analysis finds no leaf its text shares
/// with the last one, so it finds what the edit changed by hashing the text, as for a
/// client that sends whole texts.
pub(crate) fn compact(rope: &mut Rope) -> bool {
    let len = rope.len_bytes();
    if len < COMPACT_FROM || rope.capacity() <= len + len / COMPACT_SLACK {
        return false;
    }
    rope.shrink_to_fit();
    true
}

/// Apply one content change to a rope: a range replacement, or the whole text.
pub(crate) fn apply(rope: &mut Rope, change: &TextDocumentContentChangeEvent, enc: Encoding) {
    let Some(range) = change.range else {
        *rope = Rope::from_str(&change.text);
        return;
    };
    let span = convert::span(rope, range, enc);
    // Offsets from `position` are always on character boundaries.
    let start = rope.byte_to_char(span.start);
    let end = rope.byte_to_char(span.end);
    rope.remove(start..end);
    rope.insert(start, &change.text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn edits_after_emoji_land_in_the_right_place_in_each_encoding() {
        let mut r = Rope::from_str("😀 14 tons\r\nnext");
        apply(&mut r, &change(0, 3, 0, 5, "15"), Encoding::Utf16);
        assert_eq!(r.to_string(), "😀 15 tons\r\nnext");
        apply(&mut r, &change(0, 5, 0, 7, "16"), Encoding::Utf8);
        assert_eq!(r.to_string(), "😀 16 tons\r\nnext");
        // Past the end of a line clamps to the line's end, before its CRLF.
        apply(&mut r, &change(0, 99, 0, 99, "!"), Encoding::Utf16);
        assert_eq!(r.to_string(), "😀 16 tons!\r\nnext");
        // Past the end of the document clamps to its end.
        apply(&mut r, &change(9, 0, 9, 9, "."), Encoding::Utf16);
        assert_eq!(r.to_string(), "😀 16 tons!\r\nnext.");
        // Deleting the line break joins the lines.
        apply(&mut r, &change(0, 11, 1, 0, " "), Encoding::Chars);
        assert_eq!(r.to_string(), "😀 16 tons! next.");
    }

    #[test]
    fn half_a_surrogate_pair_never_splits_a_character() {
        let mut r = Rope::from_str("a😀b");
        apply(&mut r, &change(0, 2, 0, 2, "x"), Encoding::Utf16);
        assert_eq!(r.to_string(), "ax😀b");
    }

    #[test]
    fn a_rope_loosened_by_edits_is_made_compact_again_with_the_same_text() {
        let para = "Police seized 148 weapons and 4,431 pieces of ammunition.\n\n";
        let mut text = para.repeat(2_000);
        let mut rope = Rope::from_str(&text);
        // As read: nothing to give back.
        assert!(!compact(&mut rope));
        // A few edits leave less room than the threshold: left as it is.
        for k in 1..=4 {
            let at = k * 24_000;
            text.insert(at, '7');
            rope.insert(rope.byte_to_char(at), "7");
        }
        let loose = rope.capacity();
        assert!(loose > text.len() && loose <= text.len() + text.len() / COMPACT_SLACK);
        assert!(!compact(&mut rope));
        assert_eq!(rope.capacity(), loose);
        // A digit typed every ~1.7 KB: most leaves split in two.
        let mut at = 0;
        while at < text.len() {
            text.insert(at, '7');
            rope.insert(rope.byte_to_char(at), "7");
            at += 1_700;
        }
        let before = rope.capacity();
        assert!(
            before > text.len() + text.len() / COMPACT_SLACK,
            "{before} for {}",
            text.len()
        );
        let kept = rope.clone();
        assert!(compact(&mut rope));
        assert!(rope.capacity() < text.len() + text.len() / 32);
        assert_eq!(rope.to_string(), text);
        // Its other holders keep the text they had.
        assert_eq!(kept.to_string(), text);
        assert!(!compact(&mut rope), "compact once");

        // A small document is left as it is, however loose.
        let mut small = Rope::from_str(&para.repeat(100));
        for k in 0..50 {
            small.insert(k * 100, "7");
        }
        assert!(small.capacity() > small.len_bytes() + small.len_bytes() / COMPACT_SLACK);
        let len = small.len_bytes();
        assert!(len < COMPACT_FROM);
        assert!(!compact(&mut small));
    }

    /// A cell holding `analysed`, as the document keeps it once diagnostics are computed.
    fn cell_with(
        analysed: Arc<super::super::state::Analysed>,
    ) -> super::super::state::AnalysisCell {
        Arc::new(tokio::sync::OnceCell::new_with(Some(analysed)))
    }

    fn analysed_of(text: &str, analysis: crate::Analysis) -> super::super::state::Analysed {
        super::super::state::Analysed::new(Rope::from_str(text), text.into(), analysis, Vec::new())
    }

    #[test]
    fn the_previous_figure_list_is_let_go_only_when_nobody_reads_it() {
        let text = "The police seized 148 weapons.";
        let analysis = crate::analyse(text, &crate::Config::default());
        assert_eq!(analysis.figures.len(), 1);
        // The chunk cache's hold on the list, as `Incremental` keeps it.
        let cache = analysis.figures.clone();
        let analysed = Arc::new(analysed_of(text, analysis));

        // A reply still being computed on the analysis: nothing is taken from under it.
        let reader = analysed.clone();
        let mut cell = cell_with(analysed);
        assert!(take_shared_figures(&mut cell).is_none());
        drop(reader);
        // Another handler still holding the cell itself.
        let other = cell.clone();
        assert!(take_shared_figures(&mut cell).is_none());
        drop(other);

        // Nobody else: the list is taken (leaving the cache the only holder).
        let taken = take_shared_figures(&mut cell).expect("the list, shared with the cache");
        assert!(Arc::ptr_eq(&taken, &cache));
        drop(taken);
        assert_eq!(Arc::strong_count(&cache), 1);
        let left = cell.get().expect("the analysis stays");
        assert!(left.analysis.figures.is_empty());

        // A list the cache does not share is left to be freed with the rest, off this thread.
        drop(cache);
        let text = "It weighed 800kg.";
        let analysis = crate::analyse(text, &crate::Config::default());
        let mut cell = cell_with(Arc::new(analysed_of(text, analysis)));
        assert!(take_shared_figures(&mut cell).is_none());
        assert_eq!(cell.get().map(|a| a.analysis.figures.len()), Some(1));
    }
}
