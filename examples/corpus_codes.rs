//! Which checks fire on the generated benchmark corpus, per 1,000 words:
//! `cargo run --release --example corpus_codes`.
#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    let text = corpus::corpus(1 << 20);
    let words = text.split_whitespace().count();
    let a = briefing_ls::analyse(&text, &briefing_ls::Config::default());
    let mut by: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in &a.findings {
        *by.entry(f.code).or_default() += 1;
    }
    eprintln!(
        "{} bytes, {} words, {} figures, {} findings",
        text.len(),
        words,
        a.figures.len(),
        a.findings.len()
    );
    for (c, n) in by {
        eprintln!(
            "{c:24} {n:6} {:6.2} per 1,000 words",
            n as f64 * 1000.0 / words as f64
        );
    }
}
