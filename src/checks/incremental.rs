//! Incremental checks: local checks read each chunk of the document on its own and keep
//! their findings between analyses, keyed by the chunk's text and figures; document checks
//! read the whole document, whose shape is assembled from the chunks' cached shapes.
//!
//! A chunk is what [`crate::figures::chunks`] says: a run of non-blank lines (a fenced block
//! whole). Sentences never cross chunks, so a check that relates figures of one sentence,
//! paragraph or list reads the same in a chunk as in the document. The result does not
//! depend on the cache: [`super::run_all_lang`] is [`run_cached`] with an empty cache.

use std::collections::HashMap;
use std::hash::Hasher;
use std::ops::Range;
use std::sync::Arc;

use super::doc::{Doc, PartShape};
use super::{
    ambiguous_unit, conflicting_figures, conversion_mismatch, malformed_number, merge_findings,
    mixed_units, number_style, order_findings, settle, sort_findings, suppress, Check, Copies, Cx,
    Finding, Grade, Severity, REGISTRY,
};
use crate::config::Config;
use crate::figures::{self, Figure};
use crate::prose::Language;
use crate::recall::Recall;

type CheckFn = fn(&Cx) -> Vec<Finding>;
/// Findings of the window checks in a window's middle chunk, by registry index.
/// (A shared slice: one allocation per kept list, where a shared `Vec` took two.)
type WindowFindings = Arc<[(usize, Finding)]>;

/// Findings kept for a chunk: the empty list shared (most chunks have none, and a list of
/// their own took an allocation per chunk kept: 0.16 B per byte of a generated document),
/// the others at their length (grown by pushing, they had room to spare: 0.08 more).
fn window_findings(found: Vec<(usize, Finding)>) -> WindowFindings {
    static NONE: std::sync::LazyLock<WindowFindings> =
        std::sync::LazyLock::new(|| Arc::from(Vec::new()));
    if found.is_empty() {
        NONE.clone()
    } else {
        Arc::from(found)
    }
}
/// A chunk in an analysis: byte range, figure indices, cached results, cache key.
type Placed = (Range<usize>, Range<usize>, Arc<ChunkChecks>, u64);

/// How far the parts of a check read.
#[derive(Default)]
struct Parts {
    /// What one chunk says on its own.
    chunk: Option<CheckFn>,
    /// What a chunk says with its neighbours: up to two sentences back (`nearly 300 fewer
    /// than ...` of the previous paragraph), and the loose list that follows a total. Run
    /// on a window around each chunk with [`Cx::focus`] on the chunk's figures.
    window: Option<CheckFn>,
    /// What needs the whole document.
    document: Option<CheckFn>,
    /// A document check whose findings for a figure depend only on the figure's chunk and
    /// on a verdict folded from per-chunk summaries (the document's habits): findings are
    /// kept per chunk and verdict.
    split: Option<Split>,
}

/// The document checks read as per-chunk summaries, a document verdict, per-chunk findings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Split {
    NumberStyle,
}

/// Each registered check's [`parts`], in [`REGISTRY`] order: told apart by code once, not
/// for every chunk and window (every use reads this table).
static PARTS: std::sync::LazyLock<Vec<Parts>> =
    std::sync::LazyLock::new(|| REGISTRY.iter().map(parts).collect());

fn parts(check: &Check) -> Parts {
    match check.code {
        // Sentences, paragraphs and lists, figures side by side.
        "malformed-tag"
        | "numeral-starts-sentence"
        | "part-exceeds-whole"
        | "percent-sum"
        | "spurious-precision"
        | "stale-tag"
        | "unitless-figure" => Parts {
            chunk: Some(check.run),
            ..Parts::default()
        },
        "change-mismatch" | "total-mismatch" => Parts {
            window: Some(check.run),
            ..Parts::default()
        },
        "number-style" => Parts {
            split: Some(Split::NumberStyle),
            ..Parts::default()
        },
        "ambiguous-unit" => Parts {
            chunk: Some(ambiguous_unit::run_local),
            document: Some(ambiguous_unit::run_document),
            ..Parts::default()
        },
        "mixed-units" => Parts {
            chunk: Some(mixed_units::run_local),
            document: Some(mixed_units::run_document),
            ..Parts::default()
        },
        "conversion-mismatch" => Parts {
            chunk: Some(conversion_mismatch::run_local),
            document: Some(conversion_mismatch::run_document),
            ..Parts::default()
        },
        "malformed-number" => Parts {
            chunk: Some(malformed_number::run_local),
            document: Some(malformed_number::run_document),
            ..Parts::default()
        },
        // The document's habits, dominant units, repeated quantities, tag ids and rates.
        _ => Parts {
            document: Some(check.run),
            ..Parts::default()
        },
    }
}

/// Sentences a window reaches back before its chunk (`change-mismatch` takes the earlier
/// value of a change from up to two sentences back), and the most chunks it passes to find
/// them (chunks without sentences, such as code blocks, count for nothing).
const BACK_SENTENCES: usize = 2;
const MAX_BACK: usize = 64;

/// Per-chunk check results kept between analyses of one document (see the module
/// documentation). Keep one per open document, next to its [`figures::ChunkCache`].
#[derive(Default)]
pub struct CheckCache {
    /// The configuration and language the entries were computed with.
    setting: Option<(Config, Language)>,
    /// Chunk key (text and figures) → results, in document order (see [`Recall`]).
    map: Recall<Arc<ChunkChecks>>,
    /// Window key (the keys of its chunks) → findings of the window checks in its middle
    /// chunk, relative to that chunk.
    windows: Recall<WindowFindings>,
    /// Per split check (by registry index), chunk key and verdict key → the findings of
    /// that check in the chunk (own ranges relative to the chunk, related ones absolute)
    /// and the places of the verdict's examples they were computed with.
    split: HashMap<usize, Recall<(WindowFindings, Arc<Examples>)>>,
    /// The tags of the document last checked, assembled from its chunks.
    tags: Vec<crate::tags::Tag>,
    /// What the document pass of `conflicting-figures` found last time.
    conflicts: Option<conflicting_figures::Memo>,
    /// The messages the document passes made last time.
    texts: Option<super::Texts>,
    /// What the document pass of `mixed-units` wrote last time.
    mixed: Option<super::mixed_units::Memo>,
    /// From how many figures the document passes run on a second thread beside the rest
    /// (`None`: never; see [`CheckCache::threaded`]).
    beside_from: Option<usize>,
    /// How many findings the last analysis gave, and its (last) split check.
    found_last: usize,
    split_last: usize,
    /// How long each check's document pass took (by registry index, nanoseconds, averaged
    /// over the last analyses), and this thread's own share of the work beside them: what
    /// decides which passes run on the second thread (see `run_keyed`).
    pass_ns: Vec<u64>,
    own_ns: u64,
}

