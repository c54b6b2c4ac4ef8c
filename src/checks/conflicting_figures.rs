//! `conflicting-figures`: the same thing given two different values in one document.

use std::collections::HashMap;

use super::arith;
use super::{Check, Cx, Finding, Severity};
use crate::figures::{Dimension, Qualifier, Text};

pub(crate) const CHECK: Check = Check {
    code: "conflicting-figures",
    summary: "One quantity is given two different values in one document",
    severity: Severity::Warning,
    explanation: "\
Catches one quantity stated twice with values that cannot both be true:

- two structured tags with the same `id` and different values;
- the same subject, unit and period described twice (`coffee sales reached almost 6.2 mln \
bags` ... `coffee sales were estimated at 6.13 mln bags`).

Each figure stands for the interval its digits and qualifier allow: a headline that rounds \
the body (`£1bn` for `£960m`) agrees with it, and `nearly 6.2 mln` means just under 6.2 \
million. Figures for different periods (`in 2003` vs `in 2004`) or in a change (`from`, \
`to`, `up`, `down`) are different quantities.

**Why it matters.** Two values for one fact mean at least one is wrong, and readers quote \
whichever they saw first.

**Fires:**

    Coffee sales reached almost 6.2 mln bags this season. ... Coffee sales were estimated at \
6.13 mln bags this season.

**Does not fire:**

    UK pledges £1bn to vaccines. ... The chancellor offered £960m over 15 years.

**Configure.** `[checks] conflicting-figures = \"off\"` (or any severity) in \
`.briefing-ls.toml`; silence one place with `<!-- briefing-ls: ignore conflicting-figures -->`.",
    run,
};

/// Words that say nothing about what a figure is.
fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "of"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "by"
            | "with"
            | "and"
            | "or"
            | "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "been"
            | "has"
            | "have"
            | "had"
            | "that"
            | "this"
            | "its"
            | "their"
            | "it"
            | "they"
            | "which"
            | "who"
            | "than"
            | "about"
            | "some"
            | "around"
            | "nearly"
            | "almost"
            | "over"
            | "more"
            | "less"
            | "under"
            | "up"
            | "down"
            | "from"
            | "reached"
            | "estimated"
            | "totalled"
            | "totaled"
            | "stood"
            | "said"
            | "says"
            | "just"
            | "only"
            | "also"
            | "still"
            | "now"
            | "will"
            | "would"
            | "could"
            | "as"
            | "per"
            | "cent"
            | "percent"
            | "pct"
            | "year"
            | "last"
            | "new"
            | "figures"
            | "show"
            | "total"
    )
}

/// Words that make a sentence describe a change or a comparison (`from`, `rose`, `than`):
/// its figures are different states of one thing, not restatements.
fn is_change(w: &str) -> bool {
    matches!(
        w,
        "from"
            | "to"
            | "up"
            | "down"
            | "rose"
            | "fell"
            | "than"
            | "compared"
            | "previous"
            | "earlier"
            | "ago"
            | "increase"
            | "decrease"
            | "versus"
            | "vs"
            | "against"
            | "after"
            | "before"
    )
}

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    // Tags with one `id` that disagree: the tags module reads them.
    out.extend(match cx.known_tags() {
        Some(tags) => crate::tags::tag_id_conflicts_of(tags),
        None => crate::tags::tag_id_conflicts(cx),
    });
    by_subject(cx, &mut out);
    out
}

/// Content words before a figure in its sentence (at most the last four): what the figure
/// is about. Borrowed from `before`, the words before the figure.
fn subject(before: &str) -> impl DoubleEndedIterator<Item = &str> + Clone {
    before
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| is_subject_word(w))
}

fn is_subject_word(w: &str) -> bool {
    w.len() > 2 && !is_stop(w) && !w.chars().all(|c| c.is_ascii_digit())
}

/// The bytes of a [`subject`] word in ASCII text: letters, digits and `-`, looked up (the
/// bytes before every figure are read one at a time, and the three tests cost more).
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric() || c as u8 == b'-';
        c += 1;
    }
    t
};

/// The last four [`subject`] words, in order. ASCII text (most) is cut byte by byte from
/// its end, where the words are; the split by characters is for the rest.
fn last_subject_words(before: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::with_capacity(4);
    if before.is_ascii() {
        let b = before.as_bytes();
        let word = |c: u8| WORD_BYTE[usize::from(c)];
        let mut end = b.len();
        while end > 0 && out.len() < 4 {
            if !word(b[end - 1]) {
                end -= 1;
                continue;
            }
            let mut start = end;
            while start > 0 && word(b[start - 1]) {
                start -= 1;
            }
            let w = &before[start..end];
            if is_subject_word(w) {
                out.push(w);
            }
            end = start;
        }
    } else {
        out.extend(subject(before).rev().take(4));
    }
    out.reverse();
    out
}

/// The subject words of figure `i`, joined by spaces: what [`Active::words`] are the
/// hashes of, read again for a finding's message.
fn subject_text(cx: &Cx, i: usize) -> Text {
    joined(last_subject_words(&cx.words_before_within(i, SUBJECT_REACH)).into_iter())
}

/// How far before a figure its subject words are looked for, in bytes.
const SUBJECT_REACH: usize = 160;

