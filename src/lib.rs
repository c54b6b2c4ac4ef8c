//! briefing-ls: the analysis core.
//!
//! This crate finds every figure in an English briefing (a number with its scale, qualifier,
//! unit, currency or counted noun), says what it means, checks figures against each other,
//! and reads and writes structured tags around them. The core knows nothing about LSP: it
//! works on `&str` and speaks UTF-8 byte ranges (`Range<usize>`). The language server
//! (`server`) and the command line (`main.rs`) are thin layers over [`analyse`].
//!
//! Invariants:
//! 1. Only `src/server/` sees LSP types.
//! 2. Only `position` converts byte offsets to line/column (UTF-8, UTF-16 or chars).
//! 3. Analysing text never fails and never panics: odd text gives fewer findings.
//! 4. One check = one file in `checks/`, listed once in `checks::REGISTRY`.

/// A `memchr` searcher for a fixed needle, built once: building one costs more than
/// searching a chunk of a few hundred bytes with it, and chunks are searched by the
/// thousand.
macro_rules! finder {
    ($needle:expr) => {{
        static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new($needle));
        &*FINDER
    }};
}

/// Whether `$hay` (a `&str`) holds the string `$needle`, with a [`finder!`] (`str::contains`
/// sets its searcher up again on every call).
macro_rules! holds {
    ($hay:expr, $needle:literal) => {
        finder!($needle.as_bytes())
            .find(AsRef::<[u8]>::as_ref($hay))
            .is_some()
    };
}

/// Strings joined into one string of their length: `join!("`", a, "` here")` writes what
/// `format!("`{a}` here")` writes, for the messages of findings (every finding writes one,
/// and `format!` costs several times as much). Each part is anything `AsRef<str>`.
macro_rules! join {
    ($($part:expr),+ $(,)?) => {
        [$(AsRef::<str>::as_ref(&$part)),+].concat()
    };
}

pub mod checks;
pub mod config;
pub mod figures;
// Bounds on analysis (a cap on monster sentences), wrapped around the checks: see `limits`.
pub mod limits;
pub mod position;
pub mod prose;
// Per-chunk results kept between analyses, found again in document order.
pub(crate) mod recall;
pub mod report;
pub mod server;
pub mod tags;

pub use checks::{Edit, Finding, Fix, Related, Severity};
pub use config::Config;
pub use figures::{Dimension, Figure, Qualifier, Unchanged};

/// Everything the core knows about one document.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Figures in document order. Shared: an [`Incremental`] analysis keeps the list to
    /// read the next version's unchanged paragraphs from, instead of a copy of its own.
    pub figures: std::sync::Arc<Vec<Figure>>,
    /// Diagnostics from every enabled check, sorted by start offset.
    pub findings: Vec<Finding>,
}

/// Analyse `text` (Markdown or plain text) with `config`: figures, then checks.
pub fn analyse(text: &str, config: &Config) -> Analysis {
    analyse_lang(text, config, prose::Language::Markdown)
}

/// [`analyse`] for a document read as `lang` (plain text has no Markdown to skip).
pub fn analyse_lang(text: &str, config: &Config, lang: prose::Language) -> Analysis {
    // An incremental analysis with empty caches on this thread: the checks take the chunks
    // extraction found and the masks it made.
    Incremental {
        figures: figures::ChunkCache::default(),
        checks: checks::CheckCache::default(),
    }
    .analyse(text, config, lang)
}

/// Incremental analysis of one document across edits: keeps the per-chunk results of
/// extraction and of the local checks, so that after an edit only the chunks (paragraphs,
/// list items, fenced blocks) whose text or figures changed are read again. The analysis
/// is the same as [`analyse_lang`] of the same text.
#[derive(Debug)]
pub struct Incremental {
    figures: figures::ChunkCache,
    checks: checks::CheckCache,
}

impl Incremental {
    /// Bytes the check cache holds, by part (see [`checks::CheckCache::heap_parts`]).
    #[doc(hidden)]
    pub fn check_cache_parts(&self) -> Vec<(&'static str, usize)> {
        self.checks.heap_parts()
    }
}

impl Default for Incremental {
    /// Large documents take a second thread for the document passes
    /// ([`checks::CheckCache::threaded`]).
    fn default() -> Incremental {
        Incremental::threaded(checks::BESIDE_FROM)
    }
}

impl Incremental {
    /// Incremental analysis whose documents of `from` figures or more take a second
    /// thread for the document passes ([`checks::CheckCache::threaded`]).
    pub fn threaded(from: usize) -> Incremental {
        Incremental {
            figures: figures::ChunkCache::default(),
            checks: checks::CheckCache::threaded(from),
        }
    }

    /// Analyse the document's current text.
    pub fn analyse(&mut self, text: &str, config: &Config, lang: prose::Language) -> Analysis {
        self.analyse_edited(text, config, lang, Unchanged::default())
    }

    /// [`Incremental::analyse`] of a text of which the caller knows what is the same as
    /// in the last text analysed (see [`Unchanged`]: an editor knows where it was edited).
    pub fn analyse_edited(
        &mut self,
        text: &str,
        config: &Config,
        lang: prose::Language,
        same: Unchanged,
    ) -> Analysis {
        if text.len() > figures::MAX_TEXT {
            // Offsets are kept in 32 bits: a larger text (no editor sends one; the command
            // line refuses it) is not analysed, and says so.
            self.figures = figures::ChunkCache::default();
            self.checks.clear();
            return Analysis {
                figures: Default::default(),
                findings: vec![limits::too_large(text)],
            };
        }
        let mut keyed = figures::extract_edited(text, config, lang, &mut self.figures, same);
        let figures = keyed.figures.clone();
        let findings = limits::run_checks_keyed(
            text,
            &figures,
            Some(checks::Read::of(&mut keyed)),
            config,
            lang,
            &mut self.checks,
        );
        Analysis { figures, findings }
    }

    /// The tags of the text last analysed, read as its language (see
    /// [`checks::CheckCache::tags`]).
    pub fn tags(&self) -> &[tags::Tag] {
        self.checks.tags()
    }
}
