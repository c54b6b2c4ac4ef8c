//! The server's state: open documents (ropes), their analyses, the negotiated session.
//!
//! Everything lives behind one `std::sync::Mutex` that is held only for short synchronous
//! sections and never across an `.await`. Handlers take a [`Snapshot`] (a rope clone is
//! O(1)) and work on it, so a later edit can never change the text a reply is computed on.
//! Each open document carries a *generation*, bumped by every edit and every configuration
//! change; diagnostics and cached analyses are only used while their generation is current.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::Uri;

use crate::position::Encoding;
use crate::prose::Language;
use crate::tags::Tag;
use crate::{Analysis, Config};

/// An analysis of one version of a document, shared by diagnostics, hover and actions.
#[derive(Debug, Default)]
pub(crate) struct Analysed {
    /// The text the analysis was made of (the byte offsets below point into it), as the
    /// rope it was read from: it shares its leaves with the document's rope, so keeping it
    /// costs next to nothing, where the text in one piece took a byte per byte of document
    /// for as long as the version was current.
    rope: Rope,
    /// The text in one piece while something holds it ([`Analysed::text`]).
    whole: std::sync::Mutex<Whole>,
    pub analysis: Analysis,
    pub tags: Vec<Tag>,
}

/// The text of an analysis in one piece: held from the analysis until its diagnostics take
/// it ([`Analysed::hand_over`]), and after that made again from the rope when a reply needs
/// it, shared by the replies that hold it at once, and freed with the last of them.
#[derive(Debug, Default)]
struct Whole {
    /// The analysis's own hold, until handed over.
    held: Option<Arc<String>>,
    /// The copy anyone holds (the analysis included), if any.
    shared: std::sync::Weak<String>,
    /// Pages freed go back to the system at once until the diagnostics of this analysis
    /// are written (a document's first analysis; see [`super::memory::ReturnPagesAtOnce`]).
    eager: Option<super::memory::ReturnPagesAtOnce>,
}

impl Analysed {
    /// The analysis of `text`, read from `rope` (the same text).
    pub fn new(rope: Rope, text: String, analysis: Analysis, tags: Vec<Tag>) -> Analysed {
        let text = Arc::new(text);
        Analysed {
            rope,
            whole: std::sync::Mutex::new(Whole {
                shared: Arc::downgrade(&text),
                held: Some(text),
                eager: None,
            }),
            analysis,
            tags,
        }
    }

    /// The text in one piece (what the analysis's byte offsets point into): the copy held
    /// or shared now, or else one made from the rope.
    pub fn text(&self) -> Arc<String> {
        // Poisoned only by a panic while a copy was made from the rope: the state is still
        // a valid one.
        let mut whole = self.whole.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(text) = whole.shared.upgrade() {
            return text;
        }
        let text = Arc::new(whole_text(&self.rope));
        whole.shared = Arc::downgrade(&text);
        text
    }

    /// The text in one piece, no longer held by the analysis: the caller's copy (the
    /// diagnostics being written) is then the only one, freed with it.
    pub fn hand_over(&self) -> Arc<String> {
        let text = self.text();
        self.whole.lock().unwrap_or_else(|e| e.into_inner()).held = None;
        text
    }

    /// Keep freed pages going back to the system at once (`eager`) until the diagnostics
    /// take it ([`Analysed::take_eager`]).
    pub fn keep_eager(&self, eager: super::memory::ReturnPagesAtOnce) {
        self.whole.lock().unwrap_or_else(|e| e.into_inner()).eager = Some(eager);
    }

    /// What [`Analysed::keep_eager`] kept, for the diagnostics to hold until written.
    pub fn take_eager(&self) -> Option<super::memory::ReturnPagesAtOnce> {
        self.whole
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .eager
            .take()
    }