/// Whether a word names a period: a year, a month, a quarter...
fn is_period(w: &str) -> bool {
    w.len() == 4 && w.starts_with(['1', '2']) && w.chars().all(|c| c.is_ascii_digit())
        || matches!(
            w,
            "january"
                | "february"
                | "march"
                | "april"
                | "may"
                | "june"
                | "july"
                | "august"
                | "september"
                | "october"
                | "november"
                | "december"
                | "quarter"
                | "week"
                | "month"
                | "annual"
                | "monthly"
                | "daily"
                | "weekly"
        )
}

/// What the sentence of figure `i` says: the years, months and quarters it names (the
/// period it is about), and whether it describes a change.
fn sentence_facts(cx: &Cx, i: usize) -> (Text, bool) {
    let s = &cx.doc.sentences[cx.doc.fig_sentence[i]];
    words_facts(&cx.words_between(s.range.start, s.range.end))
}

/// [`sentence_facts`] of a sentence's words: the period words joined, and whether a word
/// describes a change (then no period: the sentence takes no part, see [`fig_facts`]).
/// Words are cut at every character that is not alphanumeric, byte by byte in ASCII text.
fn words_facts(words: &str) -> (Text, bool) {
    if !words.is_ascii() {
        let parts = || words.split(|c: char| !c.is_alphanumeric());
        if parts().any(is_change) {
            return (Text::default(), true);
        }
        return (joined(parts().filter(|w| is_period(w))), false);
    }
    let b = words.as_bytes();
    let mut periods = Vec::new();
    let mut k = 0;
    while k < b.len() {
        if !b[k].is_ascii_alphanumeric() {
            k += 1;
            continue;
        }
        let start = k;
        while k < b.len() && b[k].is_ascii_alphanumeric() {
            k += 1;
        }
        let w = &words[start..k];
        if is_change(w) {
            return (Text::default(), true);
        }
        if is_period(w) {
            periods.push(w);
        }
    }
    (joined(periods.iter().copied()), false)
}

/// What one figure says for this check, read in its own sentence: nothing for a figure
/// that takes no part (not eligible, fewer than two subject words, or in a sentence
/// describing a change; most figures of a briefing), else its [`Active`] facts. Computed per
/// chunk and cached by incremental analysis, so that the document pass compares hashes and
/// intervals only.
#[derive(Debug, Clone, Default)]
pub(crate) struct FigFacts(Option<Box<Active>>);

/// What a figure that may restate another says: its subject words and what it counts
/// (hashed), the period of its sentence and the interval it stands for. Held for every
/// such figure of an open document, so kept to 128 bytes (a size class of its own): the
/// bucket keys are computed from the hashes when a pass asks ([`Active::keys`]), and the
/// subject words' text is read again for a finding's message ([`subject_text`]).
#[derive(Debug, Clone)]
struct Active {
    /// Hashes of the subject words (`words[..n_words]`).
    words: [u64; 4],
    n_words: u8,
    /// The hash of the unit, noun and rate: a bucket key is this with a pair of the
    /// subject words' hashes.
    what: u64,
    /// The hash of the period words of the sentence joined by spaces (no word holds one):
    /// figures restate each other only in sentences of the same period. Compared by hash,
    /// as the words are (and as the caches compare chunks): the text took 24 of these
    /// bytes, one size class more for every such figure of an open document.
    period_hash: u64,
    /// The figure's tight interval (`arith::interval_tight`).
    tight: Option<arith::Iv>,
    /// The same as floats (ends infinite where open, not-a-number where a decimal has no
    /// float), and the figure's value when it has one and it is not zero: what decides
    /// most comparisons without decimal arithmetic (see [`certainly_lt`]).
    tight_f: Option<(f64, f64)>,
    /// (Not a number when there is none: an option took 8 bytes more.)
    value_f: f64,
    /// The figure's dimension, kept here so that the document pass does not read the
    /// figure (a miss to memory per figure on a large document).
    dimension: Dimension,
}

impl Default for Active {
    fn default() -> Active {
        Active {
            words: [0; 4],
            n_words: 0,
            what: 0,
            period_hash: 0,
            tight: None,
            tight_f: None,
            value_f: f64::NAN,
            dimension: Dimension::Count,
        }
    }
}

impl FigFacts {
    /// Bytes this figure's facts hold on the heap (for `profile_memory`).
    pub(crate) fn heap(&self) -> usize {
        self.0.as_ref().map_or(0, |_| std::mem::size_of::<Active>())
    }
}

impl Active {
    /// The figure's value as a float, when it has one that is not zero.
    fn value_f(&self) -> Option<f64> {
        (!self.value_f.is_nan()).then_some(self.value_f)
    }
    fn words(&self) -> &[u64] {
        &self.words[..usize::from(self.n_words)]
    }
    /// Bucket keys: the unit, noun and rate with a pair of subject words, hashed, the
    /// pair in the order of the words' hashes (a pair is the same whichever word comes
    /// first); one for each pair (`keys[..n_keys]`, at most six of four words).
    fn keys(&self) -> [u64; 6] {
        let mut keys = [0; 6];
        let mut n = 0;
        let w = self.words();
        for x in 0..w.len() {
            for y in x + 1..w.len() {
                keys[n] = hash_of((self.what, w[x].min(w[y]), w[x].max(w[y])));
                n += 1;
            }
        }
        keys
    }
    /// How many bucket keys: one per pair of subject words.
    fn n_keys(&self) -> usize {
        let n = self.words().len();
        n * n.saturating_sub(1) / 2
    }
}

