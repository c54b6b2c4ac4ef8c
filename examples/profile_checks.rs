//! Time of each check on a 1 MB briefing, for profilers:
//! `cargo run --release --example profile_checks`.
#[path = "../benches/corpus.rs"]
mod corpus;

use briefing_ls::checks::{Cx, REGISTRY};

fn main() {
    let text = corpus::corpus(1 << 20);
    let config = briefing_ls::Config::default();
    let lang = briefing_ls::prose::Language::Markdown;
    let figures = briefing_ls::figures::extract_lang(&text, &config, lang);
    let t0 = std::time::Instant::now();
    let cx = Cx::new(&text, &figures, &config, lang);
    eprintln!("doc {:.2} ms", t0.elapsed().as_secs_f64() * 1e3);
    for c in REGISTRY {
        let t0 = std::time::Instant::now();
        let n = (c.run)(&cx).len();
        eprintln!(
            "{:24} {:7.2} ms {n}",
            c.code,
            t0.elapsed().as_secs_f64() * 1e3
        );
    }
    let t0 = std::time::Instant::now();
    let n = briefing_ls::checks::run_all_lang(&text, &figures, &config, lang).len();
    eprintln!("run_all {:.2} ms {n}", t0.elapsed().as_secs_f64() * 1e3);
    // One-character edits with warm caches (extraction and checks).
    let mut inc = briefing_ls::Incremental::default();
    let _ = inc.analyse(&text, &config, lang);
    let mut times = Vec::new();
    for i in 0..50usize {
        let mut t = text.clone();
        let mut at = (i * 7919 * 131) % text.len();
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        t.insert(at, 'x');
        let t0 = std::time::Instant::now();
        let a = inc.analyse(&t, &config, lang);
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(a);
    }
    times.sort_by(f64::total_cmp);
    eprintln!("edit p50 {:.2} ms, max {:.2} ms", times[25], times[49]);
}