impl std::fmt::Debug for CheckCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CheckCache({} chunks)", self.map.len())
    }
}

/// Figures from which a document is worth a second thread: below, the passes it would
/// overlap take less than starting the thread (~2,000 figures is ~250 KB of briefings).
pub const BESIDE_FROM: usize = 2048;

impl CheckCache {
    /// A cache whose analyses of documents of `from` figures or more share the document
    /// passes (`conflicting-figures`, `mixed-units`, ... : about a third of an edit's work
    /// on a large generated document) with a second thread, by how long each took last
    /// time, while this one also gathers the chunks' findings and runs the split checks;
    /// what they find does not change. The language server's per-document caches use [`BESIDE_FROM`]; the default
    /// cache stays on one thread (the CLI checks files on every core already).
    pub fn threaded(from: usize) -> CheckCache {
        CheckCache {
            beside_from: Some(from),
            ..CheckCache::default()
        }
    }
    /// Forget every document's results (keeping how the cache uses threads).
    pub(crate) fn clear(&mut self) {
        *self = CheckCache {
            beside_from: self.beside_from,
            ..CheckCache::default()
        };
    }
    /// Number of cached chunks.
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// Bytes the cache holds, by part (estimated from lengths and capacities, for
    /// `profile_memory`).
    #[doc(hidden)]
    pub fn heap_parts(&self) -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        fn findings(f: &[(usize, Finding)]) -> usize {
            std::mem::size_of_val(f)
        }
        // A kept list of findings: its own allocation (the empty one is shared, see
        // `window_findings`).
        fn kept_list(f: &WindowFindings) -> usize {
            if f.is_empty() {
                0
            } else {
                super::ARC_COUNTS + findings(f)
            }
        }
        // What a finding points to: its message, related places and fixes (counted for
        // each copy, though copies share them).
        fn contents(f: &[(usize, Finding)]) -> usize {
            f.iter()
                .map(|(_, f)| {
                    let msg = |m: &super::Msg| m.len() + super::ARC_COUNTS;
                    msg(&f.message)
                        + f.related
                            .iter()
                            .map(|r| size_of::<super::Related>() + msg(&r.message))
                            .sum::<usize>()
                        + f.fixes
                            .iter()
                            .map(|x| {
                                size_of::<super::Fix>()
                                    + msg(&x.title)
                                    + x.edits.len() * size_of::<super::Edit>()
                            })
                            .sum::<usize>()
                })
                .sum()
        }
        let mut parts: Vec<(&'static str, usize)> = Vec::new();
        let mut add = |name: &'static str, n: usize| match parts.iter_mut().find(|p| p.0 == name) {
            Some(p) => p.1 += n,
            None => parts.push((name, n)),
        };
        let (chunks, list) = self.map.kept();
        add("chunk list", list);
        for c in chunks {
            add("chunk entries", size_of::<ChunkChecks>());
            let [mask, sentences, fig_sentence] = c.shape.heap();
            add("chunk masks", mask);
            add("chunk sentences", sentences);
            add("chunk figure-sentence maps", fig_sentence);
            add(
                "chunk conversion pairs",
                std::mem::size_of_val(&c.pairs[..]),
            );
            add(
                "chunk conflict facts",
                super::ARC_COUNTS + std::mem::size_of_val(&c.conflicts[..]),
            );
            add(
                "chunk conflict facts, active",
                c.conflicts.iter().map(|f| f.heap()).sum(),
            );
            add("chunk findings", findings(&c.found));
            add("chunk findings' contents", contents(&c.found));
            add("chunk tags", c.tags.len() * size_of::<crate::tags::Tag>());
        }
        let (w, list) = self.windows.kept();
        add("window list", list);
        let w: Vec<_> = w.collect();
        add("window findings", w.iter().map(|f| kept_list(f)).sum());
        add(
            "window findings' contents",
            w.iter().map(|f| contents(f)).sum(),
        );
        for r in self.split.values() {
            let (w, list) = r.kept();
            add("split list", list);
            let w: Vec<_> = w.collect();
            add("split findings", w.iter().map(|(f, _)| kept_list(f)).sum());
            add(
                "split findings' contents",
                w.iter().map(|(f, _)| contents(f)).sum(),
            );
        }
        if let Some(m) = &self.conflicts {
            let [recs, table, members] = m.heap();
            add("conflicts memo: records", recs);
            add("conflicts memo: buckets", table);
            add("conflicts memo: members", members);
        }
        add("texts memo", self.texts.as_ref().map_or(0, |t| t.heap()));
        add("mixed memo", self.mixed.as_ref().map_or(0, |t| t.heap()));
        add(
            "document tags",
            self.tags.capacity() * size_of::<crate::tags::Tag>(),
        );
        parts
    }
    /// The tags of the document last checked (read as its language), in document order:
    /// what [`crate::tags::find_lang`] finds in it, assembled from cached chunks.
    pub fn tags(&self) -> &[crate::tags::Tag] {
        &self.tags
    }
}

/// How many chunks are read between two batches of window checks. Each window run right
/// after its chunk, the two kinds of checks took turns on the processor: on generated
/// text (1 MB and 10 MB) the analysis took 2–4% longer than with all windows after all
/// chunks, though it ran fewer instructions. In batches, the copies held for the windows
/// are those of a few dozen chunks at most. Debug builds (the tests') take batches of three,
/// so that the small documents of the property tests cross batches, lists included.
const WINDOWS_EVERY: usize = if cfg!(debug_assertions) { 3 } else { 32 };

/// The window checks of an analysis, run in batches as the chunks are read (see
/// `run_keyed`).
#[derive(Default)]
struct Windows {
    /// Each chunk's window findings so far, in order (the empty list for a chunk without
    /// figures).
    found: Vec<WindowFindings>,
    /// Where the round of [`CheckCache::windows`] put each of its keys' results in `found`.
    asked: Vec<usize>,
    /// The copies of their masks that the chunks read afresh made, for their windows, in
    /// order of their chunks.
    copies: std::collections::VecDeque<(usize, Copies)>,
}

