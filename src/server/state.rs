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
    /// The text the analysis was made of (the byte offsets below point into it).
    pub text: String,
    pub analysis: Analysis,
    pub tags: Vec<Tag>,
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
    pub cell: AnalysisCell,
    /// Per-chunk extraction and check results kept across edits (incremental analysis).
    pub chunks: ChunkCacheCell,
}

/// A document's chunk caches, used by one analysis at a time on the analysis thread.
pub(crate) type ChunkCacheCell = Arc<std::sync::Mutex<crate::Incremental>>;

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
