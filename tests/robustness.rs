//! Protocol robustness (SPEC §9, issue 8): the built `briefing-ls` binary over real stdio
//! pipes, fed what a buggy or hostile client might send. After each case the server must
//! still answer correctly, and the text it holds for each document (`briefing-ls/
//! debugDocument`) must equal the client's, computed here by an independent model of LSP
//! positions ([`Model`]).
//!
//! Cases: malformed frames and JSON, wrong `Content-Length` (short and long), invalid
//! UTF-8, unknown methods, requests before `initialize`, positions and ranges out of
//! bounds, `didChange` for a document never opened, versions going backwards, overlapping
//! incremental changes, a 10 MB single-line document, 200 documents open at once, a flood
//! of 10,000 edits, and a panic injected into a handler (test builds only: see
//! `src/server/faults.rs`).
//!
//! Every wait has a timeout ([`WAIT`]); none of them asserts speed, only that the server
//! does not hang.

mod robustness_support;

use robustness_support::*;
use serde_json::{json, Value};

#[test]
fn the_model_follows_the_protocol() {
    let mut m = Model::new("a😀b\r\nxy\rz");
    assert_eq!(
        m.offset(0, 2),
        1,
        "inside the surrogate pair: start of the emoji"
    );
    assert_eq!(m.offset(0, 3), 5);
    assert_eq!(m.offset(0, 99), 6, "past the line's end: before its CRLF");
    assert_eq!(m.offset(2, 0), 11);
    assert_eq!(m.offset(9, 0), 12, "past the last line: the end");
    m.edit(1, 1, 0, 4, "-");
    assert_eq!(m.text, "a😀b-y\rz");
}

