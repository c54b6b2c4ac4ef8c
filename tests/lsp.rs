//! Language-server tests, over JSON-RPC as an editor speaks it: in-process over
//! `tokio::io::duplex`, and end to end against the built binary over real stdio pipes, with
//! the client harness of `tests/common`.
//!
//! Some tests need the figure engine and the checks (being built in parallel). They are
//! marked `ENGINE:` and assert their figure-level expectations only once the engine
//! extracts figures ([`engine_ready`]) or the check exists ([`check_ready`]); until then they
//! still exercise the plumbing.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use common::{file_uri, model_position, pos_of, temp_dir, write_message, Lsp};

/// Whether the figure engine extracts figures yet (it is built in parallel).
fn engine_ready() -> bool {
    !briefing_ls::figures::extract(
        "Police seized 14 tons of drugs.",
        &briefing_ls::Config::default(),
    )
    .is_empty()
}

/// Whether the check `code` is in the registry yet.
fn check_ready(code: &str) -> bool {
    briefing_ls::checks::REGISTRY.iter().any(|c| c.code == code)
}

/// The plumbing every editor relies on, run over a given transport.
async fn basic_session(mut lsp: Lsp, utf8: bool) -> Lsp {
    let init = lsp
        .initialize(
            if utf8 { &["utf-8", "utf-16"] } else { &[] },
            json!({"debounce": 0}),
            None,
        )
        .await;
    let caps = &init["capabilities"];
    assert_eq!(
        caps["positionEncoding"],
        if utf8 { "utf-8" } else { "utf-16" }
    );
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(
        caps["executeCommandProvider"]["commands"],
        json!(["briefing-ls.exportFigures"])
    );
    assert_eq!(init["serverInfo"]["name"], "briefing-ls");

    let uri = "file:///tmp/briefing-ls-test/doc.md";
    let text = "# Briefing 😀\n\nPolice seized 14 tons of drugs.\n";
    lsp.open(uri, "markdown", text).await;
    let diags = lsp.diagnostics(uri, Some(1)).await;
    for d in &diags {
        assert_eq!(d["source"], "briefing-ls");
    }

    // Edit: replace `14` by `15`, addressed after an emoji in the heading's line count.
    let (l, c) = pos_of(text, "14 tons", utf8);
    lsp.change(uri, 2, json!([{"range": {"start": {"line": l, "character": c}, "end": {"line": l, "character": c + 2}}, "text": "15"}]))
        .await;
    lsp.diagnostics(uri, Some(2)).await;
    let new_text = text.replace("14 tons", "15 tons");
    assert_eq!(lsp.debug(uri).await["text"], new_text);

    // Hover: nothing on the heading; on the figure once the engine exists.
    assert_eq!(lsp.hover(uri, 0, 0).await, Value::Null);
    let h = lsp.hover(uri, l, c).await;
    if engine_ready() {
        // ENGINE: hover on `15 tons` shows the normalised mass.
        let md = h["contents"]["value"].as_str().unwrap_or_default();
        assert!(md.contains("15,000 kg"), "{md}");
        assert_eq!(h["range"]["start"], json!({"line": l, "character": c}));
    }

    // Code actions, symbols, export answer in every state.
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": l, "character": c}, "end": {"line": l, "character": c}},
                   "context": {"diagnostics": []}}),
        )
        .await;
    assert!(actions.is_array(), "{actions}");
    let symbols = lsp
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert!(symbols.is_array(), "{symbols}");
    let export = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": "briefing-ls.exportFigures", "arguments": [uri]}),
        )
        .await;
    assert_eq!(export["files"][0]["path"], "/tmp/briefing-ls-test/doc.md");
    assert!(export["files"][0]["figures"].is_array(), "{export}");
    if engine_ready() {
        // ENGINE: the figure comes out as SPEC §6 data.
        let f = &export["files"][0]["figures"][0];
        assert_eq!(f["text"], "15 tons");
        assert_eq!(f["start"], new_text.find("15 tons").unwrap());
        assert_eq!(f["normalized"], json!({"value": 15000, "unit": "kg"}));
    }

    // Configuration change: pushed settings apply to open documents.
    *lsp.settings.lock().unwrap() = json!({"style": "chicago", "debounce": 0});
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"briefing-ls": {"style": "chicago"}}}),
    )
    .await;
    let mut style = Value::Null;
    for _ in 0..200 {
        style = lsp.debug(uri).await["settings"]["style"].clone();
        if style == "chicago" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(style, "chicago");

    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    assert!(
        lsp.diagnostics(uri, None).await.is_empty(),
        "diagnostics cleared on close"
    );
    assert_eq!(lsp.debug(uri).await, Value::Null);
    lsp.shutdown_and_exit().await;
    lsp
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_process_session_utf16() {
    basic_session(Lsp::in_process(), false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_process_session_utf8() {
    basic_session(Lsp::in_process(), true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_session_utf16_exits_cleanly() {
    let mut lsp = basic_session(Lsp::binary(&[]), false).await;
    assert_eq!(lsp.exit_code().await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_session_utf8_with_serve_stdio() {
    let mut lsp = basic_session(Lsp::binary(&["serve", "--stdio"]), true).await;
    assert_eq!(lsp.exit_code().await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_exit_without_shutdown_is_code_1() {
    let mut lsp = Lsp::binary(&["--log-level", "error"]);
    lsp.initialize(&[], Value::Null, None).await;
    lsp.notify("exit", Value::Null).await;
    assert_eq!(lsp.exit_code().await, Some(1));
}

/// A tiny deterministic generator, so a failing burst can be replayed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Hundreds of rapid incremental edits, sent without waiting, interleaved with hovers: the
/// server must apply them in order (tower-lsp-server runs handlers concurrently) and end
/// with exactly the text the client has.
async fn edit_burst(mut lsp: Lsp, utf8: bool) {
    lsp.initialize(
        if utf8 { &["utf-8"] } else { &["utf-16"] },
        json!({"debounce": 0}),
        None,
    )
    .await;
    let uri = "untitled:burst.md";
    let mut text = String::from("Seized 😀 14 tons;\r\n漢字 e\u{301} over 4,431 pieces.\n");
    lsp.open(uri, "markdown", &text).await;
    let inserts = [
        "x",
        "😀",
        "漢字",
        "e\u{301}",
        "\r\n",
        "\n",
        " 14 tons ",
        "",
        "7",
    ];
    let mut rng = Lcg(42);
    let mut version = 1;
    for i in 0..600 {
        // A random range on character boundaries, never between `\r` and `\n`.
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .filter(|&i| {
                !(i > 0
                    && text.as_bytes()[i - 1] == b'\r'
                    && text.as_bytes().get(i) == Some(&b'\n'))
            })
            .collect();
        let a = boundaries[rng.next(boundaries.len())];
        let later: Vec<usize> = boundaries
            .iter()
            .copied()
            .filter(|&b| b >= a && b <= a + 8)
            .collect();
        let b = later[rng.next(later.len())];
        let insert = inserts[rng.next(inserts.len())];
        let (l0, c0) = model_position(&text, a, utf8);
        let (l1, c1) = model_position(&text, b, utf8);
        text.replace_range(a..b, insert);
        version += 1;
        lsp.change(
            uri,
            version,
            json!([{"range": {"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}}, "text": insert}]),
        )
        .await;
        if i % 50 == 0 {
            // Don't wait for the answer: requests run concurrently with the edits.
            let id = 10_000 + i;
            write_message(
                &lsp.writer,
                &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
                        "params": {"textDocument": {"uri": uri}, "position": {"line": l0, "character": c0}}}),
            )
            .await;
        }
    }
    let state = lsp.debug(uri).await;
    assert_eq!(state["version"], version);
    assert_eq!(state["text"].as_str().unwrap(), text);
    // The last diagnostics are for the last version.
    lsp.diagnostics(uri, Some(version as i64)).await;
    // A stale change (an old version) is ignored.
    lsp.change(uri, 3, json!([{"text": "stale"}])).await;
    let state = lsp.debug(uri).await;
    assert_eq!(state["text"].as_str().unwrap(), text);
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_of_edits_applies_in_order_utf16() {
    edit_burst(Lsp::in_process(), false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_of_edits_applies_in_order_utf8() {
    edit_burst(Lsp::in_process(), true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_of_edits_applies_in_order_over_stdio() {
    edit_burst(Lsp::binary(&[]), false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_range_positions_and_broken_requests_never_break_the_server() {
    let mut lsp = Lsp::in_process();
    lsp.initialize(&[], json!({"debounce": 0}), None).await;
    let uri = "file:///tmp/briefing-ls-test/range.txt";
    lsp.open(uri, "plaintext", "a😀b\nsecond line").await;
    assert_eq!(lsp.hover(uri, 999, 999).await, Value::Null);
    assert_eq!(
        lsp.hover(uri, 0, 2).await,
        Value::Null,
        "inside a surrogate pair"
    );
    // A change past the end clamps to the end; an inverted range is put in order.
    lsp.change(uri, 2, json!([{"range": {"start": {"line": 50, "character": 0}, "end": {"line": 60, "character": 3}}, "text": "!"}]))
        .await;
    lsp.change(uri, 3, json!([{"range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 1}}, "text": "-"}]))
        .await;
    assert_eq!(lsp.debug(uri).await["text"], "a-b\nsecond line!");
    // Broken params get a JSON-RPC error, and the server keeps serving.
    let r = lsp
        .request_raw("textDocument/hover", json!({"nonsense": true}))
        .await;
    assert!(r["error"]["code"].is_i64(), "{r}");
    let r = lsp
        .request_raw(
            "workspace/executeCommand",
            json!({"command": "briefing-ls.exportFigures", "arguments": [42]}),
        )
        .await;
    assert!(r["error"]["code"].is_i64(), "{r}");
    let r = lsp
        .request_raw(
            "workspace/executeCommand",
            json!({"command": "no.such.command", "arguments": []}),
        )
        .await;
    assert!(r["error"]["code"].is_i64(), "{r}");
    // Requests about documents that are not open answer null.
    assert_eq!(lsp.hover("file:///nowhere.md", 0, 0).await, Value::Null);
    assert_eq!(
        lsp.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///nowhere.md"}})
        )
        .await,
        Value::Null
    );
    assert_eq!(lsp.debug(uri).await["language"], "plain");
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_carry_code_link_and_fixes() {
    let mut lsp = Lsp::in_process();
    lsp.initialize(&[], json!({"debounce": 0}), None).await;
    let uri = "file:///tmp/briefing-ls-test/sentence.md";
    let text = "10 drug laboratories have been liquidated.\n";
    lsp.open(uri, "markdown", text).await;
    let diags = lsp.diagnostics(uri, Some(1)).await;
    if !(engine_ready() && check_ready("numeral-starts-sentence")) {
        return;
    }
    // ENGINE: `numeral-starts-sentence` fires with its code, link and fix.
    let d = diags
        .iter()
        .find(|d| d["code"] == "numeral-starts-sentence")
        .expect("numeral-starts-sentence");
    assert_eq!(d["source"], "briefing-ls");
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("#numeral-starts-sentence"));
    assert_eq!(d["range"]["start"], json!({"line": 0, "character": 0}));
    assert!(
        d["data"]["fixes"][0]["edits"][0]["newText"].is_string(),
        "{d}"
    );
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d], "only": ["quickfix"]}}),
        )
        .await;
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "numeral-starts-sentence");
    let edit = &fix["edit"]["changes"][uri][0];
    assert_eq!(edit["range"]["start"], json!({"line": 0, "character": 0}));
    assert_eq!(edit["newText"], "Ten");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_symbols_and_tag_actions_on_figures() {
    let mut lsp = Lsp::in_process();
    lsp.initialize(&["utf-16"], json!({"debounce": 0}), None)
        .await;
    let uri = "file:///tmp/briefing-ls-test/figures.md";
    let text = "Ёж 😀 Police seized 14 tons of drugs and over 4,431 pieces of ammunition.\n";
    lsp.open(uri, "markdown", text).await;
    lsp.diagnostics(uri, Some(1)).await;
    let symbols = lsp
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let (l, c) = pos_of(text, "14 tons", false);
    let hover = lsp.hover(uri, l, c + 1).await;
    let actions = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": l, "character": c}, "end": {"line": l, "character": c}},
                   "context": {"diagnostics": []}}),
        )
        .await;
    if !engine_ready() {
        assert_eq!(symbols, json!([]), "no figures, no symbols");
        assert_eq!(hover, Value::Null);
        return;
    }
    // ENGINE: a figure after an emoji and Cyrillic is addressed in UTF-16 units.
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("14,000 kg"), "{md}");
    assert!(md.contains("mass"), "{md}");
    assert_eq!(hover["range"]["start"], json!({"line": l, "character": c}));
    let (l2, c2) = pos_of(text, "4,431", false);
    let md = lsp.hover(uri, l2, c2).await["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(md.contains("more than 4,431"), "{md}");
    // Symbols: grouped by dimension, each figure inside its group.
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.iter().any(|n| n.starts_with("mass")), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("count")), "{names:?}");
    let mass = symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str().unwrap().starts_with("mass"))
        .unwrap();
    assert_eq!(mass["children"][0]["name"], "14 tons");
    // Tag actions once the tags work has landed (tag_edits returns edits).
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    let f = &briefing_ls::figures::extract(text, &briefing_ls::Config::default())[0];
    if !briefing_ls::tags::tag_edits(text, f, briefing_ls::config::TagStyle::Span).is_empty() {
        // ENGINE + TAGS: `Tag figure` on the cursor, the two source actions by their titles.
        assert!(titles.contains(&"Tag figure"), "{titles:?}");
        let sources = lsp
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                       "context": {"diagnostics": [], "only": ["source"]}}),
            )
            .await;
        let titles: Vec<&str> = sources
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["title"].as_str())
            .collect();
        assert_eq!(titles, vec!["Tag all figures"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_file_layers_reloads_and_reports_errors() {
    let ws = temp_dir("config");
    let sub = ws.join("drafts");
    std::fs::create_dir_all(&sub).unwrap();
    let toml = ws.join(".briefing-ls.toml");
    std::fs::write(
        &toml,
        "style = \"chicago\"\ncategories = [\"arrests\"]\ndebounce = 0\n",
    )
    .unwrap();
    let doc = sub.join("note.md");
    std::fs::write(&doc, "Police seized 14 tons of drugs.\n").unwrap();
    let uri = file_uri(&doc);

    let mut lsp = Lsp::in_process();
    // initializationOptions override the file; the file gives what they don't.
    lsp.initialize(&[], json!({"briefing-ls": {"tags": "html"}}), Some(&ws))
        .await;
    lsp.open(&uri, "markdown", "Police seized 14 tons of drugs.\n")
        .await;
    let settings = lsp.debug(&uri).await["settings"].clone();
    assert_eq!(settings["style"], "chicago");
    assert_eq!(settings["tags"], "html");
    assert_eq!(settings["categories"], json!(["arrests"]));

    // The server pulled `workspace/configuration` and registered a watcher for the file.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let requests = lsp.server_requests.lock().unwrap().clone();
    assert!(
        requests
            .iter()
            .any(|r| r["method"] == "workspace/configuration"),
        "{requests:?}"
    );
    let reg = requests
        .iter()
        .find(|r| r["method"] == "client/registerCapability")
        .expect("registration");
    assert!(reg.to_string().contains("**/.briefing-ls.toml"), "{reg}");

    // Pulled settings sit on top of both.
    *lsp.settings.lock().unwrap() = json!({"style": "none"});
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    )
    .await;
    wait_until(&mut lsp, &uri, |s| s["style"] == "none").await;

    // Break the file: one diagnostic on it, defaults (plus editor settings) apply.
    std::fs::write(&toml, "style = \"mla\"\n").unwrap();
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&toml), "type": 2}]}),
    )
    .await;
    let d = lsp.diagnostics(&file_uri(&toml), None).await;
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0]["message"].as_str().unwrap().contains("style"), "{d:?}");
    assert_eq!(d[0]["range"]["start"], json!({"line": 0, "character": 0}));
    wait_until(&mut lsp, &uri, |s| s["categories"] == json!([])).await;

    // Fix it and save it in the editor: the diagnostic goes, the file applies again.
    std::fs::write(&toml, "categories = [\"cyber\"]\n").unwrap();
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&toml)}}),
    )
    .await;
    let d = lsp.diagnostics(&file_uri(&toml), None).await;
    assert!(d.is_empty(), "{d:?}");
    wait_until(&mut lsp, &uri, |s| s["categories"] == json!(["cyber"])).await;

    // Bad editor settings: one message, and they are ignored.
    *lsp.settings.lock().unwrap() = json!({"debounce": "soon"});
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    )
    .await;
    let m = lsp
        .wait_for("showMessage", |n| n["method"] == "window/showMessage")
        .await;
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap()
            .contains("debounce"),
        "{m}"
    );

    // The export reads a document that is not open from disk.
    let other = sub.join("other.txt");
    std::fs::write(&other, "Nothing here.\n").unwrap();
    let export = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": "briefing-ls.exportFigures", "arguments": [file_uri(&other)]}),
        )
        .await;
    assert_eq!(export["files"][0]["path"], other.display().to_string());
    assert_eq!(export["files"][0]["figures"], json!([]));
    lsp.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&ws);
}