impl Windows {
    /// Run the windows of the chunks read so far whose chunks are all read (`complete`:
    /// every chunk of the document is).
    fn advance(
        &mut self,
        chunks: &[Placed],
        complete: bool,
        cache: &mut Recall<WindowFindings>,
        run: &impl Fn(&[Placed], usize, Option<Copies>) -> WindowFindings,
    ) {
        while let Some((_, f, e, _)) = chunks.get(self.found.len()) {
            let c = self.found.len();
            if f.is_empty() {
                // The shared empty list (see `window_findings`).
                self.found.push(window_findings(Vec::new()));
                continue;
            }
            // Forward only from a chunk whose last sentence before its closing list items
            // ends in a colon (`in total:`), through the loose list that follows: what
            // `total-mismatch` reads after its sentence (known once a chunk that is not
            // one of its items is read).
            let mut last = c;
            if e.opens_list {
                while last + 1 < chunks.len() && chunks[last + 1].2.list {
                    last += 1;
                }
                if last + 1 == chunks.len() && !complete {
                    return;
                }
            }
            let mut b = c;
            let mut back = 0;
            while b > 0 && back < BACK_SENTENCES && c - b < MAX_BACK {
                b -= 1;
                back += chunks[b].2.sentences;
            }
            let mut h = figures::Fx(0x51_7cc1_b727_220a);
            h.write_usize(c - b);
            for ch in &chunks[b..=last] {
                h.write_u64(ch.3);
            }
            let key = h.finish();
            // This chunk's copies, if it made any (those of earlier chunks are left over).
            while self.copies.front().is_some_and(|&(at, _)| at < c) {
                self.copies.pop_front();
            }
            let copies = match self.copies.front() {
                Some(&(at, _)) if at == c => self.copies.pop_front().map(|(_, m)| m),
                _ => None,
            };
            let found = &self.found;
            let asked = &self.asked;
            let w = cache.take(
                key,
                || run(&chunks[b..=last], c - b, copies),
                |i| found[asked[i]].clone(),
            );
            self.asked.push(c);
            self.found.push(w);
        }
    }
}

/// What the checks found in one chunk, offsets relative to the chunk, figure indices
/// relative to its first figure.
struct ChunkChecks {
    /// The chunk's shape, to assemble documents from.
    shape: PartShape,
    /// Conversion pairs (`$22m (£11.7m)`).
    pairs: Box<[(usize, usize)]>,
    /// What each figure says for `conflicting-figures`.
    conflicts: Arc<[conflicting_figures::FigFacts]>,
    /// Raw findings of the local checks, by registry index.
    found: Box<[(usize, Finding)]>,
    /// What the chunk says of the document's number habits (`number-style`).
    habits: number_style::Habits,
    /// The shape the windows read, kept at hand: the chunk's sentences (none for a chunk
    /// without prose), whether it may announce a list (see [`opens_list`]), and whether it
    /// starts with a list item.
    sentences: usize,
    opens_list: bool,
    list: bool,
    /// Whether the chunk's prose names a dollar other than the US one (`ambiguous-unit`).
    names_other_dollars: bool,
    /// Whether the chunk's figures write a bare `$` or another dollar (`ambiguous-unit`).
    dollars: ambiguous_unit::DollarFacts,
    /// The chunk's tags: the document's tags are theirs (for its tag ids, and for
    /// [`CheckCache::tags`]).
    tags: Box<[crate::tags::Tag]>,
    /// Whether the chunk holds the suppression marker ([`suppress::may_hold`]).
    suppressions: bool,
}

impl super::doc::PartMask for ChunkChecks {
    fn part_mask(&self) -> &str {
        self.shape.mask()
    }
}

/// Where a split check's verdict's example figures are (see `number_style::Verdict::examples`).
type Examples = [Option<Range<usize>>; 3];

/// Run every enabled check with a cache of per-chunk results; the findings are those of
/// [`super::run_all_lang`].
pub fn run_cached(
    text: &str,
    figures: &[Figure],
    config: &Config,
    lang: Language,
    cache: &mut CheckCache,
) -> Vec<Finding> {
    run_keyed(text, figures, None, config, lang, cache)
}

/// What [`figures::extract_keyed`] read of a document, for [`run_keyed`]: the chunks with
/// their keys, and the prose masks of the chunks it read afresh (taken by the checks).
pub struct Read<'a> {
    pub chunks: &'a [(Range<usize>, u64)],
    /// Where each chunk's figures start in the list.
    pub firsts: &'a [usize],
    pub masks: &'a mut [Option<String>],
}

