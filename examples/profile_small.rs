//! The whole analysis of a generated briefing (10 KB, or the size in bytes given), many
//! times, for profilers:
//! `cargo run --release --example profile_small`.
#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    let size = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10 << 10);
    let text = corpus::corpus(size);
    let config = briefing_ls::Config::default();
    let t0 = std::time::Instant::now();
    let mut n = 0;
    let rounds = (3_000_000 / size).max(3);
    for _ in 0..rounds {
        n += briefing_ls::analyse(&text, &config).findings.len();
    }
    eprintln!(
        "{:.3} ms per analysis ({n})",
        t0.elapsed().as_secs_f64() * 1e3 / rounds as f64
    );
}
