//! Completion inside a tag's `{...}`: attribute names, then values — canonical units for
//! `unit`/`per`, qualifiers for `qual`, the configured categories for `cat`.
//! Outside a tag's braces it offers nothing, so typing prose is never interrupted.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::convert;
use super::Inner;
use crate::tags::{self, AttrContext};

/// Attribute names of SPEC §4, with what each holds.
const ATTRIBUTES: &[(&str, &str)] = &[
    ("value", "the value, scale applied (707000000000)"),
    ("low", "a range's lower end"),
    ("high", "a range's upper end"),
    ("unit", "canonical unit (omitted for counts)"),
    ("qual", "qualifier (omitted when exact)"),
    ("noun", "counted noun"),
    ("per", "denominator of a rate (t, day, share)"),
    ("id", "a key: all tags with one id must agree"),
    ("cat", "category from the configured taxonomy"),
];

/// Qualifiers (SPEC §6), as `qual` takes them.
const QUALIFIERS: &[&str] = &["approx", "over", "at_least", "under", "at_most", "range"];

/// Canonical units of SPEC §2 with their dimensions, most common currencies first.
// The core's unit table (figures::units) is the authority for parsing; this is the list
// offered while typing a tag, kept to the SPEC's canonical spellings.
const UNITS: &[(&str, &str)] = &[
    ("USD", "currency"),
    ("EUR", "currency"),
    ("GBP", "currency"),
    ("KZT", "currency"),
    ("RUB", "currency"),
    ("CNY", "currency"),
    ("JPY", "currency"),
    ("INR", "currency"),
    ("%", "percent"),
    ("pp", "percent"),
    ("bp", "percent"),
    ("mg", "mass"),
    ("g", "mass"),
    ("kg", "mass"),
    ("t", "mass"),
    ("ton_us", "mass"),
    ("ton_uk", "mass"),
    ("lb", "mass"),
    ("oz", "mass"),
    ("troy_oz", "mass"),
    ("mm", "length"),
    ("cm", "length"),
    ("m", "length"),
    ("km", "length"),
    ("in", "length"),
    ("ft", "length"),
    ("yd", "length"),
    ("mi", "length"),
    ("nmi", "length"),
    ("m2", "area"),
    ("km2", "area"),
    ("ha", "area"),
    ("acre", "area"),
    ("ft2", "area"),
    ("mi2", "area"),
    ("ml", "volume"),
    ("L", "volume"),
    ("m3", "volume"),
    ("ft3", "volume"),
    ("gal", "volume"),
    ("bbl", "volume"),
    ("s", "time"),
    ("min", "time"),
    ("h", "time"),
    ("day", "time"),
    ("week", "time"),
    ("month", "time"),
    ("year", "time"),
    ("km/h", "speed"),
    ("mph", "speed"),
    ("m/s", "speed"),
    ("kn", "speed"),
    ("J", "energy"),
    ("kWh", "energy"),
    ("MWh", "energy"),
    ("GWh", "energy"),
    ("TWh", "energy"),
    ("Btu", "energy"),
    ("W", "power"),
    ("kW", "power"),
    ("MW", "power"),
    ("GW", "power"),
    ("B", "data"),
    ("KB", "data"),
    ("MB", "data"),
    ("GB", "data"),
    ("TB", "data"),
    ("PB", "data"),
    ("bit", "data"),
    ("degC", "temperature"),
    ("degF", "temperature"),
    ("K", "temperature"),
];

impl Inner {
    pub(crate) async fn completion(
        &self,
        params: CompletionParams,
    ) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let Some(snap) = self.snapshot(&at.text_document.uri) else {
            return Ok(None);
        };
        super::guarded("completion", || {
            let offset = convert::offset(&snap.rope, at.position, snap.encoding);
            // Tags sit on one line or a few; the current line and the ones around it are
            // enough context, which keeps completion O(line) in a large document.
            let line = snap.rope.byte_to_line(offset);
            let first = line.saturating_sub(2);
            let last = (line + 3).min(snap.rope.len_lines());
            let start = snap.rope.line_to_byte(first);
            let window = snap
                .rope
                .byte_slice(start..snap.rope.line_to_byte(last))
                .to_string();
            let items = match tags::attr_context(&window, offset - start)? {
                AttrContext::Name => ATTRIBUTES.iter().map(|(n, d)| attribute(n, d)).collect(),
                AttrContext::Value(name) => values(&name, &snap.config.categories),
            };
            Some(CompletionResponse::Array(items))
        })
        .map(|r| r.filter(|c| !matches!(c, CompletionResponse::Array(v) if v.is_empty())))
    }
}

fn attribute(name: &str, detail: &str) -> CompletionItem {
    CompletionItem {
        label: name.into(),
        kind: Some(CompletionItemKind::PROPERTY),
        detail: Some(detail.into()),
        insert_text: Some(format!("{name}=")),
        ..CompletionItem::default()
    }
}

fn values(attr: &str, categories: &[String]) -> Vec<CompletionItem> {
    let item = |label: &str, detail: &str, kind| CompletionItem {
        label: label.into(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.into()),
        ..CompletionItem::default()
    };
    match attr {
        "unit" | "per" => UNITS
            .iter()
            .map(|(u, d)| item(u, d, CompletionItemKind::UNIT))
            .collect(),
        "qual" => QUALIFIERS
            .iter()
            .map(|q| item(q, "", CompletionItemKind::ENUM_MEMBER))
            .collect(),
        "cat" => categories
            .iter()
            .map(|c| item(c, "category", CompletionItemKind::ENUM_MEMBER))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lists() {
        let cats = vec!["arrests".to_string(), "seizures".to_string()];
        let labels = |v: Vec<CompletionItem>| v.into_iter().map(|i| i.label).collect::<Vec<_>>();
        assert_eq!(labels(values("cat", &cats)), cats);
        assert!(labels(values("unit", &cats)).contains(&"KZT".to_string()));
        assert!(labels(values("qual", &cats)).contains(&"at_least".to_string()));
        assert!(values("value", &cats).is_empty());
    }
}