impl<'a> Read<'a> {
    /// What `keyed` holds of the document.
    pub fn of(keyed: &'a mut figures::Keyed) -> Read<'a> {
        Read {
            chunks: &keyed.chunks,
            firsts: &keyed.firsts,
            masks: &mut keyed.masks,
        }
    }
}

/// [`run_cached`] with the chunks, keys and masks of [`figures::extract_keyed`], when
/// `figures` are exactly what it extracted from `text`: chunks are not found, hashed and
/// masked again.
pub fn run_keyed(
    text: &str,
    figures: &[Figure],
    mut keyed: Option<Read<'_>>,
    config: &Config,
    lang: Language,
    cache: &mut CheckCache,
) -> Vec<Finding> {
    // Checks rely on document order; an engine that ever returns figures unsorted must
    // not make them misread the text. Extraction's own list is in order (it is read chunk
    // by chunk; asserted in debug and fuzzing builds): not read again on every edit.
    let in_order = |f: &[Figure]| f.windows(2).all(|w| w[0].span.start() <= w[1].span.start());
    #[cfg(any(debug_assertions, fuzzing))]
    assert!(
        keyed.is_none() || in_order(figures),
        "extraction gave figures out of order"
    );
    let sorted: Vec<Figure>;
    let figures = if keyed.is_some() || in_order(figures) {
        figures
    } else {
        // Not what the extraction gave: its keys do not describe these figures.
        keyed = None;
        let mut v = figures.to_vec();
        v.sort_by_key(|f| (f.span.start(), f.span.end()));
        sorted = v;
        &sorted
    };
    if !matches!(&cache.setting, Some((c, l)) if c == config && *l == lang) {
        cache.map.clear();
        cache.windows.clear();
        cache.split.clear();
        cache.conflicts = None;
        cache.texts = None;
        cache.mixed = None;
        cache.setting = Some((config.clone(), lang));
    }
    let enabled: Vec<bool> = REGISTRY
        .iter()
        .map(|c| config.severity(c.code).unwrap_or(c.severity) != Severity::Off)
        .collect();

    let mut masks: &mut [Option<String>] = &mut [];
    let mut firsts: &[usize] = &[];
    let ranges: Vec<(Range<usize>, Option<u64>)> = match keyed {
        Some(k) => {
            masks = k.masks;
            firsts = k.firsts;
            k.chunks
                .iter()
                .map(|(r, key)| (r.clone(), Some(*key)))
                .collect()
        }
        None => figures::chunks(text, lang)
            .into_iter()
            .map(|r| (r, None))
            .collect(),
    };
    // Each chunk's figures: those starting inside it (figures outside every chunk, which
    // extraction never gives, take part in document checks only). Extraction says where
    // each chunk's figures start; else they are found by their places.
    let mut chunks: Vec<Placed> = Vec::with_capacity(ranges.len());
    let n = ranges.len();
    let firsts = Some(firsts).filter(|f| f.len() == n);
    cache.map.start(n);
    // Window checks, around each chunk with figures, run soon after the chunks of the
    // window are read, in batches (see `WINDOWS_EVERY`): a chunk's copies of its mask
    // (see `Cx::take_copies`) are then still at hand for its window, and on a large
    // document its text and figures are still in the processor's caches.
    let window_checks = REGISTRY
        .iter()
        .enumerate()
        .any(|(ci, _)| enabled[ci] && PARTS[ci].window.is_some());
    let mut windows = Windows::default();
    if window_checks {
        // The chunks with figures, whose windows the round will ask for.
        let expected = match firsts {
            Some(f) => (0..n)
                .filter(|&c| f.get(c + 1).map_or(figures.len(), |&e| e) > f[c])
                .count(),
            None => {
                let mut k = 0;
                ranges
                    .iter()
                    .filter(|(r, _)| {
                        while k < figures.len() && figures[k].span.start() < r.start {
                            k += 1;
                        }
                        k < figures.len() && figures[k].span.start() < r.end
                    })
                    .count()
            }
        };
        cache.windows.start(expected);
        windows.found.reserve_exact(n);
    } else {
        cache.windows.clear();
    }
    let run_window = |win: &[Placed], mid: usize, copies: Option<Copies>| {
        window_findings(check_window(
            text,
            figures,
            win,
            mid,
            (config, lang, &enabled),
            copies,
        ))
    };
    let mut k = 0;
    for (c, (r, known)) in ranges.into_iter().enumerate() {
        let lo;
        match firsts {
            Some(f) => {
                lo = f[c].min(figures.len());
                k = f
                    .get(c + 1)
                    .map_or(figures.len(), |&e| e.min(figures.len()))
                    .max(lo);
            }
            None => {
                while k < figures.len() && figures[k].span.start() < r.start {
                    k += 1;
                }
                lo = k;
                while k < figures.len() && figures[k].span.start() < r.end {
                    k += 1;
                }
            }
        }
        let figs = &figures[lo..k];
        // The text is read only for a chunk whose results are not kept (on a large
        // document each chunk's text is a miss to memory).
        let key = known.unwrap_or_else(|| chunk_key(&text[r.clone()], figs, r.start));
        // (Each chunk asks once, in order: the round's `i`-th key is chunk `i`'s.)
        let entry = cache.map.take(
            key,
            || {
                let mask = masks.get_mut(c).and_then(Option::take);
                let (checks, made) = check_chunk(
                    &text[r.clone()],
                    mask,
                    figs,
                    r.start,
                    config,
                    lang,
                    &enabled,
                );
                if window_checks && !figs.is_empty() {
                    windows.copies.push_back((c, made));
                }
                Arc::new(checks)
            },
            |i| chunks[i].2.clone(),
        );
        chunks.push((r, lo..k, entry, key));
        if window_checks && chunks.len() % WINDOWS_EVERY == 0 {
            windows.advance(&chunks, false, &mut cache.windows, &run_window);
        }
    }
    if window_checks {
        windows.advance(&chunks, true, &mut cache.windows, &run_window);
    }
    let windowed = windows.found;

    // What the document passes read of the chunks, gathered in one pass over them (on a
    // large document each chunk's results are a miss to memory, once per pass).
    let mut masks = Vec::with_capacity(chunks.len());
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut names_other_dollars = false;
    let mut dollars = ambiguous_unit::DollarFacts::default();
    let mut in_chunks = 0;
    let mut conflicts = Vec::with_capacity(chunks.len());
    let mut conflicts_whole = true;
    let mut tags = Vec::new();
    let mut suppressions = false;
    for (r, f, e, _) in &chunks {
        // The mask stays in the chunks' (see `Doc::assemble_parts`).
        masks.push((r.clone(), e.clone() as Arc<dyn super::doc::PartMask>));
        pairs.extend(e.pairs.iter().map(|&(a, b)| (a + f.start, b + f.start)));
        names_other_dollars |= e.names_other_dollars;
        dollars = dollars.join(e.dollars);
        in_chunks += f.len();
        conflicts_whole &= e.conflicts.len() == f.len();
        if conflicts_whole {
            conflicts.push((f.start, &e.conflicts[..]));
        }
        tags.extend(e.tags.iter().map(|t| {
            let mut t = t.clone();
            crate::tags::shift_tag(&mut t, r.start);
            t
        }));
        suppressions |= e.suppressions;
    }
    // The document: its shape from the chunks'.
    let doc = Doc::assemble_parts(
        text,
        true,
        chunks.iter().map(|(r, _, e, _)| (r.clone(), &e.shape)),
        super::doc::Parts(masks),
        figures,
    );
    let mut cx = Cx::with_doc(text, figures, config, lang, doc);
    let _ = cx.conversions.set(pairs);
    let _ = cx.names_other_dollars.set(names_other_dollars);
    // Joined only when the chunks hold every figure (extraction gives no other).
    if in_chunks == figures.len() {
        let _ = cx.dollars.set(dollars);
    }
    if conflicts_whole && in_chunks == figures.len() {
        let facts = conflicting_figures::Facts::chunked(conflicts);
        let _ = cx.conflicts.set(facts);
        // Identities for the document pass of `conflicting-figures` and what it found last
        // time (see `conflicting_figures::Memo`).
        let mut seen: HashMap<u64, u64, figures::KeyBuild> =
            HashMap::with_capacity_and_hasher(chunks.len(), figures::KeyBuild::default());
        let mut ids = Vec::with_capacity(figures.len());
        for (_, f, _, key) in &chunks {
            let n = seen.entry(*key).or_default();
            *n += 1;
            for k in 0..f.len() {
                let mut h = figures::Fx(*key);
                h.write_u64(*n);
                h.write_usize(k);
                ids.push(h.finish());
            }
        }
        let _ = cx.fig_ids.set(ids);
        *cx.conflict_memo
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = cache.conflicts.take();
        *cx.mixed_memo
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = cache.mixed.take();
    }
    let _ = cx.tags.set(tags);
    *cx.texts
        .get_mut()
        .unwrap_or_else(std::sync::PoisonError::into_inner) =
        Some(cache.texts.take().unwrap_or_default());

    // The rest: local findings moved into place, split checks and document passes, each
    // settled (configured severity, suppressions). Some document passes may run on a
    // second thread, one after another, meanwhile (see `CheckCache::threaded`); the order
    // findings are settled in does not matter across checks (they are sorted by position,
    // then code, at the end), and within a check its local findings still come first.
    // Which passes go there: the longest first, each to the thread with less to do, by how
    // long each took last time and this thread's own share (the chunks' findings, the split
    // checks, settling). Real briefings spend most of it in `conversion-mismatch`'s rates,
    // generated ones in `conflicting-figures`; with nothing measured yet, all go there.
    let beside: Vec<usize> = if cache.beside_from.is_some_and(|n| figures.len() >= n) {
        let took = |ci: usize| cache.pass_ns.get(ci).copied().unwrap_or(0);
        let mut passes: Vec<usize> = REGISTRY
            .iter()
            .enumerate()
            .filter(|&(ci, _)| enabled[ci] && PARTS[ci].document.is_some())
            .map(|(ci, _)| ci)
            .collect();
        passes.sort_by_key(|&ci| std::cmp::Reverse(took(ci)));
        let (mut here, mut there) = (cache.own_ns, 0u64);
        passes.retain(|&ci| match there <= here {
            true => {
                there += took(ci);
                true
            }
            false => {
                here += took(ci);
                false
            }
        });
        passes.sort_unstable();
        passes
    } else {
        Vec::new()
    };
    // The text is searched for suppressions only when a chunk holds the marker.
    let ignores = if suppressions {
        suppress::Suppressions::new(text)
    } else {
        suppress::Suppressions::default()
    };
    // About as many as last time (the list would otherwise grow, and be copied, a dozen
    // times on a large document). The first time, the chunks' own findings and a quarter
    // more: grown by doubling from nothing, the list of a 1 MB generated briefing's 5,000
    // findings was 8,192 long when the document passes' were merged in, its largest
    // moment, and then copied to its size.
    let expect = match cache.found_last {
        0 => {
            let local: usize = chunks.iter().map(|c| c.2.found.len()).sum::<usize>()
                + windowed.iter().map(|w| w.len()).sum::<usize>();
            local + local / 4
        }
        last => last + last / 8,
    };
    let mut out = Vec::with_capacity(expect);
    let cx_ref = &cx;
    // How long each document pass took, and this thread's own share of the work.
    let mut timed: Vec<(usize, std::time::Duration)> = Vec::new();
    let mut own = std::time::Duration::ZERO;
    std::thread::scope(|s| {
        let passes = &beside;
        let other = match passes.is_empty() {
            true => None,
            // No thread to be had: the passes run below, in turn.
            false => std::thread::Builder::new()
                .name("document passes".into())
                .spawn_scoped(s, move || {
                    passes
                        .iter()
                        .filter_map(|&ci| {
                            let check = &REGISTRY[ci];
                            let run = PARTS[ci].document?;
                            let t0 = std::time::Instant::now();
                            let found = guarded(check, run, cx_ref);
                            Some((ci, found, t0.elapsed()))
                        })
                        .collect::<Vec<_>>()
                })
                .ok(),
        };
        let started = std::time::Instant::now();
        let mut in_passes = std::time::Duration::ZERO;
        let beside: &[usize] = match other {
            Some(_) => passes,
            None => &[],
        };
        // Each check's local findings (the chunk's own and its window's) are settled
        // straight into the output, chunk by chunk: within a check they keep their order
        // (across checks it does not matter, see above).
        let grades: Vec<Grade> = REGISTRY.iter().map(|c| Grade::of(config, c)).collect();
        for (k, (r, _, e, _)) in chunks.iter().enumerate() {
            let from = out.len();
            let window = windowed.get(k).into_iter().flat_map(|w| w.iter());
            for (ci, found) in e.found.iter().chain(window) {
                if !enabled[*ci] {
                    continue;
                }
                let f = shift_finding(found, 0, r.start);
                out.extend(grades[*ci].settle(text, &ignores, f));
            }
            // Each chunk's findings in order (stably: the same order as sorting them all
            // at the end gives), so that the local findings are one run in order, which the
            // sort at the end merges with the others' instead of sorting them again.
            super::order_run(&mut out[from..]);
        }
        // Then the split checks' findings, after their check's local ones, settled where
        // they were written.
        for ci in 0..REGISTRY.len() {
            if let (true, Some(split)) = (enabled[ci], PARTS[ci].split) {
                let from = out.len();
                run_split(cx_ref, split, ci, &chunks, &mut out, cache);
                let mut kept = from;
                for i in from..out.len() {
                    if grades[ci].keep(text, &ignores, &mut out[i]) {
                        out.swap(kept, i);
                        kept += 1;
                    }
                }
                out.truncate(kept);
            }
        }
        for (ci, check) in REGISTRY.iter().enumerate() {
            if !enabled[ci] || beside.contains(&ci) {
                continue;
            }
            if let Some(run) = PARTS[ci].document {
                let t0 = std::time::Instant::now();
                let found = guarded(check, run, cx_ref);
                let took = t0.elapsed();
                in_passes += took;
                timed.push((ci, took));
                settle(text, config, &ignores, check, found, &mut out);
            }
        }
        own = started.elapsed().saturating_sub(in_passes);
        // While the passes beside still run, this thread puts its findings in order;
        // theirs are put in order apart and merged in (stably: where a check has findings
        // in both, this thread's came first before too).
        if other.is_some() {
            order_findings(&mut out);
        }
        let mut late = Vec::new();
        for (ci, found, took) in other.map(joined).unwrap_or_default() {
            timed.push((ci, took));
            settle(text, config, &ignores, &REGISTRY[ci], found, &mut late);
        }
        order_findings(&mut late);
        merge_findings(&mut out, late);
    });
    // Averaged over the last few analyses, so that one slow pass does not move it at once.
    let avg = |old: u64, new: std::time::Duration| {
        let new = u64::try_from(new.as_nanos()).unwrap_or(u64::MAX);
        match old {
            0 => new,
            _ => old / 4 * 3 + new / 4,
        }
    };
    cache.pass_ns.resize(REGISTRY.len(), 0);
    for (ci, took) in timed {
        cache.pass_ns[ci] = avg(cache.pass_ns[ci], took);
    }
    cache.own_ns = avg(cache.own_ns, own);
    // The document's tags, for the next caller (`CheckCache::tags`), without a copy.
    cache.tags = cx.tags.take().unwrap_or_default();
    cache.conflicts = cx
        .conflict_memo
        .get_mut()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    cache.texts = cx
        .texts
        .get_mut()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    cache.mixed = cx
        .mixed_memo
        .get_mut()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    if let Some(t) = &mut cache.texts {
        t.turn();
    }
    // The chunks' and windows' results go back to their caches, uncounted.
    if window_checks {
        let with_figures = chunks.iter().map(|c| !c.1.is_empty());
        cache.windows.end_with(
            windowed
                .into_iter()
                .zip(with_figures)
                .filter_map(|(w, has)| has.then_some(w)),
        );
    }
    // (The document read the chunks' facts where they are.)
    drop(cx);
    cache.map.end_with(chunks.into_iter().map(|(_, _, e, _)| e));
    sort_findings(&mut out);
    cache.found_last = out.len();
    // Kept as long as the document is open, and never grown again (the next analysis
    // makes a list of its own): none of its room is of use. It was made with an eighth
    // more than the last analysis found, which `trim_spare` leaves; a large list gives
    // that back where it is, without a copy (1 MB generated: 65 KB).
    out.shrink_to_fit();
    out
}

/// Run a split check: fold the chunks' summaries into the document's verdict, then take
/// each chunk's findings under it from the cache, or compute them.
fn run_split(
    cx: &Cx,
    split: Split,
    ci: usize,
    chunks: &[Placed],
    out: &mut Vec<Finding>,
    cache: &mut CheckCache,
) {
    // About as many as last time (a large document's list would otherwise be copied a
    // dozen times as it grows).
    let at = out.len();
    out.reserve(cache.split_last + cache.split_last / 8);
    let (verdict, vkey, examples) = match split {
        Split::NumberStyle => {
            let v =
                number_style::Verdict::of(chunks.iter().map(|(_, f, e, _)| (f.start, &e.habits)));
            let k = v.key(cx);
            // Shared by every chunk's entry made with it.
            let at = Arc::new(v.examples(cx));
            (v, k, at)
        }
    };
    let kept = cache.split.entry(ci).or_default();
    kept.start(chunks.iter().filter(|c| !c.1.is_empty()).count());
    for (r, f, _, key) in chunks {
        if f.is_empty() {
            continue;
        }
        let mut h = figures::Fx(*key ^ vkey.rotate_left(29));
        h.write_usize(ci);
        let (found, then) = kept.get(h.finish(), || {
            let check = &REGISTRY[ci];
            let found = match split {
                Split::NumberStyle => {
                    guarded(check, |cx| number_style::emit(cx, &verdict, f.clone()), cx)
                }
            };
            let e = window_findings(
                found
                    .iter()
                    .map(|x| (ci, shift_own(x, r.start, 0)))
                    .collect(),
            );
            (e, examples.clone())
        });
        // Findings relate only to the examples: where one has moved since, so do they. When
        // every example moved by one distance (an edit before them all), the related lists
        // move by their offset, shared as they are; else each list is copied and changed.
        let moved = !Arc::ptr_eq(&then, &examples) && then != examples;
        let alike = moved_alike(&then, &examples);
        out.extend(found.iter().map(|(_, x)| {
            let mut x = shift_own(x, 0, r.start);
            if let (true, Some((from, to))) = (moved, alike) {
                x.related.shift(from, to);
            } else if moved {
                for rel in x.related.make_mut() {
                    let was = then.iter().position(|s| s.as_ref() == Some(&rel.span));
                    if let Some(now) = was.and_then(|k| examples[k].clone()) {
                        rel.span = now;
                    }
                }
            }
            x
        }));
    }
    kept.end();
    cache.split_last = out.len() - at;
}

/// The one distance every example moved by from `then` to `now`, as a place and where it
/// is now (any example's start), when each example is at a place in both and all moved by
/// it; `None` when none is anywhere or they moved apart.
fn moved_alike(then: &Examples, now: &Examples) -> Option<(usize, usize)> {
    let mut by = None;
    for (a, b) in then.iter().zip(now) {
        match (a, b) {
            (None, None) => {}
            (Some(a), Some(b)) => {
                let d = b.start.wrapping_sub(a.start);
                if b.end.wrapping_sub(a.end) != d
                    || by.is_some_and(|(f, t): (usize, usize)| t.wrapping_sub(f) != d)
                {
                    return None;
                }
                by.get_or_insert((a.start, b.start));
            }
            _ => return None,
        }
    }
    by
}

/// Run one check's part. A check that panics (a bug; arithmetic on a value near the decimal
/// limit, say) loses its own findings on this text and is logged; the other checks, the
/// figures and the editor session carry on. Fuzzing builds let the panic through, so the
/// fuzzers still find such bugs.
fn guarded(check: &Check, run: impl FnOnce(&Cx) -> Vec<Finding>, cx: &Cx) -> Vec<Finding> {
    #[cfg(fuzzing)]
    {
        let _ = check;
        run(cx)
    }
    #[cfg(not(fuzzing))]
    {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cx))) {
            Ok(found) => found,
            Err(_) => {
                tracing::error!(
                    "check {} failed on a text of {} bytes",
                    check.code,
                    cx.text.len()
                );
                Vec::new()
            }
        }
    }
}

