//! Property tests for structured tags over generated Markdown documents (paragraphs, soft
//! line breaks, headings, lists, tables, block quotes, fenced code, inline code, links,
//! emphasis, HTML comments, emoji and other multi-byte text, stray brackets, CRLF).
//!
//! Over the figure engine ([`briefing_ls::figures::extract`]): tag-all then untag-all gives
//! the original bytes; tag-all twice changes nothing the second time; every produced tag
//! parses back to its figure; tagged documents keep their Markdown structure. These hold
//! trivially when the engine finds nothing; `engine_tags_generated_documents` makes sure
//! they do not stay trivial.
//!
//! Independent of the engine: hand-built figures with awkward nouns and units (quotes,
//! backslashes, `&`, `<`, braces, spaces) are tagged and read back exactly, and nothing
//! panics on arbitrary text.

use std::str::FromStr;

use briefing_ls::checks::Context;
use briefing_ls::config::TagStyle;
use briefing_ls::figures::{Dimension, Figure, Qualifier, Written};
use briefing_ls::tags;
use briefing_ls::Config;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn fragment() -> impl Strategy<Value = String> {
    let fixed: Vec<&'static str> = vec![
        // Figures.
        "148 weapons",
        "over 4,431 pieces of ammunition",
        "707 billion tenge",
        "10–15%",
        "about 800kg",
        "14 tonnes",
        "$1.2bn",
        "seven thousand violators",
        "12 km",
        "3 percentage points",
        "from 5 to 7 million",
        "between 10 and 15 tonnes",
        "€870m",
        "2.5 million barrels per day",
        "$1,500 a tonne",
        "up to 35 people",
        "nearly 90%",
        "1.4 mln",
        // Not figures.
        "in 2024",
        "on 30 April 2024",
        "Article 5",
        "the 3rd time",
        "at 10:30",
        // Inline Markdown.
        "`9 kg`",
        "[the 5 km report](https://x.example/5)",
        "*25 schools*",
        "**6 cars**",
        "<!-- 7 tons -->",
        "https://example.org/8",
        "<b>4 boats</b>",
        // Awkward text.
        "😀",
        "naïve",
        "東京",
        "e\u{301}",
        "[",
        "]",
        "{",
        "}",
        "\\",
        "<",
        "&",
        "\"",
        "!",
        "the",
        "and",
        "were seized.",
        "officials said",
    ];
    prop_oneof![
        4 => proptest::sample::select(fixed).prop_map(str::to_string),
        1 => "[a-z]{1,8}",
    ]
}

fn sentence() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 1..8).prop_map(|v| v.join(" "))
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => sentence(),
        1 => (sentence(), sentence()).prop_map(|(a, b)| format!("{a}\n{b}")),
        1 => sentence().prop_map(|s| format!("# {s}")),
        1 => proptest::collection::vec(sentence(), 1..4)
            .prop_map(|v| v.iter().map(|s| format!("- {s}")).collect::<Vec<_>>().join("\n")),
        1 => proptest::collection::vec(sentence(), 1..3)
            .prop_map(|v| v.iter().enumerate().map(|(i, s)| format!("{}. {s}", i + 1)).collect::<Vec<_>>().join("\n")),
        1 => (sentence(), sentence()).prop_map(|(a, b)| format!("| Item | Amount |\n|---|---|\n| {a} | {b} |")),
        1 => sentence().prop_map(|s| format!("```\n{s}\n```")),
        1 => sentence().prop_map(|s| format!("> {s}")),
    ]
}

fn document() -> impl Strategy<Value = String> {
    (proptest::collection::vec(block(), 1..6), any::<bool>()).prop_map(|(blocks, crlf)| {
        let doc = blocks.join("\n\n") + "\n";
        if crlf {
            doc.replace('\n', "\r\n")
        } else {
            doc
        }
    })
}

fn tag_all(text: &str, style: TagStyle) -> (String, usize) {
    let figures = briefing_ls::figures::extract(text, &Config::default());
    let edits = tags::tag_all_edits(text, &figures, style);
    (tags::apply_edits(text, &edits), edits.len() / 2)
}

fn untag_all(text: &str) -> String {
    tags::apply_edits(text, &tags::untag_all_edits(text))
}

