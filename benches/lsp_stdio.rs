//! Server benchmark: drives the release `briefing-ls` binary over stdio as an editor would,
//! and measures the budgets of SPEC §8 that concern the server:
//!
//! - time from process start to the `initialize` answer (median and worst of 20 starts);
//! - time from `didOpen` of a 1 MB briefing to its first diagnostics;
//! - per-edit latency with `debounce = 0`: a one-character edit to the diagnostics of that
//!   version (p50, p99 over 300 edits), which includes re-analysis, conversion, JSON and pipes
//!   both ways. A message counts as arrived when its last byte has been read, before this
//!   client parses it: what an editor does with the JSON afterwards is the editor's time, and
//!   on a 2-core machine a client parsing every publication into a JSON tree would steal the
//!   server's core (publications are read into a light summary instead);
//! - peak resident memory (`VmHWM` from `/proc`), and what the open document added to it,
//!   right after its first diagnostics and again after it sat idle (`LSP_BENCH_IDLE_MS`,
//!   5 s by default: the binary's jemalloc returns freed pages after about a second, see
//!   `.cargo/config.toml`), and after the edits, once idle as long again (what a document
//!   that has been worked on keeps).
//!
//! Run with `cargo bench --bench lsp_stdio` (it builds the release binary). It prints a
//! Markdown table; nothing here asserts on time.
#![allow(clippy::print_stdout)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod corpus;