// ---------------------------------------------------------------------------------------
// The cases.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_frames_and_json_get_errors_and_the_server_carries_on() {
    let mut c = Client::start();
    c.initialize().await;
    let uri = "file:///robust/frames.md";
    let text = "Police seized 148 weapons and 800kg of drugs.\n";
    c.open(uri, text).await;

    // A body that is not JSON: a parse error with no id.
    c.frame(b"{not json").await;
    let e = c.next_stray().await;
    assert_eq!(e["error"]["code"], -32700, "{e}");
    assert_eq!(e["id"], Value::Null);
    c.assert_alive().await;

    // JSON that is not a message: invalid request, with the id when there is one.
    for (body, id) in [
        (json!([1, 2, 3]), Value::Null),
        (json!("just a string"), Value::Null),
        (
            json!({"jsonrpc": "2.0", "id": 9001, "method": 42}),
            json!(9001),
        ),
        (
            json!({"id": 9002, "method": "textDocument/hover"}),
            json!(9002),
        ),
        (
            json!({"jsonrpc": "1.0", "id": 9003, "method": "shutdown"}),
            json!(9003),
        ),
        (json!({"jsonrpc": "2.0", "id": 9004}), json!(9004)),
    ] {
        c.frame(body.to_string().as_bytes()).await;
        let e = c.next_stray().await;
        assert_eq!(e["error"]["code"], -32600, "{body} → {e}");
        assert_eq!(e["id"], id, "{body} → {e}");
    }
    c.assert_alive().await;

    // Broken headers: junk with no header, no Content-Length, a length that is not a number,
    // a length far beyond what the server accepts, and an odd Content-Type.
    c.raw(b"this is not a header at all\r\n\r\n").await;
    c.raw(b"Content-Type: application/json\r\n\r\n").await;
    c.raw(b"Content-Length: twelve\r\n\r\n").await;
    let e = c.next_stray().await;
    assert_eq!(e["error"]["code"], -32700, "{e}");
    c.raw(b"Content-Length: 999999999999\r\n\r\n").await;
    let e = c.next_stray().await;
    assert_eq!(e["error"]["code"], -32700, "{e}");
    let (id, rx) = c.expect();
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "briefing-ls/debugDocument",
                      "params": {"uri": uri}})
    .to_string();
    c.raw(
        format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .await;
    let r = answer(rx, "lower-case header").await;
    assert_eq!(r["result"]["text"], text, "{r}");

    // Bytes split across writes, a frame at a time and a byte at a time.
    let (id, rx) = c.expect();
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "briefing-ls/debugDocument", "params": {"uri": uri}}).to_string();
    let bytes = format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes();
    for b in bytes {
        c.raw(&[b]).await;
    }
    assert_eq!(answer(rx, "byte by byte").await["result"]["text"], text);

    // An empty body between two messages (found by fuzzing `lsp`: the message after it was
    // lost) is skipped.
    c.raw(b"Content-Length: 0\r\n\r\n").await;
    c.open("file:///robust/after-empty.md", "\0\0\0\u{8}").await;
    c.assert_holds("file:///robust/after-empty.md", "\0\0\0\u{8}")
        .await;

    c.assert_holds(uri, text).await;
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_content_lengths_are_survived_and_the_message_kept() {
    let mut c = Client::start();
    c.initialize().await;
    let uri = "file:///robust/length.md";
    let mut m = Model::new("Exports rose to 707 billion tenge.\n");
    c.open(uri, &m.text).await;

    // Too short: a client that counts characters instead of bytes. The body runs on to the
    // next header, and the edit is applied.
    let insert = "Über 4,431 Stück — 😀 ";
    m.edit(0, 0, 0, 0, insert);
    let body = json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"range": range(0, 0, 0, 0), "text": insert}]}})
    .to_string();
    assert!(body.chars().count() < body.len());
    c.raw(format!("Content-Length: {}\r\n\r\n{body}", body.chars().count()).as_bytes())
        .await;
    c.assert_holds(uri, &m.text).await;

    // Too short on a request that is the last thing sent: after a pause the server takes
    // what came and answers it.
    let (id, rx) = c.expect();
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "briefing-ls/debugDocument",
        "params": {"uri": uri}, "note": "naïve café"})
    .to_string();
    c.raw(format!("Content-Length: {}\r\n\r\n{body}", body.chars().count()).as_bytes())
        .await;
    assert_eq!(
        answer(rx, "understated request").await["result"]["text"],
        m.text
    );

    // Too long, followed by another message: the first ends where the next header starts.
    let insert2 = "Up to 7 thousand. ";
    m.edit(0, 0, 0, 0, insert2);
    let body = json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": uri, "version": 3},
                   "contentChanges": [{"range": range(0, 0, 0, 0), "text": insert2}]}})
    .to_string();
    c.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 30).as_bytes())
        .await;
    c.assert_holds(uri, &m.text).await;

    // Too long, and nothing follows: after a pause the server takes the whole value.
    let (id, rx) = c.expect();
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "briefing-ls/debugDocument",
        "params": {"uri": uri}})
    .to_string();
    c.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 100).as_bytes())
        .await;
    assert_eq!(
        answer(rx, "overstated request").await["result"]["text"],
        m.text
    );

    // Truly truncated (the rest never comes): a parse error under the request's id.
    let (id, rx) = c.expect();
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
        "params": hover_params(uri, 0, 3)})
    .to_string();
    let cut = &body[..body.len() - 10];
    c.raw(format!("Content-Length: {}\r\n\r\n{cut}", body.len()).as_bytes())
        .await;
    // The server cannot know the rest will never come until the next message shows up.
    c.assert_alive().await;
    let r = answer(rx, "truncated request").await;
    assert_eq!(r["error"]["code"], -32700, "{r}");

    c.assert_holds(uri, &m.text).await;
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_is_refused_without_touching_the_document() {
    let mut c = Client::start();
    c.initialize().await;
    let uri = "file:///robust/utf8.md";
    let mut m = Model::new("Seized 14 tons.\n");
    c.open(uri, &m.text).await;
    // A change whose text is not UTF-8 cannot be what the editor holds: it is refused whole.
    let mut body =
        br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":""#
            .to_vec();
    body.extend(uri.as_bytes());
    body.extend(br#"","version":2},"contentChanges":[{"text":"bad "#);
    body.extend([0xC3, 0x28, 0xFF, 0xFE]);
    body.extend(br#" bytes"}]}}"#);
    c.frame(&body).await;
    let e = c.next_stray().await;
    assert_eq!(e["error"]["code"], -32700, "{e}");
    c.assert_holds(uri, &m.text).await;
    // A request with invalid UTF-8 gets its error under its own id.
    let (id, rx) = c.expect();
    let mut body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/hover","params":{{"textDocument":{{"uri":"file:///x"#).into_bytes();
    body.extend([0xFF]);
    body.extend(br#""},"position":{"line":0,"character":0}}}"#);
    c.frame(&body).await;
    let r = answer(rx, "hover with invalid UTF-8").await;
    assert_eq!(r["error"]["code"], -32700, "{r}");
    // Later edits apply as usual.
    m.edit(0, 7, 0, 9, "15");
    c.change(uri, 3, json!([{"range": range(0, 7, 0, 9), "text": "15"}]))
        .await;
    c.assert_holds(uri, &m.text).await;
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_methods_are_answered_or_ignored() {
    let mut c = Client::start();
    c.initialize().await;
    let r = c.request_raw("briefing-ls/noSuchRequest", json!({})).await;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = c.request_raw("textDocument/noSuchThing", json!({})).await;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // `$/` requests must be answered too (LSP: MethodNotFound), never left hanging.
    let r = c.request_raw("$/noSuchRequest", json!({})).await;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // Unknown notifications, and `$/` ones, are ignored.
    c.notify("workspace/noSuchNotification", json!({"x": 1}))
        .await;
    c.notify("$/setTrace", json!({"value": "verbose"})).await;
    c.notify("$/progress", json!({"token": 1, "value": {}}))
        .await;
    // A notification method called as a request is an invalid request.
    let r = c
        .request_raw(
            "textDocument/didClose",
            json!({"textDocument": {"uri": "file:///x.md"}}),
        )
        .await;
    assert!(r["error"]["code"].is_i64(), "{r}");
    // Cancelling what does not exist is fine.
    c.notify("$/cancelRequest", json!({"id": 12345})).await;
    c.assert_alive().await;
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_before_initialize_are_refused_and_initialize_still_works() {
    let mut c = Client::start();
    let uri = "file:///robust/early.md";
    for method in [
        "textDocument/hover",
        "shutdown",
        "briefing-ls/debugDocument",
    ] {
        let r = c.request_raw(method, hover_params(uri, 0, 0)).await;
        assert_eq!(r["error"]["code"], -32002, "{method}: {r}");
    }
    // Notifications before `initialize` are dropped (LSP says so).
    c.open(uri, "dropped").await;
    let init = c.initialize().await;
    assert_eq!(init["serverInfo"]["name"], "briefing-ls");
    assert_eq!(c.held(uri).await, Value::Null);
    // A second `initialize` is an error, not a reset.
    let r = c
        .request_raw("initialize", json!({"capabilities": {}}))
        .await;
    assert!(r["error"]["code"].is_i64(), "{r}");
    c.open(uri, "Seized 5 tons.").await;
    c.assert_holds(uri, "Seized 5 tons.").await;
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_and_ranges_out_of_bounds_are_clamped() {
    let mut c = Client::start();
    c.initialize().await;
    let uri = "file:///robust/bounds.md";
    let mut m = Model::new("a😀b 14 tons\r\n漢字 over 4,431 pieces\rlast");
    c.open(uri, &m.text).await;
    let big = u32::MAX as u64;
    // Requests at absurd positions answer (null or a result), never an error.
    for (l, ch) in [(0, big), (big, 0), (big, big), (1, 1000), (0, 2), (2, 4)] {
        let r = c
            .request_raw("textDocument/hover", hover_params(uri, l, ch))
            .await;
        assert!(r.get("error").is_none(), "hover {l}:{ch}: {r}");
        let r = c
            .request_raw("textDocument/completion", hover_params(uri, l, ch))
            .await;
        assert!(r.get("error").is_none(), "completion {l}:{ch}: {r}");
        let r = c
            .request_raw(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": range(l, ch, 0, 0),
                       "context": {"diagnostics": []}}),
            )
            .await;
        assert!(r.get("error").is_none(), "codeAction {l}:{ch}: {r}");
    }
    // Positions that are not positions at all are invalid params.
    let r = c
        .request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": -1}}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = c
        .request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 1e20, "character": "x"}}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");

    // Edits at out-of-range positions clamp the way the model does.
    let edits: [(u64, u64, u64, u64, &str); 8] = [
        (0, 2, 0, 2, "^"),       // inside the surrogate pair
        (0, 999, 0, 999, "!"),   // past the line's end
        (99, 0, 99, 5, "."),     // past the last line
        (1, 3, 0, 1, "-"),       // end before start
        (0, big, 1, big, "~"),   // across a CRLF, both clamped
        (2, 0, big, big, "end"), // to the end
        (big, big, 0, 0, ""),    // delete everything
        (0, 0, 0, 0, "new\r\ntext\r"),
    ];
    for (i, (l0, c0, l1, c1, t)) in edits.into_iter().enumerate() {
        m.edit(l0, c0, l1, c1, t);
        c.change(
            uri,
            2 + i as i32,
            json!([{"range": range(l0, c0, l1, c1), "text": t}]),
        )
        .await;
        c.assert_holds(uri, &m.text).await;
    }
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_to_documents_never_opened_are_ignored() {
    let mut c = Client::start();
    c.initialize().await;
    let uri = "file:///robust/never-opened.md";
    c.change(uri, 2, json!([{"range": range(0, 0, 0, 0), "text": "x"}]))
        .await;
    c.change(uri, 3, json!([{"text": "whole"}])).await;
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    assert_eq!(c.held(uri).await, Value::Null);
    let r = c
        .request_raw(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(r["result"], Value::Null, "{r}");
    // Opening it afterwards starts from the opened text.
    c.open(uri, "Seized 5 tons.").await;
    c.assert_holds(uri, "Seized 5 tons.").await;
    // After a close, the same: changes are ignored, the document is gone.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    c.change(uri, 9, json!([{"text": "after close"}])).await;
    assert_eq!(c.held(uri).await, Value::Null);
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_going_backwards_are_replays_and_are_ignored() {
    let mut c = Client::start();
    c.initialize().await;
    let uri = "file:///robust/versions.md";
    let mut m = Model::new("Seized 14 tons.\n");
    c.open(uri, &m.text).await;
    // Version 5, then replays of older changes (a client resending what it sent): the server
    // keeps its text, which is the client's; the version does not go back.
    m.edit(0, 7, 0, 9, "15");
    c.change(uri, 5, json!([{"range": range(0, 7, 0, 9), "text": "15"}]))
        .await;
    c.change(uri, 5, json!([{"range": range(0, 7, 0, 9), "text": "15"}]))
        .await;
    c.change(uri, 3, json!([{"range": range(0, 7, 0, 9), "text": "15"}]))
        .await;
    c.change(uri, -7, json!([{"text": "stale"}])).await;
    c.change(uri, i32::MIN, json!([{"text": "stale"}])).await;
    let held = c.held(uri).await;
    assert_eq!(held["text"], m.text.as_str());
    assert_eq!(held["version"], 5);
    // The next newer version applies.
    m.edit(0, 0, 0, 0, "Police ");
    c.change(
        uri,
        6,
        json!([{"range": range(0, 0, 0, 0), "text": "Police "}]),
    )
    .await;
    c.assert_holds(uri, &m.text).await;
    // Version i32::MAX applies, and nothing after it can be newer.
    m.edit(0, 0, 0, 0, "> ");
    c.change(
        uri,
        i32::MAX,
        json!([{"range": range(0, 0, 0, 0), "text": "> "}]),
    )
    .await;
    c.assert_holds(uri, &m.text).await;
    // Reopening resets the version (a new document).
    c.open(uri, "fresh").await;
    c.change(uri, 2, json!([{"range": range(0, 5, 0, 5), "text": "!"}]))
        .await;
    c.assert_holds(uri, "fresh!").await;
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_incremental_changes_apply_in_sequence() {
    let mut c = Client::start();
    c.initialize().await;
    let uri = "file:///robust/overlap.md";
    let mut m = Model::new("Seized 14 tons and 148 weapons.\nSecond line 😀 here.\n");
    c.open(uri, &m.text).await;
    // One didChange with several changes over the same and overlapping ranges: each applies
    // to the text left by the one before.
    let changes = [
        (0, 7, 0, 14, "15 tonnes"),
        (0, 7, 0, 16, "16 t"),
        (0, 0, 1, 6, ""),
        (0, 0, 0, 3, "Line"),
        (0, 0, 0, 0, "A\r\nB\rC\n"),
        (1, 0, 3, 2, "joined"),
        (0, 1, 0, 1, "😀"),
        (0, 2, 0, 3, "x"), // inside the emoji just inserted
    ];
    let events: Vec<Value> = changes
        .iter()
        .map(|&(l0, c0, l1, c1, t)| json!({"range": range(l0, c0, l1, c1), "text": t}))
        .collect();
    for (l0, c0, l1, c1, t) in changes {
        m.edit(l0, c0, l1, c1, t);
    }
    c.change(uri, 2, Value::Array(events)).await;
    c.assert_holds(uri, &m.text).await;
    // A full replacement in the middle of incremental ones.
    m = Model::new("whole new text\n");
    m.edit(0, 0, 0, 5, "brand");
    c.change(
        uri,
        3,
        json!([{"range": range(0, 0, 0, 1), "text": "zzz"}, {"text": "whole new text\n"},
               {"range": range(0, 0, 0, 5), "text": "brand"}]),
    )
    .await;
    c.assert_holds(uri, &m.text).await;
    // An empty list of changes bumps the version and changes nothing.
    c.change(uri, 4, json!([])).await;
    let held = c.held(uri).await;
    assert_eq!(held["version"], 4);
    assert_eq!(held["text"], m.text.as_str());
    c.shutdown_and_exit().await;
}

/// Text with a figure every few words, as a briefing has.
fn briefing_text(target: usize) -> String {
    let unit = "Police seized 148 weapons, over 4,431 pieces of ammunition and 800kg of drugs; ";
    unit.repeat(target / unit.len() + 1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_megabyte_single_line_document() {
    let mut c = Client::start();
    c.initialize().await;
    let uri = "file:///robust/huge-line.md";
    let mut m = Model::new(&briefing_text(10 << 20));
    assert!(!m.text.contains('\n'));
    c.open(uri, &m.text).await;
    c.diagnostics(uri, 1).await;
    // Edits at the start, the middle (a column in the millions) and the end.
    let mid = (m.text.len() / 2) as u64;
    let end = m.text.len() as u64;
    let edits = [
        (0, 0, 0, 6, "Officers"),
        (0, mid, 0, mid + 3, "999"),
        (0, end, 0, end, " End."),
    ];
    for (i, (l0, c0, l1, c1, t)) in edits.into_iter().enumerate() {
        m.edit(l0, c0, l1, c1, t);
        c.change(
            uri,
            2 + i as i32,
            json!([{"range": range(l0, c0, l1, c1), "text": t}]),
        )
        .await;
    }
    let r = c
        .request_raw("textDocument/hover", hover_params(uri, 0, mid + 1))
        .await;
    assert!(r.get("error").is_none(), "{r}");
    c.assert_holds(uri, &m.text).await;
    c.diagnostics(uri, 4).await;
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    c.assert_alive().await;
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_documents_open_at_once() {
    let mut c = Client::start();
    c.initialize().await;
    let mut models: Vec<(String, Model)> = (0..200)
        .map(|i| {
            (
                format!("file:///robust/many/doc-{i}.md"),
                Model::new(&format!(
                    "Document {i}: police seized {i} weapons and {} kg.\n",
                    i * 3
                )),
            )
        })
        .collect();
    for (uri, m) in &models {
        c.open(uri, &m.text).await;
    }
    for (i, (uri, m)) in models.iter_mut().enumerate() {
        let t = format!("Update {i}. ");
        m.edit(0, 0, 0, 0, &t);
        c.change(uri, 2, json!([{"range": range(0, 0, 0, 0), "text": t}]))
            .await;
    }
    for (uri, m) in &models {
        c.assert_holds(uri, &m.text).await;
    }
    // Close every other one: those are gone, the rest stay as they are.
    for (uri, _) in models.iter().step_by(2) {
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    }
    for (i, (uri, m)) in models.iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!(c.held(uri).await, Value::Null, "{uri}");
        } else {
            c.assert_holds(uri, &m.text).await;
        }
    }
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_ten_thousand_edits() {
    let mut c = Client::start();
    c.initialize().await;
    let uri = "file:///robust/flood.md";
    let mut m = Model::new("Seized 14 tons of drugs.\n");
    c.open(uri, &m.text).await;
    // Sent without waiting: typing, deleting and newlines all over the document.
    let mut seed = 7u64;
    let mut rnd = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n.max(1)
    };
    let mut version = 1;
    for i in 0..10_000u64 {
        let lines = m.lines().len() as u64;
        let l0 = rnd(lines + 1);
        let c0 = rnd(40);
        let (l1, c1) = if rnd(3) == 0 {
            (l0, c0 + rnd(5))
        } else {
            (l0, c0)
        };
        let t = ["7", " 14 tons", "\n", "", "😀", "x"][rnd(6) as usize];
        m.edit(l0, c0, l1, c1, t);
        version += 1;
        c.change(
            uri,
            version,
            json!([{"range": range(l0, c0, l1, c1), "text": t}]),
        )
        .await;
        if i % 1000 == 0 {
            // A request in the middle of the flood, answered without stalling it.
            let (id, _rx) = c.expect();
            let msg = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
                             "params": hover_params(uri, l0, c0)});
            c.frame(msg.to_string().as_bytes()).await;
        }
    }
    c.assert_holds(uri, &m.text).await;
    assert_eq!(c.held(uri).await["version"], version);
    // Diagnostics catch up with the last version.
    c.diagnostics(uri, version as i64).await;
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_answers_an_error_and_the_server_carries_on() {
    if !cfg!(debug_assertions) {
        // The injection hook exists only in debug builds (see src/server/faults.rs).
        return;
    }
    let mut c = Client::start_with(&[("BRIEFING_LS_TEST_PANIC", "inject-panic")]);
    c.initialize().await;
    let bad = "file:///robust/inject-panic.md";
    let good = "file:///robust/fine.md";
    let text = "Police seized 148 weapons.\n";
    c.open(bad, text).await;
    c.open(good, text).await;
    for round in 0..3 {
        let r = c
            .request_raw("textDocument/hover", hover_params(bad, 0, 15))
            .await;
        assert_eq!(r["error"]["code"], -32603, "round {round}: {r}");
        // Other requests, on this document and others, are served.
        let r = c
            .request("textDocument/hover", hover_params(good, 0, 15))
            .await;
        assert!(r.is_null() || r["contents"].is_object(), "{r}");
        let r = c
            .request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": bad}}),
            )
            .await;
        assert!(r.is_array() || r.is_null(), "{r}");
    }
    // Edits to both documents still apply, and diagnostics still come.
    let mut m = Model::new(text);
    m.edit(0, 14, 0, 17, "149");
    for uri in [bad, good] {
        c.change(
            uri,
            2,
            json!([{"range": range(0, 14, 0, 17), "text": "149"}]),
        )
        .await;
        c.assert_holds(uri, &m.text).await;
        c.diagnostics(uri, 2).await;
    }
    // Many panics at once, interleaved with good requests.
    let mut waits = Vec::new();
    for i in 0..50u64 {
        let uri = if i % 2 == 0 { bad } else { good };
        let (id, rx) = c.expect();
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
                         "params": hover_params(uri, 0, i % 20)});
        c.frame(msg.to_string().as_bytes()).await;
        waits.push((i, rx));
    }
    for (i, rx) in waits {
        let r = answer(rx, "hover").await;
        if i % 2 == 0 {
            assert_eq!(r["error"]["code"], -32603, "{r}");
        } else {
            assert!(r.get("error").is_none(), "{r}");
        }
    }
    c.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_input_closing_mid_message_ends_the_server() {
    let mut c = Client::start();
    c.initialize().await;
    c.raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",")
        .await;
    c.close_input().await;
    let status = tokio::time::timeout(WAIT, c.child.wait())
        .await
        .expect("server exits when its input closes")
        .unwrap();
    assert_eq!(status.code(), Some(1), "no shutdown was asked for");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_sent_without_waiting_for_initialize_are_not_lost() {
    // Found by fuzzing: tower-lsp-server never marks the server as initialising, so what was
    // read before `initialize` finished was refused or dropped as "not initialized".
    let mut c = Client::start();
    let (_, init) = c.expect();
    let msg = json!({"jsonrpc": "2.0", "id": c.next_id, "method": "initialize",
                     "params": {"capabilities": {}, "initializationOptions": {"debounce": 0}}});
    c.frame(msg.to_string().as_bytes()).await;
    c.notify("initialized", json!({})).await;
    let uri = "file:///robust/eager.md";
    c.open(uri, "Seized 5 tons.").await;
    let r = c
        .request_raw(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert!(r.get("error").is_none(), "{r}");
    assert!(answer(init, "initialize").await["result"]["capabilities"].is_object());
    c.assert_holds(uri, "Seized 5 tons.").await;
    c.shutdown_and_exit().await;
}
