//! The client used by the robustness tests: the built binary over stdio, raw bytes when
//! needed, every wait under a watchdog; and [`Model`], the client's copy of a document.

#![allow(dead_code)] // Each test file uses its own part of the harness.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::{mpsc, oneshot};

/// The watchdog for any one answer: generous, since debug builds analyse slowly.
pub const WAIT: Duration = Duration::from_secs(120);

pub type Pending = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;
/// The server's stdin, shared with the task that answers the server's requests; `None` once
/// the client has closed it.
pub type Writer = Arc<tokio::sync::Mutex<Option<ChildStdin>>>;

/// A client talking to the binary, able to send raw bytes.
pub struct Client {
    pub child: Child,
    writer: Writer,
    pending: Pending,
    /// Responses with an id the client is not waiting for (`null`: unattributable errors).
    stray: mpsc::UnboundedReceiver<Value>,
    notifications: mpsc::UnboundedReceiver<Value>,
    /// Notifications taken off the queue while looking for another, kept for later.
    seen: Vec<Value>,
    pub next_id: i64,
}

impl Client {
    pub fn start() -> Client {
        Client::start_with(&[])
    }

    pub fn start_with(env: &[(&str, &str)]) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefing-ls"));
        cmd.args(["--log-level", "error"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // The server's log (and the injected panics' messages) only when asked for.
            .stderr(if std::env::var_os("BRIEFING_LS_TEST_STDERR").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start briefing-ls");
        let writer: Writer = Arc::new(tokio::sync::Mutex::new(child.stdin.take()));
        let stdout = child.stdout.take().unwrap();
        let pending: Pending = Arc::default();
        let (stray_tx, stray) = mpsc::unbounded_channel();
        let (note_tx, notifications) = mpsc::unbounded_channel();
        let (p, w) = (pending.clone(), writer.clone());
        tokio::spawn(async move {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r).await {
                match (msg.get("method").is_some(), msg.get("id")) {
                    // The server's own requests: answered as an editor would.
                    (true, Some(id)) => {
                        let answer = json!({"jsonrpc": "2.0", "id": id, "result": null});
                        send_frame(&w, answer.to_string().as_bytes()).await;
                    }
                    (true, None) => {
                        let _ = note_tx.send(msg);
                    }
                    (false, Some(id)) => {
                        let sender = id.as_i64().and_then(|i| p.lock().unwrap().remove(&i));
                        match sender {
                            Some(s) => {
                                let _ = s.send(msg);
                            }
                            None => {
                                let _ = stray_tx.send(msg);
                            }
                        }
                    }
                    (false, None) => {}
                }
            }
        });
        Client {
            child,
            writer,
            pending,
            stray,
            notifications,
            seen: Vec::new(),
            next_id: 0,
        }
    }

    pub async fn raw(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().await;
        let w = w.as_mut().expect("stdin not closed");
        w.write_all(bytes).await.expect("server stdin open");
        w.flush().await.unwrap();
    }

    /// Close the server's stdin.
    pub async fn close_input(&self) {
        self.writer.lock().await.take();
    }

    pub async fn frame(&self, body: &[u8]) {
        send_frame(&self.writer, body).await;
    }

    pub async fn notify(&self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.frame(msg.to_string().as_bytes()).await;
    }

    /// A fresh request id, registered to receive its response.
    pub fn expect(&mut self) -> (i64, oneshot::Receiver<Value>) {
        self.next_id += 1;
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(self.next_id, tx);
        (self.next_id, rx)
    }

    /// Send a request and return the whole response (`result` or `error`).
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let (id, rx) = self.expect();
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.frame(msg.to_string().as_bytes()).await;
        answer(rx, method).await
    }