const WAIT: Duration = Duration::from_secs(120);

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<(Instant, Value)>,
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
        self.wait_timed(pred).1
    }

    /// [`Server::wait`], with the time the message had arrived in full.
    fn wait_timed(&mut self, pred: impl Fn(&Value) -> bool) -> (Instant, Value) {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (at, msg) = self.rx.recv_timeout(left).expect("server answered in time");
            if pred(&msg) {
                return (at, msg);
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

/// The next message, with the time its last byte was read. A publication of diagnostics is
/// summarised (`uri`, `version`, and `diagnostics` as their count) without building a JSON
/// tree of thousands of diagnostics.
fn read_message(r: &mut impl BufRead) -> Option<(Instant, Value)> {
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
    let at = Instant::now();
    let head = &buf[..buf.len().min(200)];
    let publication = head.windows(PUBLISH.len()).any(|w| w == PUBLISH.as_bytes());
    if publication {
        #[derive(serde::Deserialize)]
        struct Params {
            uri: String,
            version: Option<i64>,
            diagnostics: Vec<serde::de::IgnoredAny>,
        }
        #[derive(serde::Deserialize)]
        struct Publication {
            method: String,
            params: Params,
        }
        if let Ok(p) = serde_json::from_slice::<Publication>(&buf) {
            return Some((
                at,
                json!({"method": p.method, "params": {"uri": p.params.uri,
                       "version": p.params.version, "diagnostics": p.params.diagnostics.len()}}),
            ));
        }
    }
    serde_json::from_slice(&buf).ok().map(|v| (at, v))
}

const PUBLISH: &str = "\"textDocument/publishDiagnostics\"";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// One document size's measurements.
struct Sized {
    bytes: usize,
    diags: usize,
    first: Duration,
    edits: Vec<Duration>,
    hover: Duration,
    base_rss: u64,
    open_rss: u64,
    /// RSS after the document sat open and idle (see `LSP_BENCH_IDLE_MS`).
    idle_rss: u64,
    /// Peak RSS (VmHWM) right after the first diagnostics, then after the edits.
    open_peak: u64,
    peak: u64,
    /// RSS after the edits, once idle (see `LSP_BENCH_IDLE_MS`).
    edited_rss: u64,
}

/// Open a generated briefing of `bytes` bytes, then make `n_edits` one-character edits at
/// random places (a fixed pseudo-random sequence), each followed by waiting for the
/// diagnostics of its version.
fn measure(bytes: usize, n_edits: usize) -> Sized {
    measure_text(corpus::corpus(bytes), n_edits)
}

fn measure_text(text: String, n_edits: usize) -> Sized {
    let lines: Vec<&str> = text.split('\n').collect();
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
    let (at, first) = s.wait_timed(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1
    });
    let first_time = at - t0;
    let diags = first["params"]["diagnostics"].as_u64().unwrap_or(0) as usize;
    let open_rss = s.vm("VmRSS:").unwrap_or(0);
    let open_peak = s.vm("VmHWM:").unwrap_or(0);
    // The same document left open and idle: jemalloc's background thread returns the pages
    // the first analysis used and freed after about a second (`.cargo/config.toml`).
    let idle_ms: u64 = std::env::var("LSP_BENCH_IDLE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    std::thread::sleep(Duration::from_millis(idle_ms));
    let idle_rss = s.vm("VmRSS:").unwrap_or(0);

    let mut next = corpus::xorshift(0x2545_f491_4f6c_dd1d);
    let mut edits = Vec::with_capacity(n_edits);
    for v in 2..2 + n_edits as i64 {
        let line = (next() % lines.len() as u64) as usize;
        // A place in the line, as the UTF-16 column the server negotiated by default (real
        // text is not all ASCII).
        let l = lines[line];
        let mut at = (next() % (l.len() as u64 + 1)) as usize;
        while !l.is_char_boundary(at) {
            at -= 1;
        }
        let character = l[..at].encode_utf16().count();
        // Letters and digits in turn: a digit changes figures, a letter mostly words.
        let ch = if v % 2 == 0 { "x" } else { "7" };
        let t0 = Instant::now();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v},
                   "contentChanges": [{"range": {"start": {"line": line, "character": character},
                                                 "end": {"line": line, "character": character}},
                                       "text": ch}]}),
        );
        let (at, _) = s.wait_timed(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == v
        });
        edits.push(at - t0);
    }
    edits.sort();
    let line = lines.len() / 2;
    let t0 = Instant::now();
    s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 5}}),
    );
    let hover = t0.elapsed();
    let peak = s.vm("VmHWM:").unwrap_or(0);
    std::thread::sleep(Duration::from_millis(idle_ms));
    let edited_rss = s.vm("VmRSS:").unwrap_or(0);
    s.stop();
    Sized {
        bytes: text.len(),
        diags,
        first: first_time,
        edits,
        hover,
        base_rss,
        open_rss,
        idle_rss,
        open_peak,
        peak,
        edited_rss,
    }
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

    // 2. Each size: open, edits, memory. One server per size, so peaks do not mix.
    // `LSP_BENCH_SIZES=1048576` (bytes, comma-separated) measures only those sizes.
    let only: Option<Vec<usize>> = std::env::var("LSP_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect());
    let sizes: Vec<Sized> = [
        (10 << 10, 300),
        (100 << 10, 300),
        (1 << 20, 300),
        (10 << 20, 100),
    ]
    .into_iter()
    .filter(|(b, _)| only.as_ref().is_none_or(|o| o.contains(b)))
    .map(|(bytes, n)| measure(bytes, n))
    .collect();
    // 3. Real text at 1 MB and 10 MB (`LSP_BENCH_REAL=dir` of `.txt` briefings; by default
    // the shared labelled set next to the project, skipped when absent).
    let real: Vec<Sized> = [(1 << 20, 300), (10 << 20, 100)]
        .into_iter()
        .filter(|(b, _)| only.as_ref().is_none_or(|o| o.contains(b)))
        .filter_map(|(bytes, n)| corpus::real_text(bytes).map(|t| measure_text(t, n)))
        .collect();

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
    let size = |b: usize| {
        if b < 1 << 20 {
            format!("{} KB", b >> 10)
        } else {
            format!("{} MB", b >> 20)
        }
    };
    println!("briefing-ls server benchmark — {cores} cores, {cpu}");
    println!();
    println!(
        "start → `initialize` answered: median {} / worst {} of 20 starts",
        ms(starts[starts.len() / 2]),
        ms(starts[starts.len() - 1])
    );
    println!();
    println!("| document | diagnostics | `didOpen` → first diagnostics | edit → diagnostics p50 / p99 (n) | hover | RSS: open document | RSS: open document, idle | peak RSS (VmHWM) after opening / after the edits | RSS after the edits, idle |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let rows = sizes.iter().map(|z| (size(z.bytes), z)).chain(
        real.iter()
            .map(|z| (format!("{}, real briefings", size(z.bytes)), z)),
    );
    for (label, z) in rows {
        let added = z.open_rss.saturating_sub(z.base_rss);
        let idle = z.idle_rss.saturating_sub(z.base_rss);
        let edited = z.edited_rss.saturating_sub(z.base_rss);
        println!(
            "| {} | {} | {} | {} / {} ({}) | {} | {} ({:.1} B per byte) | {} ({:.1} B per byte) | {:.1} / {:.1} B per byte above start ({}) | {} ({:.1} B per byte) |",
            label,
            z.diags,
            ms(z.first),
            ms(percentile(&z.edits, 0.5)),
            ms(percentile(&z.edits, 0.99)),
            z.edits.len(),
            ms(z.hover),
            mb(added),
            added as f64 / z.bytes as f64,
            mb(idle),
            idle as f64 / z.bytes as f64,
            z.open_peak.saturating_sub(z.base_rss) as f64 / z.bytes as f64,
            z.peak.saturating_sub(z.base_rss) as f64 / z.bytes as f64,
            mb(z.peak),
            mb(edited),
            edited as f64 / z.bytes as f64,
        );
    }
}