    /// The text of `range` (a figure's, a tag's), without making the whole text; empty
    /// when the range is not in the text.
    pub fn slice(&self, range: std::ops::Range<usize>) -> std::borrow::Cow<'_, str> {
        self.rope
            .get_byte_slice(range)
            .map(std::borrow::Cow::from)
            .unwrap_or_default()
    }
}

/// The analysis of one generation, computed at most once however many handlers ask.
pub(crate) type AnalysisCell = Arc<tokio::sync::OnceCell<Arc<Analysed>>>;

/// One open document.
#[derive(Debug)]
pub(crate) struct Document {
    pub rope: Rope,
    pub version: i32,
    pub language: Language,
    pub config: Arc<Config>,
    /// Bumped by every edit and configuration change.
    pub generation: u64,
    /// Edits since the rope was last looked at for room to give back
    /// (`documents::compact`).
    pub edits: u32,
    pub cell: AnalysisCell,
    /// Per-chunk extraction and check results kept across edits (incremental analysis).
    pub chunks: ChunkCacheCell,
}

/// A document's chunk caches, used by one analysis at a time on the analysis thread.
pub(crate) type ChunkCacheCell = Arc<std::sync::Mutex<Cached>>;

/// The chunk caches of a document, and the text they last read.
#[derive(Debug, Default)]
pub(crate) struct Cached {
    pub incremental: crate::Incremental,
    /// The rope of the text last analysed: the next analysis tells the caches which of
    /// its start and end are still the same ([`unchanged`]). It shares all but the edited
    /// leaves with the document's rope.
    pub last: Option<Rope>,
    /// The text as `didOpen` brought it, with the generation it is the text of: the first
    /// analysis reads it as it came rather than a copy made from the rope (which took a
    /// second megabyte per megabyte of document while the first one was still held).
    pub opened: Option<(u64, String)>,
}

impl Cached {
    /// Caches that hold nothing yet but the text `didOpen` brought, of `generation`.
    pub fn opened(generation: u64, text: String) -> Cached {
        Cached {
            opened: Some((generation, text)),
            ..Cached::default()
        }
    }

    /// The text of `rope` (of `generation`) in one piece: the one `didOpen` brought when it
    /// is of that generation, else a copy of the rope.
    pub fn text_of(&mut self, rope: &Rope, generation: u64) -> String {
        match self.opened.take() {
            Some((g, text)) if g == generation && text.len() == rope.len_bytes() => text,
            _ => whole_text(rope),
        }
    }
}

/// The text of a rope in one piece, sized once (`to_string` grows by doubling).
fn whole_text(rope: &Rope) -> String {
    let mut text = String::with_capacity(rope.len_bytes());
    rope.chunks().for_each(|c| text.push_str(c));
    text
}

/// How much of the start and of the end of `new` is the same text as `old`'s: the chunks
/// the two ropes share there. An edited copy of a rope shares every leaf the edit left
/// alone, and a leaf two ropes hold is never changed (the copy being edited copies it
/// first), so a chunk at the same address and of the same length in both is the same
/// text. Two ropes that share nothing (`new` read afresh) have nothing the same.
pub(crate) fn unchanged(old: &Rope, new: &Rope) -> crate::Unchanged {
    let same = |(a, b): &(&str, &str)| std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len();
    let prefix = old
        .chunks()
        .zip(new.chunks())
        .take_while(same)
        .map(|(a, _)| a.len())
        .sum();
    fn back(r: &Rope) -> ropey::iter::Chunks<'_> {
        r.chunks_at_byte(r.len_bytes()).0.reversed()
    }
    let suffix = back(old)
        .zip(back(new))
        .take_while(same)
        .map(|(a, _)| a.len())
        .sum();
    crate::Unchanged { prefix, suffix }
}

/// What a handler needs of a document, taken in one short lock.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub uri: Uri,
    pub rope: Rope,
    pub version: i32,
    pub generation: u64,
    pub language: Language,
    pub config: Arc<Config>,
    pub encoding: Encoding,
    pub cell: AnalysisCell,
    pub chunks: ChunkCacheCell,
}