/// The HTML elements pulldown-cmark renders, in order, leaving out the `data` elements.
fn elements(md: &str) -> Vec<String> {
    use pulldown_cmark::{html, Options, Parser};
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES),
    );
    out.split('<')
        .skip(1)
        .map(|s| {
            s.split(|c: char| c == '>' || c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_string()
        })
        .filter(|n| n != "data" && n != "/data")
        .collect()
}

const STYLES: [TagStyle; 2] = [TagStyle::Span, TagStyle::Html];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn tag_then_untag_gives_the_original_bytes(doc in document()) {
        for style in STYLES {
            let (tagged, _) = tag_all(&doc, style);
            prop_assert_eq!(untag_all(&tagged), doc.clone());
        }
    }

    #[test]
    fn tagging_twice_changes_nothing_the_second_time(doc in document()) {
        for style in STYLES {
            let (once, _) = tag_all(&doc, style);
            let (twice, n) = tag_all(&once, style);
            prop_assert_eq!(n, 0, "second pass tagged again:\n{}", once);
            prop_assert_eq!(twice, once);
        }
    }

    #[test]
    fn every_produced_tag_reads_back_as_its_figure(doc in document()) {
        let figures = briefing_ls::figures::extract(&doc, &Config::default());
        for style in STYLES {
            let edits = tags::tag_all_edits(&doc, &figures, style);
            let tagged = tags::apply_edits(&doc, &edits);
            let found = tags::find(&tagged);
            prop_assert_eq!(found.len(), edits.len() / 2, "in\n{}", tagged);
            for (tag, pair) in found.iter().zip(edits.chunks(2)) {
                let figure = figures.iter().find(|f| f.span.start() == pair[0].start).unwrap();
                let m = tag.meaning();
                prop_assert!(m.is_ok(), "{:?}", m);
                let m = m.unwrap();
                prop_assert!(m.mismatches(figure).is_empty(), "{:?} vs {:?}", m, figure);
                prop_assert_eq!((m.value, m.low, m.high), (figure.value.get(), if figure.value.is_some() { None } else { figure.low() }, if figure.value.is_some() { None } else { figure.high() }));
                prop_assert_eq!(m.unit.as_deref(), figure.unit);
                // The tag's text is the figure's text, byte for byte.
                prop_assert_eq!(&tagged[tag.inner.clone()], &doc[figure.span.range()]);
            }
        }
    }

    #[test]
    fn tagged_documents_keep_their_markdown_structure(doc in document()) {
        let before = elements(&doc);
        for style in STYLES {
            let (tagged, _) = tag_all(&doc, style);
            prop_assert_eq!(elements(&tagged), before.clone(), "in\n{}", tagged);
        }
    }
}

/// Depends on the figure engine: generated documents full of figures must get tags, so the
/// properties above are not vacuous.
#[test]
fn engine_tags_generated_documents() {
    let doc = "Police seized 148 weapons and over 4,431 pieces of ammunition.\r\n\r\n| a | b |\n|---|---|\n| 12 km | 707 billion tenge |\n";
    let (tagged, n) = tag_all(doc, TagStyle::Span);
    assert!(n >= 4, "only {n} figures tagged:\n{tagged}");
}

// ---------------------------------------------------------------------------------------
// Independent of the engine.

fn awkward_text() -> impl Strategy<Value = String> {
    // Blank values are not written (an empty attribute is malformed), so none are generated.
    proptest::string::string_regex(r#"[a-z "'\\&<>{}\[\]=#.%é😀]{1,12}"#)
        .unwrap()
        .prop_filter("blank", |s| !s.trim().is_empty())
}

fn qualifier() -> impl Strategy<Value = Qualifier> {
    proptest::sample::select(vec![
        Qualifier::Exact,
        Qualifier::Approx,
        Qualifier::Over,
        Qualifier::AtLeast,
        Qualifier::Under,
        Qualifier::AtMost,
    ])
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..10).prop_map(|(n, scale)| Decimal::new(n, scale))
}

