//! The language server (SPEC §5): the only part of briefing-ls that knows LSP.
//!
//! Built on `tower-lsp-server`, which runs handlers concurrently (up to 16 at a time here,
//! each first polled in arrival order). Three rules keep that safe:
//!
//! 1. **Edits are applied in arrival order.** `didOpen`/`didChange`/`didClose` change the
//!    state synchronously, before their first `.await`, so they take effect in the order the
//!    client sent them. Stale versions are ignored.
//! 2. **Replies are computed on snapshots.** A handler first takes a [`state::Snapshot`] of its
//!    document (the rope is cloned in O(1)), then computes; the analysis of one generation is
//!    computed once and shared ([`state::AnalysisCell`]), on one analysis thread ([`Worker`]).
//! 3. **Nothing waits on the client without a timeout**, and requests to the client
//!    (`workspace/configuration`, `client/registerCapability`) are made from spawned tasks, so
//!    a slow or silent client cannot stall the message loop.
//!
//! One file per concern: `documents` (sync), `diagnostics` (debounced publishing),
//! `settings` (configuration layering and reloading), `hover`, `symbols`, `actions`,
//! `completion`, `commands`, and `convert` (core ↔ LSP types; position arithmetic itself is
//! in [`crate::position`]). Handlers only move data: take params, update or snapshot state,
//! call the core, convert, reply.

mod actions;
mod commands;
mod completion;
mod convert;
mod diagnostics;
mod documents;
mod faults;
mod hover;
mod memory;
mod settings;
mod state;
mod symbols;
mod transport;

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};
use tracing::{debug, error, info};

use crate::position::Encoding;
use state::{Analysed, Snapshot, State};

/// The command that exports a document's figures as the JSON of SPEC §6.
pub const EXPORT_FIGURES: &str = "briefing-ls.exportFigures";

/// A request for the server's view of one document (`{"version", "language", "text",
/// "settings"}`): for tests, and for finding out which settings apply and why.
pub const DEBUG_DOCUMENT: &str = "briefing-ls/debugDocument";

/// The runtime the server runs on: two worker threads, each handing its cached freed
/// blocks back to the allocator when it runs out of work and parks, if it freed enough
/// since it last did (see `memory::release_thread_cache_when_used`). The workers read and
/// apply every edit, keep the documents' ropes and write the diagnostics; with their
/// caches kept while idle, 1 MB of generated text held 0.4 bytes per byte more after
/// opening and after 300 edits, and a closed document's leftovers were larger (README,
/// Benchmarks).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_park(memory::release_thread_cache_when_used)
        .enable_all()
        .build()
}

/// Serve LSP on `input`/`output` until the client sends `exit` or closes the input.
/// Returns whether `shutdown` was requested first (the process exit code depends on it).
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let shut_down = Arc::new(AtomicBool::new(false));
    let flag = shut_down.clone();
    let (raw_tx, raw_rx) = futures::channel::mpsc::unbounded();
    let (service, socket) = LspService::build(move |client| Backend::new(client, flag, raw_tx))
        .custom_method(DEBUG_DOCUMENT, Backend::debug_document)
        .finish();
    // Handlers that wait for an analysis hold a slot; more slots keep edits flowing meanwhile
    // (order is unaffected: handlers still start in arrival order). Our own message loop
    // rather than `tower_lsp_server::Server`, which stops at the first undecodable message
    // and does not survive a panicking handler (see `transport`).
    let inner = service.inner().0.clone();
    transport::serve(input, output, service, socket, raw_rx, 16).await;
    // Tasks still holding the state may outlive this; its analysis thread must not.
    inner.worker.stop();
    shut_down.load(Ordering::SeqCst)
}

/// The server's shared core: the client handle and the state.
pub(crate) struct Inner {
    pub client: Client,
    state: Mutex<State>,
    /// Serialises "is this still current? publish" so that a late diagnostics task can never
    /// publish after a newer one or after the document was closed.
    pub publish: tokio::sync::Mutex<()>,
    shut_down: Arc<AtomicBool>,
    pub worker: Worker,
    /// Notifications serialised here, written by the transport as they are: diagnostics,
    /// thousands at a time on a big document, skip the generic JSON tree of [`Client`].
    raw: futures::channel::mpsc::UnboundedSender<transport::Raw>,
}

