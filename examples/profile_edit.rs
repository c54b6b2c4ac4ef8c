//! One-character edits of a generated briefing with warm caches (extraction alone, then the whole
//! incremental analysis), for profilers:
//! `cargo run --release --example profile_edit` (`N=300` edits, 50 by default; `SIZE` in
//! bytes, 1 MB by default; `SKIP_EXTRACT=1` times the whole analysis only, `ONLY_EXTRACT=1` extraction only;
//! `SLOW=ms` prints each edit slower than that, with its place; `ONE_THREAD=1` keeps every
//! document pass on one thread). Each analysis is kept until the next edit, then let go as
//! the server lets it go (`did_change`): its figure list at once (the chunk cache shares it),
//! the rest freed on another thread beside the next analysis. As the server does, each
//! analysis is told what of the text the edit left as it was (`Unchanged`; the server finds
//! it to a leaf of its rope, a kilobyte or so); `NO_HINT=1` tells it nothing.
#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    // `REAL=1`: the labelled briefings repeated to `SIZE` (see `corpus::from_env`).
    let base = corpus::from_env();
    let config = briefing_ls::Config::default();
    let lang = briefing_ls::prose::Language::Markdown;
    let mut cache = briefing_ls::figures::ChunkCache::default();
    let _ = briefing_ls::figures::extract_cached(&base, &config, lang, &mut cache);
    // `ONE_THREAD=1`: no second thread for the longest document pass.
    let mut inc = match std::env::var_os("ONE_THREAD") {
        Some(_) => briefing_ls::Incremental::threaded(usize::MAX),
        None => briefing_ls::Incremental::default(),
    };
    let mut last = Some(inc.analyse(&base, &config, lang));
    let mut worst = 0f64;
    let mut total = 0f64;
    let mut times: Vec<f64> = Vec::new();
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    // Each edit is made to the text as the last one left it (what an editor sends: one
    // change per version); `FROM_BASE=1` makes each to the first text instead, so that an
    // analysis sees two changes (the last one undone, a new one made) far apart.
    let from_base = std::env::var_os("FROM_BASE").is_some();
    let hint = std::env::var_os("NO_HINT").is_none();
    let mut cur = base.clone();
    // Where the last edit was (`FROM_BASE`: the text analysed last has an `x` there).
    let mut last_at: Option<usize> = None;
    for i in 0..n {
        let mut t = if from_base { base.clone() } else { cur.clone() };
        let mut at = (i * 7919 * 131) % t.len();
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        t.insert(at, 'x');
        // What is the same as in the text analysed last: before the edit and after it (and,
        // from the first text, before and after the last edit, undone).
        let same = match (hint, from_base, last_at) {
            (false, _, _) => briefing_ls::Unchanged::default(),
            (true, false, _) | (true, true, None) => briefing_ls::Unchanged {
                prefix: at,
                suffix: t.len() - at - 1,
            },
            (true, true, Some(l)) => briefing_ls::Unchanged {
                prefix: at.min(l),
                suffix: t.len() - at.max(l) - 1,
            },
        };
        last_at = Some(at);
        let t0 = std::time::Instant::now();
        if std::env::var_os("SKIP_EXTRACT").is_none() {
            let _ = briefing_ls::figures::extract_cached(&t, &config, lang, &mut cache);
        }
        let d = t0.elapsed().as_secs_f64() * 1e3;
        worst = worst.max(d);
        total += d;
        if std::env::var_os("ONLY_EXTRACT").is_some() {
            continue;
        }
        let t0 = std::time::Instant::now();
        edit_step(&mut inc, &mut last, &t, &config, lang, same);
        let d = t0.elapsed().as_secs_f64() * 1e3;
        if std::env::var("SLOW")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .is_some_and(|slow| d > slow)
        {
            let (mut lo, mut hi) = (at.saturating_sub(40), (at + 40).min(t.len()));
            while !t.is_char_boundary(lo) {
                lo -= 1;
            }
            while !t.is_char_boundary(hi) {
                hi += 1;
            }
            eprintln!("{d:.2} ms at {at}: {:?}", &t[lo..hi]);
        }
        times.push(d);
        if !from_base {
            cur = t;
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        times
            .get(((times.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0)
    };
    eprintln!(
        "extraction: mean {:.2} ms, worst {:.2} ms",
        total / n as f64,
        worst
    );
    eprintln!(
        "analysis (extraction and checks): mean {:.2} ms, p50 {:.2} ms, p99 {:.2} ms, worst {:.2} ms",
        times.iter().sum::<f64>() / times.len().max(1) as f64,
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
}

/// One edit's analysis, the previous one let go as the server does (a function of its own,
/// so that a profiler can count edits alone: `valgrind --tool=callgrind
/// --toggle-collect='*edit_step*'`; the freeing beside is then not counted).
#[inline(never)]
fn edit_step(
    inc: &mut briefing_ls::Incremental,
    last: &mut Option<briefing_ls::Analysis>,
    text: &str,
    config: &briefing_ls::Config,
    lang: briefing_ls::prose::Language,
    same: briefing_ls::Unchanged,
) {
    if let Some(briefing_ls::Analysis { figures, findings }) = last.take() {
        // Only a count: the chunk cache holds the list, and updates it in place.
        drop(figures);
        std::thread::spawn(move || drop(findings));
    }
    *last = Some(inc.analyse_edited(text, config, lang, same));
}

/// The allocator of the `briefing-ls` binary, so that allocation costs what it costs there.
#[cfg(all(unix, not(target_env = "musl")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