/// The findings of the document passes run on their own thread. Their panics are caught
/// inside ([`guarded`]), except in fuzzing builds, where they carry on here.
fn joined(
    h: std::thread::ScopedJoinHandle<'_, Vec<(usize, Vec<Finding>, std::time::Duration)>>,
) -> Vec<(usize, Vec<Finding>, std::time::Duration)> {
    match h.join() {
        Ok(found) => found,
        #[cfg(fuzzing)]
        Err(e) => std::panic::resume_unwind(e),
        #[cfg(not(fuzzing))]
        Err(_) => Vec::new(),
    }
}

/// Whether a chunk ends with a sentence ending in a colon followed only by list items (or
/// by nothing): a sentence that may announce a list running on into later chunks.
fn opens_list(chunk: &str, doc: &Doc) -> bool {
    if doc.stand_in {
        return false;
    }
    for s in doc.sentences.iter().rev() {
        if chunk
            .get(s.range.clone())
            .is_some_and(|t| t.trim_end().ends_with(':'))
        {
            return true;
        }
        if s.kind != super::doc::UnitKind::ListItem {
            return false;
        }
    }
    false
}

/// Run the local checks on one chunk, whose prose mask extraction may have made (see
/// [`figures::Keyed::masks`]).
fn check_chunk(
    chunk: &str,
    mask: Option<String>,
    figs: &[Figure],
    at: usize,
    config: &Config,
    lang: Language,
    enabled: &[bool],
) -> (ChunkChecks, Copies) {
    let figs: Vec<Figure> = figs.iter().map(|f| shift_figure(f, at)).collect();
    let doc = match mask {
        Some(mask) => Doc::new_masked(chunk, mask, &figs, at == 0),
        None => Doc::new_part(chunk, &figs, lang, at == 0),
    };
    let mut cx = Cx::with_doc(chunk, &figs, config, lang, doc);
    let pairs = conversion_mismatch::pairs(&cx);
    let _ = cx.conversions.set(pairs.clone());
    let mut found = Vec::new();
    for (ci, check) in REGISTRY.iter().enumerate() {
        if !enabled[ci] {
            continue;
        }
        if let Some(run) = PARTS[ci].chunk {
            found.extend(guarded(check, run, &cx).into_iter().map(|f| (ci, f)));
        }
    }
    let conflicts = match super::check("conflicting-figures") {
        Some(c) if config.severity(c.code).unwrap_or(c.severity) != Severity::Off => {
            cx.conflict_facts().to_shared()
        }
        _ => Arc::default(),
    };
    let habits = match super::check("number-style") {
        Some(c) if config.severity(c.code).unwrap_or(c.severity) != Severity::Off => {
            number_style::habits(&cx)
        }
        _ => number_style::Habits::default(),
    };
    let tags = match cx.may_hold_tags() {
        true => crate::tags::scan_part(chunk, lang, at == 0).tags,
        false => Vec::new(),
    };
    let names_other_dollars = ambiguous_unit::names_other_dollars(cx.mask());
    let dollars = ambiguous_unit::dollars(&cx).facts();
    let copies = cx.take_copies();
    let Cx { doc, .. } = cx;
    let sentences = if doc.stand_in { 0 } else { doc.sentences.len() };
    let opens_list = opens_list(chunk, &doc);
    let list = !doc.stand_in
        && doc.sentences.first().map(|s| s.kind) == Some(super::doc::UnitKind::ListItem);
    // Kept as long as the document is open: lists of their exact length (grown by pushing,
    // a list of one finding had room for four).
    let checks = ChunkChecks {
        shape: PartShape::keep(doc, chunk),
        pairs: pairs.into_boxed_slice(),
        conflicts,
        found: found.into_boxed_slice(),
        habits,
        sentences,
        opens_list,
        list,
        names_other_dollars,
        dollars,
        tags: tags.into_boxed_slice(),
        suppressions: suppress::may_hold(chunk),
    };
    (checks, copies)
}