impl Inner {
    /// Send `textDocument/publishDiagnostics`, serialised straight from the typed values.
    /// Every publication goes this way, so they reach the client in the order sent.
    pub fn publish_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) {
        #[derive(serde::Serialize)]
        struct Notification {
            jsonrpc: &'static str,
            method: &'static str,
            params: PublishDiagnosticsParams,
        }
        let n = Notification {
            jsonrpc: "2.0",
            method: "textDocument/publishDiagnostics",
            params: PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        };
        match serde_json::to_vec(&n) {
            Ok(body) => self.publish_raw(transport::Raw::Whole(body)),
            Err(e) => error!("cannot serialise diagnostics: {e}"),
        }
    }

    /// Send a notification serialised here (whole, or written in pieces as it is sent: see
    /// [`convert::PublishBody`]), in order with every other publication.
    pub fn publish_raw(&self, body: transport::Raw) {
        // Fails only when the transport has stopped: nobody to tell any more.
        let _ = self.raw.unbounded_send(body);
    }

    /// The state, for a short synchronous section. A panic elsewhere never poisons it for
    /// good: the data is plain and every section leaves it consistent.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.lock().snapshot(uri)
    }

    /// The analysis of a snapshot's generation: computed once, on the analysis thread, and
    /// shared by every handler that asks for it.
    pub async fn analysed(&self, snap: &Snapshot) -> Arc<Analysed> {
        match self.analyse(snap, || true).await {
            Some(a) => a,
            None => Arc::new(Analysed::default()),
        }
    }

    /// Like [`Inner::analysed`], but gives up (`None`) without analysing when `wanted` says,
    /// just before the work starts, that nobody needs it any more (a newer edit arrived).
    pub async fn analyse(
        &self,
        snap: &Snapshot,
        wanted: impl FnOnce() -> bool + Send + 'static,
    ) -> Option<Arc<Analysed>> {
        let (rope, language, config) = (snap.rope.clone(), snap.language, snap.config.clone());
        let (chunks, generation) = (snap.chunks.clone(), snap.generation);
        let result = snap
            .cell
            .get_or_try_init(|| async move {
                let job = self.worker.run(move || {
                    if !wanted() {
                        return None;
                    }
                    let t0 = std::time::Instant::now();
                    // A poisoned lock means an earlier analysis panicked mid-update: start
                    // from an empty cache rather than trust it.
                    let mut cache = chunks.lock().unwrap_or_else(|e| {
                        let mut g = e.into_inner();
                        *g = state::Cached::default();
                        g
                    });
                    // A document's first analysis makes what it keeps among what it frees:
                    // its freed pages go back at once (see the type), until its diagnostics
                    // are written.
                    let eager = cache.last.is_none().then(memory::ReturnPagesAtOnce::start);
                    let text = cache.text_of(&rope, generation);
                    let t1 = std::time::Instant::now();
                    let (crate::Analysis { figures, findings }, tags) = {
                        let same = cache
                            .last
                            .as_ref()
                            .map(|last| state::unchanged(last, &rope))
                            .unwrap_or_default();
                        let analysis = cache
                            .incremental
                            .analyse_edited(&text, &config, language, same);
                        cache.last = Some(rope.clone());
                        (analysis, cache.incremental.tags().to_vec())
                    };
                    drop(cache);
                    debug!(
                        "analysed {} bytes: text {:?}, figures, checks and tags {:?} ({}, {}, {})",
                        text.len(),
                        t1 - t0,
                        t1.elapsed(),
                        figures.len(),
                        findings.len(),
                        tags.len()
                    );
                    let analysed =
                        Analysed::new(rope, text, crate::Analysis { figures, findings }, tags);
                    if let Some(eager) = eager {
                        analysed.keep_eager(eager);
                    }
                    Some(analysed)
                });
                match job.await {
                    Some(Some(a)) => Ok(Arc::new(a)),
                    Some(None) => Err(()),
                    None => {
                        error!(
                            "analysis failed (panic); answering as if the document had no figures"
                        );
                        Ok(Arc::new(Analysed::default()))
                    }
                }
            })
            .await;
        result.ok().cloned()
    }
}

/// The thread that analyses documents, one job at a time. One long-lived thread keeps the
/// allocator's memory in one arena (analyses on ever-changing pool threads left one
/// arena's worth of freed memory behind per thread), and keeps analysis off the threads
/// that read and answer messages.
///
/// When the server stops, [`Worker::stop`] ends the thread and waits for it (jobs still
/// queued are dropped unrun), so a stopped server leaves no thread behind: the fuzzer's leak
/// checker once found the thread still running after `serve` had returned.
pub(crate) struct Worker {
    jobs: std::sync::Mutex<Option<std::sync::mpsc::Sender<Job>>>,
    thread: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    stopping: Arc<AtomicBool>,
}