    /// Send a request and return its `result`, failing on an error.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.request_raw(method, params).await;
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    pub async fn initialize(&mut self) -> Value {
        let r = self
            .request(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": {},
                       "initializationOptions": {"debounce": 0}}),
            )
            .await;
        self.notify("initialized", json!({})).await;
        r
    }

    pub async fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
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

    /// The server's copy of a document (`null` when it holds none).
    pub async fn held(&mut self, uri: &str) -> Value {
        self.request("briefing-ls/debugDocument", json!({"uri": uri}))
            .await
    }

    /// Assert that the server holds exactly `text` for `uri`.
    pub async fn assert_holds(&mut self, uri: &str, text: &str) {
        let held = self.held(uri).await;
        let got = held["text"]
            .as_str()
            .unwrap_or_else(|| panic!("{uri} not held: {held}"));
        if got != text {
            let at = got
                .bytes()
                .zip(text.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(got.len().min(text.len()));
            panic!(
                "{uri}: server holds {} bytes, client {} bytes; first difference at {at}: {:?} vs {:?}",
                got.len(),
                text.len(),
                got.get(at.saturating_sub(20)..(at + 20).min(got.len())),
                text.get(at.saturating_sub(20)..(at + 20).min(text.len())),
            );
        }
    }

    /// A request that must succeed: the server is alive and answering.
    pub async fn assert_alive(&mut self) {
        let r = self
            .request_raw(
                "textDocument/hover",
                hover_params("file:///nowhere.md", 0, 0),
            )
            .await;
        assert_eq!(r["result"], Value::Null, "{r}");
    }

    /// The next response with an id the client did not register (an unattributable error).
    pub async fn next_stray(&mut self) -> Value {
        tokio::time::timeout(WAIT, self.stray.recv())
            .await
            .expect("an error response in time")
            .expect("connection open")
    }

    /// The next notification matching `pred` (earlier ones that do not match are kept).
    pub async fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let n = tokio::time::timeout_at(deadline, self.notifications.recv())
                .await
                .unwrap_or_else(|_| panic!("no {what} in time"))
                .expect("connection open");
            if pred(&n) {
                return n;
            }
            self.seen.push(n);
        }
    }

    /// The diagnostics published for `uri` at `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let n = self
            .wait_for(&format!("diagnostics for {uri} v{version}"), |n| {
                n["method"] == "textDocument/publishDiagnostics"
                    && n["params"]["uri"] == uri
                    && n["params"]["version"] == version
            })
            .await;
        n["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The next diagnostics published for `uri`, whatever their version: (version, list).
    pub async fn next_diagnostics(&mut self, uri: &str) -> (Value, Vec<Value>) {
        let n = self
            .wait_for(&format!("diagnostics for {uri}"), |n| {
                n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
            })
            .await;
        let list = n["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        (n["params"]["version"].clone(), list)
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("server running")
    }

    pub async fn shutdown_and_exit(mut self) {
        let r = self.request("shutdown", Value::Null).await;
        assert_eq!(r, Value::Null);
        self.notify("exit", Value::Null).await;
        let status = tokio::time::timeout(WAIT, self.child.wait())
            .await
            .expect("server exits after exit")
            .unwrap();
        assert_eq!(status.code(), Some(0), "clean exit after shutdown");
    }
}

pub async fn answer(rx: oneshot::Receiver<Value>, what: &str) -> Value {
    tokio::time::timeout(WAIT, rx)
        .await
        .unwrap_or_else(|_| panic!("no answer to {what} in time"))
        .unwrap_or_else(|_| panic!("connection closed before answering {what}"))
}

pub async fn send_frame(w: &Writer, body: &[u8]) {
    let mut w = w.lock().await;
    let Some(w) = w.as_mut() else {
        return;
    };
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    w.write_all(header.as_bytes())
        .await
        .expect("server stdin open");
    w.write_all(body).await.expect("server stdin open");
    w.flush().await.unwrap();
}

/// The LSP frame reader shared with the other server tests.
#[path = "../common/mod.rs"]
mod common;
pub use common::read_message;

pub fn hover_params(uri: &str, line: u64, character: u64) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

pub fn range(l0: u64, c0: u64, l1: u64, c1: u64) -> Value {
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

/// The client's copy of a document, edited with LSP's rules, written here from the
/// protocol's definition and sharing no code with the server: lines end at `\n`, `\r\n` or
/// `\r`; columns count UTF-16 code units; a line past the end is the end of the document; a
/// column past the end of a line is the line's end (before its break); a column inside a
/// surrogate pair is the start of that character. A range given end-first is put in order.
pub struct Model {
    pub text: String,
}

impl Model {
    pub fn new(text: &str) -> Model {
        Model {
            text: text.to_string(),
        }
    }

    /// Byte ranges of each line's content (without its break).
    pub fn lines(&self) -> Vec<(usize, usize)> {
        let b = self.text.as_bytes();
        let mut out = Vec::new();
        let (mut start, mut i) = (0, 0);
        while i < b.len() {
            match b[i] {
                b'\n' => {
                    out.push((start, i));
                    start = i + 1;
                }
                b'\r' => {
                    out.push((start, i));
                    if b.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        out.push((start, b.len()));
        out
    }

    pub fn offset(&self, line: u64, col: u64) -> usize {
        let lines = self.lines();
        let Some(&(start, end)) = lines.get(line as usize) else {
            return self.text.len();
        };
        let mut units = 0u64;
        for (i, ch) in self.text[start..end].char_indices() {
            if units + ch.len_utf16() as u64 > col {
                return start + i;
            }
            units += ch.len_utf16() as u64;
        }
        end
    }

    pub fn edit(&mut self, l0: u64, c0: u64, l1: u64, c1: u64, new: &str) {
        let (a, b) = (self.offset(l0, c0), self.offset(l1, c1));
        self.text.replace_range(a.min(b)..a.max(b), new);
    }
}

/// The pathological documents of issue 8, and a few more of the same kind.
pub fn pathological() -> Vec<(&'static str, String)> {
    let mut docs = vec![
        ("a million digits", "1".repeat(1_000_000)),
        ("a million digits with separators", "1,234".repeat(200_000)),
        (
            "a million-digit decimal",
            format!("0.{} tons", "9".repeat(1_000_000)),
        ),
        (
            "a 100,000-item list",
            "- Police seized 148 weapons.\n".repeat(100_000),
        ),
        (
            "deeply nested block quotes",
            format!("{} Over 4,431 pieces were seized.\n", ">".repeat(50_000)),
        ),
        (
            "deeply nested lists",
            (0..2_000)
                .map(|i| format!("{}- {i} tons\n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "deeply nested emphasis and links",
            format!("{}5 tons{}", "*[_".repeat(30_000), "_](x)*".repeat(30_000)),
        ),
        (
            "a million brackets",
            "[".repeat(500_000) + &"]".repeat(500_000),
        ),
        ("unclosed tag braces", "[148 weapons]{.fig ".repeat(50_000)),
        (
            "unclosed html tags",
            "<data class=\"fig\" value=\"1\">".repeat(50_000),
        ),
        (
            "unclosed comments and code",
            "<!-- `` ```\n".repeat(100_000),
        ),
        (
            "endless number words",
            "one hundred and twenty-five thousand ".repeat(50_000),
        ),
        (
            "endless scale words",
            format!("5 {}", "billion ".repeat(200_000)),
        ),
        (
            "endless qualifiers",
            format!("{}5 tons", "more than about up to ".repeat(50_000)),
        ),
        ("a range chain", "10-".repeat(300_000) + "15 tons"),
        ("a million dots", ".".repeat(1_000_000)),
        ("one word per line", "5\nkg\n".repeat(250_000)),
        (
            "a sentence a megabyte long",
            "148 weapons, ".repeat(80_000) + "were seized.",
        ),
        (
            "a table of a hundred thousand rows",
            "| 5 tons | $1.2bn | 15% |\n|---|---|---|\n".to_string()
                + &"| 5 tons | $1.2bn | 15% |\n".repeat(100_000),
        ),
    ];
    docs.push((
        "mixed scripts and combining marks",
        "e\u{301}5\u{301} 😀 14 tons 漢字 ".repeat(50_000),
    ));
    docs
}
