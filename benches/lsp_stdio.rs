//! Server benchmark: drives the release `briefing-ls` binary over stdio as an editor would,
//! and measures the budgets of SPEC §8 that concern the server:
//!
//! - time from process start to the `initialize` answer (median and worst of 20 starts);
//! - time from `didOpen` of a 1 MB briefing to its first diagnostics;
//! - per-edit latency with `debounce = 0`: a one-character edit to the diagnostics of that
//!   version (p50, p99 over 200 edits), which includes re-analysis, conversion, JSON and pipes;
//! - peak resident memory (`VmHWM` from `/proc`), and what the open document added to it.
//!
//! Run with `cargo bench --bench lsp_stdio` (it builds the release binary). It prints a
//! Markdown table; nothing here asserts on time.
#![allow(clippy::print_stdout)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(120);

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing-ls"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start briefing-ls");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin,
            rx,
            next_id: 0,
        }
    }

    fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        let _ = write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = self.stdin.flush();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message matching `pred`; server requests are answered with null on the way.
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self.rx.recv_timeout(left).expect("server answered in time");
            if pred(&msg) {
                return msg;
            }
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let id = msg["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
        }
    }

    fn initialize(&mut self) -> Value {
        self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "initializationOptions": {"debounce": 0},
                   "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
        )
    }

    fn vm(&self, key: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace()
            .nth(1)?
            .parse::<u64>()
            .ok()
            .map(|kb| kb * 1024)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    serde_json::from_slice(&buf).ok()
}

/// A briefing of at least `bytes` bytes, dense with figures, varied so nothing repeats.
fn briefing(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 1024);
    let mut i: u64 = 0;
    while s.len() < bytes {
        i += 1;
        let n = |k: u64| (i * 7919 + k * 104_729) % 9000 + 10;
        s.push_str(&format!(
            "## Operation {i}\n\nTogether with the interior ministry, {} criminal groups have been eliminated, {} people \
             arrested, {} weapons and over {},{:03} pieces of ammunition were seized. A total of over {}kg of drugs, {} tons \
             of chemical reagents and {} hectares of crops were destroyed. The cumulative effect exceeded {} billion tenge, \
             of which {}.{} billion tenge was returned to the state budget. Up to seven thousand violators were detained, \
             about {}% more than a year earlier.\n\n",
            n(1) % 20 + 2,
            n(2),
            n(3),
            n(4) % 90 + 1,
            n(5) % 1000,
            n(6),
            n(7) % 50 + 1,
            n(8),
            n(9),
            n(10) % 9 + 1,
            n(11) % 10,
            n(12) % 40 + 1,
        ));
    }
    s
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument other than ours means "not us".
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"lsp_stdio".contains(a.as_str()))
    {
        return;
    }
    // `cargo test --all-targets` runs bench targets without `--bench`: then only check that
    // the server starts and answers, instead of the whole (long) measurement.
    if !std::env::args().any(|a| a == "--bench") {
        let mut s = Server::start();
        s.initialize();
        s.stop();
        println!("lsp_stdio: smoke run (use `cargo bench --bench lsp_stdio` to measure)");
        return;
    }

    // 1. Start to `initialize` answered.
    let mut starts = Vec::new();
    for _ in 0..20 {
        let t0 = Instant::now();
        let mut s = Server::start();
        s.initialize();
        starts.push(t0.elapsed());
        s.stop();
    }
    starts.sort();

    // 2. First diagnostics on a 1 MB document.
    let text = briefing(1 << 20);
    let mut s = Server::start();
    s.initialize();
    s.notify("initialized", json!({}));
    let base_rss = s.vm("VmRSS:").unwrap_or(0);
    let uri = "file:///bench/briefing.md";
    let t0 = Instant::now();
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let first =
        s.wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1);
    let first_diag = t0.elapsed();
    let n_diags = first["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);

    // 3. Per-edit latency, debounce 0: type one character at a time in the middle.
    let line = text[..text.len() / 2].matches('\n').count() as u32;
    let mut edits = Vec::new();
    for v in 2..=201 {
        let t0 = Instant::now();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v},
                   "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "x"}]}),
        );
        s.wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == v);
        edits.push(t0.elapsed());
    }
    edits.sort();

    // 4. A hover in the middle of the big document (re-uses the cached analysis).
    let t0 = Instant::now();
    s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 5}}),
    );
    let hover = t0.elapsed();

    let peak = s.vm("VmHWM:").unwrap_or(0);
    let rss = s.vm("VmRSS:").unwrap_or(0);
    s.stop();

    // The core alone on the same text, in this process: what the server adds is the rest.
    let config = briefing_ls::Config::default();
    let mut core = Vec::new();
    let mut figures = 0;
    for _ in 0..5 {
        let t0 = Instant::now();
        let a = briefing_ls::analyse(&text, &config);
        core.push(t0.elapsed());
        figures = a.figures.len();
    }
    core.sort();
    let core = core[core.len() / 2];
    let t0 = Instant::now();
    let n_tags = briefing_ls::tags::find(&text).len();
    let tags = t0.elapsed();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mb = |b: u64| format!("{:.1} MB", b as f64 / (1 << 20) as f64);
    println!("briefing-ls server benchmark — {cores} cores, {cpu}");
    println!();
    println!("| measure | result |");
    println!("|---|---|");
    println!(
        "| start → `initialize` answered (median / worst of 20) | {} / {} |",
        ms(starts[starts.len() / 2]),
        ms(starts[starts.len() - 1])
    );
    println!(
        "| `didOpen` of a {} document → first diagnostics ({n_diags}) | {} |",
        mb(text.len() as u64),
        ms(first_diag)
    );
    println!(
        "| one-character edit → fresh diagnostics, debounce 0 (p50 / p99 of {}) | {} / {} |",
        edits.len(),
        ms(percentile(&edits, 0.5)),
        ms(percentile(&edits, 0.99))
    );
    println!(
        "| core analysis of the same document, in-process, {figures} figures (median of 5) | {} |",
        ms(core)
    );
    println!(
        "| `tags::find` on the same document ({n_tags} tags) | {} |",
        ms(tags)
    );
    println!("| hover in the 1 MB document | {} |", ms(hover));
    println!("| peak RSS (VmHWM) | {} |", mb(peak));
    println!(
        "| memory for the open document (RSS after edits − RSS before open) | {} ({:.1} bytes per document byte) |",
        mb(rss.saturating_sub(base_rss)),
        rss.saturating_sub(base_rss) as f64 / text.len() as f64
    );
}
