//! The figure engine and the checks on any text: no panic, no hang, and every span they
//! report lies inside the text on character boundaries (hover, export and quick fixes slice
//! the text with them).
//!
//! Input: one byte of settings (decimal mark, `tons`, style, Markdown or plain text), then
//! the document (invalid UTF-8 is replaced, as an editor would never send it).

#![no_main]

use briefing_ls::config::{Style, Tons};
use briefing_ls::prose::Language;
use briefing_ls::{checks, figures, report, tags, Config};
use libfuzzer_sys::fuzz_target;

fn valid(text: &str, r: &std::ops::Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut config = Config::default();
    if sel & 1 != 0 {
        config.decimal = ',';
    }
    config.tons = match (sel >> 1) % 3 {
        0 => Tons::Metric,
        1 => Tons::Short,
        _ => Tons::Long,
    };
    config.style = match (sel >> 3) % 3 {
        0 => Style::Ap,
        1 => Style::Chicago,
        _ => Style::None,
    };
    let lang = if sel & 0x40 != 0 {
        Language::Plain
    } else {
        Language::Markdown
    };

    let figs = figures::extract_lang(&text, &config, lang);
    for f in &figs {
        assert!(valid(&text, &f.span), "figure span {:?}", f.span);
        assert!(
            f.span.start <= f.number.start && f.number.end <= f.span.end,
            "number {:?} outside figure {:?}",
            f.number,
            f.span
        );
        let _ = f.interval();
    }
    let findings = checks::run_all(&text, &figs, &config);
    for d in &findings {
        assert!(valid(&text, &d.span), "{} span {:?}", d.code, d.span);
        for r in &d.related {
            assert!(valid(&text, &r.span), "{} related {:?}", d.code, r.span);
        }
        for fix in &d.fixes {
            for e in &fix.edits {
                assert!(
                    valid(&text, &(e.start..e.end)),
                    "{} fix {:?}",
                    d.code,
                    e.start..e.end
                );
            }
            let _ = tags::apply_edits(&text, &fix.edits.to_vec());
        }
    }
    let json = report::file_figures_json("-", &text, &figs);
    let _ = serde_json::to_string(&json).expect("figures JSON serialises");
});
