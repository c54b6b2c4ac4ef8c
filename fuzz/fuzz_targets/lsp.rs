//! The language server's message handling: a session of LSP messages (opens, incremental
//! and full edits with any ranges and versions, closes, requests at any position, settings,
//! cancellations, broken message bodies) against a server in this process over an in-memory
//! pipe. Checks: no panic (a caught one shows up as an internal error and fails the run), no
//! hang, every request answered, and the server's copy of each document (`debugDocument`)
//! equals a model that applies the same edits with the protocol's clamping rules.

#![no_main]

use std::collections::HashMap;
use std::time::Duration;

use arbitrary::Arbitrary;
use briefing_ls::position::{Encoding, LineCol, LineIndex};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const URIS: [&str; 4] = [
    "file:///fuzz/a.md",
    "file:///fuzz/b.txt",
    "untitled:c",
    "file:///fuzz/d.qmd",
];
const LANGS: [&str; 4] = ["markdown", "plaintext", "markdown", "quarto"];

#[derive(Arbitrary, Debug)]
struct Session {
    utf8: bool,
    ops: Vec<Op>,
}

#[derive(Arbitrary, Debug)]
struct Pos {
    line: u8,
    col: u8,
}

#[derive(Arbitrary, Debug)]
struct Change {
    /// `None`: the whole text.
    range: Option<(Pos, Pos)>,
    text: String,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Open { doc: u8, text: String },
    Change { doc: u8, step: i8, changes: Vec<Change> },
    Close { doc: u8 },
    Hover { doc: u8, at: Pos },
    Symbols { doc: u8 },
    Actions { doc: u8, from: Pos, to: Pos },
    Completion { doc: u8, at: Pos },
    Export { doc: u8 },
    Debug { doc: u8 },
    Settings { json: String },
    Cancel { back: u8 },
    Raw { body: Vec<u8> },
}

fn pos(p: &Pos) -> Value {
    json!({"line": p.line, "character": p.col})
}

/// The model's reading of an LSP position: what `position::LineIndex` says on a `&str`.
fn offset(text: &str, p: &Pos, enc: Encoding) -> usize {
    LineIndex::new(text).to_offset(
        text,
        LineCol {
            line: p.line as u32,
            col: p.col as u32,
        },
        enc,
    )
}

struct Client {
    write: tokio::io::WriteHalf<tokio::io::DuplexStream>,
    next_id: i64,
}

impl Client {
    async fn send(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.write.write_all(header.as_bytes()).await.unwrap();
        self.write.write_all(body).await.unwrap();
        self.write.flush().await.unwrap();
    }
    async fn notify(&mut self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send(msg.to_string().as_bytes()).await;
    }
    async fn request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params});
        self.send(msg.to_string().as_bytes()).await;
        self.next_id
    }
}

