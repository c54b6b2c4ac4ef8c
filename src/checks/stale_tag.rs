//! `stale-tag`: a structured tag whose attributes no longer match its text.
//!
//! The logic lives with the tags (`crate::tags`), which parse both syntaxes; this file is
//! the check's registry entry and documentation.

use super::{Check, Cx, Finding, Severity};

pub(crate) const CHECK: Check = Check {
    code: "stale-tag",
    summary: "A structured tag's attributes no longer match its text",
    severity: Severity::Warning,
    explanation: "\
Catches a structured tag (SPEC §4) whose text was edited after it was tagged, so that its \
attributes say something else: `[800 kg]{.fig value=900 unit=kg}`, or \
`<data class=\"fig\" value=\"148\">150 weapons</data>`.

**Why it matters.** Tags are what fact-checking desks and dashboards read. A stale tag \
exports a number the text no longer says, and nobody sees it in the rendered document.

**Fires:**

    Police seized [150 weapons]{.fig value=148 noun=weapons}.

**Does not fire:**

    Police seized [148 weapons]{.fig value=148 noun=weapons}.

**Fix.** Update the tag's attributes from its text.

**Configure.** `[checks] stale-tag = \"off\"` (or any severity) in `.briefing-ls.toml`; \
silence one place with `<!-- briefing-ls: ignore stale-tag -->`.",
    run,
};

fn run(cx: &Cx) -> Vec<Finding> {
    if !cx.may_hold_tags() {
        return Vec::new();
    }
    crate::tags::stale_tag_findings(cx)
}