prop_compose! {
    fn hand_figure()(
        value in decimal(),
        range in proptest::option::of((decimal(), decimal())),
        qualifier in qualifier(),
        unit in proptest::option::of(awkward_text()),
        noun in proptest::option::of(awkward_text()),
        per in proptest::option::of(awkward_text()),
    ) -> Figure {
        let (value, low, high, qualifier) = match range {
            Some((a, b)) => (None, Some(a.min(b)), Some(a.max(b)), Qualifier::Range),
            None => (Some(value), None, None, qualifier),
        };
        Figure {
            span: Default::default(),
            number: Default::default(),
            value: value.into(),
            rare: briefing_ls::figures::Rare::new(low, high, per.map(Into::into), Default::default()),
            qualifier,
            // A figure's unit is one of the engine's static names; an awkward one made
            // here lives as long as the test.
            unit: unit.map(String::leak).map(|u| &*u),
            noun: noun.map(Into::into),
            dimension: Dimension::Other,
            normalized_value: value.into(),
            precision: Decimal::ZERO,
            bare: false,
            elided: false,
            unit_inferred: false,
            written: Written::default(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any figure (awkward nouns and units included) tagged in any syntax reads back with the
    /// same value, range, qualifier, unit, noun and rate, and untagging restores the text.
    #[test]
    fn printed_tags_parse_back(mut fig in hand_figure(), before in "[a-z ]{0,6}", inner in "[a-z0-9 ,.]{1,10}") {
        let inner = inner.trim();
        prop_assume!(!inner.is_empty());
        let text = format!("{before}{inner} end.");
        fig.span = (before.len()..before.len() + inner.len()).into();
        for style in STYLES {
            let edits = tags::tag_edits(&text, &fig, style);
            prop_assert_eq!(edits.len(), 2, "{:?} not tagged", fig);
            let tagged = tags::apply_edits(&text, &edits);
            let found = tags::find(&tagged);
            prop_assert_eq!(found.len(), 1, "{}", tagged);
            let m = found[0].meaning().unwrap();
            prop_assert_eq!((m.value, m.low, m.high, m.qualifier), (fig.value.get(), fig.low(), fig.high(), fig.qualifier));
            prop_assert_eq!((m.unit.as_deref(), m.noun.as_deref(), m.per.as_deref()), (fig.unit, fig.noun.as_deref(), fig.per()), "{}", tagged);
            prop_assert_eq!(untag_all(&tagged), text.clone());
            // Tagging it again offers nothing; updating it changes nothing.
            prop_assert!(tags::tag_edits(&tagged, &fig, style).is_empty());
            let mut moved = fig.clone();
            moved.span = found[0].inner.clone().into();
            prop_assert!(tags::update_edits(&tagged, &found[0], &moved).is_empty());
        }
    }

    /// Numbers are written plainly: no exponent, no trailing zeros, and read back equal.
    #[test]
    fn decimals_print_plainly(d in decimal()) {
        let s = tags::format_decimal(d);
        prop_assert!(!s.contains('e') && !s.contains('E'));
        prop_assert!(!(s.contains('.') && s.ends_with('0')), "{}", s);
        prop_assert_eq!(Decimal::from_str(&s).unwrap(), d);
    }

    /// Nothing panics on arbitrary text rich in tag syntax, and the results are in bounds.
    #[test]
    fn arbitrary_text_never_panics(text in r#"([\[\]{}<>"'\\=#. \n\r`a-z0-9é😀]|\.fig|<data|</data>|class="fig"|value=|\n\n){0,60}"#, offset in 0usize..400) {
        let found = tags::find(&text);
        for t in &found {
            prop_assert!(t.span.start <= t.inner.start && t.inner.end <= t.span.end && t.span.end <= text.len());
        }
        for r in tags::markup_ranges(&text) {
            prop_assert!(r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
        let config = Config { categories: vec!["x".into()], ..Config::default() };
        let cx = Context { text: &text, figures: &[], config: &config, lang: briefing_ls::prose::Language::Markdown, at_start: true };
        for f in tags::malformed_tag_findings(&cx).into_iter().chain(tags::stale_tag_findings(&cx)).chain(tags::tag_id_conflicts(&cx)) {
            prop_assert!(f.span.end <= text.len() && text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        }
        let _ = tags::attr_context(&text, offset);
        let untagged = untag_all(&text);
        prop_assert!(untagged.len() <= text.len());
    }
}
