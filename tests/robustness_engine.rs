//! The analysis core on hostile input (SPEC §9, issue 8): every input the fuzzers ever
//! crashed on stays fixed, and pathological documents (a million digits, deeply nested
//! Markdown, a 100,000-item list, ...) are analysed in bounded time.
//!
//! `fuzz/regressions/<target>/` holds the crashing inputs, in the fuzz targets' own format
//! (first byte: settings; the rest: the text), so a new crash is added by copying its
//! artifact there. The checks below are those of `fuzz/fuzz_targets/{figures,tags,config}.rs`.
//!
//! Timing: each document gets a watchdog of [`WATCHDOG`] (a hang fails, slowness does not);
//! the time taken is printed for the record (`cargo test -- --nocapture`, on stderr).

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use briefing_ls::config::{Style, TagStyle, Tons};
use briefing_ls::prose::Language;
use briefing_ls::{figures, report, tags, Config};

mod robustness_support;
use robustness_support::pathological;

/// Generous: debug builds are an order of magnitude slower than release ones.
const WATCHDOG: Duration = Duration::from_secs(120);

fn valid(text: &str, r: &std::ops::Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

/// Everything the figures fuzz target does to one input.
fn figures_case(sel: u8, text: &str) {
    let mut config = Config::default();
    if sel & 1 != 0 {
        config.decimal = ',';
    }
    config.tons = [Tons::Metric, Tons::Short, Tons::Long][((sel >> 1) % 3) as usize];
    config.style = [Style::Ap, Style::Chicago, Style::None][((sel >> 3) % 3) as usize];
    let lang = if sel & 0x40 != 0 {
        Language::Plain
    } else {
        Language::Markdown
    };
    analyse_everything(text, &config, lang);
}

/// Set by the panic hook: the product catches a panicking check (it loses its findings, the
/// rest carries on), so a replayed crash would otherwise pass unnoticed.
static PANICKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn watch_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.store(true, std::sync::atomic::Ordering::SeqCst);
            default(info);
        }));
    });
}

/// Extraction, checks, export and tags, asserting the spans consumers slice text with.
fn analyse_everything(text: &str, config: &Config, lang: Language) -> usize {
    watch_panics();
    let figs = figures::extract_lang(text, config, lang);
    for f in &figs {
        assert!(valid(text, &f.span.range()), "figure span {:?}", f.span);
        let _ = f.interval();
    }
    // What users get: the checks with monster sentences capped (`limits`).
    let findings = briefing_ls::limits::run_checks(text, &figs, config, lang);
    assert!(
        !PANICKED.load(std::sync::atomic::Ordering::SeqCst),
        "a check panicked (caught by the product)"
    );
    for d in &findings {
        assert!(valid(text, &d.span), "{} span {:?}", d.code, d.span);
        for fix in &d.fixes {
            let _ = tags::apply_edits(text, &fix.edits.to_vec());
        }
    }
    let _ = serde_json::to_string(&report::file_figures_json("-", text, &figs)).unwrap();
    let found = tags::find_lang(text, lang);
    let _ = tags::untag_all_edits_lang(text, lang);
    let edits = tags::tag_all_edits_lang(text, &figs, TagStyle::Span, lang);
    let tagged = tags::apply_edits(text, &edits);
    if found.is_empty() {
        let back = tags::apply_edits(&tagged, &tags::untag_all_edits_lang(&tagged, lang));
        assert_eq!(back, text, "tag all then untag all changed the text");
    }
    figs.len()
}

fn tags_case(sel: u8, text: &str) {
    let lang = if sel & 1 != 0 {
        Language::Plain
    } else {
        Language::Markdown
    };
    for t in tags::find_lang(text, lang) {
        assert!(valid(text, &t.span) && valid(text, &t.inner));
        if let Ok(m) = t.meaning() {
            let _ = m.describe();
        }
    }
    analyse_everything(text, &Config::default(), lang);
}

fn config_case(sel: u8, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if sel & 1 == 0 {
        if let Err(e) = Config::from_toml(&text) {
            if let Some(span) = e.span {
                assert!(span.start <= span.end && span.end <= text.len());
            }
        }
    } else if let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) {
        let mut c = Config::default();
        let before = c.clone();
        if c.apply_json(&v).is_err() {
            assert_eq!(c, before);
        }
    }
}

#[test]
fn inputs_that_crashed_the_fuzzers_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut n = 0;
    for target in ["figures", "tags", "config"] {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let Some((&sel, rest)) = data.split_first() else {
                continue;
            };
            let rest = rest.to_vec();
            let name = path.display().to_string();
            within_watchdog(&name, move || {
                let text = String::from_utf8_lossy(&rest);
                match target {
                    "figures" => figures_case(sel, &text),
                    "tags" => tags_case(sel, &text),
                    _ => config_case(sel, &rest),
                }
            });
            n += 1;
        }
    }
    assert!(n > 0, "no regression inputs found under {}", root.display());
}

/// Run `f` on another thread; fail if it panics or outlives the watchdog.
fn within_watchdog(name: &str, f: impl FnOnce() + Send + 'static) -> Duration {
    let (tx, rx) = mpsc::channel();
    let t0 = Instant::now();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            f();
            let _ = tx.send(());
        })
        .unwrap();
    match rx.recv_timeout(WATCHDOG) {
        Ok(()) => {
            let took = t0.elapsed();
            eprintln!("{name}: {took:?}");
            took
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: panicked"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: no result within {WATCHDOG:?}"),
    }
}

#[test]
fn pathological_documents_are_analysed_in_bounded_time() {
    for (name, text) in pathological() {
        let bytes = text.len();
        within_watchdog(name, move || {
            // What the server does on every edit: figures, capped checks, tags.
            let config = Config::default();
            let figs = figures::extract_lang(&text, &config, Language::Markdown);
            let findings =
                briefing_ls::limits::run_checks(&text, &figs, &config, Language::Markdown);
            let tags = tags::find(&text);
            eprintln!(
                "{name}: {bytes} bytes, {} figures, {} findings, {} tags",
                figs.len(),
                findings.len(),
                tags.len()
            );
        });
    }
}