/// The [`FigFacts`] of a document's figures: in one list, or in the lists of its chunks
/// as incremental analysis keeps them (read where they are, not copied, nor counted: on a
/// large document each chunk's list would be a miss to memory on the analysis's path).
#[derive(Debug)]
pub(crate) struct Facts<'a> {
    /// Index of each part's first figure, ascending.
    starts: Vec<usize>,
    parts: Vec<&'a [FigFacts]>,
    /// The one list of [`Facts::flat`], which `parts` then stands for.
    own: Option<std::sync::Arc<[FigFacts]>>,
    len: usize,
}

impl<'a> Facts<'a> {
    pub(crate) fn flat(facts: Vec<FigFacts>) -> Facts<'a> {
        let len = facts.len();
        Facts {
            starts: Vec::new(),
            parts: Vec::new(),
            own: Some(facts.into()),
            len,
        }
    }

    /// Parts in document order, each with the index of its first figure; the parts are
    /// consecutive (each starts where the previous ends).
    pub(crate) fn chunked(parts: impl IntoIterator<Item = (usize, &'a [FigFacts])>) -> Facts<'a> {
        let parts = parts.into_iter();
        let n = parts.size_hint().0;
        let mut f = Facts {
            starts: Vec::with_capacity(n),
            parts: Vec::with_capacity(n),
            own: None,
            len: 0,
        };
        for (start, p) in parts {
            if p.is_empty() {
                continue;
            }
            f.len = start + p.len();
            f.starts.push(start);
            f.parts.push(p);
        }
        f
    }

    /// The parts, each with the index of its first figure.
    fn each(&self) -> impl Iterator<Item = (usize, &[FigFacts])> {
        let own = self.own.as_deref().map(|o| (0, o));
        own.into_iter()
            .chain(self.starts.iter().copied().zip(self.parts.iter().copied()))
    }

    /// The facts of figure `i`.
    pub(crate) fn get(&self, i: usize) -> &FigFacts {
        if let Some(own) = &self.own {
            return &own[i];
        }
        let p = self.starts.partition_point(|&s| s <= i).saturating_sub(1);
        &self.parts[p][i - self.starts[p]]
    }

    /// Every figure's facts with its index, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &FigFacts)> {
        self.each()
            .flat_map(|(s, p)| p.iter().enumerate().map(move |(k, f)| (s + k, f)))
    }

    /// The facts as one shared list (a chunk's, to keep).
    pub(crate) fn to_shared(&self) -> std::sync::Arc<[FigFacts]> {
        match &self.own {
            Some(own) => own.clone(),
            None => (0..self.len).map(|i| self.get(i).clone()).collect(),
        }
    }
}

/// Whether a figure could be one quantity stated twice.
fn eligible(f: &crate::figures::Figure) -> bool {
    f.dimension != Dimension::Percent
        && f.qualifier != Qualifier::Range
        && (f.unit.is_some() || f.noun.is_some())
}

/// Words joined by single spaces.
fn joined<'w>(words: impl Iterator<Item = &'w str> + Clone) -> Text {
    // Sized first: the words are a handful, and growing the text as it is written cost
    // more than writing it.
    let len = words.clone().map(|w| w.len() + 1).sum::<usize>();
    let mut out = Text::with_capacity(len.saturating_sub(1));
    for (k, w) in words.enumerate() {
        if k > 0 {
            out.push_str(" ");
        }
        out.push_str(w);
    }
    out
}

fn hash_of(v: impl std::hash::Hash) -> u64 {
    use std::hash::BuildHasher;
    // Eight bytes at a time: subject words and units are hashed for every figure.
    crate::figures::FxBuild::default().hash_one(v)
}

/// The [`FigFacts`] of every figure.
pub(crate) fn fig_facts(cx: &Cx) -> Vec<FigFacts> {
    // What each sentence says about period and change, computed once per sentence (the
    // figures come in document order, so the last sentence read is the one asked again).
    let mut last_sentence: Option<(usize, (Text, bool))> = None;
    (0..cx.figures.len())
        .map(|i| {
            let f = &cx.figures[i];
            if !eligible(f) {
                return FigFacts::default();
            }
            // The sentence first: read once for all its figures, it rules out most of them
            // (a change), whose subject words are then not read.
            let s = cx.doc.fig_sentence[i];
            let (period, change) = match &last_sentence {
                Some((at, facts)) if *at == s => facts,
                _ => &last_sentence.insert((s, sentence_facts(cx, i))).1,
            };
            if *change {
                return FigFacts::default();
            }
            let before = cx.words_before_within(i, SUBJECT_REACH);
            // The last four subject words, read from the end.
            let subject = last_subject_words(&before);
            if subject.len() < 2 {
                return FigFacts::default();
            }
            let mut facts = Active {
                period_hash: hash_of(period.as_str()),
                dimension: f.dimension,
                ..Active::default()
            };
            // `subject` keeps at most four words.
            for (k, w) in subject.iter().enumerate().take(4) {
                facts.words[k] = hash_of(w);
                facts.n_words = k as u8 + 1;
            }
            facts.what = hash_of((&f.unit, &f.noun, f.per()));
            facts.tight = arith::interval_tight(cx, i);
            facts.tight_f = facts.tight.as_ref().map(floats);
            facts.value_f = f
                .value
                .get()
                .filter(|v| !v.is_zero())
                .and_then(to_f64)
                .unwrap_or(f64::NAN);
            FigFacts(Some(Box::new(facts)))
        })
        .collect()
}

