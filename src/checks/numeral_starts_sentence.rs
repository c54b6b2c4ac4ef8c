//! `numeral-starts-sentence`: a sentence that begins with a numeral.

use super::doc::UnitKind;
use super::{words, Check, Cx, Edit, Finding, Fix, Severity};
use crate::figures::Dimension;

pub(crate) const CHECK: Check = Check {
    code: "numeral-starts-sentence",
    summary: "A sentence begins with a numeral",
    severity: Severity::Info,
    explanation:
        "\
Catches a sentence whose first word is a numeral, such as `10 drug laboratories have been \
closed.` or `97% of seizures occur at the border.`

**Why it matters.** Every major style guide (AP, Chicago, the UN and EU guides) spells out \
a number that starts a sentence: after a full stop a numeral reads as the end of the \
previous figure (`... by the end of May. 10 ...`) and is easy to misread when a line wraps.

**Fires:**

    Officers searched the port. 10 drug laboratories have been closed.

**Does not fire:**

    Officers searched the port. Ten drug laboratories have been closed.
    - 18 international channels        (a list item that is not a sentence)
    2024 was a record year.            (a year is not a figure)

**Fix.** Spell the number out (`10` → `Ten`, `97%` → `Ninety-seven percent`); for a large \
or decimal number, reword the sentence so that it starts with a word.

**Configure.** `[checks] numeral-starts-sentence = \"off\"` (or any severity) in \
`.briefing-ls.toml`; silence one place with `<!-- briefing-ls: ignore numeral-starts-sentence -->`.",
    run,
};

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (s_idx, s) in cx.doc.sentences.iter().enumerate() {
        if matches!(s.kind, UnitKind::Cell | UnitKind::Line) {
            continue;
        }
        let body = cx.mask().get(s.range.clone()).unwrap_or("");
        if !body.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        // A real sentence: a few words and a full stop, not a label or a list entry.
        let words = body.split_whitespace().count();
        if words < 3
            || !body
                .trim_end_matches(['"', '\'', '”', '’', ')', '*', '_'])
                .ends_with(['.', '!', '?'])
        {
            continue;
        }
        let Some(i) = cx
            .doc
            .sentence_figures(s_idx)
            .find(|&i| cx.figures[i].number.start() == s.range.start)
        else {
            continue;
        };
        let f = &cx.figures[i];
        let number = cx.number_text(i);
        let mut finding = cx.finding(
            &CHECK,
            f.number.range(),
            join!(
                "This sentence starts with the numeral `",
                number,
                "`: spell it out or reword the sentence"
            ),
        );
        if let Some((edit, shown)) = spell_out(cx, i) {
            finding.message = join!(
                "This sentence starts with the numeral `",
                number,
                "`: spell it out (`",
                shown,
                "`) or reword the sentence"
            )
            .into();
            finding.fixes.push(Fix {
                title: join!("Spell out: ", shown).into(),
                edits: vec![edit].into(),
            });
        }
        out.push(finding);
    }
    out
}

/// The edit that spells out a figure's number at the start of a sentence, and the new text.
fn spell_out(cx: &Cx, i: usize) -> Option<(Edit, String)> {
    let f = &cx.figures[i];
    let digits = super::arith::digits_text(cx, i)?;
    if digits.contains(cx.config.decimal) {
        return None;
    }
    let n: u64 = digits
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()?;
    let number = cx.number_text(i);
    let after_digits = &number[number.find(digits)? + digits.len()..];
    let mut text = words::to_words(n)?;
    if text.split_whitespace().count() > 4 {
        return None;
    }
    let mut end = f.number.end();
    let rest = after_digits.trim();
    if !rest.is_empty() {
        // `5 million` → `Five million`; abbreviations (`5m`, `5 mln`) are spelled in full.
        let word = match rest.to_ascii_lowercase().as_str() {
            "million" | "mln" | "m" | "mn" => "million",
            "billion" | "bln" | "bn" | "b" => "billion",
            "trillion" | "tn" | "trn" => "trillion",
            "thousand" | "k" => "thousand",
            _ => return None,
        };
        text = format!("{text} {word}");
    }
    if f.dimension == Dimension::Percent {
        if let Some(u) = f.written.unit_span.get() {
            if cx.slice(u.clone()).trim() == "%" && u.start >= f.number.end() {
                text.push_str(" percent");
                end = u.end;
            }
        }
    }
    let shown = words::capitalise(&text);
    Some((
        Edit {
            start: f.number.start(),
            end,
            text: shown.clone().into(),
        },
        shown,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, fixed};
    use super::CHECK;

    #[test]
    fn flags_a_numeral_after_a_full_stop() {
        check(
            &CHECK,
            "Officers searched the port. 10 drug laboratories have been closed.",
            "1:29 This sentence starts with the numeral `10`: spell it out (`Ten`) or reword the sentence",
        );
        assert_eq!(
            fixed(
                &CHECK,
                "Officers searched the port. 10 drug laboratories have been closed."
            ),
            "Officers searched the port. Ten drug laboratories have been closed."
        );
    }

    #[test]
    fn spells_out_percentages_and_large_counts() {
        assert_eq!(
            fixed(&CHECK, "97% of seizures occur at the border."),
            "Ninety-seven percent of seizures occur at the border."
        );
        assert_eq!(
            fixed(
                &CHECK,
                "It ended. 395 attempts to smuggle goods were stopped."
            ),
            "It ended. Three hundred ninety-five attempts to smuggle goods were stopped."
        );
    }

    #[test]
    fn silent_on_words_years_lists_and_labels() {
        check(&CHECK, "Ten drug laboratories have been closed.", "");
        check(&CHECK, "2024 was a record year for seizures.", "");
        check(
            &CHECK,
            "Channels closed:\n\n- 18 international channels\n- 9 regional channels\n",
            "",
        );
        check(
            &CHECK,
            "Growth reached 4.8% in May, with a 4. 8% increase in trade.",
            "",
        );
    }
}
