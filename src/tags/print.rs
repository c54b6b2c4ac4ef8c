//! Writing tags: the attributes of a figure, and the markup of each syntax.
//!
//! Attributes are written in one order in both syntaxes: `id`, the class `fig` and any other
//! classes, `value` (or `low`, `high`), `unit`, `qual`, `noun`, `per`, `cat`, then attributes
//! this tool does not know, in the order they were written.

use super::meaning::{format_decimal, ATTRIBUTES};
use crate::figures::{Figure, Qualifier};

/// The attributes a tag for `figure` carries (no `id` or `cat`: those are the author's), in
/// written order; `None` when the figure has no number to write.
pub(crate) fn figure_attrs(f: &Figure) -> Option<Vec<(String, String)>> {
    let mut a: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| a.push((k.to_string(), v));
    match (f.value.get(), f.low(), f.high()) {
        (Some(v), _, _) => push("value", format_decimal(v)),
        (None, Some(l), Some(h)) => {
            push("low", format_decimal(l));
            push("high", format_decimal(h));
        }
        _ => return None,
    }
    if let Some(u) = f.unit.filter(|u| !u.trim().is_empty()) {
        push("unit", u.to_string());
    }
    let ranged = f.value.is_none();
    match f.qualifier {
        Qualifier::Exact => {}
        Qualifier::Range if ranged => {}
        q => push("qual", q.as_str().to_string()),
    }
    if let Some(n) = f.noun.as_deref().filter(|n| !n.trim().is_empty()) {
        push("noun", n.to_string());
    }
    if let Some(p) = f.per().filter(|p| !p.trim().is_empty()) {
        push("per", p.to_string());
    }
    Some(a)
}

/// The attributes of an updated tag: the figure's, then the tag's own `cat` and unknown
/// attributes (in their order). `id` is handled by the callers, which write it first.
pub(crate) fn merged_attrs(
    figure_attrs: Vec<(String, String)>,
    old: &[(String, String)],
) -> Vec<(String, String)> {
    let mut out = figure_attrs;
    out.extend(old.iter().filter(|(k, _)| k == "cat").cloned());
    out.extend(
        old.iter()
            .filter(|(k, _)| !ATTRIBUTES.contains(&k.as_str()))
            .cloned(),
    );
    out
}

fn needs_quotes(v: &str) -> bool {
    v.is_empty()
        || v.chars().any(|c| {
            c.is_whitespace() || matches!(c, '"' | '\'' | '{' | '}' | '\\' | '=' | '[' | ']')
        })
}

/// A span attribute value, double-quoted (with `\"` and `\\`) when it must be.
fn span_value(v: &str) -> String {
    if !needs_quotes(v) {
        return v.to_string();
    }
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        if matches!(c, '"' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

fn simple_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.'))
}

/// A span tag's attribute block: `{#id .fig .other value=5 unit=t cat=seizures}`.
pub(crate) fn span_block(
    id: Option<&str>,
    classes: &[String],
    attrs: &[(String, String)],
) -> String {
    let mut s = String::from("{");
    match id {
        Some(id) if simple_id(id) => {
            s.push('#');
            s.push_str(id);
            s.push(' ');
        }
        Some(id) => {
            s.push_str("id=");
            s.push_str(&span_value(id));
            s.push(' ');
        }
        None => {}
    }
    s.push_str(".fig");
    for c in classes {
        s.push_str(" .");
        s.push_str(c);
    }
    for (k, v) in attrs {
        s.push(' ');
        s.push_str(k);
        s.push('=');
        s.push_str(&span_value(v));
    }
    s.push('}');
    s
}

/// A value escaped for a double-quoted HTML attribute.
pub(crate) fn html_escape(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '"' => s.push_str("&quot;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            c => s.push(c),
        }
    }
    s
}

/// The HTML name of a canonical attribute (`unit` → `data-unit`); unknown names are kept.
pub(crate) fn html_name(key: &str) -> String {
    match key {
        "value" | "id" => key.to_string(),
        "low" | "high" | "unit" | "qual" | "noun" | "per" | "cat" => format!("data-{key}"),
        other => other.to_string(),
    }
}

/// An HTML tag's start tag: `<data class="fig" id="x" value="5" data-unit="t">`. A range is
/// written `value="10..15" data-low="10" data-high="15"`, since HTML requires `value`.
pub(crate) fn html_start(
    id: Option<&str>,
    classes: &[String],
    attrs: &[(String, String)],
) -> String {
    let mut s = String::from("<data class=\"fig");
    for c in classes {
        s.push(' ');
        s.push_str(&html_escape(c));
    }
    s.push('"');
    let mut push = |k: &str, v: &str| {
        s.push(' ');
        s.push_str(&html_name(k));
        s.push_str("=\"");
        s.push_str(&html_escape(v));
        s.push('"');
    };
    if let Some(id) = id {
        push("id", id);
    }
    let low = attrs.iter().find(|(k, _)| k == "low");
    let high = attrs.iter().find(|(k, _)| k == "high");
    if let (Some((_, l)), Some((_, h)), false) =
        (low, high, attrs.iter().any(|(k, _)| k == "value"))
    {
        push("value", &format!("{l}..{h}"));
    }
    for (k, v) in attrs {
        push(k, v);
    }
    s.push('>');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn span_blocks_quote_and_escape() {
        assert_eq!(
            span_block(
                Some("weapons-seized"),
                &[],
                &kv(&[("value", "148"), ("noun", "weapons"), ("cat", "seizures")])
            ),
            "{#weapons-seized .fig value=148 noun=weapons cat=seizures}"
        );
        assert_eq!(
            span_block(
                None,
                &["big".into()],
                &kv(&[("value", "18"), ("noun", "drug \"trafficking\" channels")])
            ),
            r#"{.fig .big value=18 noun="drug \"trafficking\" channels"}"#
        );
        assert_eq!(
            span_block(Some("a b"), &[], &kv(&[("value", "1")])),
            r#"{id="a b" .fig value=1}"#
        );
        assert_eq!(
            span_block(
                None,
                &[],
                &kv(&[("low", "10"), ("high", "15"), ("unit", "%")])
            ),
            "{.fig low=10 high=15 unit=%}"
        );
    }

    #[test]
    fn html_start_tags_map_and_escape() {
        assert_eq!(
            html_start(
                None,
                &[],
                &kv(&[("value", "707000000000"), ("unit", "KZT")])
            ),
            r#"<data class="fig" value="707000000000" data-unit="KZT">"#
        );
        assert_eq!(
            html_start(
                Some("x"),
                &[],
                &kv(&[
                    ("low", "10"),
                    ("high", "15"),
                    ("unit", "%"),
                    ("title", "a \"b\" & c")
                ])
            ),
            r#"<data class="fig" id="x" value="10..15" data-low="10" data-high="15" data-unit="%" title="a &quot;b&quot; &amp; c">"#
        );
    }
}
