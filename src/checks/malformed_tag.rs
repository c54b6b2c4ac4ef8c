//! `malformed-tag`: a structured tag that does not parse.
//!
//! The logic lives with the tags (`crate::tags`), which parse both syntaxes; this file is
//! the check's registry entry and documentation.

use super::{Check, Cx, Finding, Severity};

pub(crate) const CHECK: Check = Check {
    code: "malformed-tag",
    summary: "A structured tag does not parse",
    severity: Severity::Error,
    explanation: "\
Catches a structured tag (SPEC §4) that cannot be read: an unclosed brace or quote, a \
missing `.fig` class, an attribute without a value, a `value` that is not a number, an \
unknown unit: `[800 kg]{.fig value=8O0 unit=kg}`, `<data class=\"fig\" value=\"148\">148 weapons`.

**Why it matters.** A broken tag silently drops the figure from every export, and some \
renderers print the markup into the published text.

**Fires:**

    Police seized [148 weapons]{.fig value=14x8}.

**Does not fire:**

    Police seized [148 weapons]{.fig value=148 noun=weapons}.

**Configure.** `[checks] malformed-tag = \"off\"` (or any severity) in `.briefing-ls.toml`; \
silence one place with `<!-- briefing-ls: ignore malformed-tag -->`.",
    run,
};

fn run(cx: &Cx) -> Vec<Finding> {
    if !cx.may_hold_tags() {
        return Vec::new();
    }
    crate::tags::malformed_tag_findings(cx)
}
