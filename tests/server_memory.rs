//! A document's first analysis hands the pages it frees back to the system at once, until
//! its diagnostics are written; edits leave the allocator as configured (see
//! `server::memory::ReturnPagesAtOnce`). A test binary of its own, so that no other test's
//! server changes the allocator's settings meanwhile.

mod common;
use serde_json::{json, Value};
use std::sync::Arc;
use tikv_jemalloc_ctl::{Access, AsName};
use tokio::io::{AsyncWriteExt, BufReader};

/// How long the allocator's first arena keeps freed pages before handing them back.
fn decay() -> isize {
    Access::<isize>::read(b"arena.0.dirty_decay_ms\0".name()).expect("jemalloc control")
}

/// Wait (up to 20 s) until the arena's decay is `want`.
async fn decay_becomes(want: isize) -> bool {
    for _ in 0..2000 {
        if decay() == want {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    false
}

/// Read messages until a publication of `version`'s diagnostics: its diagnostics.
async fn publication(
    read: &mut (impl tokio::io::AsyncBufRead + Unpin),
    version: i64,
) -> Vec<Value> {
    loop {
        let msg = common::read_message(read).await.expect("a message");
        if msg["method"] == "textDocument/publishDiagnostics"
            && msg["params"]["version"].as_i64() == Some(version)
        {
            return msg["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_analysis_returns_pages_at_once_until_its_diagnostics_are_written() {
    let configured = decay();
    assert_ne!(
        configured, 0,
        "the build's allocator keeps freed pages a while"
    );

    // The pipe holds 64 KB: the first diagnostics, far more, wait for the client to read.
    let (client_io, server_io) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_io);
    let server = tokio::spawn(briefing_ls::server::serve(server_read, server_write));
    let (read, write) = tokio::io::split(client_io);
    let mut read = BufReader::new(read);
    let writer: common::Writer = Arc::new(tokio::sync::Mutex::new(Box::pin(write)));
    let send = |msg: Value| {
        let w = writer.clone();
        async move { common::write_message(&w, &msg).await }
    };
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"capabilities": {}, "initializationOptions": {"debounce": 0}}}))
    .await;
    while common::read_message(&mut read)
        .await
        .expect("initialize answered")["id"]
        != 1
    {}
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}})).await;

    // Every paragraph restates a count with another value: a diagnostic each.
    let text: String = (0..1500)
        .map(|i| {
            format!(
                "Police seized {i} rifles in Almaty. Police seized {} rifles in Almaty.\n\n",
                i + 7
            )
        })
        .collect();
    let uri = "file:///tmp/server-memory.md";
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}}),
    )
    .await;
    // Analysed, its diagnostics waiting to be read: freed pages go back at once.
    assert!(decay_becomes(0).await, "decay stayed {}", decay());
    let found = publication(&mut read, 1).await;
    assert!(found.len() >= 1000, "{} diagnostics", found.len());
    // Written: the allocator is as configured again.
    assert!(decay_becomes(configured).await, "decay stayed {}", decay());

    // An edit's analysis leaves it so.
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                      "end": {"line": 0, "character": 0}}, "text": "7"}]}}),
    )
    .await;
    let found = publication(&mut read, 2).await;
    assert!(found.len() >= 1000, "{} diagnostics", found.len());
    assert_eq!(decay(), configured);

    writer
        .lock()
        .await
        .shutdown()
        .await
        .expect("close the pipe");
    drop(writer);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
}
