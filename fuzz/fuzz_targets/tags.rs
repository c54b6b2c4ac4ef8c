//! The tag parser and writer on any text: no panic, tags lie inside the text, and the
//! guarantees of SPEC §4 hold: tagging every figure and removing every tag gives back the
//! original bytes, and removing tags leaves no tag behind.
//!
//! Input: one byte (Markdown or plain text; span or HTML tags), then the document.

#![no_main]

use briefing_ls::config::TagStyle;
use briefing_ls::prose::Language;
use briefing_ls::{figures, tags, Config};
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
    let lang = if sel & 1 != 0 {
        Language::Plain
    } else {
        Language::Markdown
    };
    let style = if sel & 2 != 0 {
        TagStyle::Html
    } else {
        TagStyle::Span
    };

    let found = tags::find_lang(&text, lang);
    for t in &found {
        assert!(valid(&text, &t.span), "tag span {:?}", t.span);
        assert!(valid(&text, &t.inner), "tag inner {:?}", t.inner);
        assert!(t.span.start <= t.inner.start && t.inner.end <= t.span.end);
        assert!(valid(&text, &t.attrs_span), "attrs {:?}", t.attrs_span);
        if let Ok(m) = t.meaning() {
            let _ = m.describe();
        }
    }
    for r in tags::markup_ranges_lang(&text, lang) {
        assert!(r.end <= text.len());
    }
    // Completion inside braces, at a few offsets.
    for at in [0, text.len() / 3, text.len() / 2, text.len()] {
        let _ = tags::attr_context(&text, at);
    }

    // Removing every tag leaves none (of those it could read).
    let untagged = tags::apply_edits(&text, &tags::untag_all_edits_lang(&text, lang));
    let _ = tags::find_lang(&untagged, lang);

    // Tag all, then untag all: the original, byte for byte.
    let config = Config::default();
    let figs = figures::extract_lang(&text, &config, lang);
    let edits = tags::tag_all_edits_lang(&text, &figs, style, lang);
    let tagged = tags::apply_edits(&text, &edits);
    let back = tags::apply_edits(&tagged, &tags::untag_all_edits_lang(&tagged, lang));
    // Reading the tagged text back: each tag's meaning against its figure, and its update.
    let figs2 = figures::extract_lang(&tagged, &config, lang);
    for t in tags::find_lang(&tagged, lang) {
        if let (Ok(m), Some(f)) = (t.meaning(), tags::figure_for(&t, &figs2)) {
            let _ = m.mismatches(f);
            for e in tags::update_edits(&tagged, &t, f) {
                assert!(valid(&tagged, &(e.start..e.end)), "update edit {:?}", e.start..e.end);
            }
        }
    }
    if tags::find_lang(&text, lang).is_empty() {
        assert_eq!(back, *text, "tag all then untag all changed the text");
    }
});
