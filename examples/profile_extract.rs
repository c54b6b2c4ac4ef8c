//! Extraction over a generated corpus, for profilers: `cargo run --release --example profile_extract`.
#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    let size: usize = std::env::var("BYTES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4 << 20);
    let text = corpus::corpus(size);
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..3 {
        n += briefing_ls::figures::extract(&text, &briefing_ls::Config::default()).len();
    }
    let secs = t.elapsed().as_secs_f64() / 3.0;
    eprintln!("{n} figures; {:.1} MB/s", text.len() as f64 / secs / 1e6);
}