/// A `.briefing-ls.toml` as read from disk.
#[derive(Debug, Clone)]
pub(crate) struct LoadedConfig {
    /// When the file was last modified as read, to notice changes no watcher reported.
    pub modified: Option<std::time::SystemTime>,
    /// The file's settings, or the defaults when it is broken.
    pub config: Config,
    /// Why the file is broken: its text and the error, for a diagnostic on the file.
    pub error: Option<(String, crate::config::ConfigError)>,
}

/// What the client said it can do, as far as the server cares.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClientCaps {
    /// `workspace/configuration` (pull settings).
    pub configuration: bool,
    /// Dynamic registration of `workspace/didChangeWatchedFiles`.
    pub watch_files: bool,
    /// Dynamic registration of `workspace/didChangeConfiguration`.
    pub change_configuration: bool,
    /// `codeAction/resolve` of an action's edit, with its `data` kept: the source actions
    /// (whole-document edits) are then offered without their edits and computed only
    /// when chosen.
    pub resolve_edits: bool,
}

/// The whole mutable state of the server.
#[derive(Debug)]
pub(crate) struct State {
    pub encoding: Encoding,
    pub caps: ClientCaps,
    /// Workspace folders, as paths (for walking up to `.briefing-ls.toml`).
    pub roots: Vec<PathBuf>,
    /// `initializationOptions` (section `briefing-ls`).
    pub init_settings: serde_json::Value,
    /// The latest `workspace/configuration` or `didChangeConfiguration` settings.
    pub dynamic_settings: serde_json::Value,
    pub docs: HashMap<Uri, Document>,
    /// `.briefing-ls.toml` files read so far, by path; cleared when any of them changes.
    pub config_files: HashMap<PathBuf, LoadedConfig>,
    /// Configuration files that currently have a diagnostic published on them.
    pub config_errors_shown: HashSet<PathBuf>,
    pub next_generation: u64,
}

impl Default for State {
    fn default() -> Self {
        State {
            encoding: Encoding::Utf16,
            caps: ClientCaps::default(),
            roots: Vec::new(),
            init_settings: serde_json::Value::Null,
            dynamic_settings: serde_json::Value::Null,
            docs: HashMap::new(),
            config_files: HashMap::new(),
            config_errors_shown: HashSet::new(),
            next_generation: 1,
        }
    }
}

impl State {
    /// A fresh generation number (unique across documents).
    pub fn generation(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let d = self.docs.get(uri)?;
        Some(Snapshot {
            uri: uri.clone(),
            rope: d.rope.clone(),
            version: d.version,
            generation: d.generation,
            language: d.language,
            config: d.config.clone(),
            encoding: self.encoding,
            cell: d.cell.clone(),
            chunks: d.chunks.clone(),
        })
    }

    /// Whether `uri` is open and still at `generation`.
    pub fn is_current(&self, uri: &Uri, generation: u64) -> bool {
        self.docs
            .get(uri)
            .is_some_and(|d| d.generation == generation)
    }
}

#[cfg(test)]
mod tests {
    use super::{unchanged, Analysed, Arc, Rope};
    use proptest::prelude::*;

    #[test]
    fn the_first_analysis_reads_the_text_didopen_brought() {
        let text = "Police seized 14 tons.\n\nThen 😀 800kg more.";
        let rope = Rope::from_str(text);
        let opened = String::from(text);
        let at = opened.as_ptr();
        // Of the same generation: that very text, taken.
        let mut cached = super::Cached::opened(7, opened);
        let got = cached.text_of(&rope, 7);
        assert_eq!((got.as_str(), got.as_ptr()), (text, at));
        assert!(cached.opened.is_none());
        // Of another generation (an edit or a configuration change came first): a copy of
        // the rope, and the text brought is let go.
        let mut cached = super::Cached::opened(7, "Police seized 15 tons.".into());
        assert_eq!(cached.text_of(&rope, 8), text);
        assert!(cached.opened.is_none());
        // Nothing brought: a copy of the rope.
        assert_eq!(super::Cached::default().text_of(&rope, 7), text);
    }

