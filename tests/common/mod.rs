//! The in-process and stdio JSON-RPC client shared by the language-server tests
//! (`tests/lsp.rs`, `tests/lsp_tags.rs`).
//!
//! The [`Lsp`] harness frames messages, routes responses by id, queues notifications, and
//! answers the server's own requests (`workspace/configuration` with the settings the test
//! sets, `client/registerCapability` with null) the way an editor would. Every wait has a
//! timeout, so a server that stops answering fails a test instead of hanging it.

// Each test crate includes this module and uses a different part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};

pub const WAIT: Duration = Duration::from_secs(20);

pub type Writer = Arc<tokio::sync::Mutex<Pin<Box<dyn AsyncWrite + Send>>>>;
pub type Pending = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;

/// A test client.
pub struct Lsp {
    pub writer: Writer,
    pub pending: Pending,
    pub notifications: mpsc::UnboundedReceiver<Value>,
    /// Requests the server sent us, in order (method and params).
    pub server_requests: Arc<Mutex<Vec<Value>>>,
    /// What we answer to `workspace/configuration` (one value per item).
    pub settings: Arc<Mutex<Value>>,
    pub next_id: i64,
    pub child: Option<tokio::process::Child>,
    /// Notifications taken off the queue while looking for another one, kept for later.
    pub seen: Vec<Value>,
    /// Whether `initialize` says the client answers `workspace/configuration`.
    pub pull_settings: bool,
    /// Whether `initialize` says the client resolves code actions' edits
    /// (`codeAction/resolve`, keeping their `data`).
    pub resolve_edits: bool,
}