/// What the document pass compares of an active figure, side by side in memory: the
/// candidates of a figure are read many times over, and the figures themselves are large.
struct Rec<'f> {
    fig: u32,
    sentence: u32,
    dimension: Dimension,
    facts: &'f Active,
}

/// The ends of an interval as floats (see [`Active::tight_f`]).
fn floats(iv: &arith::Iv) -> (f64, f64) {
    let end = |d: Option<rust_decimal::Decimal>, open: f64| d.map_or(Some(open), to_f64);
    match (end(iv.lo, f64::NEG_INFINITY), end(iv.hi, f64::INFINITY)) {
        (Some(lo), Some(hi)) => (lo, hi),
        // Not representable: the decimals decide.
        _ => (f64::NAN, f64::NAN),
    }
}

/// `Some(x < y)` when the floats decide it beyond any rounding of the decimals they come
/// from (a few units in the last place: margins of 1e-9 relative), `None` when too close.
fn certainly_lt(x: f64, y: f64) -> Option<bool> {
    if x.is_infinite() || y.is_infinite() {
        return (x != y).then_some(x < y);
    }
    let m = (x.abs() + y.abs()) * 1e-9;
    if x + m < y {
        Some(true)
    } else if x - m > y {
        Some(false)
    } else {
        None
    }
}

fn to_f64(d: rust_decimal::Decimal) -> Option<f64> {
    use rust_decimal::prelude::ToPrimitive;
    // Powers of ten up to 10^22, every one exact as a float.
    const TEN_POW: [f64; 23] = {
        let mut t = [1.0; 23];
        let mut k = 1;
        while k < 23 {
            t[k] = t[k - 1] * 10.0;
            k += 1;
        }
        t
    };
    // Most figures: a mantissa of 53 bits or fewer and a float power of ten are exact, and
    // their quotient is the float nearest the decimal (the library's conversion divides in
    // 128 bits first, several times as long).
    let (m, scale) = (d.mantissa(), d.scale() as usize);
    if m.unsigned_abs() < 1 << 53 && scale < TEN_POW.len() {
        return Some(m as f64 / TEN_POW[scale]);
    }
    d.to_f64().filter(|x| x.is_finite())
}

impl Rec<'_> {
    /// [`arith::Iv::meets`] of the two tight intervals (both present).
    fn meets(&self, o: &Rec) -> bool {
        if let (Some((alo, ahi)), Some((blo, bhi))) = (self.facts.tight_f, o.facts.tight_f) {
            // below: a.hi < b.lo; above: a.lo > b.hi.
            if let (Some(below), Some(above)) = (certainly_lt(ahi, blo), certainly_lt(bhi, alo)) {
                return !(below || above);
            }
        }
        match (&self.facts.tight, &o.facts.tight) {
            (Some(a), Some(b)) => a.meets(b),
            _ => true,
        }
    }
}

/// Whether `x / y` is more than two (or too large to represent), `x` and `y` not zero,
/// from their floats `fx` and `fy`, and from `exact()` (which divides the decimals) only
/// when the floats are too close to tell.
fn far(fx: f64, fy: f64, exact: impl FnOnce() -> bool) -> bool {
    match certainly_lt(fx / fy, 2.0) {
        Some(small) => !small,
        None => exact(),
    }
}

/// Whether `x / y` is more than two, or too large to represent.
fn quotient_far(x: rust_decimal::Decimal, y: rust_decimal::Decimal) -> bool {
    x.checked_div(y)
        .is_none_or(|q| q > rust_decimal::Decimal::TWO)
}

/// What the document pass found last time, kept between analyses of one document by
/// incremental analysis, so that after an edit it compares only the figures whose
/// candidates changed.
///
/// A figure's finding depends only on the latest 32 figures before it in each of its
/// buckets, and on what each of them says, which its identity (its chunk's key, which
/// covers the chunk's text and figures, and its place there; see [`Cx::fig_ids`]) pins
/// down. So a figure keeps last time's finding when its identity is old and, in every
/// bucket, the 32 figures before it are the same as last time: none is new, and each
/// follows the same figure as last time.
///
/// The records are in document order, so the next pass finds each figure's record where
/// the last one left off ([`Matcher`]) rather than in a table of identities, and refers to
/// records by place: a figure's predecessors and the earlier figure it conflicts with.
#[derive(Default)]
pub(crate) struct Memo {
    /// Each record's identity, in document order.
    ids: Vec<u64>,
    recs: Vec<MemoRec>,
    /// The last pass's buckets, emptied and filled again by the next (their tables and
    /// member lists are not allocated again after every edit, and a bucket keeps its
    /// place, which the records remember).
    buckets: Buckets,
    /// How many findings the last pass gave (the next one's list is allocated once).
    found: usize,
}