async fn read_message<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R) -> Option<Value> {
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

async fn run(s: Session) {
    let enc = if s.utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
    let (client_io, server_io) = tokio::io::duplex(1 << 16);
    let (sr, sw) = tokio::io::split(server_io);
    let server = tokio::spawn(briefing_ls::server::serve(sr, sw));
    let (cr, cw) = tokio::io::split(client_io);
    let (resp_tx, mut resp_rx) = tokio::sync::mpsc::unbounded_channel::<Value>();
    // Reader: responses go to the test; the server's requests are answered with null.
    let (answer_tx, mut answer_rx) = tokio::sync::mpsc::unbounded_channel::<Value>();
    tokio::spawn(async move {
        let mut r = BufReader::new(cr);
        while let Some(msg) = read_message(&mut r).await {
            if msg.get("method").is_some() {
                if let Some(id) = msg.get("id") {
                    let _ = answer_tx.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
                }
            } else if msg.get("id").is_some() {
                let _ = resp_tx.send(msg);
            }
        }
    });
    let mut c = Client { write: cw, next_id: 0 };
    let general = if s.utf8 {
        json!({"positionEncodings": ["utf-8", "utf-16"]})
    } else {
        json!({})
    };
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "initializationOptions": {"debounce": 0},
               "capabilities": {"general": general}}),
    )
    .await;
    c.notify("initialized", json!({})).await;

    // The model: each document's text and version, as the server should hold them.
    let mut docs: [Option<(String, i32)>; 4] = Default::default();
    let mut expected: HashMap<i64, Option<(String, i32)>> = HashMap::new();
    let mut cancellable = Vec::new();
    for op in s.ops.iter().take(64) {
        while let Ok(a) = answer_rx.try_recv() {
            c.send(a.to_string().as_bytes()).await;
        }
        match op {
            Op::Open { doc, text } => {
                let d = *doc as usize % 4;
                c.notify(
                    "textDocument/didOpen",
                    json!({"textDocument": {"uri": URIS[d], "languageId": LANGS[d], "version": 1, "text": text}}),
                )
                .await;
                docs[d] = Some((text.clone(), 1));
            }
            Op::Change { doc, step, changes } => {
                let d = *doc as usize % 4;
                let base = docs[d].as_ref().map_or(0, |m| m.1);
                let version = base.saturating_add(*step as i32);
                let events: Vec<Value> = changes
                    .iter()
                    .take(8)
                    .map(|ch| match &ch.range {
                        Some((a, b)) => json!({"range": {"start": pos(a), "end": pos(b)}, "text": ch.text}),
                        None => json!({"text": ch.text}),
                    })
                    .collect();
                c.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": URIS[d], "version": version}, "contentChanges": events}),
                )
                .await;
                if let Some((text, v)) = docs[d].as_mut() {
                    if version > *v {
                        for ch in changes.iter().take(8) {
                            match &ch.range {
                                Some((a, b)) => {
                                    let (x, y) = (offset(text, a, enc), offset(text, b, enc));
                                    text.replace_range(x.min(y)..x.max(y), &ch.text);
                                }
                                None => *text = ch.text.clone(),
                            }
                        }
                        *v = version;
                    }
                }
            }
            Op::Close { doc } => {
                let d = *doc as usize % 4;
                c.notify("textDocument/didClose", json!({"textDocument": {"uri": URIS[d]}}))
                    .await;
                docs[d] = None;
            }
            Op::Hover { doc, at } => {
                let id = c
                    .request(
                        "textDocument/hover",
                        json!({"textDocument": {"uri": URIS[*doc as usize % 4]}, "position": pos(at)}),
                    )
                    .await;
                cancellable.push(id);
            }
            Op::Symbols { doc } => {
                c.request(
                    "textDocument/documentSymbol",
                    json!({"textDocument": {"uri": URIS[*doc as usize % 4]}}),
                )
                .await;
            }
            Op::Actions { doc, from, to } => {
                c.request(
                    "textDocument/codeAction",
                    json!({"textDocument": {"uri": URIS[*doc as usize % 4]},
                           "range": {"start": pos(from), "end": pos(to)},
                           "context": {"diagnostics": []}}),
                )
                .await;
            }
            Op::Completion { doc, at } => {
                c.request(
                    "textDocument/completion",
                    json!({"textDocument": {"uri": URIS[*doc as usize % 4]}, "position": pos(at)}),
                )
                .await;
            }
            Op::Export { doc } => {
                c.request(
                    "workspace/executeCommand",
                    json!({"command": "briefing-ls.exportFigures", "arguments": [URIS[*doc as usize % 4]]}),
                )
                .await;
            }
            Op::Debug { doc } => {
                let d = *doc as usize % 4;
                let id = c
                    .request("briefing-ls/debugDocument", json!({"uri": URIS[d]}))
                    .await;
                expected.insert(id, docs[d].clone());
            }
            Op::Settings { json } => {
                if let Ok(v) = serde_json::from_str::<Value>(json) {
                    c.notify(
                        "workspace/didChangeConfiguration",
                        json!({"settings": {"briefing-ls": v}}),
                    )
                    .await;
                }
            }
            Op::Cancel { back } => {
                if let Some(id) = cancellable.get(cancellable.len().saturating_sub(1 + *back as usize)) {
                    c.notify("$/cancelRequest", json!({"id": id})).await;
                }
            }
            Op::Raw { body } => {
                // Broken or odd bodies, kept from passing for messages the model would have to
                // follow (state changes, exit) or from reusing the client's ids.
                let bad = ["did", "exit", "shutdown", "initialize", "\"id\"", "cancel"];
                let lossy = String::from_utf8_lossy(body).to_ascii_lowercase();
                if !bad.iter().any(|b| lossy.contains(b)) {
                    c.send(body).await;
                }
            }
        }
    }
    for (d, model) in docs.iter().enumerate() {
        let id = c
            .request("briefing-ls/debugDocument", json!({"uri": URIS[d]}))
            .await;
        expected.insert(id, model.clone());
    }
    let last = c.request("shutdown", Value::Null).await;

    // Every request is answered, never with an internal error.
    let mut answered = 0;
    while answered < last {
        tokio::select! {
            Some(a) = answer_rx.recv() => c.send(a.to_string().as_bytes()).await,
            Some(r) = resp_rx.recv() => {
                let Some(id) = r["id"].as_i64() else { continue };
                answered += 1;
                if let Some(code) = r["error"]["code"].as_i64() {
                    assert!(code != -32603, "internal error: {r}");
                    // Cancelled requests have no result to compare.
                    continue;
                }
                if let Some(model) = expected.get(&id) {
                    let got = &r["result"];
                    match model {
                        None => assert!(got.is_null(), "closed document still held: {got}"),
                        Some((text, version)) => {
                            assert_eq!(got["text"].as_str(), Some(text.as_str()), "document text");
                            assert_eq!(got["version"].as_i64(), Some(*version as i64), "version");
                        }
                    }
                }
            }
        }
    }
    c.notify("exit", Value::Null).await;
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("server exits after exit")
        .expect("server task");
}

fuzz_target!(|s: Session| {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(30), run(s))
            .await
            .expect("session finished in time");
    });
});
