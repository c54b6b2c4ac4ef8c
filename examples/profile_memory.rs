//! Where an open document's memory goes: jemalloc's live bytes after an incremental analysis
//! of a generated briefing, split into the analysis and the caches kept for the next edit.
//! `cargo run --release --example profile_memory` (`SIZE` in bytes, 1 MB by default;
//! `REAL=1` for the labelled briefings repeated, see `corpus::real_text`). It also samples the
//! peak of live bytes while the document is first analysed.
#[path = "../benches/corpus.rs"]
mod corpus;

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Bytes the program holds now, as jemalloc counts them.
fn live() -> i64 {
    tikv_jemalloc_ctl::epoch::advance().expect("jemalloc epoch");
    tikv_jemalloc_ctl::stats::allocated::read().expect("jemalloc stats") as i64
}

fn main() {
    let text = corpus::from_env();
    let n = text.len() as f64;
    let per = |b: i64| format!("{:6.2} B/byte", b as f64 / n);
    let config = briefing_ls::Config::default();
    let lang = briefing_ls::prose::Language::Markdown;

    let base = live();
    // The peak while the document is first analysed, sampled from a second thread.
    let done = std::sync::atomic::AtomicBool::new(false);
    let (a, inc, peak) = std::thread::scope(|s| {
        let sampler = s.spawn(|| {
            let mut peak = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(live());
                std::thread::sleep(std::time::Duration::from_micros(100));
            }
            peak
        });
        let mut inc = briefing_ls::Incremental::default();
        let a = inc.analyse(&text, &config, lang);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let peak = sampler.join().unwrap_or(0).max(live());
        (a, inc, peak)
    });
    let all = live() - base;
    let related: usize = a.findings.iter().map(|f| f.related.len()).sum();
    let fixes: usize = a.findings.iter().map(|f| f.fixes.len()).sum();
    eprintln!(
        "{} bytes: {} figures ({} B each), {} findings ({} B each; {related} related, {fixes} fixes)",
        text.len(),
        a.figures.len(),
        std::mem::size_of::<briefing_ls::Figure>(),
        a.findings.len(),
        std::mem::size_of::<briefing_ls::checks::Finding>(),
    );
    let figures = a.figures.capacity() * std::mem::size_of::<briefing_ls::Figure>();
    let before = live();
    let briefing_ls::Analysis {
        figures: list,
        findings,
    } = a;
    drop(findings);
    let findings = before - live();
    drop(list);
    eprintln!(
        "peak while analysing   {} (sampled every 0.1 ms)",
        per(peak - base)
    );
    eprintln!("analysis and caches    {}", per(all));
    eprintln!(
        "  figure list          {} (the analysis's, shared with the extraction cache)",
        per(figures as i64)
    );
    eprintln!("  findings             {}", per(findings));
    let parts = inc.check_cache_parts();
    let b = live();
    drop(inc);
    let caches = b - live();
    let mut fc = briefing_ls::figures::ChunkCache::default();
    let b = live();
    let f = briefing_ls::figures::extract_cached(&text, &config, lang, &mut fc);
    drop(f);
    let extraction = live() - b - figures as i64;
    eprintln!(
        "  extraction cache     {} (beside the list)",
        per(extraction)
    );
    let check_cache = caches - figures as i64 - extraction;
    eprintln!("  check cache          {}", per(check_cache));
    // Its parts, estimated from lengths and capacities (what a finding points to counted
    // with each copy of it); the rest is the allocator's rounding up to its size classes
    // and what is not listed.
    let mut listed = 0;
    for (name, bytes) in parts {
        listed += bytes as i64;
        eprintln!("    {name:<30} {}", per(bytes as i64));
    }
    eprintln!("    {:<30} {}", "(not listed)", per(check_cache - listed));
}