impl Memo {
    /// Bytes held (for `profile_memory`): records, bucket table, bucket members.
    pub(crate) fn heap(&self) -> [usize; 3] {
        [
            self.ids.capacity() * 8 + self.recs.capacity() * std::mem::size_of::<MemoRec>(),
            // A table entry (key and place) and its control byte.
            self.buckets.slot.capacity() * (std::mem::size_of::<(u64, u32)>() + 1)
                + self.buckets.list.capacity() * std::mem::size_of::<Bucket>(),
            self.buckets
                .list
                .iter()
                .map(|b| b.members.capacity() * 4)
                .sum(),
        ]
    }
}

/// The buckets of a pass: each key's place in a list, so that a figure looks its keys up
/// once and reaches its buckets by place after.
#[derive(Default)]
struct Buckets {
    slot: HashMap<u64, u32, crate::figures::KeyBuild>,
    list: Vec<Bucket>,
}

impl Buckets {
    /// The place of `key`'s bucket, a new empty one if it has none.
    fn slot(&mut self, key: u64) -> usize {
        let n = self.list.len();
        let s = *self.slot.entry(key).or_insert(n as u32) as usize;
        if s == n {
            self.list.push(Bucket {
                key,
                ..Bucket::default()
            });
        }
        s
    }

    /// The place of a bucket a figure's record was in last time (`was`), which holds the
    /// same key (`key` computes it, for a place that is gone, and for debug builds to
    /// check).
    fn slot_of(&mut self, was: u32, key: impl Fn() -> u64) -> usize {
        match self.list.get(was as usize) {
            Some(b) => {
                debug_assert_eq!(b.key, key(), "a matched record's bucket holds its key");
                was as usize
            }
            None => self.slot(key()),
        }
    }

    /// Forget the buckets no figure is in, once they are as many as the others (until
    /// then they cost a cleared list each); the records' places of their buckets move
    /// with them.
    fn prune(&mut self, recs: &mut [MemoRec]) {
        let empty = self.list.iter().filter(|b| b.members.is_empty()).count();
        if empty * 2 < self.list.len() {
            return;
        }
        let mut moved = vec![u32::MAX; self.list.len()];
        let mut kept = Vec::with_capacity(self.list.len() - empty);
        let list = &mut self.list;
        self.slot.retain(|_, s| {
            let b = std::mem::take(&mut list[*s as usize]);
            if b.members.is_empty() {
                return false;
            }
            moved[*s as usize] = kept.len() as u32;
            *s = kept.len() as u32;
            kept.push(b);
            true
        });
        self.list = kept;
        for r in recs {
            for s in &mut r.slots {
                // Unused places (past the record's keys) point nowhere.
                *s = moved.get(*s as usize).copied().unwrap_or(u32::MAX);
            }
        }
    }
}

/// What the memo keeps of one active figure.
struct MemoRec {
    /// The record before it in each of its buckets (in `Active::keys` order), [`FIRST`]
    /// for none.
    preds: [u32; 6],
    /// Its buckets' places, in the same order.
    slots: [u32; 6],
    /// The earlier record it conflicts with, and the finding's message and related
    /// message.
    found: Option<(u32, super::Msg, super::Msg)>,
}

/// The predecessor of the first figure of a bucket.
const FIRST: u32 = u32::MAX;

/// A record that has no counterpart (a figure new since the last pass).
const NONE: u32 = u32::MAX - 1;

/// Finds each figure's record of the last pass, the figures coming in document order: at
/// the place after the last one found, a little further on (records of figures an edit
/// removed are skipped), and after a run of misses (many figures removed at once, or
/// moved) in a table of them all.
struct Matcher<'m> {
    ids: &'m [u64],
    next: usize,
    misses: usize,
    table: Option<HashMap<u64, u32, crate::figures::KeyBuild>>,
}

/// How far past the expected place a record is looked for, and how many misses in a row
/// make the table.
const LOOK_AHEAD: usize = 16;

impl Matcher<'_> {
    /// The place of the record of `id`, if it has one not already taken (`taken`: the
    /// records matched so far, by place).
    fn find(&mut self, id: u64, taken: &[u32]) -> Option<usize> {
        if let Some(t) = &self.table {
            return t
                .get(&id)
                .map(|&o| o as usize)
                .filter(|&o| taken.get(o) == Some(&NONE));
        }
        let end = self.ids.len().min(self.next + LOOK_AHEAD);
        if let Some(k) = self.ids[self.next.min(end)..end]
            .iter()
            .position(|&x| x == id)
        {
            let o = self.next + k;
            self.next = o + 1;
            self.misses = 0;
            return Some(o);
        }
        self.misses += 1;
        if self.misses > LOOK_AHEAD {
            let mut t = HashMap::with_capacity_and_hasher(self.ids.len(), Default::default());
            for (o, &x) in self.ids.iter().enumerate() {
                t.insert(x, o as u32);
            }
            self.table = Some(t);
        }
        None
    }
}

/// The figures of one bucket (indices into the records), the position of the last one
/// whose window changed since the memo (see [`Memo`]), and its key.
#[derive(Default)]
struct Bucket {
    members: Vec<u32>,
    last_dirty: Option<usize>,
    key: u64,
}