/// A figure with its byte ranges moved `by` bytes back.
fn shift_figure(f: &Figure, by: usize) -> Figure {
    let mut f = f.clone();
    for s in [&mut f.span, &mut f.number] {
        *s = (s.start() - by..s.end() - by).into();
    }
    let sh = |r: &mut Range<usize>| {
        r.start -= by;
        r.end -= by;
    };
    for r in [
        &mut f.written.unit_span,
        &mut f.written.scale_span,
        &mut f.written.qualifier_span,
    ] {
        r.update(sh);
    }
    f.rare.update_misspelt_scale(sh);
    f
}

/// A finding with its byte ranges moved from offset `from` to offset `to` (its lists are
/// shared with `f`, moved when read; see [`super::shared`]).
fn shift_finding(f: &Finding, from: usize, to: usize) -> Finding {
    let mut f = f.clone();
    // Wrapping: a related figure may lie before the chunk; moved back, it is right again.
    let mv = |x: &mut usize| *x = x.wrapping_sub(from).wrapping_add(to);
    mv(&mut f.span.start);
    mv(&mut f.span.end);
    f.related.shift(from, to);
    f.fixes.shift(from, to);
    f
}

/// A finding with its own byte ranges (span, fixes) moved from offset `from` to `to`; its
/// related ranges, which point anywhere in the document, stay.
pub(super) fn shift_own(f: &Finding, from: usize, to: usize) -> Finding {
    let mut f = f.clone();
    let mv = |x: &mut usize| *x = x.wrapping_sub(from).wrapping_add(to);
    mv(&mut f.span.start);
    mv(&mut f.span.end);
    f.fixes.shift(from, to);
    f
}