    #[test]
    fn the_text_in_one_piece_lives_only_while_something_holds_it() {
        let text = "Police seized 14 tons, and 😀 800kg more.\r\nNext line.";
        let analysed = String::from(text);
        let at = analysed.as_ptr();
        let a = Analysed::new(
            Rope::from_str(text),
            analysed,
            crate::analyse(text, &crate::Config::default()),
            Vec::new(),
        );
        // Held by the analysis until handed over (the text it was made of, not a copy);
        // then the caller's copy is the only one.
        let early = a.text();
        assert_eq!(early.as_ptr(), at);
        drop(early);
        let handed = a.hand_over();
        assert_eq!((handed.as_str(), handed.as_ptr()), (text, at));
        assert_eq!(Arc::strong_count(&handed), 1);
        // Shared while held: a reply gets the same copy, not a new one.
        let reply = a.text();
        assert!(Arc::ptr_eq(&reply, &handed));
        drop((handed, reply));
        // Nothing holds it: made again from the rope, the same text.
        let again = a.text();
        assert_eq!(again.as_str(), text);
        assert_eq!(Arc::strong_count(&again), 1);
        // Parts come from the rope; a range off the text or inside a character is empty.
        let f = &a.analysis.figures[0];
        assert_eq!(a.slice(f.span.range()), "14 tons");
        let emoji = text.find('😀').expect("in the text");
        assert_eq!(a.slice(emoji..emoji + 2), "");
        assert_eq!(a.slice(0..text.len() + 1), "");
    }

    /// A text of `n` numbered paragraphs (about 60 bytes each).
    fn text(n: usize) -> String {
        (0..n)
            .map(|k| format!("Paragraph {k}: police seized {k} weapons.\n\n"))
            .collect()
    }

    #[test]
    fn an_edited_copy_shares_all_but_the_edited_leaves() {
        let old = Rope::from_str(&text(2_000));
        let len = old.len_bytes();
        let mut new = old.clone();
        new.insert(len / 2, "7");
        let same = unchanged(&old, &new);
        // A leaf is at most a few kilobytes: all but about one is still shared.
        assert!(
            same.prefix <= len / 2 && same.prefix > len / 2 - 4096,
            "{same:?}"
        );
        assert!(
            same.suffix <= len - len / 2 && same.suffix > len - len / 2 - 4096,
            "{same:?}"
        );
        // The same rope, and a rope read afresh from the same text.
        let whole = unchanged(&old, &old.clone());
        assert_eq!((whole.prefix, whole.suffix), (len, len));
        let fresh = unchanged(&old, &Rope::from_str(&text(2_000)));
        assert_eq!((fresh.prefix, fresh.suffix), (0, 0));
    }

    proptest! {
        /// After any edits of a copy, what `unchanged` vouches for is the same text.
        #[test]
        fn what_is_vouched_for_is_the_same(n in 0usize..400, edits in prop::collection::vec((any::<usize>(), 0usize..300, "[a-z\n é]{0,40}"), 1..6)) {
            let old = Rope::from_str(&text(n));
            let mut new = old.clone();
            for (at, len, insert) in &edits {
                let chars = new.len_chars();
                let at = at % (chars + 1);
                new.remove(at..(at + len).min(chars));
                new.insert(at, insert);
            }
            let same = unchanged(&old, &new);
            let (a, b) = (old.to_string(), new.to_string());
            prop_assert!(same.prefix <= a.len().min(b.len()));
            prop_assert!(same.suffix <= a.len().min(b.len()));
            prop_assert_eq!(&a[..same.prefix], &b[..same.prefix]);
            prop_assert_eq!(&a[a.len() - same.suffix..], &b[b.len() - same.suffix..]);
        }
    }
}