/// The earliest figure among the candidates of `rj` (the latest 32 of each of its buckets)
/// that gives the same quantity another value: its record's place in `recs`.
fn first_conflict(
    cx: &Cx,
    recs: &[Rec],
    buckets: &[Bucket],
    slots: &[u32],
    rj: &Rec,
) -> Option<usize> {
    let (j, fact_j) = (rj.fig as usize, rj.facts);
    // Candidates: the latest 32 of each bucket, merged in document order (each bucket is
    // in order), so that the earliest conflicting one is found first.
    let mut runs: [&[u32]; 6] = [&[]; 6];
    for (run, &s) in runs.iter_mut().zip(slots) {
        if let Some(b) = buckets.get(s as usize) {
            let v = &b.members;
            *run = &v[v.len().saturating_sub(32)..];
        }
    }
    while let Some(c) = runs.iter().filter_map(|r| r.first()).min().copied() {
        for r in &mut runs {
            if r.first() == Some(&c) {
                *r = &r[1..];
            }
        }
        let ri = &recs[c as usize];
        if ri.sentence == rj.sentence || ri.dimension != rj.dimension {
            continue;
        }
        let fact_i = ri.facts;
        let shared = fact_i
            .words()
            .iter()
            .filter(|w| fact_j.words().contains(w))
            .count();
        if shared < 2 || shared * 2 < fact_i.words().len().max(fact_j.words().len()) {
            continue;
        }
        if fact_i.period_hash != fact_j.period_hash {
            continue;
        }
        if fact_i.tight.is_none() || fact_j.tight.is_none() || ri.meets(rj) {
            continue;
        }
        let i = ri.fig as usize;
        // Values far apart are different quantities that share words, not one quantity.
        // Checked: a quotient too large to represent is far apart too.
        let values = || (cx.figures[i].value.get(), cx.figures[j].value.get());
        let far_apart = match (fact_i.value_f(), fact_j.value_f()) {
            // Both figures have a value that is not zero (see `Active::value_f`): the
            // floats decide, and the figures are read (a miss to memory each on a large
            // document) only when they are too close to.
            (Some(fa), Some(fb)) => {
                let exact = |swap: bool| match values() {
                    (Some(va), Some(vb)) if swap => quotient_far(vb, va),
                    (Some(va), Some(vb)) => quotient_far(va, vb),
                    _ => true,
                };
                far(fa, fb, || exact(false)) || far(fb, fa, || exact(true))
            }
            // Not representable as floats, no value, or zero: the decimals.
            _ => {
                let (Some(va), Some(vb)) = values() else {
                    continue;
                };
                if va.is_zero() || vb.is_zero() {
                    continue;
                }
                quotient_far(va, vb) || quotient_far(vb, va)
            }
        };
        if !far_apart {
            return Some(c as usize);
        }
    }
    None
}