/// Run the window checks on a window of chunks with the focus on its chunk `mid`: the
/// findings that start in that chunk, relative to it.
fn check_window(
    text: &str,
    figures: &[Figure],
    win: &[Placed],
    mid: usize,
    (config, lang, enabled): (&Config, Language, &[bool]),
    copies: Option<Copies>,
) -> Vec<(usize, Finding)> {
    let at = win[0].0.start;
    let end = win[win.len() - 1].0.end;
    let f0 = win[0].1.start;
    let wtext = &text[at..end];
    let figs: Vec<Figure> = figures[f0..win[win.len() - 1].1.end]
        .iter()
        .map(|f| shift_figure(f, at))
        .collect();
    let doc = Doc::assemble(
        wtext,
        at == 0,
        win.iter()
            .map(|(r, _, e, _)| (r.start - at..r.end - at, &e.shape)),
        &figs,
    );
    let mut cx = Cx::with_doc(wtext, &figs, config, lang, doc);
    let pairs = win
        .iter()
        .flat_map(|(_, f, e, _)| {
            e.pairs
                .iter()
                .map(move |&(a, b)| (a + f.start - f0, b + f.start - f0))
        })
        .collect();
    let _ = cx.conversions.set(pairs);
    let (r, f) = (&win[mid].0, &win[mid].1);
    cx.focus = f.start - f0..f.end - f0;
    let inside = r.start - at..r.end - at;
    cx.lower_in = inside.clone();
    if let Some(copies) = copies {
        cx.give_copies(copies, r.len());
    }
    let mut out = Vec::new();
    for (ci, check) in REGISTRY.iter().enumerate() {
        if !enabled[ci] {
            continue;
        }
        if let Some(run) = PARTS[ci].window {
            for found in guarded(check, run, &cx) {
                if inside.contains(&found.span.start) {
                    out.push((ci, shift_finding(&found, inside.start, 0)));
                }
            }
        }
    }
    out
}