/// Poll the settings in force for `uri` until `pred` holds (settings apply asynchronously).
async fn wait_until(lsp: &mut Lsp, uri: &str, pred: impl Fn(&Value) -> bool) {
    let mut last = Value::Null;
    for _ in 0..500 {
        last = lsp.debug(uri).await["settings"].clone();
        if pred(&last) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("settings never matched; last: {last}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_outside_tags_offers_nothing() {
    let mut lsp = Lsp::in_process();
    lsp.initialize(&[], json!({"categories": ["arrests", "seizures"]}), None)
        .await;
    let uri = "file:///tmp/briefing-ls-test/complete.md";
    let text = "Seized [148 weapons]{.fig value=148 cat=}\n";
    lsp.open(uri, "markdown", text).await;
    let r = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
        )
        .await;
    assert_eq!(r, Value::Null);
    let (l, c) = pos_of(text, "}", false);
    let r = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": l, "character": c}}),
        )
        .await;
    if briefing_ls::tags::attr_context(text, text.find('}').unwrap()).is_some() {
        // TAGS: after `cat=` the configured categories are offered.
        let labels: Vec<&str> = r
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["label"].as_str())
            .collect();
        assert_eq!(labels, vec!["arrests", "seizures"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushed_settings_apply_when_the_client_cannot_be_asked() {
    let mut lsp = Lsp::in_process();
    lsp.pull_settings = false;
    // Bad initializationOptions: reported once, ignored; the good defaults stay.
    lsp.initialize(&[], json!({"style": "mla"}), None).await;
    let m = lsp
        .wait_for("showMessage", |n| n["method"] == "window/showMessage")
        .await;
    assert!(
        m["params"]["message"].as_str().unwrap().contains("style"),
        "{m}"
    );
    let uri = "file:///tmp/briefing-ls-test/push.md";
    lsp.open(uri, "quarto", "Text.\n").await;
    assert_eq!(lsp.debug(uri).await["settings"]["style"], "ap");
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"briefing-ls": {"style": "none", "checks": {"mixed-units": "off"}}}}),
    )
    .await;
    wait_until(&mut lsp, uri, |s| {
        s["style"] == "none" && s["checks"]["mixed-units"] == "off"
    })
    .await;
    let requests = lsp.server_requests.lock().unwrap().clone();
    assert!(
        !requests
            .iter()
            .any(|r| r["method"] == "workspace/configuration"),
        "{requests:?}"
    );
    lsp.shutdown_and_exit().await;
}