fn by_subject(cx: &Cx, out: &mut Vec<Finding>) {
    let facts = cx.conflict_facts();
    let n = cx.figures.len();
    let recs: Vec<Rec> = facts
        .iter()
        .take_while(|&(j, _)| j < n)
        .filter_map(|(j, f)| f.0.as_deref().map(|f| (j, f)))
        .map(|(j, f)| Rec {
            fig: j as u32,
            sentence: cx.doc.fig_sentence[j] as u32,
            dimension: f.dimension,
            facts: f,
        })
        .collect();
    // Identities, when incremental analysis gives them (and records fit their places).
    // They are 64-bit hashes of a chunk's key and a place in it, distinct as the chunk keys
    // every cache relies on are: a record is taken for a figure's only when their
    // identities are equal, and a figure without one is compared afresh.
    let ids: Option<Vec<u64>> = cx
        .fig_ids
        .get()
        .filter(|ids| ids.len() == n && recs.len() < NONE as usize)
        .map(|ids| recs.iter().map(|r| ids[r.fig as usize]).collect());
    // Last time's results, taken (a panic below leaves none, and the next pass compares
    // everything).
    let mut old = cx
        .conflict_memo
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
        .filter(|_| ids.is_some())
        .unwrap_or_default();
    let mut memo_recs: Vec<MemoRec> =
        Vec::with_capacity(if ids.is_some() { recs.len() } else { 0 });
    let at = out.len();
    out.reserve(old.found + old.found / 8);
    // Each record's counterpart in the other pass: this pass's records' in the last one
    // (`NONE` for a new figure), and the last one's here.
    let mut was_of: Vec<u32> = Vec::with_capacity(recs.len());
    let mut now_of: Vec<u32> = vec![NONE; old.recs.len()];
    let mut matcher = Matcher {
        ids: &old.ids,
        next: 0,
        misses: 0,
        table: None,
    };

    // Candidates share the unit, noun and rate and two subject words: index them by that
    // (hashed). Buckets hold indices into `recs`.
    let mut buckets = std::mem::take(&mut old.buckets);
    for b in &mut buckets.list {
        b.members.clear();
        b.last_dirty = None;
    }
    for (r, rj) in recs.iter().enumerate() {
        let (j, fact_j) = (rj.fig as usize, rj.facts);
        let o = ids.as_ref().and_then(|ids| matcher.find(ids[r], &now_of));
        was_of.push(o.map_or(NONE, |o| o as u32));
        let mut was = o.map(|o| {
            now_of[o] = r as u32;
            &mut old.recs[o]
        });
        // This figure's place in each bucket: its predecessor, and whether its window
        // is what it was.
        let mut preds = [FIRST; 6];
        let mut same = was.is_some();
        let mut slots = [u32::MAX; 6];
        // A figure matched to last time's record has that record's facts (its identity
        // pins down its chunk's text and figures), so its buckets are where its record's
        // were: the keys are computed for a new figure only.
        let n_keys = fact_j.n_keys();
        let mut keys: Option<[u64; 6]> = None;
        for k in 0..n_keys {
            let s = match &was {
                Some(w) => buckets.slot_of(w.slots[k], || fact_j.keys()[k]),
                None => buckets.slot(keys.get_or_insert_with(|| fact_j.keys())[k]),
            };
            slots[k] = s as u32;
            let b = &mut buckets.list[s];
            let pred = b.members.last().map_or(FIRST, |&p| p);
            preds[k] = pred;
            let pos = b.members.len();
            // The predecessor's record last time, to compare with the one remembered.
            let pred_was = if pred == FIRST {
                FIRST
            } else {
                was_of[pred as usize]
            };
            if was.as_ref().is_none_or(|w| w.preds[k] != pred_was) {
                b.last_dirty = Some(pos);
            }
            same &= b.last_dirty.is_none_or(|d| pos - d >= 32);
        }
        // Last time's finding moves into this one (the old memo is dropped after).
        let kept = match (same, was.as_mut()) {
            (true, Some(w)) => match w.found.take() {
                None => Some(None),
                Some((oi, m, rm)) => match now_of.get(oi as usize) {
                    Some(&c) if c != NONE => Some(Some((c as usize, m, rm))),
                    _ => None,
                },
            },
            _ => None,
        };
        let found = match kept {
            Some(found) => found,
            None => first_conflict(cx, &recs, &buckets.list, &slots[..n_keys], rj).map(|c| {
                let i = recs[c].fig as usize;
                let m = join!(
                    "`",
                    cx.fig_text(j),
                    "` here, but `",
                    cx.fig_text(i),
                    "` earlier for what reads as the same quantity (",
                    subject_text(cx, j),
                    ")"
                );
                let rel = cx.related(i, "stated earlier");
                (c, super::Msg::from(m), rel.message)
            }),
        };
        // A figure whose subject repeats a word sits twice in a bucket: a new one is new
        // at both places.
        let new = was.is_none();
        for &s in &slots[..n_keys] {
            let b = &mut buckets.list[s as usize];
            if new {
                b.last_dirty = Some(b.members.len());
            }
            b.members.push(r as u32);
        }
        if let Some((c, message, related)) = &found {
            let i = recs[*c].fig as usize;
            let mut f = cx.finding(&CHECK, cx.figures[j].span.range(), message.clone());
            f.related = vec![super::Related {
                span: cx.figures[i].span.range(),
                message: related.clone(),
            }]
            .into();
            out.push(f);
        }
        if ids.is_some() {
            memo_recs.push(MemoRec {
                preds,
                slots,
                found: found.map(|(c, m, rm)| (c as u32, m, rm)),
            });
        }
    }
    if let Some(ids) = ids {
        buckets.prune(&mut memo_recs);
        *cx.conflict_memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Memo {
            ids,
            recs: memo_recs,
            buckets,
            found: out.len() - at,
        });
    }
}
#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::CHECK;

    /// An active figure's facts are held for every such figure of an open document: they
    /// fit jemalloc's 128-byte class (the next one is 160).
    #[test]
    fn active_facts_fit_128_bytes() {
        assert!(std::mem::size_of::<super::Active>() <= 128);
    }

    /// The message names the subject words read again from the text, as the figure's
    /// facts were.
    #[test]
    fn the_message_names_the_subject_read_again() {
        check(
            &CHECK,
            "State-owned coffee export sales reached almost 6.2 mln bags this season.\n\nBrokers said state-owned coffee export sales were estimated at 5.1 mln bags this season.",
            "3:64 `5.1 mln bags` here, but `almost 6.2 mln bags` earlier for what reads as the same quantity (state-owned coffee export sales)",
        );
    }

    #[test]
    fn flags_one_quantity_with_two_values() {
        check(
            &CHECK,
            "Coffee export sales reached almost 6.2 mln bags this season.\n\nBrokers said coffee export sales were estimated at 6.13 mln bags this season.",
            "3:52 `6.13 mln bags` here, but `almost 6.2 mln bags` earlier for what reads as the same quantity (brokers coffee export sales)",
        );
    }

    #[test]
    fn silent_on_headline_rounding_and_other_periods() {
        check(&CHECK, "UK pledges £1bn to vaccine effort.\n\nThe chancellor offered £960m over 15 years to vaccine effort.", "");
        check(&CHECK, "Crop production reached 14.27 million tonnes in 2004.\n\nIn 2003, crop production reached 11.49 million tonnes.", "");
    }

    proptest::proptest! {
        /// What a sentence's words say, read byte by byte, is what the char-by-char split
        /// read (the definition it replaced).
        #[test]
        fn words_facts_as_split(s in "([a-z0-9 .,'\\-é’\u{a0}]|to|may|2024|march|vs){0,20}") {
            let parts = || s.split(|c: char| !c.is_alphanumeric());
            let change = parts().any(super::is_change);
            let period = if change { super::Text::default() } else { super::joined(parts().filter(|w| super::is_period(w))) };
            proptest::prop_assert_eq!(super::words_facts(&s), (period, change));
        }

        /// The last four subject words cut from the end are the split's last four.
        #[test]
        fn last_subject_words_as_split(s in "([a-z0-9 .,'\\-é’\u{a0}]|the|export|sales|2024|well-to-do|of|ab){0,24}") {
            let mut want: Vec<&str> = super::subject(&s).rev().take(4).collect();
            want.reverse();
            proptest::prop_assert_eq!(super::last_subject_words(&s), want);
        }

        /// The same on ASCII text only (the byte-by-byte path).
        #[test]
        fn last_subject_words_as_split_ascii(s in "([a-z0-9 .,'\\-]|The|export|sales|2024|well-to-do|of|ab|x-|--){0,24}") {
            let mut want: Vec<&str> = super::subject(&s).rev().take(4).collect();
            want.reverse();
            proptest::prop_assert_eq!(super::last_subject_words(&s), want);
        }
    }

    /// The float shortcuts decide exactly what the decimals decide, near ties included.
    mod floats {
        use super::super::{arith::Iv, far, floats, quotient_far, to_f64, Active, Rec};
        use crate::figures::Dimension;
        use proptest::prelude::*;
        use rust_decimal::Decimal;

        fn rec(f: &mut Active) -> Rec<'_> {
            f.tight_f = f.tight.as_ref().map(floats);
            Rec {
                fig: 0,
                sentence: 0,
                dimension: Dimension::Count,
                facts: f,
            }
        }

        /// Decimals that are often equal or one unit in the last place apart, of any scale.
        fn dec() -> impl Strategy<Value = Decimal> {
            prop_oneof![
                (-5i64..5, 0u32..3).prop_map(|(m, s)| Decimal::new(m, s)),
                (any::<i64>(), 0u32..28).prop_map(|(m, s)| Decimal::new(m, s)),
                (1i64..1_000_000_000_000, 0u32..12).prop_map(|(m, s)| Decimal::new(m, s)),
            ]
        }

        fn iv() -> impl Strategy<Value = Iv> {
            (
                proptest::option::of(dec()),
                proptest::option::of(dec()),
                dec(),
            )
                .prop_map(|(lo, hi, d)| match (lo, hi) {
                    (Some(l), Some(h)) => Iv::new(l, h),
                    // A point shared with the other side now and then.
                    (None, None) => Iv::point(d),
                    (lo, hi) => Iv { lo, hi },
                })
        }

        proptest! {
            #[test]
            fn meets_as_the_decimals_say(a in iv(), b in iv(), touch in 0u8..3) {
                // Intervals that touch at an end, or miss by the smallest decimal step:
                // the closest calls there are (no float tells them apart).
                let step = Decimal::new(1, 28);
                let b = match (touch, a.hi) {
                    (1, Some(h)) => Iv { lo: Some(h), hi: b.hi.map(|x| x.max(h)) },
                    (2, Some(h)) => match h.checked_add(step) {
                        Some(l) => Iv { lo: Some(l), hi: b.hi.map(|x| x.max(l)) },
                        None => b,
                    },
                    _ => b,
                };
                let (mut fa, mut fb) = (
                    Active { tight: Some(a), ..Active::default() },
                    Active { tight: Some(b), ..Active::default() },
                );
                let (ra, rb) = (rec(&mut fa), rec(&mut fb));
                prop_assert_eq!(ra.meets(&rb), a.meets(&b));
                prop_assert_eq!(rb.meets(&ra), b.meets(&a));
            }

            /// The short way gives the float nearest the decimal (what parsing its text
            /// gives), within a unit in the last place of the library's conversion.
            #[test]
            fn floats_as_the_library_gives_them(d in dec()) {
                use rust_decimal::prelude::ToPrimitive;
                let (got, want) = (to_f64(d), d.to_f64().filter(|x| x.is_finite()));
                match (got, want) {
                    (Some(g), Some(w)) => prop_assert!(g == w || (g - w).abs() <= w.abs() * f64::EPSILON, "{d}: {g} against {w}"),
                    _ => prop_assert_eq!(got, want),
                }
                if d.mantissa().unsigned_abs() < 1 << 53 && d.scale() <= 22 {
                    prop_assert_eq!(got, d.to_string().parse::<f64>().ok(), "{}", d);
                }
            }

            #[test]
            fn far_as_the_decimals_say(x in dec(), y in dec(), twice in any::<bool>()) {
                prop_assume!(!x.is_zero() && !y.is_zero());
                // Exactly twice: the tie `far` must not call either way by rounding.
                let x = if twice { y.checked_mul(Decimal::TWO).unwrap_or(x) } else { x };
                let (Some(fx), Some(fy)) = (to_f64(x), to_f64(y)) else {
                    return Ok(());
                };
                let exact = x.checked_div(y).is_none_or(|q| q > Decimal::TWO);
                prop_assert_eq!(far(fx, fy, || quotient_far(x, y)), exact);
            }
        }
    }
}
