//! A stopped server leaves no thread behind: its analysis thread has ended by the time
//! `serve` returns (the lsp fuzzer's leak checker once found it still running). A test
//! binary of its own, so that no other test's server runs meanwhile.

mod common;
use common::Lsp;
use serde_json::json;

/// Threads of this process named as the server's analysis thread (`comm` keeps 15 bytes).
fn analysis_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|c| "briefing-ls-analysis".starts_with(c.trim_end()))
                })
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_server_leaves_no_thread_behind() {
    assert_eq!(analysis_threads(), 0);
    let (client_io, server_io) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_io);
    let server = tokio::spawn(briefing_ls::server::serve(server_read, server_write));
    let (read, write) = tokio::io::split(client_io);
    let mut lsp = Lsp::start(read, Box::pin(write), None);
    lsp.initialize(&["utf-16"], json!({"debounce": 0}), None)
        .await;
    let uri = "file:///tmp/briefing-ls-threads/a.md";
    lsp.open(
        uri,
        "markdown",
        "Police seized 148 weapons and 800kg of drugs.\n",
    )
    .await;
    // Analysis has run: the thread exists.
    lsp.diagnostics(uri, Some(1)).await;
    assert_eq!(analysis_threads(), 1);
    // Keep it busy through the shutdown: a big document, and a hover that waits for its
    // analysis (its answer is not awaited).
    let big = "Customs seized 800kg of resin and 14 tons of precursors at 12 crossings.\n\n"
        .repeat(40_000);
    lsp.change(uri, 2, json!([{"text": big}])).await;
    common::write_message(
        &lsp.writer,
        &json!({"jsonrpc": "2.0", "id": 999, "method": "textDocument/hover",
                "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 16}}}),
    )
    .await;
    lsp.shutdown_and_exit().await;
    let shut_down = tokio::time::timeout(std::time::Duration::from_secs(60), server)
        .await
        .expect("serve returned after exit")
        .expect("serve did not panic");
    assert!(shut_down);
    // No waiting: the thread is gone when `serve` has returned.
    assert_eq!(analysis_threads(), 0);
}
