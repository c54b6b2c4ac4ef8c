//! From-scratch analysis (extraction and every check, empty caches) of a generated
//! briefing, repeated, for profilers: `cargo run --release --example profile_scratch`
//! (`SIZE` in bytes, 1 MB by default; `N` runs, 10 by default; `REAL=1` for the labelled
//! briefings repeated to `SIZE`).
#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    let text = corpus::from_env();
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let config = briefing_ls::Config::default();
    let mut best = f64::MAX;
    for _ in 0..n {
        let t0 = std::time::Instant::now();
        let a = briefing_ls::analyse(&text, &config);
        let d = t0.elapsed().as_secs_f64();
        std::hint::black_box(a);
        best = best.min(d);
    }
    eprintln!(
        "analyse from scratch: best {:.1} ms, {:.1} MB/s",
        best * 1e3,
        text.len() as f64 / best / 1e6
    );
}

/// The allocator of the `briefing-ls` binary (`JEMALLOC=1` at build time is not needed: the
/// example always uses it, as the product does).
#[cfg(all(unix, not(target_env = "musl")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
