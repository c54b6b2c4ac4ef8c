//! The whole analysis of a 10 KB briefing, many times, for profilers:
//! `cargo run --release --example profile_small`.
#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    let text = corpus::corpus(10 << 10);
    let config = briefing_ls::Config::default();
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..300 {
        n += briefing_ls::analyse(&text, &config).findings.len();
    }
    eprintln!(
        "{:.3} ms per analysis ({n})",
        t0.elapsed().as_secs_f64() * 1e3 / 300.0
    );
}
