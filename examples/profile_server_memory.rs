//! Where the language server's memory for an open document goes: the server run in-process
//! (as `briefing-ls` runs it: two runtime threads and its analysis thread), a generated
//! briefing opened (`REAL=1`: the labelled briefings repeated, see `corpus::from_env`;
//! `SIZE` in bytes, 1 MB by default), and jemalloc's count of live bytes and of the pages
//! it holds, after `initialize` and once the document's diagnostics arrived, the client's
//! own copies freed. `cargo run --release --example profile_server_memory`.
#[path = "../benches/corpus.rs"]
mod corpus;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Live bytes, and bytes in pages jemalloc holds (its `resident`).
fn stats() -> (i64, i64) {
    tikv_jemalloc_ctl::epoch::advance().expect("jemalloc epoch");
    let live = tikv_jemalloc_ctl::stats::allocated::read().expect("jemalloc stats") as i64;
    let resident = tikv_jemalloc_ctl::stats::resident::read().expect("jemalloc stats") as i64;
    (live, resident)
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Read frames until one whose body contains `needle`.
async fn wait_for(r: &mut (impl AsyncReadExt + Unpin), buf: &mut Vec<u8>, needle: &str) {
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        // Whole frames in `buf`.
        while let Some(h) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..h]).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|v| v.trim().parse().ok())
                .expect("Content-Length");
            if buf.len() < h + 4 + len {
                break;
            }
            let body: Vec<u8> = buf.drain(..h + 4 + len).skip(h + 4).collect();
            if memchr::memmem::find(&body, needle.as_bytes()).is_some() {
                return;
            }
        }
        let n = r.read(&mut chunk).await.expect("read");
        assert!(n > 0, "server closed its output");
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn main() {
    let text = corpus::from_env();
    let n = text.len() as f64;
    let per = |b: i64| format!("{:6.2} B/byte", b as f64 / n);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let (client, server_io) = tokio::io::duplex(1 << 16);
        let (sr, sw) = tokio::io::split(server_io);
        let server = tokio::spawn(briefing_ls::server::serve(sr, sw));
        let (mut cr, mut cw) = tokio::io::split(client);
        let mut buf = Vec::new();
        let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
        cw.write_all(&frame(init)).await.expect("write");
        wait_for(&mut cr, &mut buf, r#""id":1"#).await;
        cw.write_all(&frame(
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ))
        .await
        .expect("write");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let open = {
            let params = serde_json::json!({
                "textDocument": {"uri": "file:///tmp/big.md", "languageId": "markdown",
                                 "version": 1, "text": text}
            });
            frame(
                &serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                                    "params": params})
                .to_string(),
            )
        };
        drop(text);
        let (base, base_res) = stats();
        let open_len = open.len() as i64;
        let t0 = std::time::Instant::now();
        cw.write_all(&open).await.expect("write");
        drop(open);
        wait_for(&mut cr, &mut buf, "publishDiagnostics").await;
        let took = t0.elapsed();
        buf = Vec::new();
        let (live, res) = stats();
        eprintln!("didOpen → diagnostics {took:?} (message {open_len} bytes)");
        eprintln!("live bytes the open document added   {}", per(live - base));
        eprintln!(
            "pages jemalloc holds, added          {}",
            per(res - base_res)
        );
        drop(buf);
        // Idle: jemalloc returns the pages freed after the analysis (`.cargo/config.toml`).
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        let (live, res) = stats();
        eprintln!("idle 5 s: live bytes added           {}", per(live - base));
        eprintln!(
            "idle 5 s: pages jemalloc holds, added {}",
            per(res - base_res)
        );
        let _ = cw.shutdown().await;
        drop(cw);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    });
}
