//! The logic of `stale-tag`, `malformed-tag` and the tag half of `conflicting-figures`.
//!
//! The check files in `checks/` register these under their codes; the logic lives here,
//! next to the parser it depends on.
//!
//! A `cat` outside the configured `categories` (when the list is non-empty) is reported by
//! [`malformed_tag_findings`] under the code `malformed-tag` with severity `warning` (SPEC
//! §4: "a `cat` outside the list is a warning"): the tag reads, but does not conform to the
//! project's taxonomy. Everything else `malformed-tag` reports is an `error`.

use super::scan::{self, Scan};
use super::{update_edits, FigureIndex, Meaning, Tag};
use crate::checks::{Context, Finding, Fix, Related, Severity};

fn finding(
    code: &'static str,
    severity: Severity,
    span: std::ops::Range<usize>,
    message: String,
) -> Finding {
    Finding {
        code,
        severity,
        message: message.into(),
        span,
        related: crate::checks::Shared::new(),
        fixes: crate::checks::Shared::new(),
    }
}

/// `malformed-tag`: tags that do not parse, or parse to no quantity (a non-number `value`,
/// `value` with `low`, an unknown `qual`, ...), each with a message that says what is wrong;
/// and (as warnings) tags whose `cat` is not among the configured categories.
pub fn malformed_tag_findings(cx: &Context) -> Vec<Finding> {
    let Scan { tags, broken } = scan::scan_part(cx.text, cx.lang, cx.at_start);
    let mut out: Vec<Finding> = broken
        .into_iter()
        .map(|b| finding("malformed-tag", Severity::Error, b.span, b.message))
        .collect();
    for tag in &tags {
        if cx
            .text
            .get(tag.inner.clone())
            .is_none_or(|s| s.trim().is_empty())
        {
            out.push(finding(
                "malformed-tag",
                Severity::Error,
                tag.span.clone(),
                "this tag wraps no text: put the figure it describes inside it".to_string(),
            ));
            continue;
        }
        match tag.meaning() {
            Err(message) => out.push(finding(
                "malformed-tag",
                Severity::Error,
                tag.span.clone(),
                message,
            )),
            Ok(m) => {
                if let Some(message) = category_problem(&m, &cx.config.categories) {
                    out.push(finding(
                        "malformed-tag",
                        Severity::Warning,
                        tag.span.clone(),
                        message,
                    ));
                }
            }
        }
    }
    out.sort_by_key(|f| (f.span.start, f.span.end));
    out
}

fn category_problem(m: &Meaning, categories: &[String]) -> Option<String> {
    let cat = m.cat.as_deref()?;
    if categories.is_empty() || categories.iter().any(|c| c == cat) {
        return None;
    }
    let near = categories.iter().find(|c| {
        c.eq_ignore_ascii_case(cat)
            || c.trim_end_matches('s')
                .eq_ignore_ascii_case(cat.trim_end_matches('s'))
    });
    Some(match near {
        Some(c) => format!("tag category `{cat}` is not a configured category: did you mean `{c}`?"),
        None => format!(
            "tag category `{cat}` is not a configured category (`categories` in .briefing-ls.toml): use one of {}",
            categories.join(", ")
        ),
    })
}

/// `stale-tag`: tags whose attributes no longer match the figure their text states (or
/// whose text states no figure any more). Fix: "Update tag".
pub fn stale_tag_findings(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let index = FigureIndex::new(cx.figures);
    for tag in scan::scan_part(cx.text, cx.lang, cx.at_start).tags {
        let Ok(m) = tag.meaning() else { continue };
        let inner = cx.text.get(tag.inner.clone()).unwrap_or("");
        if inner.trim().is_empty() {
            continue;
        }
        let Some(fig) = index.figure_for(&tag) else {
            out.push(finding(
                "stale-tag",
                Severity::Warning,
                tag.span.clone(),
                format!(
                    "this tag's text `{}` states no figure any more: write the figure back or remove the tag",
                    inner.trim()
                ),
            ));
            continue;
        };
        let mismatches = m.mismatches(fig);
        if mismatches.is_empty() {
            continue;
        }
        let what: Vec<String> = mismatches.iter().map(|x| x.to_string()).collect();
        let mut f = finding(
            "stale-tag",
            Severity::Warning,
            tag.span.clone(),
            format!(
                "tag no longer matches its text: {}; update the tag",
                what.join(", ")
            ),
        );
        let edits = update_edits(cx.text, &tag, fig);
        if !edits.is_empty() {
            f.fixes.push(Fix {
                title: "Update tag".to_string().into(),
                edits: edits.into(),
            });
        }
        out.push(f);
    }
    out
}

/// `conflicting-figures` for tags: every tag whose `id` an earlier tag already used with a
/// different quantity (value, range, unit or rate). Each finding points at the first tag.
pub fn tag_id_conflicts(cx: &Context) -> Vec<Finding> {
    tag_id_conflicts_of(&scan::scan_part(cx.text, cx.lang, cx.at_start).tags)
}

