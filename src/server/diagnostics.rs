//! Pushed diagnostics: debounced, versioned, never stale.
//!
//! Each edit schedules a task that waits `debounce` milliseconds, then analyses the document
//! only if no newer edit arrived meanwhile (its generation is still current), and publishes
//! with the document's version. The check and the publication happen under one lock, which
//! `didClose` also takes, so a slow task can neither overwrite newer diagnostics nor
//! resurrect those of a closed document.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types::*;

use super::convert;
use super::Inner;
use crate::position::{Encoding, LineIndex};

/// An analysis as what a diagnostics body reads, with its text in one piece: the
/// analysis hands it over, so it is freed with the body (see [`super::state::Analysed`]).
struct Analysed(Arc<super::state::Analysed>, Arc<String>);

impl convert::Found for Analysed {
    fn text(&self) -> &str {
        &self.1
    }
    fn findings(&self) -> &[crate::checks::Finding] {
        &self.0.analysis.findings
    }
}

/// A publication as the transport writes it: left unsent if, by the time its turn comes,
/// the document has moved on from its version (a newer publication follows) or was closed.
/// A client slow to read then does not make the server queue every version's diagnostics
/// and hold every version's analysis.
struct Publication {
    body: Box<dyn super::transport::Pieces>,
    inner: std::sync::Weak<Inner>,
    uri: Uri,
    generation: u64,
    /// Held until the publication is written or dropped (see [`super::memory::ReturnPagesAtOnce`]).
    _eager: Option<super::memory::ReturnPagesAtOnce>,
}

impl super::transport::Pieces for Publication {
    fn len(&self) -> usize {
        self.body.len()
    }
    fn fill(&mut self, out: &mut Vec<u8>) -> bool {
        self.body.fill(out)
    }
    fn wanted(&self) -> bool {
        self.inner
            .upgrade()
            .is_some_and(|inner| inner.lock().is_current(&self.uri, self.generation))
    }
}

impl Inner {
    /// Publish fresh diagnostics for `uri` after `delay_ms`, unless it changes meanwhile.
    pub(crate) fn schedule_diagnostics(self: Arc<Self>, uri: Uri, delay_ms: u64) {
        let Some(generation) = self.lock().docs.get(&uri).map(|d| d.generation) else {
            return;
        };
        tokio::spawn(async move {
            if delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            } else {
                // Let a burst of queued edits land first; only the last one's task analyses.
                tokio::task::yield_now().await;
            }
            let Some(snap) = self.snapshot(&uri).filter(|s| s.generation == generation) else {
                return;
            };
            // Skip the work if another edit arrived while this one waited for the thread.
            let inner = self.clone();
            let (u, g) = (uri.clone(), generation);
            let Some(analysed) = self
                .analyse(&snap, move || inner.lock().is_current(&u, g))
                .await
            else {
                return;
            };
            // A large body is measured here, and written piece by piece as it is sent.
            let text = analysed.hand_over();
            let eager = analysed.take_eager();
            let found = Analysed(analysed, text);
            let Ok(body) = super::guarded("diagnostics", || {
                let body: Box<dyn super::transport::Pieces> =
                    match convert::Body::new(&uri, found, snap.encoding, Some(snap.version)) {
                        convert::Body::Whole(body) => Box::new(body),
                        convert::Body::Pieces(body) => Box::new(body),
                    };
                super::transport::Raw::Pieces(Box::new(Publication {
                    body,
                    inner: Arc::downgrade(&self),
                    uri: uri.clone(),
                    generation,
                    _eager: eager,
                }))
            }) else {
                return;
            };
            let _guard = self.publish.lock().await;
            if self.lock().is_current(&uri, generation) {
                self.publish_raw(body);
            }
        });
    }

    /// Re-analyse and republish every open document (after a configuration change).
    pub(crate) fn republish_all(self: &Arc<Self>) {
        let uris: Vec<Uri> = {
            let mut st = self.lock();
            let uris: Vec<Uri> = st.docs.keys().cloned().collect();
            for uri in &uris {
                let generation = st.generation();
                let config = self.config_for(&mut st, uri);
                if let Some(d) = st.docs.get_mut(uri) {
                    d.config = config;
                    d.generation = generation;
                    d.cell = Arc::default();
                }
            }
            uris
        };
        for uri in uris {
            self.clone().schedule_diagnostics(uri, 0);
        }
    }

    /// Publish one diagnostic on each broken `.briefing-ls.toml` read so far, and clear the
    /// diagnostics of those that were broken and no longer are.
    pub(crate) async fn publish_config_errors(&self) {
        let (enc, broken, fixed) = {
            let mut st = self.lock();
            let enc = st.encoding;
            let mut broken = Vec::new();
            for (path, loaded) in &st.config_files {
                if let Some((text, err)) = &loaded.error {
                    broken.push((path.clone(), text.clone(), err.clone()));
                }
            }
            let fixed: Vec<_> = st
                .config_errors_shown
                .iter()
                .filter(|p| !broken.iter().any(|(b, _, _)| b == *p))
                .cloned()
                .collect();
            st.config_errors_shown = broken.iter().map(|(p, _, _)| p.clone()).collect();
            (enc, broken, fixed)
        };
        let _guard = self.publish.lock().await;
        for (path, text, err) in broken {
            let Some(uri) = Uri::from_file_path(&path) else {
                continue;
            };
            tracing::warn!("{}: {}; using the defaults", path.display(), err.message);
            let diagnostic = config_diagnostic(&text, &err, enc);
            self.publish_diagnostics(uri, vec![diagnostic], None);
        }
        for path in fixed {
            if let Some(uri) = Uri::from_file_path(&path) {
                self.publish_diagnostics(uri, Vec::new(), None);
            }
        }
    }
}

/// The diagnostic for a broken configuration file: where the error is (or the first line),
/// what it is, and that the defaults apply meanwhile. It has no `code`: it is not a check.
fn config_diagnostic(text: &str, err: &crate::config::ConfigError, enc: Encoding) -> Diagnostic {
    let idx = LineIndex::new(text);
    let span = err.span.clone().unwrap_or(0..idx.line_range(text, 0).end);
    let start = idx.to_line_col(text, span.start, enc);
    let end = idx.to_line_col(text, span.end.max(span.start), enc);
    Diagnostic {
        range: Range::new(
            Position::new(start.line, start.col),
            Position::new(end.line, end.col),
        ),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("briefing-ls".into()),
        message: format!(
            "{}; briefing-ls uses the default settings until this is fixed",
            err.message
        ),
        ..Diagnostic::default()
    }
}