type Job = Box<dyn FnOnce() + Send>;

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Worker {
    fn start() -> Worker {
        let (jobs, rx) = std::sync::mpsc::channel::<Job>();
        let stopping = Arc::new(AtomicBool::new(false));
        let stop = stopping.clone();
        let spawned = std::thread::Builder::new()
            .name("briefing-ls-analysis".into())
            .spawn(move || {
                let mut next = rx.recv();
                while let Ok(job) = next {
                    if !stop.load(Ordering::SeqCst) {
                        // A panicking job drops its reply channel, which its caller sees as
                        // `None`. (Stopping: nobody waits for the answer any more.)
                        let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                    }
                    next = rx.try_recv().or_else(|_| {
                        // Nothing queued: the thread sits idle until the next edit, and
                        // what it freed should not stay in its own cache meanwhile.
                        memory::release_thread_cache();
                        rx.recv()
                    });
                }
            });
        let thread = match spawned {
            Ok(t) => Some(t),
            Err(e) => {
                error!("cannot start the analysis thread: {e}");
                None
            }
        };
        Worker {
            jobs: std::sync::Mutex::new(Some(jobs)),
            thread: std::sync::Mutex::new(thread),
            stopping,
        }
    }

    /// End the thread: queued jobs are dropped unrun, the running one finishes, and this
    /// waits for it (unless called on the thread itself). Later jobs get `None`.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        drop(self.jobs.lock().unwrap_or_else(|e| e.into_inner()).take());
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(t) = thread {
            if t.thread().id() != std::thread::current().id() {
                let _ = t.join();
            }
        }
    }

    /// Run `f` on the analysis thread; `None` if it panicked or the thread is gone.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        {
            // Sent under the lock, and no sender kept across the wait: a waiting caller
            // must not keep the channel open once `stop` has closed it (that hung `stop`;
            // found by fuzzing).
            let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
            jobs.as_ref()?
                .send(Box::new(move || {
                    let _ = tx.send(f());
                }))
                .ok()?;
        }
        rx.await.ok()
    }
}

/// Run `f`, turning a panic into a JSON-RPC internal error: one bad request must never take
/// the server down (SPEC §9).
pub(crate) fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|_| {
        error!("{what}: internal error (panic); the server carries on");
        Error::internal_error()
    })
}

/// The `LanguageServer` implementation: each method hands over to its module.
pub struct Backend(Arc<Inner>);

impl Backend {
    fn new(
        client: Client,
        shut_down: Arc<AtomicBool>,
        raw: futures::channel::mpsc::UnboundedSender<transport::Raw>,
    ) -> Backend {
        Backend(Arc::new(Inner {
            client,
            state: Mutex::new(State::default()),
            publish: tokio::sync::Mutex::new(()),
            shut_down,
            worker: Worker::start(),
            raw,
        }))
    }

    /// [`DEBUG_DOCUMENT`]: the server's copy of a document and the settings in force for it.
    async fn debug_document(
        &self,
        params: TextDocumentIdentifier,
    ) -> Result<Option<serde_json::Value>> {
        Ok(self.0.snapshot(&params.uri).map(|s| {
            serde_json::json!({
                "version": s.version,
                "language": format!("{:?}", s.language).to_lowercase(),
                "text": s.rope.to_string(),
                "settings": settings::config_json(&s.config),
            })
        }))
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8));
        let encoding = if offered {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.0.initialize(&params, encoding);
        info!("initialized with {encoding:?} positions");
        Ok(InitializeResult {
            capabilities: capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "briefing-ls".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.0.clone().after_initialized();
    }

    async fn shutdown(&self) -> Result<()> {
        self.0.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.0.clone().did_open(params).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.0.clone().did_change(params);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.0.clone().did_save(params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.0.did_close(params).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.0.clone().did_change_configuration(params);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.0.clone().did_change_watched_files(params);
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.0.hover(params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.0.document_symbol(params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.0.code_action(params).await
    }

    async fn code_action_resolve(&self, params: CodeAction) -> Result<CodeAction> {
        self.0.code_action_resolve(params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.0.completion(params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        self.0.execute_command(params).await
    }
}

/// What the server offers (SPEC §5).
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            _ => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR_REWRITE,
                CodeActionKind::SOURCE,
            ]),
            resolve_provider: Some(true),
            ..CodeActionOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["{".into(), " ".into(), "=".into()]),
            ..CompletionOptions::default()
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![EXPORT_FIGURES.into()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}