/// [`tag_id_conflicts`] of the tags of a document, already found (in document order).
pub(crate) fn tag_id_conflicts_of(tags: &[Tag]) -> Vec<Finding> {
    let mut first: Vec<(String, &Tag, Meaning)> = Vec::new();
    let mut out = Vec::new();
    for tag in tags {
        let Ok(m) = tag.meaning() else { continue };
        let Some(id) = m.id.clone() else { continue };
        let Some((_, t0, m0)) = first.iter().find(|(i, _, _)| *i == id) else {
            first.push((id, tag, m));
            continue;
        };
        let same = (m.value, m.low, m.high, &m.unit, &m.per)
            == (m0.value, m0.low, m0.high, &m0.unit, &m0.per);
        if same {
            continue;
        }
        let mut f = finding(
            "conflicting-figures",
            Severity::Warning,
            tag.span.clone(),
            format!(
                "tags with id `{id}` disagree: this one says {}, an earlier one says {}; tags with one id must agree",
                m.describe(),
                m0.describe()
            ),
        );
        f.related.push(Related {
            span: t0.span.clone(),
            message: format!("`{id}` is {} here", m0.describe()).into(),
        });
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::figure;
    use super::*;
    use crate::config::Config;

    fn run(
        f: fn(&Context) -> Vec<Finding>,
        text: &str,
        figures: &[crate::figures::Figure],
        config: &Config,
    ) -> Vec<String> {
        let cx = Context {
            text,
            figures,
            config,
            lang: crate::prose::Language::Markdown,
            at_start: true,
        };
        f(&cx)
            .into_iter()
            .map(|f| {
                format!(
                    "{} {} {}: {}",
                    f.severity.as_str(),
                    f.code,
                    &text[f.span],
                    f.message
                )
            })
            .collect()
    }

    #[test]
    fn malformed_tags_say_what_is_wrong() {
        let text = "[5 tons]{.fig value=abc} [6 tons]{.fig value=\"6}\n\n\
                    [7]{.fig value=7 low=6 high=8} [8]{.fig value=8 qual=about} []{.fig value=1}";
        let got = run(malformed_tag_findings, text, &[], &Config::default());
        assert_eq!(got.len(), 5, "{got:#?}");
        assert!(got[0].starts_with(
            "error malformed-tag [5 tons]{.fig value=abc}: tag `value` `abc` is not a number"
        ));
        assert!(got[1].contains("never closed"));
        assert!(got[2].contains("both `value` and `low`"));
        assert!(got[3].contains("`about` is unknown"));
        assert!(got[4].contains("wraps no text"));
    }

    #[test]
    fn categories_outside_the_taxonomy_are_warnings() {
        let text = "[148 weapons]{.fig value=148 cat=seizure} [35 people]{.fig value=35 cat=arrests} [1]{.fig value=1 cat=misc}";
        let mut config = Config::default();
        assert!(run(malformed_tag_findings, text, &[], &config).is_empty());
        config.categories = vec!["arrests".into(), "seizures".into(), "cyber".into()];
        let got = run(malformed_tag_findings, text, &[], &config);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(
            got[0].starts_with("warning malformed-tag")
                && got[0].contains("did you mean `seizures`")
        );
        assert!(got[1].contains("use one of arrests, seizures, cyber"));
    }

    #[test]
    fn stale_tags_are_found_and_fixed() {
        let text = "Seized [150 weapons]{#w .fig value=148 noun=weapons cat=seizures} and [5 kg]{.fig value=5 unit=t}.";
        let figs = [
            figure(text, "150 weapons", 150, None, Some("weapons")),
            figure(text, "5 kg", 5, Some("kg"), None),
        ];
        let cx = Context {
            text,
            figures: &figs,
            config: &Config::default(),
            lang: crate::prose::Language::Markdown,
            at_start: true,
        };
        let found = stale_tag_findings(&cx);
        assert_eq!(found.len(), 2);
        assert_eq!(
            &*found[0].message,
            "tag no longer matches its text: `value` is 148 but the text says 150; update the tag"
        );
        assert_eq!(
            &*found[1].message,
            "tag no longer matches its text: `unit` is t but the text says kg; update the tag"
        );
        let fixed = crate::tags::apply_edits(text, &found[0].fixes.to_vec()[0].edits.to_vec());
        assert_eq!(fixed, "Seized [150 weapons]{#w .fig value=150 noun=weapons cat=seizures} and [5 kg]{.fig value=5 unit=t}.");
        assert_eq!(&*found[0].fixes.to_vec()[0].title, "Update tag");
    }

    #[test]
    fn matching_tags_and_tags_saying_more_are_not_stale() {
        let text = "It exceeded [707 billion]{.fig value=707000000000 unit=KZT} and [13]{.fig value=13 noun=suspects}.";
        let figs = [
            figure(text, "707 billion", 707_000_000_000, None, None),
            figure(text, "13", 13, None, None),
        ];
        assert!(run(stale_tag_findings, text, &figs, &Config::default()).is_empty());
        let text = "Police seized [many weapons]{.fig value=148 noun=weapons}.";
        let got = run(stale_tag_findings, text, &[], &Config::default());
        assert!(got[0].contains("states no figure"), "{got:?}");
    }

    #[test]
    fn tags_with_one_id_must_agree() {
        let text = "[148 weapons]{#w .fig value=148 noun=weapons} ... [148 guns]{#w .fig value=148 noun=guns} \
                    ... <data class=\"fig\" id=\"w\" value=\"150\">150</data>";
        let cx = Context {
            text,
            figures: &[],
            config: &Config::default(),
            lang: crate::prose::Language::Markdown,
            at_start: true,
        };
        let got = tag_id_conflicts(&cx);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].code, "conflicting-figures");
        assert_eq!(
            &*got[0].message,
            "tags with id `w` disagree: this one says 150, an earlier one says 148 weapons; tags with one id must agree"
        );
        assert_eq!(
            got[0].related.to_vec()[0].span,
            0..text.find(" ...").unwrap()
        );
    }
}
