//! Machine-readable output shared by the CLI and the server: the `figures` JSON of SPEC §6,
//! and diagnostics as text, JSON and SARIF ([`diagnostics`]).

pub mod diagnostics;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::figures::Figure;
use crate::position::{Encoding, LineIndex};
use crate::tags::Tag;

/// A decimal as a JSON number: an integer when it is one, else the nearest double.
pub fn number(d: Decimal) -> Value {
    let d = d.normalize();
    if d.fract().is_zero() {
        if let Some(i) = d.to_i64() {
            return Value::from(i);
        }
    }
    d.to_f64().map(Value::from).unwrap_or(Value::Null)
}

fn opt_number(d: Option<Decimal>) -> Value {
    d.map(number).unwrap_or(Value::Null)
}

/// The attributes of a tag as a JSON object (`{"value": "707000000000", "unit": "KZT"}`).
pub fn tag_json(tag: &Tag) -> Value {
    let mut m = Map::new();
    for (k, v) in &tag.attrs {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(m)
}

/// One figure as SPEC §6 shows it. `tag` is the tag that wraps the figure, if any.
pub fn figure_json(text: &str, idx: &LineIndex, f: &Figure, tag: Option<&Tag>) -> Value {
    let lc = idx.to_line_col(text, f.span.start(), Encoding::Chars);
    json!({
        "text": text.get(f.span.range()).unwrap_or(""),
        "start": f.span.start(),
        "end": f.span.end(),
        "line": lc.line + 1,
        "column": lc.col + 1,
        "value": opt_number(f.value.get()),
        "low": opt_number(f.low()),
        "high": opt_number(f.high()),
        "qualifier": f.qualifier.as_str(),
        "unit": f.unit,
        "per": f.per(),
        "noun": f.noun,
        "dimension": f.dimension.as_str(),
        "normalized": {"value": opt_number(f.normalized_value.get()), "unit": f.normalized_unit()},
        "tag": tag.map(tag_json).unwrap_or(Value::Null),
    })
}

/// The tag wrapping a figure (the innermost tag whose text overlaps the figure: a
/// qualifier written outside the tag, `exceeded [707 billion tenge]{.fig ...}`, still counts).
pub fn tag_of<'a>(tags: &'a [Tag], f: &Figure) -> Option<&'a Tag> {
    crate::tags::tag_for(tags, f)
}

/// `{"path": ..., "figures": [...]}` for one document.
pub fn file_figures_json(path: &str, text: &str, figures: &[Figure]) -> Value {
    let idx = LineIndex::new(text);
    let tags = crate::tags::find(text);
    let figs: Vec<Value> = figures
        .iter()
        .map(|f| figure_json(text, &idx, f, tag_of(&tags, f)))
        .collect();
    json!({"path": path, "figures": figs})
}