/// The cache key of a chunk: its text and everything about its figures (which document
/// passes of the extraction may change without the chunk's text changing), offsets taken
/// relative to the chunk's start `at`.
fn chunk_key(chunk: &str, figs: &[Figure], at: usize) -> u64 {
    let mut h = figures::Fx(figures::chunk_key(chunk, 0) ^ u64::from(at == 0));
    h.write_usize(figs.len());
    for f in figs {
        figures::hash_figure(&mut h, f, at);
    }
    h.finish()
}

/// Every enabled check run once on the whole document, each reading as far as it likes:
/// the reference that [`run_cached`]'s chunks and windows must agree with (a property test
/// compares the two). Slower; not used by the product.
#[doc(hidden)]
pub fn run_whole(text: &str, figures: &[Figure], config: &Config, lang: Language) -> Vec<Finding> {
    let mut figures = figures.to_vec();
    figures.sort_by_key(|f| (f.span.start(), f.span.end()));
    let cx = Cx::new(text, &figures, config, lang);
    let ignores = suppress::Suppressions::new(text);
    let mut out = Vec::new();
    for check in REGISTRY {
        if config.severity(check.code).unwrap_or(check.severity) == Severity::Off {
            continue;
        }
        settle(
            text,
            config,
            &ignores,
            check,
            guarded(check, check.run, &cx),
            &mut out,
        );
    }
    sort_findings(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::moved_alike;

    /// A chunk that announces a loose list (`a total of 27:`, its items in the chunks that
    /// follow) reads the items wherever the windows' batches fall: with any number of
    /// chunks before it, the total is checked against them.
    #[test]
    fn a_list_announced_at_a_batch_end_is_read_whole() {
        let config = crate::Config::default();
        for before in 0..=2 * super::WINDOWS_EVERY + 1 {
            let mut text = "Nothing was said.\n\n".repeat(before);
            text.push_str(
                "The channels closed, a total of 27:\n\n- 18 international\n\n- 8 regional\n",
            );
            let found: Vec<_> = crate::analyse(&text, &config)
                .findings
                .into_iter()
                .filter(|f| f.code == "total-mismatch")
                .map(|f| f.message.to_string())
                .collect();
            assert_eq!(
                found,
                vec!["18 + 8 = 26, not 27: the total disagrees with its components"],
                "{before} chunks before"
            );
        }
    }

    #[test]
    fn examples_moved_alike_by_one_distance() {
        let then = [Some(10..14), None, Some(40..42)];
        assert_eq!(
            moved_alike(&then, &[Some(13..17), None, Some(43..45)]),
            Some((10, 13))
        );
        // Back again (the distance wraps, as offsets do).
        assert_eq!(
            moved_alike(&[Some(13..17), None, Some(43..45)], &then),
            Some((13, 10))
        );
        // Apart: an edit between them, or inside one.
        assert_eq!(
            moved_alike(&then, &[Some(10..14), None, Some(43..45)]),
            None
        );
        assert_eq!(
            moved_alike(&then, &[Some(10..15), None, Some(41..43)]),
            None
        );
        // One gone, or one new: not a move.
        assert_eq!(moved_alike(&then, &[Some(10..14), None, None]), None);
        assert_eq!(
            moved_alike(&then, &[Some(10..14), Some(1..2), Some(40..42)]),
            None
        );
        // No example anywhere: nothing to move by.
        assert_eq!(moved_alike(&[None, None, None], &[None, None, None]), None);
    }

    #[test]
    fn a_kept_chunk_fits_its_size_class() {
        // A document keeps an entry per chunk (2,561 on 1 MB of generated text): with its
        // counts, in 192 bytes, the allocator's size class; a byte more takes 224.
        assert!(std::mem::size_of::<super::ChunkChecks>() + super::super::ARC_COUNTS <= 192);
    }

    #[test]
    fn heap_parts_follow_what_the_cache_keeps() {
        let config = crate::Config::default();
        let lang = crate::prose::Language::Markdown;
        let part = |cache: &super::CheckCache, name: &str| {
            let parts = cache.heap_parts();
            let found: Vec<usize> = parts.iter().filter(|p| p.0 == name).map(|p| p.1).collect();
            assert_eq!(found.len(), 1, "{name} once in {parts:?}");
            found[0]
        };
        let empty = super::CheckCache::default();
        assert!(empty.heap_parts().iter().all(|p| p.1 == 0));
        // Two paragraphs that restate a count with another value: sentences, active
        // conflict facts and a finding.
        let text = "Police seized 14 rifles in Almaty.\n\n\
                    Police seized 21 rifles in Almaty.\n";
        let figures = crate::figures::extract_lang(text, &config, lang);
        let mut cache = super::CheckCache::default();
        let found = super::run_cached(text, &figures, &config, lang, &mut cache);
        assert!(found.iter().any(|f| f.code == "conflicting-figures"));
        let sentences = part(&cache, "chunk sentences");
        assert_eq!(sentences, 2 * super::super::doc::KEPT_SENTENCE);
        assert!(part(&cache, "chunk conflict facts, active") > 0);
        assert!(part(&cache, "conflicts memo: records") > 0);
    }
}