/// The server's two architectural invariants, checked on the sources: only `src/server/`
/// sees LSP types, and only `src/position.rs` counts UTF-16 (or any other column unit).
#[test]
fn only_the_server_knows_lsp_and_only_position_counts_columns() {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&f).unwrap();
        if !rel.starts_with("server/") {
            for needle in ["tower_lsp_server", "ls_types"] {
                assert!(
                    !text.contains(needle),
                    "{rel} uses {needle}: only src/server/ may"
                );
            }
        }
        if rel != "position.rs" {
            for needle in ["len_utf16", "utf16_cu", "encode_utf16"] {
                assert!(
                    !text.contains(needle),
                    "{rel} counts columns ({needle}): only src/position.rs may"
                );
            }
        }
    }
}

/// Edits of a long document (its rope many leaves, so that each analysis is told how much
/// of the text an edit left as it was): a digit typed, a stretch deleted, a stretch pasted
/// elsewhere, a paragraph's figure changed. After each, the diagnostics are those of the
/// same text opened afresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_after_edits_are_those_of_the_text_opened_afresh() {
    let mut lsp = Lsp::in_process();
    lsp.initialize(&["utf-16"], json!({"debounce": 0}), None)
        .await;
    let uri = "untitled:long.md";
    let para = |k: usize| {
        format!(
            "Police seized {} weapons in the raid in {}. Customs seized {} kg of cocaine.\n\n",
            140 + k % 7,
            2000 + k % 5,
            800 + k % 3
        )
    };
    // About 120 KB: dozens of leaves.
    let mut text: String = (0..1_500).map(para).collect();
    lsp.open(uri, "markdown", &text).await;
    lsp.diagnostics(uri, Some(1)).await;
    let mut rng = Lcg(7);
    let without_uri =
        |d: Vec<Value>, uri: &str| serde_json::to_string(&d).unwrap().replace(uri, "URI");
    for version in 2..30 {
        let at = rng.next(text.len() + 1);
        let (end, insert) = match version % 4 {
            0 => (at, "7".to_string()),
            1 => ((at + 1 + rng.next(3_000)).min(text.len()), String::new()),
            2 => {
                let from = rng.next(text.len());
                let to = (from + rng.next(2_000)).min(text.len());
                (at, text[from..to].to_string())
            }
            _ => match text[at..].find("14") {
                Some(k) => (at + k + 2, format!("{}", rng.next(10))),
                None => (at, String::new()),
            },
        };
        let start = if version % 4 == 3 && end > at + 1 {
            end - 1
        } else {
            at
        };
        let (l0, c0) = model_position(&text, start, false);
        let (l1, c1) = model_position(&text, end, false);
        text.replace_range(start..end, &insert);
        lsp.change(
            uri,
            version,
            json!([{"range": {"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}}, "text": insert}]),
        )
        .await;
        let got = lsp.diagnostics(uri, Some(i64::from(version))).await;
        assert!(!got.is_empty());
        let fresh = format!("untitled:fresh{version}.md");
        lsp.open(&fresh, "markdown", &text).await;
        let want = lsp.diagnostics(&fresh, Some(1)).await;
        assert_eq!(
            without_uri(got, uri),
            without_uri(want, &fresh),
            "after version {version}"
        );
    }
    lsp.shutdown_and_exit().await;
}