impl Lsp {
    /// A server running in this process, over an in-memory duplex pipe.
    pub fn in_process() -> Lsp {
        let (client_io, server_io) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_io);
        tokio::spawn(async move {
            briefing_ls::server::serve(server_read, server_write).await;
        });
        let (read, write) = tokio::io::split(client_io);
        Lsp::start(read, Box::pin(write), None)
    }

    /// The built `briefing-ls` binary with `args`, over its stdin and stdout.
    pub fn binary(args: &[&str]) -> Lsp {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_briefing-ls"))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start briefing-ls");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        Lsp::start(stdout, Box::pin(stdin), Some(child))
    }

    pub fn start(
        read: impl AsyncRead + Unpin + Send + 'static,
        write: Pin<Box<dyn AsyncWrite + Send>>,
        child: Option<tokio::process::Child>,
    ) -> Lsp {
        let writer: Writer = Arc::new(tokio::sync::Mutex::new(write));
        let pending: Pending = Arc::default();
        let server_requests: Arc<Mutex<Vec<Value>>> = Arc::default();
        let settings = Arc::new(Mutex::new(Value::Null));
        let (tx, rx) = mpsc::unbounded_channel();
        let (w, p, r, s) = (
            writer.clone(),
            pending.clone(),
            server_requests.clone(),
            settings.clone(),
        );
        tokio::spawn(async move {
            let mut read = BufReader::new(read);
            while let Some(msg) = read_message(&mut read).await {
                let id = msg.get("id").cloned();
                match (msg.get("method").and_then(Value::as_str), id) {
                    (Some(method), Some(id)) => {
                        r.lock()
                            .unwrap()
                            .push(json!({"method": method, "params": msg["params"]}));
                        let result = match method {
                            "workspace/configuration" => {
                                let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
                                let v = s.lock().unwrap().clone();
                                Value::Array(vec![v; n])
                            }
                            _ => Value::Null,
                        };
                        write_message(&w, &json!({"jsonrpc": "2.0", "id": id, "result": result}))
                            .await;
                    }
                    (Some(_), None) => {
                        let _ = tx.send(msg);
                    }
                    (None, Some(id)) => {
                        if let Some(sender) = id.as_i64().and_then(|i| p.lock().unwrap().remove(&i))
                        {
                            let _ = sender.send(msg);
                        }
                    }
                    (None, None) => {}
                }
            }
        });
        Lsp {
            writer,
            pending,
            notifications: rx,
            server_requests,
            settings,
            next_id: 0,
            child,
            seen: Vec::new(),
            pull_settings: true,
            resolve_edits: false,
        }
    }

    /// Send a request and return the whole response (`result` or `error`).
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        write_message(
            &self.writer,
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        )
        .await;
        tokio::time::timeout(WAIT, rx)
            .await
            .unwrap_or_else(|_| panic!("no answer to {method} in time"))
            .expect("connection closed")
    }

    /// Send a request and return its `result`, failing the test on an error.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let resp = self.request_raw(method, params).await;
        assert!(resp.get("error").is_none(), "{method} failed: {resp}");
        resp["result"].clone()
    }

    pub async fn notify(&self, method: &str, params: Value) {
        write_message(
            &self.writer,
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        )
        .await;
    }

    /// `initialize` offering `encodings` (none: the LSP default), then `initialized`.
    pub async fn initialize(
        &mut self,
        encodings: &[&str],
        options: Value,
        root: Option<&PathBuf>,
    ) -> Value {
        let mut general = json!({});
        if !encodings.is_empty() {
            general = json!({"positionEncodings": encodings});
        }
        let mut text_document =
            json!({"publishDiagnostics": {"versionSupport": true, "relatedInformation": true}});
        if self.resolve_edits {
            text_document["codeAction"] =
                json!({"dataSupport": true, "resolveSupport": {"properties": ["edit"]}});
        }
        let folders = root
            .map(|r| json!([{"uri": file_uri(r), "name": "ws"}]))
            .unwrap_or(Value::Null);
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": null,
                    "workspaceFolders": folders,
                    "initializationOptions": options,
                    "capabilities": {
                        "general": general,
                        "workspace": {
                            "configuration": self.pull_settings,
                            "didChangeConfiguration": {"dynamicRegistration": true},
                            "didChangeWatchedFiles": {"dynamicRegistration": true},
                        },
                        "textDocument": text_document,
                    },
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn open(&self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        )
        .await;
    }

    pub async fn change(&self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }

    /// The next notification matching `pred` (earlier non-matching ones are kept).
    pub async fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.notifications.recv()).await {
                Ok(Some(n)) if pred(&n) => return n,
                Ok(Some(n)) => self.seen.push(n),
                Ok(None) => panic!("connection closed while waiting for {what}"),
                Err(_) => panic!("no {what} in time; seen: {:?}", self.seen),
            }
        }
    }

    /// The diagnostics published for `uri` at `version` (`None`: without a version).
    pub async fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let n = self
            .wait_for(&format!("diagnostics for {uri} v{version:?}"), |n| {
                n["method"] == "textDocument/publishDiagnostics"
                    && n["params"]["uri"] == uri
                    && n["params"]["version"].as_i64() == version
            })
            .await;
        n["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn debug(&mut self, uri: &str) -> Value {
        self.request("briefing-ls/debugDocument", json!({"uri": uri}))
            .await
    }

    pub async fn hover(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}))
            .await
    }

    pub async fn shutdown_and_exit(&mut self) {
        let r = self.request("shutdown", Value::Null).await;
        assert_eq!(r, Value::Null);
        self.notify("exit", Value::Null).await;
    }

    /// Wait for the binary to exit and return its exit code.
    pub async fn exit_code(&mut self) -> Option<i32> {
        let child = self.child.as_mut()?;
        let status = tokio::time::timeout(WAIT, child.wait())
            .await
            .expect("server did not exit")
            .ok()?;
        status.code()
    }
}

pub async fn read_message<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().ok();
            }
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).await.ok()?;
    Some(serde_json::from_slice(&buf).expect("the server writes JSON"))
}

pub async fn write_message(w: &Writer, msg: &Value) {
    let body = msg.to_string();
    let mut w = w.lock().await;
    let _ = w
        .write_all(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
        .await;
    let _ = w.flush().await;
}

pub fn file_uri(p: &std::path::Path) -> String {
    format!("file://{}", p.display())
}

/// A fresh empty folder under the system's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let d = std::env::temp_dir().join(format!(
        "briefing-ls-test-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Where `needle` starts in `text`, as a UTF-16 (or UTF-8) line/column — computed here,
/// independently of the server's `position` module.
pub fn pos_of(text: &str, needle: &str, utf8: bool) -> (u32, u32) {
    let at = text.find(needle).expect("needle");
    model_position(text, at, utf8)
}

pub fn model_position(text: &str, offset: usize, utf8: bool) -> (u32, u32) {
    let (mut line, mut col) = (0u32, 0u32);
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => {
                line += 1;
                col = 0;
            }
            c => col += if utf8 { c.len_utf8() } else { c.len_utf16() } as u32,
        }
    }
    (line, col)
}
