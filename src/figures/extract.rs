//! The extractor: from prose to figures.
//!
//! 1. The prose of the document is masked ([`crate::prose::mask`]) and tokenised into words,
//!    numerals, symbols and spaces, all as byte ranges of the original text.
//! 2. At each numeral or number word, [`Scanner::figure_at`] reads a quantity: the number
//!    and its scale, then looks right for a range, a percent sign, a currency, a unit, a
//!    rate (`per day`, `a share`) or a counted noun, and left for a currency symbol or code,
//!    a sign and a qualifier. What is not a figure (years, dates, times, ordinals, list
//!    markers, references, identifiers, phone numbers, versions) is dropped here.
//! 3. Document passes: coordination (`32.5 and 32.6 pct`, `18 international and nine
//!    regional ... channels`), changes (`from 1.5 to 5.0 billion USD`), column headers
//!    (`(% p.a.)`), money context (`Revs 72.2 mln vs 73.5 mln` in an earnings table), and the
//!    country of `dlrs`, `rupees`, `crowns` from the document.
//!
//! Nothing here allocates per byte; the hot loop is the tokenizer.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::number::{self, Numeral};
use super::units::{self, Money};
use super::{Dimension, Figure, Qualifier, Written};
use crate::config::Config;
use crate::prose::{self, Language};

/// Extract the figures of a Markdown document.
pub fn extract(text: &str, config: &Config) -> Vec<Figure> {
    extract_lang(text, config, Language::Markdown)
}

/// Extract the figures of a document read as `lang`.
pub fn extract_lang(text: &str, config: &Config, lang: Language) -> Vec<Figure> {
    let mut cache = ChunkCache::default();
    let figures = extract_keyed(text, config, lang, &mut cache).figures;
    drop(cache);
    // The cache held the only other reference: the list comes out without a copy.
    Arc::try_unwrap(figures).unwrap_or_else(|f| f.as_ref().clone())
}

/// Per-chunk extraction results kept between analyses of one document, so that after an
/// edit only the chunks (paragraphs, list items, fenced blocks) whose text changed are read
/// again. The results are the same as a fresh extraction by construction: a fresh
/// extraction is this function with an empty cache.
///
/// The cache keeps no figures of its own: it shares the last extraction's list with its
/// caller (the open document's analysis) and remembers where each chunk's figures are in
/// it, with the few fields the document passes may have changed as the chunk read them.
#[derive(Default)]
pub struct ChunkCache {
    /// The last text's chunks, for [`rechunk`], with the hash of the text before the
    /// first, the front matter's length and the language they were read as.
    segs: Vec<Seg>,
    head: u64,
    front: usize,
    seg_lang: Option<Language>,
    /// The figures of the last extraction, after the document passes, and what those
    /// passes need to know of each.
    last: Arc<Vec<Figure>>,
    last_meta: Vec<Meta>,
    /// The length of the text `last` was read from, and its chunks in document order (see
    /// [`Kept`]). An edit changes the chunks in one place: the next extraction finds the
    /// chunks before and after it where they were (moved by the change in length), and
    /// looks for the others' keys in this list only (no table per chunk to probe: on a
    /// large document each probe was a miss to memory).
    last_len: usize,
    chunks: Vec<Kept>,
    /// The prose masks of the chunks the extraction under way read afresh, by chunk index
    /// (see [`Keyed::masks`]).
    masks: Vec<(usize, String)>,
}

/// A chunk of the last extraction, and where its figures are in [`ChunkCache::last`] (its
/// figures run to the next chunk's first).
struct Kept {
    /// Byte offset of the chunk in the last text, and its key (text and document facts).
    start: usize,
    key: u64,
    /// Index of the chunk's first figure.
    first: usize,
    /// The chunk's figures that the document passes may change (see [`Meta::touched`]),
    /// by index in the chunk, with those fields as the chunk read them.
    before: Box<[(u32, Before)]>,
}

/// The fields of a figure that the document passes (`resolve_money`, `money_context`)
/// may change, as its chunk read them.
#[derive(Clone)]
struct Before {
    unit: Option<&'static str>,
    dimension: Dimension,
    bare: bool,
    unit_inferred: bool,
    normalized_value: super::OptDecimal,
}

impl Before {
    fn of(f: &Figure) -> Before {
        Before {
            unit: f.unit,
            dimension: f.dimension,
            bare: f.bare,
            unit_inferred: f.unit_inferred,
            normalized_value: f.normalized_value,
        }
    }
    fn restore(&self, f: &mut Figure) {
        f.unit = self.unit;
        f.dimension = self.dimension;
        f.bare = self.bare;
        f.unit_inferred = self.unit_inferred;
        f.normalized_value = self.normalized_value;
    }
}

/// What one chunk contributes to the document's facts.
#[derive(Clone, Copy, Default)]
struct ChunkFacts {
    pound_sign: bool,
    lines: u8,
    /// Which of [`COUNTRY_WORDS`] the chunk names (bit `k` for word `k`), once asked: only
    /// documents with money of a family a country decides (rupees, pesos) need it.
    countries: Option<u64>,
}

/// The words that say a chunk writes pounds sterling ([`names_pound`]).
const POUND_WORDS: [&str; 7] = [
    "£", "sterling", "Sterling", "STERLING", " stg", " STG", " Stg",
];

/// Whether `b` holds one of the [`POUND_WORDS`]. This runs on every chunk of every new
/// text: every word but `£` ends with `g` or `G`, so only the bytes before each of the
/// few `g`s of a text are compared (and `£` is found by its second byte).
fn names_pound(b: &[u8]) -> bool {
    memchr::memchr3_iter(b'g', b'G', 0xa3, b).any(|k| {
        let upto = &b[..=k];
        match b[k] {
            0xa3 => upto.ends_with("£".as_bytes()),
            _ => POUND_WORDS[1..]
                .iter()
                .any(|w| upto.ends_with(w.as_bytes())),
        }
    })
}

impl ChunkFacts {
    fn of(chunk: &str) -> ChunkFacts {
        let pound_sign = names_pound(chunk.as_bytes());
        // Non-blank lines (a line's break is white space to `trim`).
        let lines = crate::prose::lines_inclusive(chunk)
            .filter(|l| !l.trim().is_empty())
            .take(2)
            .count() as u8;
        ChunkFacts {
            pound_sign,
            lines,
            countries: None,
        }
    }
}

/// Every country word of [`DocContext::family_code`], for the per-chunk masks.
const COUNTRY_WORDS: &[&str] = &[
    "sri lanka",
    "pakistan",
    "nepal",
    "mauritius",
    "india",
    "sweden",
    "swedish",
    "denmark",
    "danish",
    "norway",
    "norwegian",
    "czech",
    "iceland",
    "mexico",
    "mexican",
    "philippine",
    "argentin",
    "chile",
    "colombia",
    "cuba",
    "switzerland",
    "swiss",
    "france",
    "french",
    "belgi",
    "kuwait",
    "iraq",
    "jordan",
    "bahrain",
    "serbia",
    "algeria",
    "libya",
    "tunisia",
];

/// The [`COUNTRY_WORDS`] a text names, as [`DocContext::has`] reads them: each word in lower,
/// title or upper case, anywhere. One search of the lower-cased text for all of them,
/// resumed after each place found (a search per word and case cost a fifth of reading a new
/// text).
fn countries_in(text: &str) -> u64 {
    // The words in lower case, looked for in the text lower-cased; each place found is then
    // read in the text for one of the three cases. Leftmost-first matching of few patterns,
    // each matched exactly, lets the searcher skip ahead many bytes at a time (SIMD); the
    // standard semantics step through every byte.
    static FINDER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(COUNTRY_WORDS)
                .ok()
        });
    let lower = text.to_ascii_lowercase();
    match &*FINDER {
        // Each search from just after the last match's start: no word lies inside another
        // (a test says so), so no two words match at one place and every place where one
        // starts is found in turn, overlapping ones included (`pakistanepal`).
        Some(finder) => {
            let mut found = 0u64;
            let mut at = 0;
            while let Some(m) = finder.find(aho_corasick::Input::new(&lower).range(at..)) {
                let k = m.pattern().as_usize();
                if COUNTRY_WORDS
                    .get(k)
                    .is_some_and(|w| in_a_case(&text[m.range()], w))
                {
                    found |= 1 << k;
                }
                at = m.start() + 1;
            }
            found
        }
        // Not reached (the patterns are few and short); the searches one by one instead.
        None => countries_one_by_one(text),
    }
}

/// Whether `found` is `word` (lower case) in lower, title or upper case.
fn in_a_case(found: &str, word: &str) -> bool {
    found == word
        || found.len() == word.len()
            && (found
                .bytes()
                .zip(word.bytes())
                .all(|(f, w)| f == w.to_ascii_uppercase())
                || found == title_case(word))
}

/// [`countries_in`] word by word, a search per word and case (its definition, and what it
/// falls back to).
fn countries_one_by_one(text: &str) -> u64 {
    let doc = DocContext::new(text);
    COUNTRY_WORDS
        .iter()
        .enumerate()
        .filter(|(_, w)| doc.has(w))
        .fold(0, |m, (k, _)| m | 1 << k)
}

/// Each word of `s` with its first letter in upper case (`sri lanka` → `Sri Lanka`).
fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl std::fmt::Debug for ChunkCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChunkCache({} chunks)", self.chunks.len())
    }
}

impl ChunkCache {
    /// Number of cached chunks.
    pub fn len(&self) -> usize {
        self.chunks.len()
    }
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }
}

/// Extract with a cache of chunk results (see [`ChunkCache`]). The list is shared with the
/// cache, which reads the next extraction's unchanged chunks from it.
pub fn extract_cached(
    text: &str,
    config: &Config,
    lang: Language,
    cache: &mut ChunkCache,
) -> Arc<Vec<Figure>> {
    extract_keyed(text, config, lang, cache).figures
}

/// What [`extract_keyed`] gives: the figures, and the document's chunks with a key for each
/// that changes whenever the chunk's text or any of its figures does.
#[derive(Debug, Default)]
pub struct Keyed {
    /// The figures, shared with the cache (see [`ChunkCache`]).
    pub figures: Arc<Vec<Figure>>,
    /// Each chunk of [`crate::prose::chunks`] with its key.
    pub chunks: Vec<(Range<usize>, u64)>,
    /// Where each chunk's figures start in `figures` (its figures run to the next one's).
    pub firsts: Vec<usize>,
    /// For each chunk the extraction read afresh, its prose mask ([`prose::mask_part`]),
    /// empty when the mask is the chunk's text; `None` for the chunks taken from the cache.
    /// The checks read the same chunks' sentences from it instead of masking them again.
    pub masks: Vec<Option<String>>,
}

/// What a caller knows of how a text differs from the one last read with a cache: its
/// first `prefix` bytes and its last `suffix` bytes are those of that text (each claim on
/// its own: they may overlap). Nothing is known by default. The cache then takes the
/// chunks in those stretches for the same without reading their text again (a large
/// document's text would otherwise be hashed whole after every edit, to find where it
/// changed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unchanged {
    pub prefix: usize,
    pub suffix: usize,
}

/// [`extract_cached`], keeping the chunks it read and a key for each: the text (and the
/// document facts the chunk was read with) and the figures the document passes changed.
/// The check cache keys its chunks with it instead of hashing text and figures again.
pub fn extract_keyed(text: &str, config: &Config, lang: Language, cache: &mut ChunkCache) -> Keyed {
    extract_edited(text, config, lang, cache, Unchanged::default())
}

/// [`extract_keyed`] of a text of which `same` is known to be the last one's (see
/// [`Unchanged`]; a wrong claim gives wrong figures).
pub fn extract_edited(
    text: &str,
    config: &Config,
    lang: Language,
    cache: &mut ChunkCache,
    same: Unchanged,
) -> Keyed {
    cache.masks.clear();
    let mut segs = rechunk(text, lang, cache, same);
    let ranges: Vec<Range<usize>> = segs.iter().map(|s| s.range.clone()).collect();
    // Document facts, folded from the chunks' own.
    let mut pound_sign = false;
    let mut lines = 0usize;
    for s in &segs {
        pound_sign |= s.facts.pound_sign;
        lines += usize::from(s.facts.lines);
    }
    let facts = Facts::new(pound_sign, lines > 1, config, lang);
    let keys: Vec<u64> = segs
        .iter()
        .map(|Seg { range, hash: h, .. }| {
            // A chunk at the document's start may hold front matter; elsewhere it cannot.
            (h ^ facts.key.wrapping_mul(0x9e37_79b9_7f4a_7c15)).rotate_left(17)
                ^ u64::from(range.start == 0)
        })
        .collect();
    // The last extraction's figures, which the cached entries point into.
    let prev = std::mem::take(&mut cache.last);
    let prev_meta = std::mem::take(&mut cache.last_meta);
    let (mut figures, mut meta) = match Arc::try_unwrap(prev) {
        // Nobody else holds the last list (the caller dropped its analysis): change it in
        // place, so that the figures of the chunks an edit did not touch are not copied. (A
        // first reading has nothing to keep: it builds its list directly.)
        Ok(list) if !list.is_empty() && list.len() == prev_meta.len() => splice_in_place(
            text, &ranges, &keys, &facts, config, lang, cache, list, prev_meta,
        ),
        Ok(list) => copy_chunks(
            text, &ranges, &keys, &facts, config, lang, cache, &list, &prev_meta,
        ),
        Err(shared) => copy_chunks(
            text, &ranges, &keys, &facts, config, lang, cache, &shared, &prev_meta,
        ),
    };
    let mut doc = DocContext::new(text);
    // The countries the document names, folded from the chunks' (each read once), when a
    // figure's money family may need them.
    if meta
        .iter()
        .any(|p| p.family().is_some_and(Money::country_decides))
    {
        let mut mask = 0;
        for seg in &mut segs {
            let r = &seg.range;
            mask |= *seg
                .facts
                .countries
                .get_or_insert_with(|| countries_in(&text[r.clone()]));
        }
        doc.countries = Some(mask);
    }
    resolve_money(&mut figures, &meta, &doc);
    money_context(&mut figures, &meta);
    // A chunk's pieces are a function of its key, except for what the document passes
    // change: the pieces they may touch (money families, big bare numbers) go into the key.
    // (The chunks' records are the new text's chunks now, one per range, in order.)
    let kept = &cache.chunks;
    let chunks: Vec<(Range<usize>, u64)> = ranges
        .iter()
        .zip(kept)
        .enumerate()
        .map(|(c, (range, k))| {
            let (first, end) = (k.first, kept.get(c + 1).map_or(figures.len(), |k| k.first));
            let mut h = super::Fx(k.key);
            h.write_usize(end - first);
            for (k, (f, m)) in figures[first..end]
                .iter()
                .zip(&meta[first..end])
                .enumerate()
            {
                // What the passes may change (`resolve_money`, `money_context`): the rest of
                // the figure is the cached piece's, or derived from these (`normalize_one`).
                if m.touched() {
                    h.write_usize(k);
                    f.unit.hash(&mut h);
                    f.dimension.hash(&mut h);
                    h.write_u8(u8::from(f.bare) | u8::from(f.unit_inferred) << 1);
                }
            }
            (range.clone(), h.finish())
        })
        .collect();
    // The document is kept open with its figures (the first analysis grows the list as it
    // goes).
    super::trim_spare(&mut figures);
    // Chunks normalise their figures; the document passes renormalise what they changed.
    let figures = Arc::new(figures);
    cache.last = figures.clone();
    super::trim_spare(&mut meta);
    cache.last_meta = meta;
    cache.last_len = text.len();
    // Kept as long as the document is open (a list grown by pushing may be half empty).
    super::trim_spare(&mut segs);
    cache.segs = segs;
    let mut masks: Vec<Option<String>> = vec![None; chunks.len()];
    for (c, m) in cache.masks.drain(..) {
        if let Some(slot) = masks.get_mut(c) {
            *slot = Some(m);
        }
    }
    cache.masks = Vec::new();
    let firsts = kept.iter().map(|k| k.first).collect();
    Keyed {
        figures,
        chunks,
        firsts,
        masks,
    }
}

/// A chunk of the last text, as [`rechunk`] keeps it.
#[derive(Clone)]
struct Seg {
    range: Range<usize>,
    /// [`chunk_key`] of the chunk's text alone.
    hash: u64,
    /// What the chunk tells about the document.
    facts: ChunkFacts,
    /// [`seg_hash`] of the text from the chunk's start to the next chunk's (or the text's
    /// end): the chunk and the blank lines after it.
    seg: u64,
}

/// [`chunk_key`] of any bytes, for comparing a text with the last one in stretches.
fn seg_hash(b: &[u8]) -> u64 {
    hash_bytes(b, 0x5e9_0000_0000_0001)
}

/// The chunks of `text` ([`prose::chunks`]), with their hashes and facts, finding again
/// only those of the part an edit changed. The last text's chunks whose text and the
/// blank lines after it are still the same at the text's start are kept as they are, and
/// the chunks from the first that may have changed are read with [`prose::Chunker`] until
/// one starts where a chunk of the last text's unchanged end (the same text to the end,
/// moved by the change in length) starts: from a place where no chunk is open, the same
/// text is read into the same chunks, so the rest are the last text's, moved. Each
/// stretch of text is compared by a 64-bit hash, as the caches compare chunks.
fn rechunk(text: &str, lang: Language, cache: &mut ChunkCache, same: Unchanged) -> Vec<Seg> {
    let mut old = std::mem::take(&mut cache.segs);
    let old_len = cache.last_len;
    let b = text.as_bytes();
    // Where the caller vouches for the text: bytes before `same_to` are the last text's,
    // and so are bytes from `same_from` on (at the same distance from the end).
    let same_to = same.prefix.min(b.len()).min(old_len);
    let same_from = b.len() - same.suffix.min(b.len()).min(old_len);
    // The front matter is found by reading ahead from the start: a change anywhere may
    // open or close it, so the chunks are kept only while it is the same.
    let front = if lang == Language::Markdown && matches!(b.first(), Some(b'-' | b'+')) {
        prose::front_matter(text)
    } else {
        0
    };
    if cache.seg_lang != Some(lang) || cache.front != front {
        old.clear();
    }
    let m = old.len();
    cache.seg_lang = Some(lang);
    cache.front = front;
    let seg_end = |j: usize| old.get(j + 1).map_or(old_len, |s| s.range.start);
    // The unchanged start: the text before the first chunk, then each chunk with the
    // blank lines after it.
    let mut p = 0;
    if m > 0
        && b.get(..old[0].range.start)
            .is_some_and(|h| h.len() <= same_to || seg_hash(h) == cache.head)
    {
        while p < m {
            let (s, e) = (old[p].range.start, seg_end(p));
            match b.get(s..e) {
                Some(t) if e <= same_to || seg_hash(t) == old[p].seg => p += 1,
                _ => break,
            }
        }
    }
    // The last chunk is read again even when its text is the same: text added after it
    // may continue it.
    let p = p.min(m.saturating_sub(1));
    let q = old.get(p).filter(|_| p > 0).map_or(0, |s| s.range.start);
    // The unchanged end: chunks from `t` on are the same text to the end, moved by `delta`.
    let delta = b.len() as i128 - old_len as i128;
    let moved = |x: usize| x as i128 + delta;
    let mut t = m;
    while t > p {
        let j = t - 1;
        let (s, e) = (moved(old[j].range.start), moved(seg_end(j)));
        if s < q as i128 || e > b.len() as i128 {
            break;
        }
        if (s as usize) < same_from && seg_hash(&b[s as usize..e as usize]) != old[j].seg {
            break;
        }
        t = j;
    }
    let mut out: Vec<Seg> = Vec::with_capacity(m + 4);
    out.extend_from_slice(&old[..p]);
    let chunker = if p == 0 {
        prose::Chunker::new(text, lang)
    } else {
        prose::Chunker::resume(text, lang, q)
    };
    // What the last text's chunks between said, by text: an edit at two places far apart
    // (or text moved) reads many chunks again whose text is not new.
    let known: std::collections::HashMap<u64, ChunkFacts, super::KeyBuild> =
        old[p..t].iter().map(|s| (s.hash, s.facts)).collect();
    // The last text's chunks kept from `tail` on (none by default).
    let (mut u, mut tail) = (t, m);
    for r in chunker {
        while u < m && moved(old[u].range.start) < r.start as i128 {
            u += 1;
        }
        if u < m && moved(old[u].range.start) == r.start as i128 {
            tail = u;
            break;
        }
        let chunk = &text[r.clone()];
        let hash = chunk_key(chunk, 0);
        out.push(Seg {
            hash,
            facts: known
                .get(&hash)
                .copied()
                .unwrap_or_else(|| ChunkFacts::of(chunk)),
            seg: 0,
            range: r,
        });
    }
    let read_to = out.len();
    out.extend(old[tail..].iter().map(|s| Seg {
        range: moved(s.range.start) as usize..moved(s.range.end) as usize,
        ..s.clone()
    }));
    // What follows the last kept chunk of the start may have changed, and the chunks read
    // again are new.
    for k in p.saturating_sub(1)..read_to {
        let e = out.get(k + 1).map_or(b.len(), |s| s.range.start);
        out[k].seg = seg_hash(&b[out[k].range.start..e]);
    }
    cache.head = seg_hash(&b[..out.first().map_or(b.len(), |s| s.range.start)]);
    out
}

/// Read a chunk's figures afresh: appended (moved to the chunk's place) with their
/// record, `first` being where they start in the document's list. Gives the chunk's prose
/// mask.
#[allow(clippy::too_many_arguments)]
fn read_chunk(
    text: &str,
    range: &Range<usize>,
    key: u64,
    first: usize,
    facts: &Facts,
    config: &Config,
    lang: Language,
    (figures, meta, kept): (&mut Vec<Figure>, &mut Vec<Meta>, &mut Vec<Kept>),
) -> String {
    let (pieces, mask) = extract_chunk(&text[range.clone()], range.start == 0, config, lang, facts);
    let before = pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| p.meta.touched())
        .map(|(k, p)| (k as u32, Before::of(&p.fig)))
        .collect();
    kept.push(Kept {
        start: range.start,
        key,
        first,
        before,
    });
    for p in pieces {
        let mut f = p.fig;
        shift(&mut f, 0, range.start);
        figures.push(f);
        meta.push(p.meta);
    }
    mask
}

/// Append the figures `span` of the last list, read from a chunk at `from`, moved to the
/// chunk's new place `start`, with the fields the document passes changed put back as the
/// chunk read them (`before`). False, and nothing appended, when the list has no such
/// figures.
#[allow(clippy::too_many_arguments)]
fn copy_from_last(
    figures: &mut Vec<Figure>,
    meta: &mut Vec<Meta>,
    last: &[Figure],
    last_meta: &[Meta],
    span: Range<usize>,
    from: usize,
    before: &[(u32, Before)],
    start: usize,
) -> bool {
    let (Some(figs), Some(metas)) = (last.get(span.clone()), last_meta.get(span)) else {
        return false;
    };
    let at = figures.len();
    figures.extend(figs.iter().map(|f| {
        let mut f = f.clone();
        shift(&mut f, from, start);
        f
    }));
    meta.extend_from_slice(metas);
    restore(&mut figures[at..], before);
    true
}

/// Put back the fields the document passes change, as the chunk read them (`before`), on
/// the chunk's figures starting at `figures[0]`.
fn restore(figures: &mut [Figure], before: &[(u32, Before)]) {
    for (k, b) in before {
        if let Some(f) = figures.get_mut(*k as usize) {
            b.restore(f);
        }
    }
}

/// Where chunk `j` of `chunks` has its figures in a list of `len` figures: from its first
/// to the next chunk's.
fn figures_of(chunks: &[Kept], j: usize, len: usize) -> Range<usize> {
    let first = chunks[j].first;
    first..chunks.get(j + 1).map_or(len, |k| k.first).max(first)
}

/// Append again the figures of chunk `i` of `kept` (met earlier in the list being built,
/// whose figures start at index `base` of the document's), for the same chunk at `start`,
/// and its record.
fn copy_again(
    figures: &mut Vec<Figure>,
    meta: &mut Vec<Meta>,
    kept: &mut Vec<Kept>,
    i: usize,
    base: usize,
    start: usize,
) {
    let at = figures.len();
    let span = figures_of(kept, i, base + at);
    let (from, key, before) = (kept[i].start, kept[i].key, kept[i].before.clone());
    figures.extend_from_within(span.start - base..span.end - base);
    meta.extend_from_within(span.start - base..span.end - base);
    for f in &mut figures[at..] {
        shift(f, from, start);
    }
    kept.push(Kept {
        start,
        key,
        first: base + at,
        before,
    });
}

/// Chunks looked for by key in the last list one by one before it is indexed.
const SCANS: usize = 8;

/// The last chunks with `key`, looked for along the list while few are asked for (an edit's
/// chunks; a table of a large document's chunks costs more to make than a few passes),
/// then in a table made of it.
struct Lookup {
    scans: usize,
    index: Option<HashMap<u64, usize, super::KeyBuild>>,
}

impl Lookup {
    fn new() -> Lookup {
        Lookup {
            scans: 0,
            index: None,
        }
    }

    /// The first of `chunks` with `key`.
    fn find(&mut self, chunks: &[Kept], key: u64) -> Option<usize> {
        if self.index.is_none() {
            if self.scans < SCANS {
                self.scans += 1;
                return chunks.iter().position(|k| k.key == key);
            }
            let mut index =
                HashMap::with_capacity_and_hasher(chunks.len(), super::KeyBuild::default());
            for (j, k) in chunks.iter().enumerate() {
                index.entry(k.key).or_insert(j);
            }
            self.index = Some(index);
        }
        self.index.as_ref().and_then(|ix| ix.get(&key).copied())
    }
}

/// The new list built by copying each chunk's figures: from the last list, from earlier in
/// the new one (a paragraph met twice), or read afresh.
#[allow(clippy::too_many_arguments)]
fn copy_chunks(
    text: &str,
    ranges: &[Range<usize>],
    keys: &[u64],
    facts: &Facts,
    config: &Config,
    lang: Language,
    cache: &mut ChunkCache,
    prev: &[Figure],
    prev_meta: &[Meta],
) -> (Vec<Figure>, Vec<Meta>) {
    let mut old = std::mem::take(&mut cache.chunks);
    let mut lookup = Lookup::new();
    // This extraction's chunks by key: a paragraph met twice is copied from its first.
    let mut fresh: HashMap<u64, usize, super::KeyBuild> =
        HashMap::with_capacity_and_hasher(ranges.len(), super::KeyBuild::default());
    // About as many as last time; on a first extraction (no chunk read before), as many as
    // the text's length promises (grown by doubling, the list of a 1 MB briefing was copied
    // ten times, a megabyte and more each time near the end; what is not used is given back
    // after, `trim_spare`). An edit of a document without figures reserves nothing.
    let expect = match (prev.len(), old.is_empty()) {
        (0, true) => text.len() / BYTES_PER_FIGURE,
        (n, _) => n + 16,
    };
    let mut figures: Vec<Figure> = Vec::with_capacity(expect);
    let mut meta: Vec<Meta> = Vec::with_capacity(expect);
    let mut kept: Vec<Kept> = Vec::with_capacity(ranges.len());
    for (c, (range, &key)) in ranges.iter().zip(keys).enumerate() {
        let first = figures.len();
        // Met earlier in this document (the same text twice): copied from there.
        if let Some(&i) = fresh.get(&key) {
            copy_again(&mut figures, &mut meta, &mut kept, i, 0, range.start);
            continue;
        }
        fresh.insert(key, kept.len());
        // Read by the last extraction: copied from its list, with the fields the document
        // passes changed put back as the chunk read them. (Its other copies, if any, are
        // found above from now on: its record moves to the new list.)
        if let Some(j) = lookup.find(&old, key) {
            let span = figures_of(&old, j, prev.len());
            let from = old[j].start;
            if copy_from_last(
                &mut figures,
                &mut meta,
                prev,
                prev_meta,
                span,
                from,
                &old[j].before,
                range.start,
            ) {
                kept.push(Kept {
                    start: range.start,
                    key,
                    first,
                    before: std::mem::take(&mut old[j].before),
                });
                continue;
            }
        }
        let built = (&mut figures, &mut meta, &mut kept);
        let mask = read_chunk(text, range, key, first, facts, config, lang, built);
        cache.masks.push((c, mask));
    }
    cache.chunks = kept;
    (figures, meta)
}

/// Bytes of text per figure that a first extraction makes room for: briefings hold one per
/// 113 (the generated ones) to 132 bytes (the labelled ones), and a list of one per 100
/// bytes is seldom grown; most texts give back the rest, a document with fewer figures more.
const BYTES_PER_FIGURE: usize = 100;

/// The new list made from the last one in place: the chunks before the first change keep
/// their figures where they are, the chunks after the last change keep theirs with their
/// offsets moved, and only the chunks between are copied or read (an edit touches one or
/// two). The same list as [`copy_chunks`] makes, without copying the whole document's
/// figures on each edit. The chunks' records are kept the same way: found where they were,
/// not by key.
#[allow(clippy::too_many_arguments)]
fn splice_in_place(
    text: &str,
    ranges: &[Range<usize>],
    keys: &[u64],
    facts: &Facts,
    config: &Config,
    lang: Language,
    cache: &mut ChunkCache,
    mut list: Vec<Figure>,
    mut list_meta: Vec<Meta>,
) -> (Vec<Figure>, Vec<Meta>) {
    let mut old = std::mem::take(&mut cache.chunks);
    let (n, m) = (ranges.len(), old.len());
    let old_len = list.len();
    // Unchanged chunks at the start: the same text at the same place, their figures where
    // the last list has them.
    let (mut p, mut idx) = (0, 0);
    while p < n.min(m) {
        let k = &old[p];
        let end = old.get(p + 1).map_or(old_len, |c| c.first);
        if k.key != keys[p]
            || k.start != ranges[p].start
            || k.first != idx
            || end < idx
            || end > old_len
        {
            break;
        }
        restore(&mut list[idx..end], &k.before);
        idx = end;
        p += 1;
    }
    // Unchanged chunks at the end: the same text, moved by the change in the text's length,
    // their figures ending the last list.
    let delta = text.len() as i128 - cache.last_len as i128;
    let (mut s, mut o, mut tail) = (n, m, list.len());
    while s > p && o > p {
        let k = &old[o - 1];
        if k.key != keys[s - 1]
            || k.start as i128 + delta != ranges[s - 1].start as i128
            || k.first < idx
            || k.first > tail
        {
            break;
        }
        tail = k.first;
        s -= 1;
        o -= 1;
    }
    // The chunks between: copied from the last list (where they still are), from earlier
    // among them, or read afresh.
    let mut mid: Vec<Figure> = Vec::new();
    let mut mid_meta: Vec<Meta> = Vec::new();
    let mut mid_kept: Vec<Kept> = Vec::with_capacity(s - p);
    let mut lookup = Lookup::new();
    let mut fresh: HashMap<u64, usize, super::KeyBuild> = HashMap::default();
    for c in p..s {
        let (range, key) = (&ranges[c], keys[c]);
        let first = idx + mid.len();
        // Met earlier among the chunks between.
        if let Some(&i) = fresh.get(&key) {
            copy_again(&mut mid, &mut mid_meta, &mut mid_kept, i, idx, range.start);
            continue;
        }
        fresh.insert(key, mid_kept.len());
        // In the last list (before, between or after the change): copied from there.
        if let Some(j) = lookup.find(&old, key) {
            let span = figures_of(&old, j, old_len);
            if copy_from_last(
                &mut mid,
                &mut mid_meta,
                &list,
                &list_meta,
                span,
                old[j].start,
                &old[j].before,
                range.start,
            ) {
                mid_kept.push(Kept {
                    start: range.start,
                    key,
                    first,
                    before: old[j].before.clone(),
                });
                continue;
            }
        }
        let built = (&mut mid, &mut mid_meta, &mut mid_kept);
        let mask = read_chunk(text, range, key, first, facts, config, lang, built);
        cache.masks.push((c, mask));
    }
    // The kept end: moved by the change in length, in place.
    let end = idx + mid.len();
    // Room to grow by a few figures without moving the whole list (less than
    // `trim_spare` gives back).
    let grow = end.saturating_sub(tail);
    let room = grow + 64 + list.len() / 64;
    if list.len() + grow > list.capacity() {
        list.reserve_exact(room);
    }
    if list_meta.len() + grow > list_meta.capacity() {
        list_meta.reserve_exact(room);
    }
    list.splice(idx..tail, mid);
    list_meta.splice(idx..tail, mid_meta);
    let (from, to) = if delta < 0 {
        (delta.unsigned_abs() as usize, 0)
    } else {
        (0, delta as usize)
    };
    for f in &mut list[end..] {
        shift(f, from, to);
    }
    // The kept end's records, moved with it (each one's figures run to the next one's
    // first, not yet moved when it is read).
    for (i, c) in (s..n).enumerate() {
        let j = o + i;
        let count = figures_of(&old, j, old_len).len();
        let k = &mut old[j];
        k.first = k.first.saturating_sub(tail) + end;
        k.start = ranges[c].start;
        if let Some(figures) = list.get_mut(k.first..k.first + count) {
            restore(figures, &k.before);
        }
    }
    old.splice(p..o, mid_kept);
    cache.chunks = old;
    (list, list_meta)
}

/// Facts about the whole document that reading one chunk depends on.
struct Facts {
    has_pound_sign: bool,
    multi_line: bool,
    /// Everything above plus the configuration, folded into the cache key.
    key: u64,
}

impl Facts {
    fn new(has_pound_sign: bool, multi_line: bool, config: &Config, lang: Language) -> Facts {
        let key = u64::from(has_pound_sign)
            | u64::from(multi_line) << 1
            | u64::from(config.decimal == ',') << 2
            | (config.tons as u64) << 3
            | u64::from(lang == Language::Plain) << 6;
        Facts {
            has_pound_sign,
            multi_line,
            key,
        }
    }
}

/// A fast 64-bit hash of a chunk's bytes and the document facts (8 bytes at a time).
pub(crate) fn chunk_key(chunk: &str, facts: u64) -> u64 {
    hash_bytes(chunk.as_bytes(), facts)
}

/// [`chunk_key`] of bytes.
fn hash_bytes(chunk: &[u8], facts: u64) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let word = |w: &[u8]| u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
    let mix = |h: u64, v: u64| (h.rotate_left(23) ^ v).wrapping_mul(K);
    let mut h = (chunk.len() as u64 ^ facts.rotate_left(32)).wrapping_mul(K);
    // Four independent lanes over 32-byte blocks: the whole text is hashed after every edit
    // (see `rechunk`), and one chain of multiplications waits on itself.
    let mut rest = chunk;
    if rest.len() >= 64 {
        let mut blocks = rest.chunks_exact(32);
        let mut lanes = [h, h ^ 1, h ^ 2, h ^ 3];
        for b in &mut blocks {
            for (k, lane) in lanes.iter_mut().enumerate() {
                *lane = mix(*lane, word(&b[8 * k..8 * k + 8]));
            }
        }
        for lane in lanes {
            h = mix(h, lane);
        }
        rest = blocks.remainder();
    }
    let mut it = rest.chunks_exact(8);
    for w in &mut it {
        h = mix(h, word(w));
    }
    let mut last = [0u8; 8];
    last[..it.remainder().len()].copy_from_slice(it.remainder());
    h = (h.rotate_left(23) ^ u64::from_le_bytes(last)).wrapping_mul(K);
    h ^ (h >> 29)
}

/// Read one chunk: figures with chunk-relative offsets and what the document passes need,
/// and the chunk's prose mask (empty when it is the chunk's text; see [`Keyed::masks`]).
fn extract_chunk(
    text: &str,
    at_start: bool,
    config: &Config,
    lang: Language,
    facts: &Facts,
) -> (Vec<Piece>, String) {
    let prose_mask = prose::mask_part(text, lang, at_start);
    let markup = crate::tags::markup_ranges_part(text, lang, at_start);
    // Figures are not read in tag markup; the checks' sentences are read in the prose mask.
    let (masked, prose_mask) = if markup.is_empty() {
        (prose_mask, None)
    } else {
        let mut masked = prose_mask.clone();
        for r in markup {
            blank(&mut masked, r);
        }
        (masked, Some(prose_mask))
    };
    let lower = masked.to_ascii_lowercase();
    let toks = tokenize(&masked, if config.decimal == ',' { b',' } else { b'.' });
    let mut sc = Scanner {
        multi_line: facts.multi_line,
        has_pound_sign: facts.has_pound_sign,
        m: &masked,
        lm: &lower,
        toks: &toks.toks,
        nums: &toks.nums,
        starts: &toks.starts,
        config,
        doc: DocContext::new(&lower),
    };
    let pieces = sc.run();
    let mut prose_mask = prose_mask.unwrap_or(masked);
    if prose_mask == text {
        prose_mask = String::new();
    }
    (pieces, prose_mask)
}

/// A figure read in a chunk, with the facts the document passes need.
#[derive(Clone)]
pub struct Piece {
    fig: Figure,
    meta: Meta,
}

/// What the document passes need to know of a figure beyond the figure.
#[derive(Clone, Copy)]
struct Meta {
    /// A currency family whose code the document decides (`dlrs`, `rupees`): see
    /// [`Meta::family`].
    family: Family,
    /// The figure's unit text names its family with a country (`H.K. Dlrs`).
    names_family: bool,
    /// The family's code is already the figure's unit (an ISO code, or the code the family
    /// names): `resolve_money` reads the figure at most (a family named with its country
    /// sets the document's code) and never changes it.
    settled: bool,
    /// A bare number large enough to be money in a money document.
    big: bool,
    /// Joined by `vs`, `from`, `or`, ... to the previous / next figure of its chunk.
    joined_prev: bool,
    joined_next: bool,
    /// A money word stands near it (`Revs 72.2 mln`, `200 mln deficit`).
    keyword: bool,
}

impl Meta {
    /// Whether the document passes (`resolve_money`, `money_context`) may change the
    /// figure: only these fields of it are not a function of its chunk's key.
    fn touched(&self) -> bool {
        (self.family.is_some() && !self.settled) || self.big
    }

    /// The figure's currency family, if any.
    fn family(&self) -> Option<Money> {
        self.family.get()
    }
}

/// A currency family ([`Money`]) in 16 bytes instead of 24: an ISO code by a thin pointer
/// to its three letters. A document's figures each keep one for as long as it is open
/// (with it, a figure's [`Meta`] took 32 bytes instead of 16).
#[derive(Clone, Copy)]
struct Family {
    /// The code of [`Money::Code`].
    code: Option<&'static [u8; 3]>,
    /// 0: none; 1: a code; then the other kinds of [`Money`], in [`Family::KINDS`] order.
    kind: u8,
}

impl Family {
    const KINDS: [Money; 9] = [
        Money::Dollar,
        Money::Cent,
        Money::Pence,
        Money::Rupee,
        Money::Crown,
        Money::Peso,
        Money::Franc,
        Money::Dinar,
        Money::Pound,
    ];

    /// The family of `money`. ISO codes have three letters; a code that had not would be
    /// kept as no family (none has: [`tests::currency_families_are_kept_whole`]).
    fn new(money: Option<Money>) -> Family {
        let none = Family {
            code: None,
            kind: 0,
        };
        match money {
            None => none,
            Some(Money::Code(c)) => match <&'static [u8; 3]>::try_from(c.as_bytes()) {
                Ok(code) => Family {
                    code: Some(code),
                    kind: 1,
                },
                Err(_) => none,
            },
            Some(m) => Family {
                code: None,
                kind: Family::KINDS
                    .iter()
                    .position(|k| *k == m)
                    .map_or(0, |k| k as u8 + 2),
            },
        }
    }

    fn is_some(self) -> bool {
        self.kind != 0
    }

    fn get(self) -> Option<Money> {
        match (self.kind, self.code) {
            (0, _) => None,
            (1, Some(code)) => std::str::from_utf8(code).ok().map(Money::Code),
            (k, _) => Family::KINDS.get(usize::from(k).wrapping_sub(2)).copied(),
        }
    }
}

/// Move a figure's byte ranges with its chunk, from `from` to `to`.
fn shift(f: &mut Figure, from: usize, to: usize) {
    let sh = |r: &mut Range<usize>| {
        *r = r.start.saturating_sub(from) + to..r.end.saturating_sub(from) + to;
    };
    for s in [&mut f.span, &mut f.number] {
        let mut r = s.range();
        sh(&mut r);
        *s = r.into();
    }
    for r in [
        &mut f.written.unit_span,
        &mut f.written.scale_span,
        &mut f.written.qualifier_span,
    ] {
        r.update(sh);
    }
    f.rare.update_misspelt_scale(sh);
}

fn blank(s: &mut String, r: Range<usize>) {
    let r = r.start.min(s.len())..r.end.min(s.len());
    if r.is_empty() || !s.is_char_boundary(r.start) || !s.is_char_boundary(r.end) {
        return;
    }
    // Keep the byte length: each character becomes as many spaces as it has bytes.
    let mut out = String::with_capacity(r.len());
    for ch in s[r.clone()].chars() {
        if ch == '\n' || ch == '\r' {
            out.push(ch);
        } else {
            out.extend(std::iter::repeat_n(' ', ch.len_utf8()));
        }
    }
    s.replace_range(r, &out);
}

// ------------------------------------------------------------------------------ tokens

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Word,
    /// Index into the numerals.
    Num(usize),
    Sym(char),
    Space {
        newlines: u32,
    },
    /// Something number-like that is not a quantity (a date chain, an overlong digit run).
    Junk,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
}

/// A chunk's tokens, its numerals, and the tokens a figure may start at.
struct Tokens {
    toks: Vec<Tok>,
    nums: Vec<Numeral>,
    /// Indices of every numeral token and of every word token the number-word sieve lets
    /// by ([`number::may_start_number`]), in order: the scanner tries these only (a text
    /// has ten words for each of them).
    starts: Vec<usize>,
}

fn tokenize(m: &str, decimal: u8) -> Tokens {
    let b = m.as_bytes();
    let mut toks = Vec::with_capacity(m.len() / 2);
    // Room for a numeral per 64 bytes and a figure's start per 32 (a briefing's figures
    // are about 125 bytes apart).
    let mut nums = Vec::with_capacity(m.len() / 64 + 1);
    let mut starts = Vec::with_capacity(m.len() / 32 + 1);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // One space between words (most white space): a token at once.
        if c == b' '
            && !b
                .get(i + 1)
                .is_some_and(|&n| matches!(n, b' ' | b'\t' | b'\n' | b'\r'))
        {
            toks.push(Tok {
                start: i,
                end: i + 1,
                kind: Kind::Space { newlines: 0 },
            });
            i += 1;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
            let s = i;
            let mut nl = 0;
            while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
                if b[i] == b'\n' {
                    nl += 1;
                }
                i += 1;
            }
            toks.push(Tok {
                start: s,
                end: i,
                kind: Kind::Space { newlines: nl },
            });
            continue;
        }
        let prev_alnum = i > 0 && b[i - 1].is_ascii_alphanumeric();
        if c.is_ascii_digit()
            || (c == decimal
                && !prev_alnum
                && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                && !(i > 0 && b[i - 1].is_ascii_digit()))
        {
            // A chain of numerals joined by `.`, `/`, `:` or `-` without spaces is a date,
            // time, version, address or phone number unless it is a fraction or a range.
            let s = i;
            match number::parse_numeral(m, i, decimal) {
                Some(n) => {
                    let end = n.end;
                    if let Some(chain_end) = junk_chain(b, s, end, decimal) {
                        toks.push(Tok {
                            start: s,
                            end: chain_end,
                            kind: Kind::Junk,
                        });
                        i = chain_end;
                        continue;
                    }
                    nums.push(n);
                    starts.push(toks.len());
                    toks.push(Tok {
                        start: s,
                        end,
                        kind: Kind::Num(nums.len() - 1),
                    });
                    i = end;
                }
                None => {
                    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',' || b[i] == b'.') {
                        i += 1;
                    }
                    toks.push(Tok {
                        start: s,
                        end: i,
                        kind: Kind::Junk,
                    });
                }
            }
            continue;
        }
        if c.is_ascii_alphabetic() {
            let s = i;
            while i < b.len() {
                // Eight ASCII letters at a time, then byte by byte where they end.
                i += ascii_letters_ahead(b, i);
                if i >= b.len() {
                    break;
                }
                if b[i].is_ascii_alphabetic()
                    || (b[i] == b'\'' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) && i > s)
                {
                    i += 1;
                } else if b[i] >= 0x80 {
                    let ch = m[i..].chars().next().unwrap_or(' ');
                    if ch.is_alphabetic()
                        || ch == '’'
                            && m[i + ch.len_utf8()..]
                                .chars()
                                .next()
                                .is_some_and(char::is_alphabetic)
                    {
                        i += ch.len_utf8();
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            // The sieve folds the first two bytes to five bits, the same for either case of
            // a letter: the masked text's words sieve as their lower-case forms.
            if number::may_start_number(&b[s..i]) {
                starts.push(toks.len());
            }
            toks.push(Tok {
                start: s,
                end: i,
                kind: Kind::Word,
            });
            continue;
        }
        // `+7 727 123 4567`, `+1-202-555-0143`: an international phone number.
        if c == b'+'
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'(' | b'['))
        {
            let mut j = i + 1;
            let mut digits = 0;
            while j < b.len()
                && (b[j].is_ascii_digit() || matches!(b[j], b' ' | b'-' | b'.' | b'(' | b')'))
            {
                digits += usize::from(b[j].is_ascii_digit());
                j += 1;
            }
            while j > i && !b[j - 1].is_ascii_digit() {
                j -= 1;
            }
            if digits >= 7 {
                toks.push(Tok {
                    start: i,
                    end: j,
                    kind: Kind::Junk,
                });
                i = j;
                continue;
            }
        }
        if c < 0x80 {
            toks.push(Tok {
                start: i,
                end: i + 1,
                kind: Kind::Sym(c as char),
            });
            i += 1;
            continue;
        }
        let ch = m[i..].chars().next().unwrap_or(' ');
        let len = ch.len_utf8();
        if let Some((a, d)) = vulgar_fraction(ch) {
            let f = Decimal::from(a) / Decimal::from(d);
            // `2½` adds to the numeral before it.
            if let Some(Tok {
                kind: Kind::Num(x),
                end,
                ..
            }) = toks.last_mut()
            {
                if *end == i {
                    if let Some(n) = nums.get_mut(*x) {
                        if n.decimals == 0 && n.separator.is_none() {
                            n.value += f;
                            n.end = i + len;
                            *end = i + len;
                            i += len;
                            continue;
                        }
                    }
                }
            }
            nums.push(Numeral {
                end: i + len,
                value: f,
                decimals: 3,
                separator: None,
                bare_thousands: false,
                malformed: None,
                int_digits: 1,
                exponent: false,
            });
            starts.push(toks.len());
            toks.push(Tok {
                start: i,
                end: i + len,
                kind: Kind::Num(nums.len() - 1),
            });
            i += len;
            continue;
        }
        let kind = if ch.is_whitespace() {
            Kind::Space { newlines: 0 }
        } else if ch.is_alphabetic() {
            Kind::Word
        } else {
            Kind::Sym(ch)
        };
        if let (
            Kind::Space { .. },
            Some(Tok {
                kind: Kind::Space { newlines },
                end,
                ..
            }),
        ) = (kind, toks.last_mut())
        {
            if *end == i {
                *end = i + len;
                let _ = newlines;
                i += len;
                continue;
            }
        }
        if kind == Kind::Word && number::may_start_number(&b[i..i + len]) {
            starts.push(toks.len());
        }
        toks.push(Tok {
            start: i,
            end: i + len,
            kind,
        });
        i += len;
    }
    Tokens { toks, nums, starts }
}

/// How many ASCII letters `b` has in a row from `i`, counted eight bytes at a time while
/// eight are left (a word's letters are most of a text's bytes); `0` where fewer than eight
/// bytes are left, for the caller's byte-by-byte loop.
fn ascii_letters_ahead(b: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let from = i;
    while let Some(eight) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        // Each byte's low seven bits, case folded: 0x20..=0x7f, so adding below 0x81 to a
        // byte never carries into the next. A byte is a letter when the fold is at least
        // `a` (0x61 + 0x1f sets its top bit), below `{` (0x7b + 0x05 does not) and the byte
        // is ASCII.
        let folded = (x & !HIGH) | 0x2020_2020_2020_2020;
        let at_least_a = folded.wrapping_add(0x1f1f_1f1f_1f1f_1f1f);
        let past_z = folded.wrapping_add(0x0505_0505_0505_0505);
        let letters = at_least_a & !past_z & !x & HIGH;
        let others = !letters & HIGH;
        if others != 0 {
            return i + (others.trailing_zeros() / 8) as usize - from;
        }
        i += 8;
    }
    i - from
}

/// If the numeral at `s..end` continues as a dotted, slashed or hyphenated chain of three or
/// more numerals (`12.12.14`, `5/17/2018`, `2024-04-30`, `1111-2222-3333`, `192.168.1.2`), or
/// a time (`10:30`), the end of the whole chain.
fn junk_chain(b: &[u8], s: usize, end: usize, decimal: u8) -> Option<usize> {
    let digits = |j: usize| {
        b.get(j..)
            .map(|x| x.iter().take_while(|c| c.is_ascii_digit()).count())
            .unwrap_or(0)
    };
    let c = *b.get(end)?;
    if c == b':' && digits(end + 1) == 2 {
        let mut j = end + 3;
        while b.get(j) == Some(&b':') && digits(j + 1) == 2 {
            j += 3;
        }
        return Some(j);
    }
    if !matches!(c, b'.' | b'/' | b'-') || digits(end + 1) == 0 {
        return None;
    }
    let mut parts = 1 + b[s..end].iter().filter(|&&x| x == c).count();
    let mut j = end;
    while let Some(&d) = b.get(j) {
        if matches!(d, b'.' | b'/' | b'-') && d == c || (d == decimal && c == decimal) {
            let n = digits(j + 1);
            if n == 0 {
                break;
            }
            j += 1 + n;
            parts += 1;
        } else {
            break;
        }
    }
    // `2024-04` (year-month) and `1995-01` are dates too.
    let first_len = digits(s);
    if parts >= 3
        || (c == b'-'
            && parts == 2
            && first_len == 4
            && digits(end + 1) == 2
            && (1900..=2100).contains(&num_at(b, s)))
    {
        if c == b'-' && parts == 3 && first_len <= 3 {
            // `200-300-seat`? rare; treat chains as junk all the same.
        }
        return Some(j);
    }
    None
}

/// Unicode vulgar fractions (`½`, `¾`, `⅔`) as numerator and denominator.
fn vulgar_fraction(c: char) -> Option<(u32, u32)> {
    Some(match c {
        '½' => (1, 2),
        '⅓' => (1, 3),
        '⅔' => (2, 3),
        '¼' => (1, 4),
        '¾' => (3, 4),
        '⅕' => (1, 5),
        '⅖' => (2, 5),
        '⅗' => (3, 5),
        '⅘' => (4, 5),
        '⅙' => (1, 6),
        '⅚' => (5, 6),
        '⅛' => (1, 8),
        '⅜' => (3, 8),
        '⅝' => (5, 8),
        '⅞' => (7, 8),
        _ => return None,
    })
}

fn num_at(b: &[u8], s: usize) -> u32 {
    let mut v: u32 = 0;
    for &c in b[s..].iter().take_while(|c| c.is_ascii_digit()).take(9) {
        v = v * 10 + (c - b'0') as u32;
    }
    v
}

// ------------------------------------------------------------------------------ document context

/// What the whole document says about currencies (searched only when a figure needs it).
struct DocContext<'a> {
    text: &'a str,
    /// Which of [`COUNTRY_WORDS`] the text names, when already known.
    countries: Option<u64>,
}

impl<'a> DocContext<'a> {
    fn new(text: &'a str) -> DocContext<'a> {
        DocContext {
            text,
            countries: None,
        }
    }

    /// [`DocContext::has`] for a country word, from the mask when known.
    fn has_country(&self, needle: &str) -> bool {
        match (
            self.countries,
            COUNTRY_WORDS.iter().position(|w| *w == needle),
        ) {
            (Some(mask), Some(k)) => mask & 1 << k != 0,
            _ => self.has(needle),
        }
    }

    /// Whether the document contains a lower-case word (`sri lanka`) in lower, title or upper
    /// case.
    fn has(&self, needle: &str) -> bool {
        let b = self.text.as_bytes();
        [
            needle.to_string(),
            title_case(needle),
            needle.to_uppercase(),
        ]
        .iter()
        .any(|n| memchr::memmem::find(b, n.as_bytes()).is_some())
    }

    /// The code for a family with no country at the figure, from the document's countries
    /// (`rupees` in a story about Sri Lanka).
    fn family_code(&self, fam: Money) -> Option<&'static str> {
        let pick: &[(&str, &str)] = match fam {
            Money::Rupee => &[
                ("sri lanka", "LKR"),
                ("pakistan", "PKR"),
                ("nepal", "NPR"),
                ("mauritius", "MUR"),
                ("india", "INR"),
            ],
            Money::Crown => &[
                ("sweden", "SEK"),
                ("swedish", "SEK"),
                ("denmark", "DKK"),
                ("danish", "DKK"),
                ("norway", "NOK"),
                ("norwegian", "NOK"),
                ("czech", "CZK"),
                ("iceland", "ISK"),
            ],
            Money::Peso => &[
                ("mexico", "MXN"),
                ("mexican", "MXN"),
                ("philippine", "PHP"),
                ("argentin", "ARS"),
                ("chile", "CLP"),
                ("colombia", "COP"),
                ("cuba", "CUP"),
            ],
            Money::Franc => &[
                ("switzerland", "CHF"),
                ("swiss", "CHF"),
                ("france", "FRF"),
                ("french", "FRF"),
                ("belgi", "BEF"),
            ],
            Money::Dinar => &[
                ("kuwait", "KWD"),
                ("iraq", "IQD"),
                ("jordan", "JOD"),
                ("bahrain", "BHD"),
                ("serbia", "RSD"),
                ("algeria", "DZD"),
                ("libya", "LYD"),
                ("tunisia", "TND"),
            ],
            _ => &[],
        };
        pick.iter()
            .find(|(c, _)| self.has_country(c))
            .map(|(_, code)| *code)
    }
}

// ------------------------------------------------------------------------------ word lists

static MONTHS: units::WordSet = units::WordSet::new(&[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]);

/// Words after which a number is a reference, not a quantity (`Article 5`, `No. 12`).
static REFERENCE_WORDS: units::WordSet = units::WordSet::new(&[
    "article",
    "articles",
    "art",
    "paragraph",
    "paragraphs",
    "para",
    "section",
    "sections",
    "sec",
    "chapter",
    "chapters",
    "clause",
    "clauses",
    "rule",
    "rules",
    "part",
    "no",
    "nos",
    "number",
    "numbers",
    "resolution",
    "resolutions",
    "page",
    "pages",
    "p",
    "table",
    "figure",
    "fig",
    "annex",
    "appendix",
    "item",
    "items",
    "law",
    "decree",
    "order",
    "act",
    "precinct",
    "district",
    "ward",
    "route",
    "highway",
    "interstate",
    "flight",
    "room",
    "platform",
    "gate",
    "grade",
    "phase",
    "stage",
    "round",
    "season",
    "episode",
    "volume",
    "vol",
    "issue",
    "case",
    "docket",
    "bill",
    "amendment",
    "protocol",
    "directive",
    "regulation",
    "version",
    "v",
    "release",
    "build",
    "model",
    "series",
    "category",
    "division",
    "floor",
    "block",
    "lot",
    "plot",
    "apartment",
    "suite",
    "box",
    "lane",
    "street",
    "avenue",
    "exit",
    "terminal",
    "runway",
    "tier",
    "rank",
    "ranked",
    "step",
    "top",
    "hole",
    "pier",
    "berth",
    "unit",
    "line",
    "channel",
    "camp",
    "sector",
    "zone",
    "region",
    "lane",
    "square",
    "gen",
    "generation",
    "level",
    "class",
    "type",
    "mark",
    "psalm",
    "verse",
    "op",
    "opus",
    "no.",
    "ch",
    "tab",
    "ex",
    "exhibit",
    "schedule",
    "form",
    "window",
    "windows",
    "iphone",
    "galaxy",
    "boeing",
    "airbus",
    "ps",
    "xbox",
]);

/// Words that end a counted-noun phrase.
static NOUN_STOP: units::WordSet = units::WordSet::new(&[
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "by",
    "with",
    "and",
    "or",
    "but",
    "as",
    "than",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "can",
    "must",
    "shall",
    "this",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "our",
    "your",
    "my",
    "per",
    "each",
    "more",
    "less",
    "over",
    "under",
    "after",
    "before",
    "since",
    "during",
    "into",
    "about",
    "up",
    "down",
    "out",
    "so",
    "also",
    "not",
    "only",
    "just",
    "already",
    "still",
    "last",
    "ago",
    "earlier",
    "later",
    "vs",
    "versus",
    "against",
    "compared",
    "while",
    "when",
    "where",
    "if",
    "then",
    "there",
    "here",
    "it",
    "they",
    "them",
    "he",
    "she",
    "we",
    "you",
    "i",
    "all",
    "both",
    "some",
    "any",
    "no",
    "every",
    "other",
    "another",
    "such",
    "same",
    "between",
    "among",
    "through",
    "across",
    "toward",
    "towards",
    "including",
    "excluding",
    "plus",
    "minus",
    "via",
    "within",
    "without",
    "because",
    "however",
    "respectively",
    "each",
    "apiece",
    "total",
    "overall",
    "altogether",
    "year",
    "years",
    "according",
    "said",
    "says",
    "say",
    "reported",
    "were",
    "did",
    "do",
    "does",
    "like",
    "near",
    "nearly",
    "almost",
    "around",
    "approximately",
    "roughly",
    "some",
    "till",
    "until",
    "upon",
    "whereas",
    "yet",
    "once",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "this",
    "next",
    "previous",
    "above",
    "below",
    "instead",
    "rather",
    "even",
    "further",
]);

/// Irregular plurals and collective nouns that count people or things.
static PLURAL_NOUNS: units::WordSet = units::WordSet::new(&[
    "people",
    "children",
    "men",
    "women",
    "police",
    "personnel",
    "staff",
    "cattle",
    "sheep",
    "fish",
    "aircraft",
    "deer",
    "livestock",
    "poultry",
    "troops",
    "crew",
    "mice",
    "geese",
    "teeth",
    "feet",
    "swine",
    "offspring",
    "data",
    "media",
    "criteria",
    "phenomena",
    "bacteria",
    "alumni",
    "spacecraft",
    "watercraft",
    "militia",
    "youth",
    "elderly",
    "homeless",
    "injured",
    "dead",
    "wounded",
    "missing",
    "displaced",
    "faithful",
]);

/// Words of change: after them `from A to B` is a before and an after, not a range.
static CHANGE_WORDS: units::WordSet = units::WordSet::new(&[
    "rise",
    "rises",
    "rose",
    "risen",
    "rising",
    "increase",
    "increases",
    "increased",
    "increasing",
    "grow",
    "grows",
    "grew",
    "grown",
    "growing",
    "climb",
    "climbs",
    "climbed",
    "climbing",
    "jump",
    "jumps",
    "jumped",
    "soar",
    "soared",
    "surge",
    "surged",
    "gain",
    "gained",
    "fall",
    "falls",
    "fell",
    "fallen",
    "falling",
    "decline",
    "declines",
    "declined",
    "declining",
    "drop",
    "drops",
    "dropped",
    "decrease",
    "decreases",
    "decreased",
    "cut",
    "cuts",
    "reduce",
    "reduces",
    "reduced",
    "reducing",
    "reduction",
    "slash",
    "slashed",
    "lower",
    "lowered",
    "raise",
    "raises",
    "raised",
    "raising",
    "boost",
    "boosted",
    "expand",
    "expanded",
    "shrink",
    "shrank",
    "shrunk",
    "narrow",
    "narrowed",
    "widen",
    "widened",
    "revise",
    "revised",
    "change",
    "changed",
    "move",
    "moved",
    "went",
    "go",
    "slip",
    "slipped",
    "slid",
    "plunge",
    "plunged",
    "tumble",
    "tumbled",
    "rebound",
    "rebounded",
    "up",
    "down",
    "hike",
    "hiked",
    "trim",
    "trimmed",
    "extend",
    "extended",
    "increment",
    "improved",
    "worsened",
]);

/// Words that make a bare large number money in a money document.
static MONEY_WORDS: units::WordSet = units::WordSet::new(&[
    "net",
    "revs",
    "revenue",
    "revenues",
    "sales",
    "profit",
    "profits",
    "loss",
    "losses",
    "income",
    "earnings",
    "gains",
    "gain",
    "deficit",
    "surplus",
    "budget",
    "assets",
    "spending",
    "cost",
    "costs",
    "price",
    "prices",
    "worth",
    "debt",
    "debts",
    "turnover",
    "dividend",
    "dividends",
    "capital",
    "investment",
    "investments",
    "funding",
    "loans",
    "loan",
    "deposits",
    "reserves",
    "exports",
    "imports",
    "tax",
    "taxes",
    "fine",
    "fines",
    "payment",
    "payments",
    "bill",
    "fee",
    "fees",
    "salary",
    "wages",
    "expenditure",
    "expenditures",
    "outlays",
    "proceeds",
    "value",
    "valued",
    "shortfall",
    "balance",
]);

/// Words after a bare number that make it money in a money document (`200 mln deficit`).
static MONEY_AFTER: units::WordSet = units::WordSet::new(&[
    "deficit",
    "surplus",
    "loss",
    "profit",
    "shortfall",
    "gain",
    "gains",
    "deficits",
    "surpluses",
]);

/// Words that join two figures of one kind (`72.2 mln vs 73.5 mln`).
static JOINS: units::WordSet = units::WordSet::new(&[
    "vs", "v", "versus", "from", "against", "to", "or", "and", "compared", "with", "yearago",
    "year-ago",
]);

fn is_month(w: &str) -> bool {
    MONTHS.contains(w)
}

/// Percent words after a number: `(unit, words consumed)`.
fn percent_words(w1: &str, w2: Option<&str>, w3: Option<&str>) -> Option<(&'static str, usize)> {
    match (w1, w2, w3) {
        ("percentage", Some("points" | "point"), _) => Some(("pp", 2)),
        ("basis", Some("points" | "point"), _) => Some(("bp", 2)),
        ("per", Some("cent"), Some("points" | "point")) => Some(("pp", 3)),
        ("per", Some("cent"), _) => Some(("%", 2)),
        ("pct", Some("points" | "point" | "pts"), _) => Some(("pp", 2)),
        ("percent" | "percents" | "pct" | "percentage" | "pc" | "prc" | "perc", _, _) => {
            Some(("%", 1))
        }
        ("pp" | "ppt" | "ppts" | "pts", _, _) => Some(("pp", 1)),
        ("bp" | "bps" | "bpts", _, _) => Some(("bp", 1)),
        _ => None,
    }
}

/// Qualifier phrases, longest first (SPEC §2: over / at least / under / at most / about).
/// `just over` and `well over` keep the plain word's meaning.
const QUALIFIER_PHRASES: &[(&[&str], Qualifier)] = {
    use Qualifier::*;
    &[
        (&["in", "excess", "of"], Over),
        (&["no", "fewer", "than"], AtLeast),
        (&["no", "less", "than"], AtLeast),
        (&["not", "less", "than"], AtLeast),
        (&["no", "more", "than"], AtMost),
        (&["not", "more", "than"], AtMost),
        (&["as", "much", "as"], AtMost),
        (&["as", "many", "as"], AtMost),
        (&["as", "high", "as"], AtMost),
        (&["as", "large", "as"], AtMost),
        (&["as", "little", "as"], AtLeast),
        (&["as", "few", "as"], AtLeast),
        (&["as", "low", "as"], AtLeast),
        (&["more", "than"], Over),
        (&["greater", "than"], Over),
        (&["higher", "than"], Over),
        (&["larger", "than"], Over),
        (&["upwards", "of"], Over),
        (&["at", "least"], AtLeast),
        (&["minimum", "of"], AtLeast),
        (&["less", "than"], Under),
        (&["fewer", "than"], Under),
        (&["lower", "than"], Under),
        (&["smaller", "than"], Under),
        (&["up", "to"], AtMost),
        (&["at", "most"], AtMost),
        (&["maximum", "of"], AtMost),
        (&["close", "to"], Approx),
        (&["an", "estimated"], Approx),
        (&["some", "estimated"], Approx),
        (&["just", "over"], Over),
        (&["well", "over"], Over),
        (&["just", "above"], Over),
        (&["well", "above"], Over),
        (&["slightly", "over"], Over),
        (&["just", "under"], Under),
        (&["just", "below"], Under),
        (&["well", "below"], Under),
        (&["well", "under"], Under),
        (&["slightly", "under"], Under),
        (&["over"], Over),
        (&["exceeded"], Over),
        (&["exceeds"], Over),
        (&["exceeding"], Over),
        (&["exceed"], Over),
        (&["topping"], Over),
        (&["topped"], Over),
        (&["tops"], Over),
        (&["surpassed"], Over),
        (&["surpass"], Over),
        (&["surpassing"], Over),
        (&["above"], Over),
        (&["beyond"], Over),
        (&["under"], Under),
        (&["below"], Under),
        (&["about"], Approx),
        (&["around"], Approx),
        (&["approximately"], Approx),
        (&["approx"], Approx),
        (&["roughly"], Approx),
        (&["some"], Approx),
        (&["nearly"], Approx),
        (&["almost"], Approx),
        (&["circa"], Approx),
        (&["ca"], Approx),
        (&["estimated"], Approx),
        (&["reportedly"], Approx),
    ]
};

/// The last words of the phrases above (a fast first test).
static QUALIFIER_LAST_WORDS: units::WordSet = units::WordSet::new(&[
    "of",
    "than",
    "over",
    "least",
    "most",
    "to",
    "as",
    "under",
    "below",
    "above",
    "estimated",
    "exceeded",
    "exceeds",
    "exceeding",
    "exceed",
    "topping",
    "topped",
    "tops",
    "surpassed",
    "surpass",
    "surpassing",
    "beyond",
    "about",
    "around",
    "approximately",
    "approx",
    "roughly",
    "some",
    "nearly",
    "almost",
    "circa",
    "ca",
    "reportedly",
]);

/// Common misspellings of scale words (`billon`), and their value.
fn misspelt_scale(w: &str) -> Option<Decimal> {
    match w {
        "billon" | "bilion" | "bllion" | "billlion" | "biliion" | "billoin" | "bilions"
        | "billin" | "bilium" => Some(Decimal::from(1_000_000_000u64)),
        "milion" | "millon" | "mllion" | "milllion" | "miliion" | "millioin" | "millin"
        | "milions" | "mililon" => Some(Decimal::from(1_000_000)),
        "trilion" | "trillon" | "trllion" | "triliion" => Some(Decimal::from(1_000_000_000_000u64)),
        "thousnad" | "thosand" | "thousan" | "thouand" | "tousand" => Some(Decimal::from(1000)),
        _ => None,
    }
}

// ------------------------------------------------------------------------------ the scanner

/// A number as read: value before units, and where it is.
#[derive(Debug, Clone)]
struct Quantity {
    /// Token range of the number with its scale.
    first: usize,
    last: usize,
    value: Decimal,
    /// Precision of the written number, after scale.
    precision: Decimal,
    words: bool,
    numeral: Option<Numeral>,
    scale: Option<Decimal>,
    scale_span: Option<Range<usize>>,
    misspelt: Option<Range<usize>>,
    /// An attached suffix (`k`, `m`, `bn`) was read as the scale.
    attached_scale: bool,
    fraction: bool,
}

impl Quantity {
    /// `a half`, `a twenty-first`: one over `d`, spelled out, from token `first` to `last`.
    fn unit_fraction(first: usize, last: usize, d: u64) -> Quantity {
        Quantity {
            first,
            last,
            value: Decimal::ONE / Decimal::from(d),
            precision: Decimal::new(5, 3),
            words: true,
            numeral: None,
            scale: None,
            scale_span: None,
            misspelt: None,
            attached_scale: false,
            fraction: true,
        }
    }
}

/// What follows a number: its unit or noun.
#[derive(Debug, Clone, Default)]
struct Tail {
    unit: Option<&'static str>,
    dim: Option<Dimension>,
    money: Option<(Money, Option<&'static str>)>,
    noun: Option<super::Text>,
    per: Option<super::Text>,
    /// Last token of the unit/noun/per (inclusive).
    last: Option<usize>,
    unit_span: Option<Range<usize>>,
    unit_attached: bool,
    spaced_percent: bool,
    elided: bool,
    /// Multiply the value by this (cents → whole units).
    factor: Option<Decimal>,
    /// A scale written after the currency (`75 USD million`).
    late_scale: Option<Decimal>,
    /// A scale the unit implies (`MUSD`).
    unit_scale: Option<Decimal>,
}

struct Scanner<'a> {
    /// The document writes pounds sterling somewhere.
    has_pound_sign: bool,
    /// The document has more than one non-blank line (a lone number on a line of a longer
    /// document is a footnote or row number; a one-line document is just a number).
    multi_line: bool,
    /// Masked text.
    m: &'a str,
    /// Masked text, ASCII lower case.
    lm: &'a str,
    toks: &'a [Tok],
    nums: &'a [Numeral],
    /// The tokens a figure may start at ([`Tokens::starts`]).
    starts: &'a [usize],
    config: &'a Config,
    /// What the document says about currencies.
    doc: DocContext<'a>,
}

/// A figure under construction, with the facts the document passes need.
struct Draft {
    fig: Figure,
    first_tok: usize,
    last_tok: usize,
    /// The figure's own text names a currency family (`dlrs`), resolved later.
    family: Option<Money>,
    has_scale: bool,
    words: bool,
    /// The figure is the first of `from A to B` after a change word.
    change_from: bool,
}

impl<'a> Scanner<'a> {
    fn word(&self, k: usize) -> Option<&'a str> {
        let t = self.toks.get(k)?;
        (t.kind == Kind::Word).then(|| &self.lm[t.start..t.end])
    }
    fn raw(&self, k: usize) -> &'a str {
        self.toks
            .get(k)
            .map(|t| &self.m[t.start..t.end])
            .unwrap_or("")
    }
    fn sym(&self, k: usize) -> Option<char> {
        match self.toks.get(k)?.kind {
            Kind::Sym(c) => Some(c),
            _ => None,
        }
    }
    fn is_space(&self, k: usize) -> bool {
        matches!(self.toks.get(k).map(|t| t.kind), Some(Kind::Space { .. }))
    }
    fn newlines(&self, k: usize) -> u32 {
        match self.toks.get(k).map(|t| t.kind) {
            Some(Kind::Space { newlines }) => newlines,
            _ => 0,
        }
    }
    /// Next non-space token after `k`, crossing at most one line break.
    fn next(&self, k: usize) -> Option<usize> {
        let j = k + 1;
        if self.is_space(j) {
            if self.newlines(j) > 1 {
                return None;
            }
            return (j + 1 < self.toks.len()).then_some(j + 1);
        }
        (j < self.toks.len()).then_some(j)
    }
    /// Next token if directly adjacent (no space).
    fn adj(&self, k: usize) -> Option<usize> {
        let j = k + 1;
        (j < self.toks.len() && !self.is_space(j) && self.toks[j].start == self.toks[k].end)
            .then_some(j)
    }
    /// Previous non-space token before `k`, crossing at most one line break.
    fn prev(&self, k: usize) -> Option<usize> {
        let j = k.checked_sub(1)?;
        if self.is_space(j) {
            if self.newlines(j) > 1 {
                return None;
            }
            return j.checked_sub(1);
        }
        Some(j)
    }
    fn prev_adj(&self, k: usize) -> Option<usize> {
        let j = k.checked_sub(1)?;
        (!self.is_space(j) && self.toks[j].end == self.toks[k].start).then_some(j)
    }
    fn next_word(&self, k: usize) -> Option<(usize, &'a str)> {
        let j = self.next(k)?;
        self.word(j).map(|w| (j, w))
    }
    fn num(&self, k: usize) -> Option<&'a Numeral> {
        match self.toks.get(k)?.kind {
            Kind::Num(i) => self.nums.get(i),
            _ => None,
        }
    }
    fn span(&self, a: usize, b: usize) -> Range<usize> {
        self.toks[a].start..self.toks[b].end
    }

    fn run(&mut self) -> Vec<Piece> {
        let mut drafts: Vec<Draft> = Vec::with_capacity(self.toks.len() / 16);
        // Each token a figure may start at, from the token after the last figure on.
        let mut next = 0;
        for &k in self.starts {
            if k < next {
                continue;
            }
            let start_ok = match self.toks[k].kind {
                Kind::Num(_) => true,
                Kind::Word => self.word_number_start(k),
                _ => false,
            };
            if start_ok {
                if let Some(d) = self
                    .figure_at(k, &drafts)
                    .filter(|d| drafts.last().is_none_or(|p| d.first_tok > p.last_tok))
                {
                    next = d.last_tok + 1;
                    drafts.push(d);
                }
            }
        }
        self.coordinate(&mut drafts);
        self.column_headers(&mut drafts);
        let n = drafts.len();
        (0..n)
            .map(|i| {
                let d = &drafts[i];
                let big = d.fig.bare
                    && (d.fig.value.is_some() || d.fig.low().is_some())
                    && (d.has_scale
                        || d.fig.value.get().is_some_and(|v| {
                            v.abs() >= Decimal::from(1000) && d.fig.written.separator.is_some()
                        }));
                let mut fig = d.fig.clone();
                normalize_one(&mut fig);
                Piece {
                    fig,
                    meta: Meta {
                        family: Family::new(d.family),
                        names_family: self.raw_text_names_family(d),
                        settled: match d.family {
                            Some(Money::Code(_)) => d.fig.unit.is_some(),
                            Some(_) => d.fig.unit.and_then(units::iso_code).is_some(),
                            None => false,
                        },
                        big,
                        joined_prev: big
                            && i > 0
                            && self.joined(drafts[i - 1].last_tok, d.first_tok),
                        joined_next: big
                            && i + 1 < n
                            && self.joined(d.last_tok, drafts[i + 1].first_tok),
                        keyword: big && self.money_word_near(d.first_tok, d.last_tok),
                    },
                }
            })
            .collect()
    }

    fn word_number_start(&self, k: usize) -> bool {
        let Some(w) = self.word(k) else { return false };
        // Asked of every word; most are no number word, and are turned away at once.
        if !number::may_start_number(w.as_bytes()) {
            return false;
        }
        if number::cardinal(w).is_some() {
            // Not part of a hyphenated word like `one-third` handled below, nor `one` alone.
            return true;
        }
        match w {
            "a" | "an" => self.next_word(k).is_some_and(|(j, n)| {
                self.compound_denominator(j).is_some()
                    || matches!(
                        n,
                        "dozen"
                            | "hundred"
                            | "thousand"
                            | "million"
                            | "billion"
                            | "trillion"
                            | "half"
                            | "quarter"
                            | "third"
                            | "fifth"
                            | "sixth"
                            | "seventh"
                            | "eighth"
                            | "ninth"
                            | "tenth"
                            | "hundredth"
                            | "thousandth"
                    )
            }),
            "half" | "quarter" => self.next_word(k).is_some_and(|(j, n)| {
                number::scale(n).is_some_and(|_| !number::is_vague_scale(n))
                    || (n == "a"
                        && self.next_word(j).is_some_and(|(_, m)| {
                            matches!(m, "million" | "billion" | "trillion" | "dozen" | "thousand")
                        }))
            }),
            "dozen" => true,
            "hundred" | "thousand" => self
                .next_word(k)
                .is_some_and(|(_, n)| number::scale(n).is_some() && !number::is_vague_scale(n)),
            _ => false,
        }
    }

    // -------------------------------------------------------------------------- numbers

    /// Read the number at `k` (numeral or words) with its scale.
    fn quantity(&self, k: usize) -> Option<Quantity> {
        let mut q = match self.toks[k].kind {
            Kind::Num(_) => self.numeral_quantity(k)?,
            Kind::Word => self.word_quantity(k)?,
            _ => return None,
        };
        if q.words {
            return Some(q);
        }
        self.scale_words(&mut q);
        // `3 hundred and 21`, `4 thousand 3 hundred`, `6 crore and two hundred`,
        // `3 million and a half`, `3 dozens`.
        if !q.fraction
            && !q.attached_scale
            && q.numeral.as_ref().is_some_and(|n| n.malformed.is_none())
        {
            let next_is_phrase = self.next_word(q.last).is_some_and(|(_, w)| {
                matches!(
                    w,
                    "hundred" | "and" | "dozen" | "dozens" | "dz" | "dzs" | "doz" | "dozs"
                ) || (q.scale.is_some() && number::cardinal(w).is_some())
            }) || (q.scale.is_some()
                && self.next(q.last).is_some_and(|x| self.num(x).is_some()));
            if next_is_phrase {
                let mut st = Phrase {
                    total: if q.scale.is_some() {
                        q.value
                    } else {
                        Decimal::ZERO
                    },
                    group: if q.scale.is_some() {
                        Decimal::ZERO
                    } else {
                        q.value
                    },
                    max_scale: q.scale.unwrap_or(Decimal::ONE),
                    last_mult: q.scale.unwrap_or(Decimal::ONE),
                    kind: if q.scale.is_some() {
                        PKind::Scale
                    } else {
                        PKind::Numeral
                    },
                    any_words: false,
                    fraction: false,
                    and_base: None,
                    after_and: None,
                };
                if st.kind == PKind::Numeral {
                    // only `hundred`/`dozen` may follow a bare numeral
                    if self.next_word(q.last).is_some_and(|(_, w)| {
                        matches!(
                            w,
                            "hundred" | "dozen" | "dozens" | "dz" | "dzs" | "doz" | "dozs"
                        )
                    }) {
                        st.kind = PKind::Small(1);
                    } else {
                        return Some(q);
                    }
                }
                let last = self.extend_phrase(&mut st, q.last, false);
                if let (true, Some(v)) = (last != q.last, st.total.checked_add(st.group)) {
                    q.precision = if st.fraction {
                        Decimal::new(5, 3)
                    } else {
                        q.precision.min(
                            Decimal::new(5, 1) * st.last_mult.min(q.scale.unwrap_or(st.last_mult)),
                        )
                    };
                    q.value = v;
                    q.last = last;
                    q.fraction |= st.fraction;
                    if st.max_scale > q.scale.unwrap_or(Decimal::ONE) {
                        q.scale = Some(st.max_scale);
                    }
                }
            }
        }
        Some(q)
    }

    fn numeral_quantity(&self, k: usize) -> Option<Quantity> {
        let n = self.num(k)?.clone();
        let mut value = n.value;
        let mut last = k;
        let mut precision = number::half_unit(n.decimals as usize);
        let mut fraction = false;
        // Mixed fraction `4-1/4`, `2 1/4`; simple fraction `1/2`.
        if n.decimals == 0 && n.separator.is_none() {
            let after = self.adj(k).and_then(|j| self.sym(j).map(|c| (j, c)));
            if let Some((j, '/')) = after {
                if let Some(den) = self.adj(j).and_then(|d| self.num(d).map(|x| (d, x))) {
                    if den.1.decimals == 0
                        && den.1.separator.is_none()
                        && !den.1.value.is_zero()
                        && den.1.value <= Decimal::from(100)
                        && n.value < den.1.value
                    {
                        value = n.value / den.1.value;
                        last = den.0;
                        precision = Decimal::new(5, 3);
                        fraction = true;
                    }
                }
            } else if let Some((j, '-')) = after {
                // 4-1/4
                if let Some(a) = self.adj(j).filter(|&a| self.num(a).is_some()) {
                    if let (Some(sl), Some(numr)) = (
                        self.adj(a).filter(|&s| self.sym(s) == Some('/')),
                        self.num(a),
                    ) {
                        if let Some(d) = self.adj(sl).filter(|&d| self.num(d).is_some()) {
                            let den = self.num(d)?;
                            if !den.value.is_zero()
                                && numr.value < den.value
                                && den.value <= Decimal::from(64)
                            {
                                value = n.value + numr.value / den.value;
                                last = d;
                                precision = Decimal::new(5, 3);
                                fraction = true;
                            }
                        }
                    }
                }
            } else if self.is_space(k + 1) && self.newlines(k + 1) == 0 {
                // `2  1/4`
                if let (Some(a), Some('/')) = (self.num(k + 2), self.sym(k + 3)) {
                    if let Some(den) = self.num(k + 4) {
                        if self.toks[k + 3].start == self.toks[k + 2].end
                            && self.toks[k + 4].start == self.toks[k + 3].end
                            && !den.value.is_zero()
                            && a.value < den.value
                            && den.value <= Decimal::from(64)
                            && n.value < Decimal::from(1000)
                        {
                            value = n.value + a.value / den.value;
                            last = k + 4;
                            precision = Decimal::new(5, 3);
                            fraction = true;
                        }
                    }
                }
            }
        }
        // `4. 8%`: a stray space after the decimal point of a percentage.
        let mut spaced = None;
        if !fraction
            && n.decimals == 0
            && n.separator.is_none()
            && self.adj(k).is_some_and(|d| self.sym(d) == Some('.'))
        {
            let sp = k + 2;
            if self
                .toks
                .get(sp)
                .is_some_and(|t| t.kind == (Kind::Space { newlines: 0 }) && t.end - t.start == 1)
            {
                if let Some(_f) = self
                    .num(sp + 1)
                    .filter(|f| f.decimals == 0 && f.separator.is_none() && f.int_digits <= 2)
                {
                    if self.adj(sp + 1).is_some_and(|x| self.sym(x) == Some('%')) {
                        let frac_text = &self.m[self.toks[sp + 1].start..self.toks[sp + 1].end];
                        if let Ok(v) = format!("{}.{}", n.value, frac_text).parse::<Decimal>() {
                            value = v;
                            last = sp + 1;
                            precision = number::half_unit(frac_text.len());
                            spaced = Some(number::Malformed::SpaceAfterMark);
                        }
                    }
                }
            }
        }
        let mut n = n;
        if spaced.is_some() {
            n.malformed = spaced;
            n.decimals = (self.toks[last].end - self.toks[last].start) as u32;
        }
        Some(Quantity {
            first: k,
            last,
            value,
            precision,
            words: false,
            numeral: Some(n),
            scale: None,
            scale_span: None,
            misspelt: None,
            attached_scale: false,
            fraction,
        })
    }

    /// Spelled-out numbers: `seven thousand`, `twenty-five`, `one hundred and five`,
    /// `a dozen`, `half a million`, `two thirds`, `one and a half`, `two point five`.
    fn word_quantity(&self, k: usize) -> Option<Quantity> {
        let w0 = self.word(k)?;
        let mut st = Phrase::default();
        let mut j = k;
        match w0 {
            "a" | "an" => {
                let (n1, w1) = self.next_word(k)?;
                if let Some((d, e)) = self.compound_denominator(n1) {
                    return Some(Quantity::unit_fraction(k, e, d));
                }
                // `a half`, `a fifth`, `a hundredth`: a fraction on its own.
                if let Some(d) =
                    number::denominator(w1).filter(|_| !w1.ends_with('s') && w1 != "second")
                {
                    let next = self.next_word(n1).map(|(_, x)| x);
                    let scale_follows =
                        next.is_some_and(|x| self.scale_of_word(x).is_some() || x == "a");
                    // `a third round` is an ordinal; `a third of the budget` is a share.
                    let share = matches!(w1, "half" | "quarter") || d >= 100 || next == Some("of");
                    if !scale_follows && share {
                        return Some(Quantity::unit_fraction(k, n1, d));
                    }
                }
                if matches!(w1, "half" | "quarter") {
                    // `a half million`, `a quarter million`
                    let frac = if w1 == "half" {
                        Decimal::new(5, 1)
                    } else {
                        Decimal::new(25, 2)
                    };
                    let (n2, w2) = self.next_word(n1)?;
                    let s = self.scale_of_word(w2)?;
                    st.total = frac.checked_mul(s)?;
                    st.max_scale = s;
                    st.last_mult = s;
                    st.kind = PKind::Scale;
                    j = n2;
                } else {
                    // `a dozen`, `a hundred`, `a million`: the article stands for one.
                    if !(matches!(w1, "dozen" | "hundred") || self.scale_of_word(w1).is_some()) {
                        return None;
                    }
                    st.group = Decimal::ONE;
                    st.kind = PKind::Article;
                    j = k;
                }
            }
            "half" | "quarter" => {
                let frac = if w0 == "half" {
                    Decimal::new(5, 1)
                } else {
                    Decimal::new(25, 2)
                };
                let (mut n1, mut w1) = self.next_word(k)?;
                if matches!(w1, "a" | "an") {
                    (n1, w1) = self.next_word(n1)?;
                }
                let s = if w1 == "dozen" {
                    Decimal::from(12)
                } else {
                    self.scale_of_word(w1)?
                };
                st.total = frac.checked_mul(s)?;
                st.max_scale = s;
                st.last_mult = s;
                st.kind = PKind::Scale;
                j = n1;
            }
            _ => {
                if let Some(v) = number::cardinal(w0) {
                    st.group = Decimal::from(v);
                    st.kind = PKind::Small(v);
                    st.any_words = true;
                } else if matches!(w0, "dozen" | "hundred") || self.scale_of_word(w0).is_some() {
                    // `hundred thousand dollars`: an implicit one.
                    let (_, w1) = self.next_word(k)?;
                    if w0 != "dozen" && self.scale_of_word(w1).is_none() {
                        return None;
                    }
                    st.group = Decimal::ONE;
                    st.kind = PKind::Article;
                    j = k;
                } else {
                    return None;
                }
            }
        }
        st.any_words = true;
        let last = if st.kind == PKind::Article {
            self.extend_phrase(&mut st, j, true)
        } else {
            self.extend_phrase(&mut st, j, false)
        };
        let value = st.total.checked_add(st.group)?;
        let int = value.trunc();
        let precision = if value != int || st.fraction {
            Decimal::new(5, 3)
        } else {
            let mut p = Decimal::new(5, 1);
            let mut t = int;
            while !t.is_zero()
                && (t % Decimal::TEN).is_zero()
                && p * Decimal::TEN
                    <= st.last_mult.max(Decimal::ONE) * Decimal::new(5, 1) * Decimal::TEN
            {
                t /= Decimal::TEN;
                p *= Decimal::TEN;
            }
            p
        };
        Some(Quantity {
            first: k,
            last,
            value,
            precision,
            words: true,
            numeral: None,
            scale: (st.max_scale > Decimal::ONE).then_some(st.max_scale),
            scale_span: None,
            misspelt: None,
            attached_scale: false,
            fraction: st.fraction,
        })
    }

    fn scale_of_word(&self, w: &str) -> Option<Decimal> {
        if number::is_vague_scale(w) || matches!(w, "hundred" | "mil" | "mill" | "thou") {
            return None;
        }
        number::scale(w)
    }

    /// Continue a number phrase after token `j`: more cardinals, `hundred`, scales, `and`,
    /// fractions (`and a half`, `two thirds`), `point five`, `of a million`. Returns the last
    /// token of the phrase. `article`: `j` is an article or implicit one still to step over.
    fn extend_phrase(&self, st: &mut Phrase, mut j: usize, mut article: bool) -> usize {
        let mut last = j;
        while let Some(mut nj) = self.next(j) {
            let mut hyphen = false;
            if matches!(self.sym(nj), Some('-' | '‐')) && !article {
                match self.next(nj) {
                    Some(x) => {
                        nj = x;
                        hyphen = true;
                    }
                    None => break,
                }
            }
            if article {
                // The token at `j` is the article / implicit one itself: look at `j` again.
                nj = if self.word(j).is_some_and(|w| matches!(w, "a" | "an")) {
                    nj
                } else {
                    j
                };
                article = false;
            }
            let num = self.num(nj);
            let w = self.word(nj);
            if hyphen && matches!(st.kind, PKind::Small(v) if v < 20) && st.total.is_zero() {
                if let Some(d) = w
                    .and_then(number::denominator)
                    .filter(|_| w != Some("second"))
                {
                    st.group /= Decimal::from(d);
                    st.fraction = true;
                    last = nj;
                    break;
                }
            }
            if hyphen
                && !(matches!(st.kind, PKind::Small(t) if number::is_tens(t))
                    && w.and_then(number::cardinal)
                        .is_some_and(|v| (1..10).contains(&v)))
            {
                break;
            }
            if let Some(n) = num {
                // `4 thousand 3 hundred`, `3 hundred and 21`: a small numeral after a scale.
                let ok = matches!(st.kind, PKind::Hundred | PKind::Scale | PKind::And)
                    && n.separator.is_none()
                    && n.int_digits <= 3
                    && n.decimals == 0
                    && n.value < st.last_mult.max(Decimal::from(100))
                    && self.adj(nj).is_none_or(|x| self.word(x).is_none());
                if !ok {
                    break;
                }
                st.group += n.value;
                st.kind = PKind::Numeral;
                last = nj;
                j = nj;
                continue;
            }
            let Some(w) = w else { break };
            if let (PKind::Small(n), true) = (st.kind, st.total.is_zero() && !hyphen) {
                if n < 20 {
                    if let Some((d, e)) = self.compound_denominator(nj) {
                        st.group /= Decimal::from(d);
                        st.fraction = true;
                        last = e;
                        break;
                    }
                }
            }
            if let Some(v) = number::cardinal(w) {
                let combine = matches!(st.kind, PKind::Small(t) if number::is_tens(t))
                    && (1..10).contains(&v);
                let after = matches!(
                    st.kind,
                    PKind::Hundred | PKind::Scale | PKind::And | PKind::Start
                );
                if !(combine || after) {
                    break;
                }
                // A denominator may follow (`three fifths` after `twenty and`): handled below.
                if st.kind == PKind::And {
                    st.after_and = Some(Decimal::from(v));
                } else if combine {
                    st.after_and = st.after_and.map(|a| a + Decimal::from(v));
                }
                st.group += Decimal::from(v);
                st.kind = if combine {
                    PKind::Small(v + 1000)
                } else {
                    PKind::Small(v)
                };
                st.any_words = true;
                last = nj;
                j = nj;
                continue;
            }
            match w {
                "hundred" | "hundreds" if !matches!(st.kind, PKind::Hundred | PKind::And) => {
                    let Some(g) = st.group.max(Decimal::ONE).checked_mul(Decimal::from(100)) else {
                        break;
                    };
                    st.group = g;
                    st.kind = PKind::Hundred;
                    st.last_mult = st.last_mult.max(Decimal::from(100));
                    last = nj;
                    j = nj;
                    continue;
                }
                "dozen" | "dozens" | "dz" | "dzs" | "doz" | "dozs" => {
                    match st.after_and.take() {
                        // `three hundred and two dozens`: the dozens are the part after `and`.
                        Some(a) if matches!(st.kind, PKind::Small(_)) => {
                            st.group = st
                                .group
                                .checked_add(a * Decimal::from(11))
                                .unwrap_or(st.group)
                        }
                        _ => {
                            st.group = st
                                .group
                                .max(Decimal::ONE)
                                .checked_mul(Decimal::from(12))
                                .unwrap_or(st.group)
                        }
                    }
                    st.kind = PKind::Hundred;
                    last = nj;
                    j = nj;
                    continue;
                }
                "and" => {
                    // `and` continues with a number, or a fraction (`and a half`).
                    if let Some((f, fe)) = self.fraction_after(nj) {
                        // `five and a half million`, `3 million and a half`
                        if let Some((sj, sw)) = self.next_word(fe) {
                            if let Some(s) = self.scale_of_word(sw) {
                                let add = if st.group.is_zero() {
                                    f.checked_mul(s)
                                } else {
                                    (st.group + f).checked_mul(s)
                                };
                                let Some(t) = add.and_then(|a| st.total.checked_add(a)) else {
                                    break;
                                };
                                st.total = t;
                                st.group = Decimal::ZERO;
                                st.fraction = true;
                                last = sj;
                                j = sj;
                                st.kind = PKind::Scale;
                                continue;
                            }
                        }
                        if st.group.is_zero() && st.max_scale > Decimal::ONE {
                            st.total = f
                                .checked_mul(st.max_scale)
                                .and_then(|a| st.total.checked_add(a))
                                .unwrap_or(st.total);
                        } else {
                            st.group += f;
                        }
                        st.fraction = true;
                        last = fe;
                        break;
                    }
                    let next_is_number = match self.next(nj) {
                        Some(x) => {
                            let is_num = self.word(x).and_then(number::cardinal).is_some()
                                || self
                                    .num(x)
                                    .is_some_and(|n| n.int_digits <= 3 && n.separator.is_none());
                            // `3 hundred and 2 hundred`: the second has its own multiplier.
                            let own_mult = self.next_word(x).is_some_and(|(_, y)| {
                                (y == "hundred" && st.kind == PKind::Hundred)
                                    || self.scale_of_word(y).is_some_and(|s| {
                                        s == st.last_mult && st.kind == PKind::Scale
                                    })
                            });
                            is_num && !own_mult
                        }
                        None => false,
                    };
                    let fraction_follows = match self.next(nj) {
                        Some(x) => {
                            let mut y = x;
                            let mut found = false;
                            for _ in 0..4 {
                                match self.next(y).and_then(|z| self.word(z).map(|w| (z, w))) {
                                    Some((z, w))
                                        if number::denominator(w).is_some_and(|d| d >= 100) =>
                                    {
                                        found = true;
                                        let _ = z;
                                        break;
                                    }
                                    Some((z, w)) if number::cardinal(w).is_some() => y = z,
                                    Some((z, _)) if self.sym(z) == Some('-') => y = z,
                                    _ => break,
                                }
                                if self.sym(y + 1) == Some('-') {
                                    y += 1;
                                }
                            }
                            found && self.word(x).and_then(number::cardinal).is_some()
                        }
                        None => false,
                    };
                    if next_is_number
                        && (matches!(st.kind, PKind::Hundred | PKind::Scale)
                            || fraction_follows && matches!(st.kind, PKind::Small(_)))
                    {
                        st.and_base = Some(st.group);
                        st.kind = PKind::And;
                        j = nj;
                        continue;
                    }
                    break;
                }
                "point" if st.any_words => {
                    let mut digits = String::new();
                    let mut x = nj;
                    let mut e = nj;
                    while let Some((y, wy)) = self.next_word(x) {
                        match number::cardinal(wy) {
                            Some(d) => {
                                digits.push_str(&d.to_string());
                                e = y;
                                x = y;
                                // `seventy-one`
                                if let Some(h) = self.adj(y).filter(|&h| self.sym(h) == Some('-')) {
                                    if let Some((y2, u)) = self.adj(h).and_then(|z| {
                                        self.word(z).and_then(number::cardinal).map(|u| (z, u))
                                    }) {
                                        if number::is_tens(d) && (1..10).contains(&u) {
                                            digits.pop();
                                            digits.push_str(&u.to_string());
                                            e = y2;
                                            x = y2;
                                        }
                                    }
                                }
                            }
                            None => break,
                        }
                    }
                    if let Ok(f) = format!("0.{digits}").parse::<Decimal>() {
                        if !digits.is_empty() {
                            st.group += f;
                            st.fraction = true;
                            last = e;
                        }
                    }
                    break;
                }
                _ => {}
            }
            if let Some(s) = self.scale_of_word(w).or_else(|| {
                (st.kind != PKind::Start && matches!(w, "mln" | "bn" | "mn" | "bln" | "tn"))
                    .then(|| number::scale(w))
                    .flatten()
            }) {
                if matches!(st.kind, PKind::And) {
                    break;
                }
                if s > st.max_scale && st.max_scale > Decimal::ONE {
                    // `three lakh crore`, `thousand million`
                    let Some(t) = st
                        .total
                        .checked_add(st.group)
                        .and_then(|t| t.checked_mul(s))
                    else {
                        break;
                    };
                    st.total = t;
                } else {
                    st.total += st.group.max(if st.total.is_zero() {
                        Decimal::ONE
                    } else {
                        Decimal::ZERO
                    }) * s;
                }
                st.group = Decimal::ZERO;
                st.max_scale = st.max_scale.max(s);
                st.last_mult = s;
                st.kind = PKind::Scale;
                last = nj;
                j = nj;
                continue;
            }
            // Denominators: `twenty-three fifths`, `two thirds`, `one eighth`.
            if let Some(d) = number::denominator(w) {
                let small = matches!(st.kind, PKind::Small(_) | PKind::Hundred);
                let plural = w.ends_with('s') || st.group == Decimal::ONE;
                if small && plural && st.total.is_zero() && !self.ordinal_context(last) {
                    match st.and_base {
                        // `two and fifty-four hundredths`: only the part after `and` is divided.
                        Some(base) if d >= 100 => {
                            st.group = base + (st.group - base) / Decimal::from(d)
                        }
                        _ => st.group /= Decimal::from(d),
                    }
                    st.fraction = true;
                    last = nj;
                    // `three quarters billion`
                    if let Some((sj, sw)) = self.next_word(nj) {
                        if let Some(s) = self.scale_of_word(sw) {
                            st.group = st.group.checked_mul(s).unwrap_or(st.group);
                            st.max_scale = s;
                            last = sj;
                        }
                    }
                    // `two thirds of a million`
                    if let Some((o, "of")) = self.next_word(nj) {
                        if let Some((a, "a" | "an")) = self.next_word(o) {
                            if let Some((sj, sw)) = self.next_word(a) {
                                if let Some(s) = self.scale_of_word(sw) {
                                    st.group = st.group.checked_mul(s).unwrap_or(st.group);
                                    last = sj;
                                }
                            }
                        }
                    }
                }
            }
            break;
        }
        last
    }

    /// `twenty-first`, `twenty fifths`: a tens word and an ordinal unit as a denominator,
    /// starting at `j`: the denominator and its last token.
    fn compound_denominator(&self, j: usize) -> Option<(u64, usize)> {
        let tens = number::cardinal(self.word(j)?).filter(|v| number::is_tens(*v))?;
        let mut k = self.next(j)?;
        if self.sym(k) == Some('-') {
            k = self.next(k)?;
        }
        let unit = match self.word(k)? {
            "first" | "firsts" => 1,
            "second" | "seconds" => 2,
            "third" | "thirds" => 3,
            "fourth" | "fourths" => 4,
            "fifth" | "fifths" => 5,
            "sixth" | "sixths" => 6,
            "seventh" | "sevenths" => 7,
            "eighth" | "eighths" => 8,
            "ninth" | "ninths" => 9,
            _ => return None,
        };
        Some((u64::from(tens + unit), k))
    }

    /// `a half`, `one half`, `three quarters`, `two thirds` after `and` at `and_tok`:
    /// the fraction and its last token.
    fn fraction_after(&self, and_tok: usize) -> Option<(Decimal, usize)> {
        let (b, wb) = self.next_word(and_tok)?;
        let numer = if matches!(wb, "a" | "an") {
            Decimal::ONE
        } else {
            Decimal::from(number::cardinal(wb).filter(|v| (1..20).contains(v))?)
        };
        let (c, wc) = self.next_word(b)?;
        let d = number::denominator(wc)?;
        Some((numer / Decimal::from(d), c))
    }

    /// `the first three quarters`: a denominator word after an ordinal counts periods.
    fn ordinal_context(&self, last: usize) -> bool {
        let mut k = last;
        while let Some(p) = self.prev(k) {
            match self.word(p) {
                Some(w) if number::cardinal(w).is_some() => k = p,
                Some(w) => {
                    return matches!(
                        w,
                        "first"
                            | "last"
                            | "next"
                            | "past"
                            | "previous"
                            | "the"
                            | "these"
                            | "those"
                            | "three"
                            | "final"
                    )
                }
                None => return false,
            }
        }
        false
    }

    /// Scale words after a number: `million`, `bn`, `mln`, `k`, attached suffixes.
    fn scale_words(&self, q: &mut Quantity) {
        loop {
            let attached = self.adj(q.last);
            let cand = attached.or_else(|| {
                self.next(q.last)
                    .filter(|&j| self.newlines(q.last + 1) == 0 || self.word(j).is_some())
            });
            let Some(j) = cand else { break };
            let Some(w) = self.word(j) else { break };
            let raw = self.raw(j);
            let is_attached = attached == Some(j);
            let s = if let Some(s) = number::scale(w) {
                let vague = number::is_vague_scale(w) && !(w == "hundreds" || w == "thousands");
                let abbreviation_apart = matches!(w, "mil" | "mill" | "thou") && !is_attached;
                (!vague && !abbreviation_apart).then_some(s)
            } else if is_attached && !q.words {
                // Context-dependent one-letter suffixes.
                match raw {
                    "k" | "K" => Some(Decimal::from(1000)),
                    "M" | "MM" if !self.unit_follows_as_symbol(j) => Some(Decimal::from(1_000_000)),
                    "m" | "mm"
                        if self.currency_before(q.first) || self.money_or_plural_after(j) =>
                    {
                        Some(Decimal::from(1_000_000))
                    }
                    "b" | "B" | "bil" if raw == "b" || self.currency_before(q.first) => {
                        Some(Decimal::from(1_000_000_000u64))
                    }
                    "t" | "tr" if self.currency_before(q.first) => {
                        Some(Decimal::from(1_000_000_000_000u64))
                    }
                    _ => None,
                }
            } else if !is_attached
                && !q.words
                && (raw == "k" || raw == "K")
                && self.next(j).is_none_or(|x| self.word(x).is_none())
            {
                Some(Decimal::from(1000))
            } else if !is_attached
                && raw == "M"
                && (self.currency_before(q.first)
                    || self.next(j).is_none_or(|x| self.word(x).is_none()))
            {
                Some(Decimal::from(1_000_000))
            } else {
                misspelt_scale(w).inspect(|_| {
                    q.misspelt = Some(self.span(j, j));
                })
            };
            let Some(s) = s else { break };
            let (Some(v), Some(p), Some(sc)) = (
                q.value.checked_mul(s),
                q.precision.checked_mul(s),
                q.scale.unwrap_or(Decimal::ONE).checked_mul(s),
            ) else {
                // Scales past the largest decimal (`9 billion billion billion ...`): stop here.
                break;
            };
            q.value = v;
            q.precision = p;
            q.scale = Some(sc);
            let sp = self.span(j, j);
            q.scale_span = Some(match &q.scale_span {
                Some(r) => r.start..sp.end,
                None => sp,
            });
            q.attached_scale |= is_attached;
            q.last = j;
        }
    }

    fn unit_follows_as_symbol(&self, _j: usize) -> bool {
        false
    }

    /// A currency sign or code directly before the number token `k`.
    fn currency_before(&self, k: usize) -> bool {
        let p = if k > 0 && self.is_space(k - 1) && self.newlines(k - 1) == 0 {
            k.checked_sub(2)
        } else {
            k.checked_sub(1)
        };
        let Some(p) = p else { return false };
        if let Some(c) = self.sym(p) {
            return units::currency_symbol(c).is_some();
        }
        if let Some(w) = self.word(p) {
            return units::iso_code(self.raw(p)).is_some()
                || units::currency_word(w).is_some()
                || w == "rs";
        }
        false
    }

    fn money_or_plural_after(&self, j: usize) -> bool {
        match self.next_word(j) {
            Some((_, w)) => {
                units::currency_word(w).is_some()
                    || (w.ends_with('s') && w.len() > 3 && !NOUN_STOP.contains(w))
                    || PLURAL_NOUNS.contains(w)
            }
            None => false,
        }
    }

    // -------------------------------------------------------------------------- figures

    fn figure_at(&mut self, k: usize, drafts: &[Draft]) -> Option<Draft> {
        let q = self.quantity(k)?;
        if self.not_a_figure_before(&q) {
            return None;
        }
        // A range: `10-15`, `10–15%`, `four to 4-1/4 pct`, `between 10 and 15`, `from 5 to 7`.
        let (mut low, mut high, mut last_q) = (None::<Quantity>, None::<Quantity>, q.clone());
        let mut is_range = false;
        let mut change_from = false;
        let (pre_first, between, from) = self.range_intro(q.first);
        let lead_tail = self.tail(&q);
        let lead_has_own_unit = lead_tail.unit.is_some() || lead_tail.noun.is_some();
        let first_is_year = self.not_a_figure_before_second(&q);
        if let Some((sep_tok, second_k)) = self.range_second(&q, between).filter(|_| !first_is_year)
        {
            let _ = sep_tok;
            if let Some(mut q2) = self.quantity(second_k) {
                let same_kind_unit = {
                    let t2 = self.tail(&q2);
                    !lead_has_own_unit
                        || (lead_tail.unit.is_some()
                            && lead_tail.unit == t2.unit
                            && lead_tail.money.map(|m| m.0) == t2.money.map(|m| m.0))
                };
                let sep_word = self.word(sep_tok).unwrap_or("");
                let changes = from && self.change_word_before(q.first);
                if !self.not_a_figure_before_second(&q2)
                    && same_kind_unit
                    && (sep_word != "and" || between)
                {
                    if changes && sep_word == "to" {
                        change_from = true;
                    } else {
                        // The low end takes the high end's scale when it has none: `1.6-1.7 trillion`.
                        let mut q1 = q.clone();
                        if q1.scale.is_none() {
                            if let Some(s) = q2.scale {
                                if let (Some(v), Some(p)) =
                                    (q1.value.checked_mul(s), q1.precision.checked_mul(s))
                                {
                                    if v <= q2.value || q1.value < Decimal::from(1000) {
                                        q1.value = v;
                                        q1.precision = p;
                                    }
                                }
                            }
                        }
                        if q2.value < Decimal::ZERO && self.sym(sep_tok).is_some() {
                            q2.value = -q2.value;
                        }
                        low = Some(q1);
                        last_q = q2.clone();
                        high = Some(q2);
                        is_range = true;
                    }
                }
            }
        }
        let tail = if is_range {
            self.tail(&last_q)
        } else {
            lead_tail
        };
        let tail = if is_range && tail.unit.is_none() && tail.noun.is_none() && lead_has_own_unit {
            self.tail(&q)
        } else {
            tail
        };
        // `1 over 3`, `one over twenty`: a ratio written out.
        if !is_range && q.scale.is_none() && !lead_has_own_unit {
            if let Some((o, "over")) = self.next_word(q.last) {
                if let Some(d) = self.next(o).filter(|&d| {
                    matches!(self.toks[d].kind, Kind::Num(_)) || self.word_number_start(d)
                }) {
                    if let Some(q2) = self.quantity(d) {
                        let t2 = self.tail(&q2);
                        if t2.unit.is_none()
                            && t2.money.is_none()
                            && t2.noun.is_none()
                            && !q2.value.is_zero()
                            && q2.scale.is_none()
                        {
                            let mut qd = q.clone();
                            qd.value = q.value / q2.value;
                            qd.precision = Decimal::new(5, 3);
                            qd.last = q2.last;
                            qd.fraction = true;
                            return self.finish_simple(qd, drafts);
                        }
                    }
                }
            }
        }
        // The number's own exclusions that depend on what follows.
        if !is_range && self.not_a_figure_after(&q, &tail) {
            return None;
        }
        let mut head = self.head(q.first, &tail);
        // `rmb 10 usd 20`: a code after a prefixed number that is followed by a number
        // belongs to the next figure.
        let mut tail = tail;
        if head.money.is_some() && tail.money.is_some() && tail.unit.is_none() {
            if let Some(e) = tail.last {
                if self.next(e).is_some_and(|x| self.num(x).is_some())
                    && self
                        .word(e)
                        .is_some_and(|w| units::iso_code(self.raw(e)).is_some() || w.len() == 3)
                {
                    tail = Tail::default();
                }
            }
        }
        // Never reach back into the previous figure (`½KZT 3.2 bn`).
        let floor = drafts.last().map(|d| d.last_tok + 1).unwrap_or(0);
        if head.first < floor {
            head = Head {
                first: q.first,
                ..Head::default()
            };
        }
        let sign_neg = head.negative;
        let mut fig_start = head.first;
        if is_range && pre_first.is_some() {
            fig_start = fig_start.min(pre_first.unwrap_or(fig_start));
        }
        let last_tok = tail.last.unwrap_or(last_q.last).max(last_q.last);
        // Unit and dimension.
        let (mut unit, mut dim, family) = resolve_tail_unit(&tail, head.money);
        let mut factor = tail.factor.unwrap_or(Decimal::ONE);
        if head.million {
            // `MAUD 60`: a million-prefixed code.
            factor = factor.checked_mul(Decimal::from(1_000_000))?;
        }
        if let Some(s) = tail.unit_scale {
            factor = factor.checked_mul(s)?;
        }
        if let Some(s) = tail.late_scale {
            factor = factor.checked_mul(s)?;
        }
        let bare = unit.is_none() && tail.noun.is_none() && !tail.elided;
        if unit.is_none() && dim.is_none() {
            dim = Some(Dimension::Count);
        }
        if head.money.is_some() && tail.money.is_none() && unit.is_none() {
            unit = None;
        }
        let dim = dim.unwrap_or(Dimension::Count);
        let apply = |v: Decimal| -> Option<Decimal> {
            let v = v.checked_mul(factor)?;
            Some(if sign_neg { -v } else { v })
        };
        let (value, lo, hi, precision) = match (&low, &high) {
            (Some(l), Some(h)) => (
                None,
                Some(apply(l.value)?),
                Some(apply(h.value)?),
                h.precision.min(l.precision).checked_mul(factor)?,
            ),
            _ => (
                Some(apply(q.value)?),
                None,
                None,
                q.precision.checked_mul(factor)?,
            ),
        };
        let qualifier = if is_range {
            Qualifier::Range
        } else {
            head.qualifier.unwrap_or(Qualifier::Exact)
        };
        let numeral = q.numeral.as_ref();
        let mut malformed = numeral.and_then(|n| n.malformed);
        if let Some(m) = self.spaced_decimal(&q, &tail) {
            malformed = Some(m);
        }
        let written = Written {
            words: q.words || high.as_ref().is_some_and(|h| h.words),
            separator: numeral.and_then(|n| n.separator),
            bare_thousands: numeral
                .is_some_and(|n| n.bare_thousands && n.decimals == 0 && !n.exponent),
            decimals: numeral.map_or(0, |n| u8::try_from(n.decimals).unwrap_or(u8::MAX)),
            unit_attached: tail.unit_attached,
            spaced_percent: tail.spaced_percent,
            unit_span: tail.unit_span.clone().into(),
            scale_span: q
                .scale_span
                .clone()
                .or_else(|| high.as_ref().and_then(|h| h.scale_span.clone()))
                .into(),
            qualifier_span: head.qualifier_span.clone().into(),
            malformed,
        };
        // `3 dollars 50 cents`, `thirteen dollars and forty-five cents`, `17 USD 25`.
        let mut last_tok = last_tok;
        let mut value = value;
        if !is_range && tail.money.is_some() && tail.factor.is_none() && tail.per.is_none() {
            if let Some((cents, e)) = self.cents_after(last_tok) {
                value = value.and_then(|v| {
                    v.checked_add(if sign_neg { -cents } else { cents } / Decimal::from(100))
                });
                last_tok = e;
            }
        }
        let number_span =
            self.toks[q.first].start..self.toks[if is_range { last_q.last } else { q.last }].end;
        let span = self.toks[fig_start].start..self.toks[last_tok].end;
        let _ = drafts;
        let fig = Figure {
            span: span.into(),
            number: number_span.into(),
            value: value.into(),
            rare: super::Rare::new(
                lo,
                hi,
                tail.per.as_deref().map(Box::from),
                q.misspelt.clone().into(),
            ),
            qualifier,
            unit,
            noun: tail.noun.clone(),
            dimension: dim,
            normalized_value: None.into(),
            precision,
            bare,
            elided: tail.elided,
            unit_inferred: false,
            written,
        };
        Some(Draft {
            fig,
            first_tok: fig_start,
            last_tok,
            family,
            has_scale: q.scale.is_some() || tail.late_scale.is_some(),
            words: q.words,
            change_from,
        })
    }

    /// A plain number figure (a ratio) with no unit.
    fn finish_simple(&self, q: Quantity, _drafts: &[Draft]) -> Option<Draft> {
        let head = self.head(q.first, &Tail::default());
        let value = if head.negative { -q.value } else { q.value };
        let span = self.toks[head.first].start..self.toks[q.last].end;
        let fig = Figure {
            span: span.into(),
            number: (self.toks[q.first].start..self.toks[q.last].end).into(),
            value: Some(value).into(),
            rare: super::Rare::default(),
            qualifier: head.qualifier.unwrap_or(Qualifier::Exact),
            unit: None,
            noun: None,
            dimension: Dimension::Count,
            normalized_value: None.into(),
            precision: q.precision,
            bare: true,
            elided: false,
            unit_inferred: false,
            written: Written {
                words: q.words,
                qualifier_span: head.qualifier_span.into(),
                ..Written::default()
            },
        };
        Some(Draft {
            fig,
            first_tok: head.first,
            last_tok: q.last,
            family: None,
            has_scale: false,
            words: q.words,
            change_from: false,
        })
    }

    /// `[and] 50 [cents]` after a money unit written as a word: the cents and the last token.
    fn cents_after(&self, e: usize) -> Option<(Decimal, usize)> {
        let unit_is_word = self.word(e).is_some();
        if !unit_is_word {
            return None;
        }
        let mut k = self.next(e)?;
        if self.word(k) == Some("and") {
            k = self.next(k)?;
        }
        let q = match self.toks[k].kind {
            Kind::Num(_) => {
                let n = self.num(k)?;
                (n.int_digits <= 2 && n.decimals == 0 && n.separator.is_none())
                    .then_some((n.value, k))?
            }
            Kind::Word => {
                let mut st = Phrase::default();
                let v = number::cardinal(self.word(k)?)?;
                st.group = Decimal::from(v);
                st.kind = PKind::Small(v);
                let last = self.extend_phrase(&mut st, k, false);
                (st.total.is_zero() && st.group < Decimal::from(100)).then_some((st.group, last))?
            }
            _ => return None,
        };
        let (v, mut last) = q;
        let after = self.next(last);
        match after.and_then(|a| self.word(a).map(|w| (a, w))) {
            Some((a, "cents" | "cent" | "cts" | "ct")) => last = a,
            Some(_) => return None,
            None => {
                if after.is_some_and(|a| self.num(a).is_some()) {
                    return None;
                }
            }
        }
        Some((v, last))
    }

    /// `4. 8%`: a decimal point followed by a space inside a percentage.
    fn spaced_decimal(&self, q: &Quantity, tail: &Tail) -> Option<number::Malformed> {
        let _ = (q, tail);
        None
    }

    /// Tokens before a range: `between`, `from`.
    fn range_intro(&self, first: usize) -> (Option<usize>, bool, bool) {
        let Some(p) = self.prev(first) else {
            return (None, false, false);
        };
        match self.word(p) {
            Some("between") => (Some(p), true, false),
            Some("from") => (Some(p), false, true),
            _ => (None, false, false),
        }
    }

    /// The start of a range's second number after `q`, with the separator token.
    fn range_second(&self, q: &Quantity, between: bool) -> Option<(usize, usize)> {
        // Allow a unit between: `16%-17%`, `200- to 300-seat`.
        let mut k = q.last;
        if let Some(j) = self.adj(k).or_else(|| self.next(k)) {
            if self.sym(j) == Some('%') {
                k = j;
            }
        }
        let mut sep = self.next(k)?;
        // `200- to 300`
        if matches!(self.sym(sep), Some('-')) && self.next_word(sep).is_some_and(|(_, w)| w == "to")
        {
            sep = self.next(sep)?;
        }
        let ok = match (self.sym(sep), self.word(sep)) {
            (Some('-' | '–' | '~'), _) => true,
            (_, Some("to" | "through" | "thru")) => true,
            (_, Some("and")) => between,
            _ => false,
        };
        if !ok {
            return None;
        }
        let mut second = self.next(sep)?;
        // currency repeated: `$5-$7`
        if self
            .sym(second)
            .is_some_and(|c| units::currency_symbol(c).is_some())
        {
            second = self.next(second)?;
        }
        match self.toks[second].kind {
            Kind::Num(_) => Some((sep, second)),
            Kind::Word if self.word_number_start(second) => Some((sep, second)),
            _ => None,
        }
    }

    fn change_word_before(&self, first: usize) -> bool {
        let mut k = first;
        let mut seen = 0;
        while let Some(p) = self.prev(k) {
            if let Some(c) = self.sym(p) {
                if matches!(c, '.' | ';' | '!' | '?' | ':') {
                    return false;
                }
            }
            if let Some(w) = self.word(p) {
                if CHANGE_WORDS.contains(w) {
                    return true;
                }
                seen += 1;
                if seen > 14 {
                    return false;
                }
            }
            k = p;
        }
        false
    }

    fn not_a_figure_before_second(&self, q: &Quantity) -> bool {
        // Years as the end of a range: `2010-2020`.
        if let Some(n) = &q.numeral {
            if n.separator.is_none()
                && n.decimals == 0
                && q.scale.is_none()
                && n.int_digits == 4
                && (1900..=2100).contains(&num_at(self.m.as_bytes(), self.toks[q.first].start))
            {
                return true;
            }
        }
        false
    }

    /// Exclusions decided by what precedes or surrounds the number itself.
    fn not_a_figure_before(&self, q: &Quantity) -> bool {
        let k = q.first;
        let b = self.m.as_bytes();
        let start = self.toks[k].start;
        // Identifier: letters or `X-` glued before (`A350`, `M3`, `COVID-19`, `M-1`).
        if let Some(p) = self.prev_adj(k) {
            match self.toks[p].kind {
                Kind::Word => {
                    let raw = self.raw(p);
                    if units::iso_code(raw).is_none()
                        && !matches!(
                            self.word(p),
                            Some("rs" | "rmb" | "usd" | "eur" | "gbp" | "sen")
                        )
                        && units::million_code(raw).is_none()
                    {
                        return true;
                    }
                }
                Kind::Sym('-' | '‐' | '_' | '/' | '#' | '@' | '+' | '&') => {
                    if let Some(pp) = self.prev_adj(p) {
                        if matches!(self.toks[pp].kind, Kind::Word | Kind::Num(_)) {
                            // `mid-2005` is a year anyway; `M-1`, `COVID-19`, `1/2-3`
                            if !(self.word(pp).is_some_and(|w| {
                                matches!(
                                    w,
                                    "mid" | "pre" | "post" | "early" | "late" | "over" | "under"
                                )
                            })) {
                                return true;
                            }
                        }
                    }
                    if matches!(self.toks[p].kind, Kind::Sym('#' | '@' | '+' | '&')) {
                        return true;
                    }
                }
                Kind::Num(_) | Kind::Junk => return true,
                _ => {}
            }
        }
        if let Some(n) = &q.numeral {
            // Digits glued to letters that are no unit, scale or suffix: `7E7`, `924S`, `11a`.
            if let Some(a) = self.adj(q.last) {
                if let Some(w) = self.word(a) {
                    let raw = self.raw(a);
                    let ordinal = matches!(w, "st" | "nd" | "rd" | "th") && n.decimals == 0;
                    if ordinal {
                        return true;
                    }
                    if q.scale.is_none() && !self.known_suffix(raw, w) {
                        return true;
                    }
                    // `7E7`: letters then digits again
                    if self
                        .adj(a)
                        .is_some_and(|x| matches!(self.toks[x].kind, Kind::Num(_)))
                    {
                        return true;
                    }
                }
                // Time: `10:30` (chains are junk already); `3pm` handled as suffix.
            }
            // A number at the start of a line followed by `.` or `)`: a list marker.
            if n.decimals == 0 && n.separator.is_none() && n.int_digits <= 3 {
                // Walk back only over blanks and quote/heading marks: bounded, never the line.
                let only_space_before = b[..start]
                    .iter()
                    .rev()
                    .find(|c| !matches!(c, b' ' | b'\t' | b'>' | b'#'))
                    .is_none_or(|&c| c == b'\n' || c == b'\r');
                let after = self.adj(q.last).and_then(|a| self.sym(a));
                if only_space_before
                    && matches!(after, Some('.' | ')'))
                    && self
                        .next(q.last + 1)
                        .is_none_or(|x| self.toks[x].start > self.toks[q.last + 1].end)
                    && q.scale.is_none()
                    && q.last + 2 < self.toks.len()
                    && self.is_space(q.last + 2)
                {
                    return true;
                }
                // `areas 1. Increasing ...; 2. Addressing`: an inline list marker.
                if after == Some('.')
                    && q.scale.is_none()
                    && n.int_digits <= 2
                    && self.is_space(q.last + 2)
                    && self.newlines(q.last + 2) == 0
                {
                    if let Some(w) = self.toks.get(q.last + 3).filter(|t| t.kind == Kind::Word) {
                        let first_char = self.m[w.start..].chars().next().unwrap_or('a');
                        let prev_is_sep = self.prev(k).is_none_or(|p| {
                            matches!(self.sym(p), Some(';' | ':')) || self.word(p).is_some()
                        });
                        if first_char.is_uppercase()
                            && prev_is_sep
                            && !self.prev(k).is_some_and(|p| {
                                self.sym(p)
                                    .is_some_and(|c| units::currency_symbol(c).is_some())
                            })
                        {
                            return true;
                        }
                    }
                }
                // `(1)` list items
                if self.prev_adj(k).is_some_and(|p| self.sym(p) == Some('('))
                    && self.adj(q.last).is_some_and(|a| self.sym(a) == Some(')'))
                    && n.int_digits <= 2
                    && only_space_before
                {
                    return true;
                }
            }
        }
        // References and dates by the word before.
        if let Some(p) = self.prev(k) {
            let pw = self.word(p).or_else(|| {
                // `No. 12`, `Art. 5`, `Aug. 9`
                if self.sym(p) == Some('.') {
                    p.checked_sub(1).and_then(|pp| self.word(pp))
                } else {
                    None
                }
            });
            if let Some(w) = pw {
                if is_month(w)
                    && (w != "may" && w != "march" || self.raw_word_capitalised(p))
                    && q.scale.is_none()
                    && q.numeral
                        .as_ref()
                        .is_some_and(|n| n.decimals == 0 && n.int_digits <= 4)
                {
                    return true;
                }
                if REFERENCE_WORDS.contains(w) && q.scale.is_none() && !self.currency_before(k) {
                    // `No 10` but not `no more than`: the reference word must be a noun here.
                    let cap = self.raw_word_capitalised(p);
                    let strong = !matches!(
                        w,
                        "no" | "number"
                            | "top"
                            | "line"
                            | "unit"
                            | "channel"
                            | "level"
                            | "class"
                            | "type"
                            | "mark"
                            | "square"
                            | "form"
                            | "window"
                            | "order"
                            | "act"
                            | "part"
                            | "case"
                            | "issue"
                            | "rule"
                            | "bill"
                            | "schedule"
                            | "build"
                            | "model"
                            | "release"
                            | "series"
                            | "step"
                            | "tier"
                            | "zone"
                            | "sector"
                            | "region"
                            | "camp"
                            | "block"
                            | "lot"
                            | "plot"
                            | "floor"
                            | "box"
                            | "gate"
                            | "round"
                            | "stage"
                            | "phase"
                            | "grade"
                    );
                    if (strong || cap || matches!(w, "number" | "top" | "no"))
                        && !(w == "no"
                            && !cap
                            && self.sym(p) != Some('.')
                            && self.prev_is_no_dot(p))
                    {
                        return true;
                    }
                }
            }
            // `the 944`: a bare number after `the` is a name (decided in not_a_figure_after).
        }
        false
    }

    fn prev_is_no_dot(&self, _p: usize) -> bool {
        true
    }

    fn raw_word_capitalised(&self, k: usize) -> bool {
        let t = match self.toks.get(k) {
            Some(t) if t.kind == Kind::Word => t,
            Some(t) if matches!(t.kind, Kind::Sym('.')) && k > 0 => &self.toks[k - 1],
            _ => return false,
        };
        self.m[t.start..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    fn known_suffix(&self, raw: &str, w: &str) -> bool {
        units::by_symbol(raw).is_some()
            || units::by_name(w).is_some()
            || number::scale(w).is_some()
            || matches!(
                w,
                "k" | "m"
                    | "mm"
                    | "b"
                    | "bn"
                    | "mn"
                    | "tn"
                    | "am"
                    | "pm"
                    | "pct"
                    | "percent"
                    | "usd"
                    | "eur"
                    | "gbp"
                    | "p"
                    | "c"
                    | "f"
                    | "x"
                    | "mil"
                    | "kg"
                    | "lbs"
                    | "tr"
            )
            || units::iso_code(raw).is_some()
            || units::currency_word(w).is_some()
            || raw == "M"
            || raw == "MM"
            || raw == "K"
            || raw == "B"
            || units::million_code(raw).is_some()
            || w == "s" && raw == "s"
    }

    /// Exclusions decided once the unit is known: years, names after `the`, lone markers.
    fn not_a_figure_after(&self, q: &Quantity, tail: &Tail) -> bool {
        let k = q.first;
        let has_unit = tail.unit.is_some() || tail.money.is_some() || self.currency_before(k);
        if let Some(n) = &q.numeral {
            let v = num_at(self.m.as_bytes(), self.toks[k].start);
            let plain_int = n.separator.is_none()
                && n.decimals == 0
                && q.scale.is_none()
                && !q.fraction
                && !n.exponent;
            // Years.
            if plain_int && n.int_digits == 4 && !has_unit {
                let prev = self.prev(k).and_then(|p| self.word(p));
                let yearish = (1900..=2100).contains(&v)
                    || ((1000..1900).contains(&v)
                        && prev.is_some_and(|p| {
                            matches!(
                                p,
                                "in" | "since"
                                    | "from"
                                    | "until"
                                    | "by"
                                    | "of"
                                    | "year"
                                    | "to"
                                    | "before"
                                    | "after"
                            )
                        }));
                if yearish
                    && !(tail.noun.is_some()
                        && !self.next_word_capitalised(q.last)
                        && (tail.noun.as_deref().is_some_and(|nn| {
                            !matches!(
                                nn,
                                "models"
                                    | "levels"
                                    | "prices"
                                    | "figures"
                                    | "results"
                                    | "data"
                                    | "elections"
                                    | "budget"
                            ) && !self.noun_follows_directly(q.last)
                        })))
                {
                    return true;
                }
                if yearish && tail.noun.is_none() {
                    return true;
                }
            }
            // A small integer alone on its line: a footnote or a table's row number.
            if plain_int
                && n.int_digits <= 3
                && !has_unit
                && tail.noun.is_none()
                && self.multi_line
                && self.alone_on_line(k, q.last)
            {
                return true;
            }
            // `the 944`, `944 Turbo`: a bare number naming something.
            if plain_int && tail.unit.is_none() && tail.noun.is_none() && !tail.elided && !has_unit
            {
                if self.prev(k).and_then(|p| self.word(p)) == Some("the") {
                    return true;
                }
                // `the 928S 4`: a number after an identifier continues the name.
                if self.prev(k).is_some_and(|p| {
                    self.word(p).is_some()
                        && self
                            .prev_adj(p)
                            .is_some_and(|x| matches!(self.toks[x].kind, Kind::Num(_)))
                }) {
                    return true;
                }
                if self.next_word_capitalised(q.last) && !self.sentence_starts_after(q.last) {
                    return true;
                }
            }
        }
        if q.words && tail.unit.is_none() && tail.noun.is_none() && !tail.elided && !has_unit {
            // A lone number word is a figure only when it says how many of something.
            let w = self.word(k).unwrap_or("");
            let signed = self
                .prev(k)
                .and_then(|p| self.word(p))
                .is_some_and(|p| matches!(p, "minus" | "negative"));
            if q.first == q.last && matches!(w, "one" | "nil" | "a" | "an") && !signed {
                return true;
            }
            if let Some(p) = self.prev(k).and_then(|p| self.word(p)) {
                if matches!(p, "the" | "top" | "number" | "no" | "of" | "at" | "by")
                    && q.first == q.last
                {
                    return true;
                }
            }
        }
        if q.words
            && q.first == q.last
            && self.word(k) == Some("one")
            && tail.unit.is_none()
            && tail.noun.is_some()
            && self
                .next_word(q.last)
                .is_none_or(|(_, w)| units::by_name(w).is_none())
        {
            // `one of the ...`, `one side-effect`: `one` counts only with a unit.
            return true;
        }
        false
    }

    fn noun_follows_directly(&self, last: usize) -> bool {
        self.next_word(last).is_some_and(|(_, w)| w.ends_with('s'))
    }

    fn sentence_starts_after(&self, last: usize) -> bool {
        self.next(last)
            .is_some_and(|j| j > last + 1 && self.newlines(last + 1) > 0)
    }

    fn next_word_capitalised(&self, last: usize) -> bool {
        let Some(j) = self.next(last) else {
            return false;
        };
        if j != last + 1 && self.newlines(last + 1) > 0 {
            return false;
        }
        let t = &self.toks[j];
        t.kind == Kind::Word
            && self.m[t.start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && {
                let w = &self.lm[t.start..t.end];
                // Units, currencies and acronyms in capitals are not names.
                units::by_name(w).is_none()
                    && units::currency_word(w).is_none()
                    && percent_words(w, None, None).is_none()
                    && number::scale(w).is_none()
                    && !self.m[t.start..t.end].chars().all(|c| c.is_uppercase())
                    && !self.lm[..].is_empty()
            }
    }

    fn alone_on_line(&self, first: usize, last: usize) -> bool {
        let b = self.m.as_bytes();
        let s = self.toks[first].start;
        let e = self.toks[last].end;
        // Bounded walks: stop at the first non-blank byte either side.
        let before = b[..s].iter().rev().find(|c| !matches!(c, b' ' | b'\t'));
        let after = b[e..].iter().find(|c| !matches!(c, b' ' | b'\t'));
        before.is_none_or(|&c| c == b'\n' || c == b'\r')
            && after.is_none_or(|&c| c == b'\n' || c == b'\r')
    }

    /// What precedes the number: currency sign or code, sign, qualifier.
    fn head(&self, first: usize, tail: &Tail) -> Head {
        let mut h = Head {
            first,
            ..Head::default()
        };
        let mut k = first;
        // Currency before: `$`, `US$`, `HK$`, `£`, `KZT`, `RMB17.7`, `Rs`, `C $`.
        if let Some(p) = self.prev(k).filter(|&p| p + 2 >= k) {
            let glued_or_spaced = p + 1 == k || (self.is_space(p + 1) && self.newlines(p + 1) == 0);
            if glued_or_spaced {
                if let Some(c) = self.sym(p) {
                    if let Some(m) = units::currency_symbol(c) {
                        let mut code = match m {
                            Money::Code(c) => Some(c),
                            // `$` alone is USD (SPEC §2); only its prefix says otherwise.
                            Money::Dollar => Some("USD"),
                            _ => None,
                        };
                        let mut first_tok = p;
                        if c == '$' {
                            // letters glued (or one space) before `$`: US$, HK$, C$, u.s $
                            let spaced = self.prev(p).filter(|&x| {
                                x + 2 == p
                                    && self.word(x).is_some_and(|w| {
                                        matches!(
                                            w,
                                            "us" | "hk"
                                                | "c"
                                                | "nz"
                                                | "mex"
                                                | "usd"
                                                | "cad"
                                                | "aud"
                                                | "nzd"
                                                | "mxn"
                                                | "s"
                                                | "hkd"
                                        )
                                    })
                                    // `s` only as the end of `u.s`
                                    && (self.word(x) != Some("s")
                                        || (x >= 2 && self.sym(x - 1) == Some('.') && self.word(x - 2) == Some("u")))
                            });
                            if let Some(pp) = self.prev_adj(p).or(spaced) {
                                if let Some(w) = self.word(pp) {
                                    let mut pref = w.to_string();
                                    let mut st = pp;
                                    // `U.S.$`, `H.K.$`
                                    if let (Some(d), Some(w0)) = (
                                        pp.checked_sub(1).filter(|&d| self.sym(d) == Some('.')),
                                        pp.checked_sub(2).and_then(|x| self.word(x)),
                                    ) {
                                        if w0.len() <= 2 {
                                            pref = format!("{w0}.{w}");
                                            st = d - 1;
                                        }
                                    }
                                    if let Some(cd) = units::dollar_prefix(&pref) {
                                        code = Some(cd);
                                        first_tok = st;
                                    }
                                }
                            }
                        }
                        h.money = Some((m, code));
                        h.first = first_tok;
                        k = first_tok;
                    }
                } else if let Some(w) = self.word(p) {
                    let raw = self.raw(p);
                    if let Some(code) =
                        units::iso_code(raw).or_else(|| (w == "rmb").then_some("CNY"))
                    {
                        h.money = Some((Money::Code(code), Some(code)));
                        h.first = p;
                        k = p;
                    } else if let Some(code) = units::million_code(raw) {
                        h.money = Some((Money::Code(code), Some(code)));
                        h.first = p;
                        h.million = true;
                        k = p;
                    } else if w == "rs" {
                        h.money = Some((Money::Rupee, None));
                        h.first = p;
                        k = p;
                    } else if w == "sen" && tail.money.is_none() {
                        h.money = Some((Money::Code("MYR"), None));
                        h.first = p;
                        k = p;
                    }
                } else if self.sym(p) == Some('.') && self.word(p.wrapping_sub(1)) == Some("rs") {
                    h.money = Some((Money::Rupee, None));
                    h.first = p - 1;
                    k = p - 1;
                }
            }
        }
        // Sign: `-5`, `minus 5`, `negative one`.
        if let Some(p) = k.checked_sub(1) {
            if matches!(self.sym(p), Some('-' | '−')) && self.toks[p].end == self.toks[k].start {
                let before = p.checked_sub(1);
                let free = before.is_none_or(|b| {
                    self.is_space(b) || matches!(self.sym(b), Some('(' | '[' | '=' | ':'))
                });
                let after_number = before
                    .and_then(|b| self.prev(b + 1))
                    .is_some_and(|b| matches!(self.toks[b].kind, Kind::Num(_)));
                if free && !after_number {
                    h.negative = true;
                    h.first = p;
                    k = p;
                }
            }
        }
        if let Some(p) = self.prev(k) {
            if matches!(self.word(p), Some("minus" | "negative")) {
                h.negative = true;
                h.first = p;
                k = p;
            }
        }
        // Qualifier words before.
        if let Some((q, start)) = self.qualifier_before(k) {
            h.qualifier = Some(q);
            h.qualifier_span =
                Some(self.toks[start].start..self.toks[self.prev(k).unwrap_or(start)].end);
            h.first = start;
        }
        h
    }

    fn qualifier_before(&self, k: usize) -> Option<(Qualifier, usize)> {
        let p1 = self.prev(k)?;
        match self.sym(p1) {
            Some('~') => return Some((Qualifier::Approx, p1)),
            Some('>' | '≥') => return Some((Qualifier::Over, p1)),
            Some('<' | '≤') => return Some((Qualifier::Under, p1)),
            _ => {}
        }
        let w1 = self.word(p1)?;
        // Every qualifier ends in one of these words; most numbers follow none of them.
        if !QUALIFIER_LAST_WORDS.contains(w1) {
            return None;
        }
        let p2 = self.prev(p1);
        let p3 = p2.and_then(|p| self.prev(p));
        let words = [
            p3.and_then(|p| self.word(p)),
            p2.and_then(|p| self.word(p)),
            Some(w1),
        ];
        // Longest phrase first: `in excess of`, then `more than`, then `over`.
        for (phrase, q) in QUALIFIER_PHRASES {
            let n = phrase.len();
            if words[3 - n..]
                .iter()
                .zip(phrase.iter())
                .all(|(w, p)| *w == Some(*p))
            {
                let start = match n {
                    3 => p3?,
                    2 => p2?,
                    _ => p1,
                };
                return Some((*q, start));
            }
        }
        None
    }

    // -------------------------------------------------------------------------- units

    /// What follows the number `q`: percent, currency, unit, rate, counted noun.
    fn tail(&self, q: &Quantity) -> Tail {
        let mut t = Tail::default();
        let last = q.last;
        let attached = self.adj(last);
        // Hyphenated compound: `28-day`, `five-year`, `2,000-mile-long`, `300-seat`, `25-year-old`.
        if let Some(h) = attached.filter(|&h| matches!(self.sym(h), Some('-' | '‐'))) {
            if let Some(w) = self.adj(h).and_then(|j| self.word(j).map(|w| (j, w))) {
                let (j, wl) = w;
                let raw = self.raw(j);
                let u = units::by_name(wl)
                    .or_else(|| units::by_name(&format!("{wl}s")))
                    .or_else(|| {
                        units::by_symbol(raw).filter(|u| {
                            !matches!(
                                u.code,
                                "in" | "m" | "t" | "g" | "s" | "h" | "L" | "B" | "J" | "W"
                            )
                        })
                    });
                if let Some(u) = u {
                    let mut e = j;
                    // `year-old`, `mile-long`
                    if let Some(h2) = self.adj(j).filter(|&h2| self.sym(h2) == Some('-')) {
                        if let Some(j2) = self.adj(h2).filter(|&j2| {
                            matches!(
                                self.word(j2),
                                Some("old" | "long" | "wide" | "high" | "deep" | "tall")
                            )
                        }) {
                            e = j2;
                        }
                    }
                    t.unit = Some(u.code);
                    t.dim = Some(u.dim);
                    t.unit_span = Some(self.span(j, e));
                    t.last = Some(e);
                    return t;
                }
                if let Some(m) = units::currency_word(wl).filter(|m| !matches!(m, Money::Pound)) {
                    t.money = Some((m, None));
                    t.unit_span = Some(self.span(j, j));
                    t.last = Some(j);
                    if matches!(m, Money::Cent) {
                        t.factor = Some(Decimal::new(1, 2));
                    }
                    return t;
                }
                if percent_words(wl, None, None).is_some() {
                    t.unit = Some("%");
                    t.dim = Some(Dimension::Percent);
                    t.last = Some(j);
                    return t;
                }
                // `five-point plan`, `300-seat`: the compound names what is counted.
                if !NOUN_STOP.contains(wl)
                    && wl.len() > 1
                    && number::cardinal(wl).is_none()
                    && !is_month(wl)
                {
                    t.noun = Some(wl.into());
                    t.last = Some(j);
                    return t;
                }
            }
        }
        let nx = attached.or_else(|| self.next(last));
        let Some(j) = nx else { return t };
        let is_att = attached == Some(j);
        // A unit or noun on the next line belongs to this number only in running prose: not
        // when the number or the word stands alone on its line (tables, lists of figures).
        if !is_att
            && self.newlines(last + 1) > 0
            && (self.alone_on_line(q.first, q.last) || self.alone_on_line(j, j))
        {
            return t;
        }
        // Pence glued to the number in a sterling document: `245p`.
        if is_att && self.raw(j) == "p" && self.sym(j + 1) != Some('.') && self.has_pound_sign {
            t.money = Some((Money::Pence, Some("GBP")));
            t.factor = Some(Decimal::new(1, 2));
            t.unit_span = Some(self.span(j, j));
            t.unit_attached = true;
            t.last = Some(j);
            return t;
        }
        // Percent sign.
        if matches!(self.sym(j), Some('%' | '％')) {
            t.unit = Some("%");
            t.dim = Some(Dimension::Percent);
            t.unit_span = Some(self.span(j, j));
            t.spaced_percent = !is_att;
            t.last = Some(j);
            self.per(&mut t, j);
            return t;
        }
        if matches!(self.sym(j), Some('‰')) {
            t.unit = Some("‰");
            t.dim = Some(Dimension::Other);
            t.last = Some(j);
            return t;
        }
        // Degrees: `°C`, `° F`, `°`.
        if matches!(self.sym(j), Some('°' | 'º')) {
            let after = self.adj(j).or_else(|| self.next(j));
            let (code, e) = match after.and_then(|a| self.word(a).map(|w| (a, w))) {
                Some((a, "c" | "celsius" | "centigrade")) => ("degC", a),
                Some((a, "f" | "fahrenheit")) => ("degF", a),
                _ => ("deg", j),
            };
            t.unit = Some(code);
            t.dim = Some(if code == "deg" {
                Dimension::Other
            } else {
                Dimension::Temperature
            });
            t.unit_span = Some(self.span(j, e));
            t.unit_attached = is_att;
            t.last = Some(e);
            return t;
        }
        // Currency symbol after: `10 €`, `10 $`.
        if let Some(c) = self.sym(j) {
            if let Some(m) = units::currency_symbol(c) {
                if c != '$'
                    || !self
                        .next(j)
                        .is_some_and(|x| matches!(self.toks[x].kind, Kind::Num(_)))
                {
                    t.money = Some((
                        m,
                        match m {
                            Money::Code(c) => Some(c),
                            _ => None,
                        },
                    ));
                    t.unit_span = Some(self.span(j, j));
                    t.last = Some(j);
                    if matches!(m, Money::Cent) {
                        t.factor = Some(Decimal::new(1, 2));
                    }
                    return t;
                }
            }
            if c == '"' && is_att {
                // 5" is inches only in measures; leave quotes alone.
                return t;
            }
            return t;
        }
        let Some(w) = self.word(j) else { return t };
        let raw = self.raw(j);
        let w2 = self.next_word(j);
        let w3 = w2.and_then(|(x, _)| self.next_word(x));
        // Percent words.
        if let Some((unit, n)) = percent_words(w, w2.map(|x| x.1), w3.map(|x| x.1)) {
            let e = match n {
                1 => j,
                2 => w2.map(|x| x.0).unwrap_or(j),
                _ => w3.map(|x| x.0).unwrap_or(j),
            };
            t.unit = Some(unit);
            t.dim = Some(Dimension::Percent);
            t.unit_span = Some(self.span(j, e));
            t.last = Some(e);
            self.per(&mut t, e);
            return t;
        }
        // ISO code after (`3.2 billion KZT`, `115USD`), maybe followed by a scale (`75 USD million`).
        if let Some(code) = units::iso_code(raw).filter(|_| {
            raw.len() == 3
                && (raw.bytes().all(|b| b.is_ascii_uppercase())
                    || matches!(
                        w,
                        "usd"
                            | "eur"
                            | "gbp"
                            | "rmb"
                            | "btc"
                            | "kzt"
                            | "rub"
                            | "cny"
                            | "jpy"
                            | "inr"
                            | "chf"
                            | "cad"
                            | "aud"
                            | "hkd"
                    ))
        }) {
            t.money = Some((Money::Code(code), Some(code)));
            t.unit_span = Some(self.span(j, j));
            t.last = Some(j);
            if let Some((x, sw)) = self.next_word(j) {
                if let Some(s) =
                    number::scale(sw).filter(|_| q.scale.is_none() && !number::is_vague_scale(sw))
                {
                    t.late_scale = Some(s);
                    t.last = Some(x);
                }
            }
            let e = t.last.unwrap_or(j);
            self.per(&mut t, e);
            return t;
        }
        if let Some(code) = units::million_code(raw) {
            t.money = Some((Money::Code(code), Some(code)));
            t.unit_scale = Some(Decimal::from(1_000_000));
            t.unit_span = Some(self.span(j, j));
            t.last = Some(j);
            return t;
        }
        // Country adjective + currency name: `Canadian dollars`, `H.K. Dlrs`, `Hong Kong dollars`,
        // `Swiss francs`, `finnish markka`, `us dollar`.
        if let Some((fam, code, e, s0)) = self.adjective_currency(j) {
            t.money = Some((fam, code));
            t.unit_span = Some(self.span(s0, e));
            t.last = Some(e);
            if matches!(fam, Money::Cent) {
                t.factor = Some(Decimal::new(1, 2));
            }
            if matches!(fam, Money::Pence) {
                t.factor = Some(Decimal::new(1, 2));
            }
            self.per(&mut t, e);
            return t;
        }
        // Currency names.
        if let Some(m) = units::currency_word(w) {
            let money = match m {
                Money::Pound => self.pound_is_money(q, j),
                Money::Code("KRW") => {
                    !is_att && q.scale.is_some() || self.currency_context_strong(j)
                }
                Money::Code("BRL") => false,
                Money::Code("DEM") => {
                    q.scale.is_some() || w.starts_with("deutsch") || w.starts_with("d-")
                }
                Money::Code("RON" | "BGN" | "AMD" | "UZS" | "KGS") => q.scale.is_some(),
                Money::Code("ZAR") => q.scale.is_some() || self.doc_has("south africa"),
                _ => true,
            };
            if money {
                t.money = Some((m, None));
                t.unit_span = Some(self.span(j, j));
                t.last = Some(j);
                if matches!(m, Money::Cent | Money::Pence) {
                    t.factor = Some(Decimal::new(1, 2));
                }
                // `pounds sterling`
                if let Some((x, "sterling")) = w2 {
                    t.money = Some((Money::Code("GBP"), Some("GBP")));
                    t.last = Some(x);
                }
                let e = t.last.unwrap_or(j);
                self.per(&mut t, e);
                return t;
            }
        }
        // Measure units: longest spelling first (three words, two, one).
        if let Some((u, e)) = self.unit_at(j, is_att, q) {
            let mut code = u.code;
            let mut dim = u.dim;
            // Compound rates written as units: `miles per hour` is a speed.
            t.unit_attached = is_att;
            t.unit_span = Some(self.span(j, e));
            t.last = Some(e);
            if u.code == "t" && matches!(w, "ton" | "tons") {
                let tu = units::tons(self.config.tons);
                code = tu.code;
                dim = tu.dim;
            }
            // Ages: `five years old`, `6 weeks of age`.
            if dim == Dimension::Time {
                match self.next_word(e) {
                    Some((o, "old")) => t.last = Some(o),
                    Some((o, "of")) => {
                        if let Some((a, "age")) = self.next_word(o) {
                            t.last = Some(a);
                        }
                    }
                    _ => {}
                }
            }
            t.unit = Some(code);
            t.dim = Some(dim);
            if t.last == Some(e) {
                self.per(&mut t, e);
            }
            return t;
        }
        // `13 more have been detained`: the noun is elided.
        if matches!(
            w,
            "more" | "others" | "additional" | "further" | "fewer" | "less"
        ) && !is_att
        {
            if let Some((x, nw)) = w2 {
                if matches!(w, "more" | "additional" | "further")
                    && self.is_plural_noun(nw)
                    && !NOUN_STOP.contains(nw)
                {
                    t.noun = Some(nw.into());
                    t.last = Some(x);
                    return t;
                }
            }
            if matches!(w, "more" | "others" | "additional") {
                t.elided = true;
                return t;
            }
            return t;
        }
        // Counted noun; a capitalised word at the start of the next line begins a new row.
        let new_row = self.newlines(last + 1) > 0
            && self.m[self.toks[j].start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
        if (!is_att || q.words) && !new_row {
            self.noun(&mut t, j);
        }
        // A price written with a sign before it: `$1,500 a tonne`, `£2 each`.
        if t.noun.is_none() && self.currency_before(q.first) {
            self.per(&mut t, last);
        }
        t
    }

    fn doc_has(&self, s: &str) -> bool {
        self.doc.has(s)
    }

    fn currency_context_strong(&self, _j: usize) -> bool {
        false
    }

    /// `pounds`: money (GBP) or mass (lb)?
    fn pound_is_money(&self, q: &Quantity, j: usize) -> bool {
        if let Some((_, "of")) = self.next_word(j) {
            // `44 pounds of fentanyl` is mass; `5 million pounds of investment` is rare.
            return false;
        }
        if let Some((_, "sterling")) = self.next_word(j) {
            return true;
        }
        q.scale.is_some() || self.has_pound_sign
    }

    /// A country adjective followed by a currency name, starting at `j`:
    /// `(family, code, last token, first token)`.
    fn adjective_currency(&self, j: usize) -> Option<(Money, Option<&'static str>, usize, usize)> {
        // Cheap test first: is there a currency word among the next few tokens at all?
        let mut k = j;
        let mut found = false;
        for _ in 0..5 {
            let Some(nk) = self.next(k) else { break };
            if self
                .word(nk)
                .is_some_and(|w| units::currency_word(w).is_some())
            {
                found = true;
                break;
            }
            k = nk;
        }
        if !found {
            return None;
        }
        // Collect up to three words (with dots) before a currency word.
        let mut words: Vec<(usize, &str)> = Vec::new();
        let mut k = j;
        for _ in 0..5 {
            if let Some(w) = self.word(k) {
                if let Some(m) = units::currency_word(w) {
                    if words.is_empty() {
                        return None;
                    }
                    let country: String =
                        words.iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" ");
                    let country = country.replace(" .", ".").replace(". ", ".");
                    let code = units::country_code(m, &country)
                        .or_else(|| units::country_code(m, &country.replace('.', "")))
                        .or_else(|| units::country_code(m, &format!("{}.", country)));
                    if matches!(m, Money::Pound) && code.is_none() {
                        return None;
                    }
                    return code.map(|c| (m, Some(c), k, j));
                }
                words.push((k, w));
            } else if self.sym(k) == Some('.') {
                if let Some(last) = words.last_mut() {
                    // glue the dot to the previous word: `h.k.`
                    let _ = last;
                }
                words.push((k, "."));
            } else {
                return None;
            }
            k = self.next(k)?;
        }
        None
    }

    /// A measure unit at `j`: `(unit, last token)`.
    fn unit_at(
        &self,
        j: usize,
        attached: bool,
        q: &Quantity,
    ) -> Option<(&'static units::Unit, usize)> {
        let w1 = self.word(j)?;
        let raw1 = self.raw(j);
        // `km2`, `m²`, `m3`: a power glued to a symbol.
        if let Some(a) = self.adj(j) {
            let pow = match (self.num(a), self.sym(a)) {
                (Some(n), _)
                    if n.int_digits == 1
                        && n.decimals == 0
                        && (n.value == Decimal::TWO || n.value == Decimal::from(3)) =>
                {
                    Some(if n.value == Decimal::TWO { "2" } else { "3" })
                }
                (_, Some('²')) => Some("2"),
                (_, Some('³')) => Some("3"),
                _ => None,
            };
            if let Some(p) = pow {
                if let Some(u) = units::by_symbol(&format!("{raw1}{p}")) {
                    return Some((u, a));
                }
            }
        }
        // Three and two words.
        if let Some((j2, w2)) = self.next_word(j).filter(|_| units::starts_multiword(w1)) {
            if let Some((j3, w3)) = self.next_word(j2) {
                let s3 = format!("{w1} {w2} {w3}");
                if let Some(u) = units::by_name(&s3) {
                    return Some((u, j3));
                }
            }
            let s2 = format!("{w1} {w2}");
            if let Some(u) = units::by_name(&s2) {
                return Some((u, j2));
            }
        }
        // `km/h`, `m/s`
        if let Some(sl) = self.adj(j).filter(|&s| self.sym(s) == Some('/')) {
            if let Some(d) = self.adj(sl) {
                let s = format!("{}/{}", raw1, self.raw(d));
                if let Some(u) = units::by_symbol(&s) {
                    return Some((u, d));
                }
            }
        }
        // `sq m`, `sq ft` written as symbols of two tokens.
        if let Some(u) = units::by_name(w1) {
            // Ambiguous names: `second`/`minute` as ordinals or nouns are handled by context.
            if matches!(w1, "second" | "sec" | "minute" | "hr")
                && !attached
                && q.value != Decimal::ONE
                && w1 == "second"
            {
                return None;
            }
            if w1 == "pound" || w1 == "pounds" {
                return Some((u, j));
            }
            return Some((u, j));
        }
        // Symbols are case-sensitive; short ambiguous ones only when glued or clearly measures.
        if let Some(u) = units::by_symbol(raw1) {
            let short_ambiguous = matches!(
                raw1,
                "m" | "t"
                    | "g"
                    | "s"
                    | "h"
                    | "l"
                    | "L"
                    | "B"
                    | "J"
                    | "W"
                    | "K"
                    | "in"
                    | "min"
                    | "NM"
                    | "kt"
                    | "kn"
                    | "cf"
                    | "gr"
                    | "ha"
            );
            if short_ambiguous && !attached {
                // `5 m`, `5 km` fine; `5 in` is a preposition; `3 h` a time.
                let next_is_word = self
                    .next_word(j)
                    .is_some_and(|(_, w)| !NOUN_STOP.contains(w) && w.len() > 2);
                if matches!(
                    raw1,
                    "in" | "min"
                        | "NM"
                        | "kt"
                        | "cf"
                        | "gr"
                        | "l"
                        | "J"
                        | "K"
                        | "W"
                        | "B"
                        | "s"
                        | "t"
                        | "g"
                ) || next_is_word
                {
                    return None;
                }
            }
            return Some((u, j));
        }
        None
    }

    /// A rate after a unit: `per day`, `a tonne`, `/day`, `per annum`, `p.a.`, `a year`,
    /// `each`, `every day`, `daily`.
    fn per(&self, t: &mut Tail, e: usize) {
        let Some(j) = self
            .adj(e)
            .filter(|&j| self.sym(j) == Some('/'))
            .or_else(|| self.next(e))
        else {
            return;
        };
        let slash = self.sym(j) == Some('/');
        let w = self.word(j);
        let target = if slash {
            self.adj(j)
        } else if matches!(w, Some("per" | "a" | "an" | "every" | "each")) {
            if w == Some("each") {
                t.last = Some(j);
                return;
            }
            self.next(j)
        } else {
            match w {
                Some("daily") => {
                    t.per = Some("day".into());
                    t.last = Some(j);
                    return;
                }
                Some("annually" | "yearly") => {
                    t.per = Some("year".into());
                    t.last = Some(j);
                    return;
                }
                Some("monthly") => {
                    t.per = Some("month".into());
                    t.last = Some(j);
                    return;
                }
                Some("weekly") => {
                    t.per = Some("week".into());
                    t.last = Some(j);
                    return;
                }
                Some("apiece") => {
                    t.last = Some(j);
                    return;
                }
                Some("p") if self.raw(j) == "p" => {
                    // `p.a.`
                    if self.adj(j).is_some_and(|d| self.sym(d) == Some('.'))
                        && self.adj(j + 1).is_some_and(|a| self.word(a) == Some("a"))
                    {
                        t.per = Some("year".into());
                        let end = if self.adj(j + 2).is_some_and(|d| self.sym(d) == Some('.')) {
                            j + 3
                        } else {
                            j + 2
                        };
                        t.last = Some(end);
                    }
                    return;
                }
                _ => return,
            }
        };
        let Some(x) = target else { return };
        // `a year earlier`, `a month ago`: a time reference, not a rate.
        if matches!(w, Some("a" | "an"))
            && self.next_word(x).is_some_and(|(_, a)| {
                matches!(
                    a,
                    "earlier"
                        | "ago"
                        | "before"
                        | "later"
                        | "previously"
                        | "after"
                        | "on"
                        | "since"
                )
            })
        {
            return;
        }
        let Some(dw) = self.word(x) else { return };
        let per = match dw {
            "annum" | "year" | "yr" => Some("year".to_string()),
            "capita" | "head" | "person" => Some("person".to_string()),
            _ => {
                if let Some(u) = units::by_name(dw).or_else(|| units::by_symbol(self.raw(x))) {
                    let code = if u.code == "t" && matches!(dw, "ton" | "tons") {
                        units::tons(self.config.tons).code
                    } else {
                        u.code
                    };
                    Some(code.to_string())
                } else if let Some(code) = units::iso_code(self.raw(x)) {
                    Some(code.to_string())
                } else if w == Some("per") || slash {
                    (!NOUN_STOP.contains(dw) && dw.len() > 1).then(|| singular(dw))
                } else if matches!(
                    dw,
                    "share"
                        | "barrel"
                        | "tonne"
                        | "ton"
                        | "unit"
                        | "piece"
                        | "item"
                        | "dozen"
                        | "seat"
                        | "ticket"
                        | "night"
                        | "visit"
                        | "vote"
                        | "litre"
                        | "liter"
                        | "gallon"
                        | "kilo"
                        | "pound"
                        | "ounce"
                        | "month"
                        | "week"
                        | "day"
                        | "hour"
                ) {
                    Some(singular(dw))
                } else {
                    None
                }
            }
        };
        if let Some(p) = per {
            // `per cent` is handled as a percent before we get here.
            t.per = Some(p.into());
            t.last = Some(x);
            // `US dollar` after `to the`: `100 rupees to the US dollar` is handled elsewhere.
        }
    }

    fn is_plural_noun(&self, w: &str) -> bool {
        PLURAL_NOUNS.contains(w)
            || (w.len() > 3
                && w.ends_with('s')
                && !w.ends_with("ss")
                && !w.ends_with("us")
                && !w.ends_with("is")
                && !w.ends_with("'s")
                && !w.ends_with("’s"))
    }

    /// A counted noun phrase starting at `j`: its head is the first plural noun.
    fn noun(&self, t: &mut Tail, j: usize) {
        let mut k = j;
        for _ in 0..5 {
            let Some(w) = self.word(k) else { return };
            if NOUN_STOP.contains(w)
                || is_month(w)
                || number::cardinal(w).is_some()
                || number::scale(w).is_some()
            {
                return;
            }
            let raw = self.raw(k);
            // Acronyms like `DDoS` end in `s` but modify the noun that follows.
            let acronym = raw.chars().skip(1).any(char::is_uppercase);
            if self.is_plural_noun(w) && !acronym || PLURAL_NOUNS.contains(w) {
                t.noun = Some(w.replace('’', "'").into());
                t.last = Some(k);
                // `people arrested` ends at the head.
                return;
            }
            // Hyphenated modifiers: `drug-trafficking channels`
            let Some(nk) = self.next(k) else { return };
            let nk = if matches!(self.sym(nk), Some('-')) {
                match self.next(nk) {
                    Some(x) => x,
                    None => return,
                }
            } else {
                nk
            };
            if self.word(nk).is_none() {
                return;
            }
            k = nk;
        }
    }

    // -------------------------------------------------------------------------- passes

    /// `32.5 and 32.6 pct`, `1,000 and 5,000 stg`, `18 international and nine regional
    /// drug trafficking channels`, `from 1.5 to 5.0 billion USD`: a bare figure takes the
    /// unit (and scale) of the figure it is coordinated with.
    fn coordinate(&self, drafts: &mut [Draft]) {
        // `312 votes to 198`: a bare count after `to`/`vs`/`against` counts the same thing.
        for i in 1..drafts.len() {
            let (l, r) = drafts.split_at_mut(i);
            let (a, b) = (&l[i - 1], &mut r[0]);
            if b.fig.bare && a.fig.unit.is_none() && a.fig.noun.is_some() && b.fig.value.is_some() {
                let between: Vec<&str> = (a.last_tok + 1..b.first_tok)
                    .filter_map(|k| self.word(k))
                    .collect();
                let only_join = (a.last_tok + 1..b.first_tok).all(|k| {
                    self.word(k).is_some()
                        || matches!(self.toks[k].kind, Kind::Space { newlines: 0 })
                });
                if only_join
                    && matches!(
                        between.as_slice(),
                        ["to"] | ["vs"] | ["versus"] | ["against"]
                    )
                {
                    b.fig.noun = a.fig.noun.clone();
                    b.fig.bare = false;
                    b.fig.elided = true;
                }
            }
        }
        for i in (0..drafts.len().saturating_sub(1)).rev() {
            let (a, b) = {
                let (l, r) = drafts.split_at_mut(i + 1);
                (&mut l[i], &r[0])
            };
            if !a.fig.bare {
                continue;
            }
            if b.fig.bare {
                continue;
            }
            // What lies between: at most two words, then a joiner.
            let mut k = a.last_tok + 1;
            let mut words = 0;
            let mut joined = false;
            while k < b.first_tok {
                match self.toks[k].kind {
                    Kind::Space { newlines } if newlines <= 1 => {}
                    Kind::Word => {
                        let w = self.word(k).unwrap_or("");
                        if matches!(w, "and" | "or" | "to" | "through") {
                            joined = true;
                        } else if joined || NOUN_STOP.contains(w) || words >= 2 {
                            joined = false;
                            break;
                        } else {
                            words += 1;
                        }
                    }
                    Kind::Sym(',') | Kind::Sym('&') | Kind::Sym('-') | Kind::Sym('–') => {
                        joined = true
                    }
                    _ => {
                        joined = false;
                        break;
                    }
                }
                k += 1;
            }
            if !joined {
                continue;
            }
            let is_change = a.change_from;
            if a.words && !b.words && !is_change && b.fig.noun.is_none() {
                // `four to 4-1/4` handled as range; `two and 3 pct` is odd: skip.
            }
            // Inherit the scale when the first has none: `1.5 to 5.0 billion`, `32.5 and 32.6`.
            if !a.has_scale && b.has_scale {
                if let (Some(av), Some(bv)) = (a.fig.value.get(), b.fig.value.get()) {
                    if let Some(s) = b
                        .fig
                        .written
                        .scale_span
                        .get()
                        .map(|r| &self.lm[r])
                        .and_then(number::scale)
                    {
                        if av < Decimal::from(1000)
                            && av
                                .checked_mul(s)
                                .zip(bv.checked_mul(Decimal::from(1000)))
                                .is_some_and(|(x, y)| x <= y)
                        {
                            let v = av * s;
                            a.fig.value = Some(v).into();
                            a.fig.precision = a.fig.precision.saturating_mul(s);
                            a.has_scale = true;
                        }
                    }
                }
            }
            if let Some(noun) = &b.fig.noun {
                if b.fig.unit.is_none() && words > 0 || b.fig.unit.is_none() {
                    a.fig.noun = Some(noun.clone());
                    a.fig.elided = true;
                    a.fig.bare = false;
                    continue;
                }
            }
            if b.fig.unit.is_some() || b.family.is_some() {
                // Cents apply as a factor.
                let factor = if b.fig.value.is_some()
                    && matches!(b.family, Some(Money::Cent | Money::Pence))
                {
                    Decimal::new(1, 2)
                } else {
                    Decimal::ONE
                };
                a.fig.value = a.fig.value.get().map(|v| v.saturating_mul(factor)).into();
                a.fig.precision = a.fig.precision.saturating_mul(factor);
                a.fig.unit = b.fig.unit;
                a.fig.dimension = b.fig.dimension;
                a.fig.rare.set_per(b.fig.per().map(Box::from));
                a.family = b.family;
                a.fig.bare = false;
                a.fig.elided = true;
            }
        }
    }

    /// A line `(% p.a.)` or `(mln dlrs)` sets the unit of the bare numbers standing alone
    /// on the lines below it (a table column).
    fn column_headers(&self, drafts: &mut [Draft]) {
        let b = self.lm.as_bytes();
        let mut headers: Vec<(usize, &'static str, Option<&'static str>)> = Vec::new();
        let mut pos = 0;
        for line in crate::prose::lines_inclusive(self.lm) {
            let t = line.trim();
            if t.len() >= 3 && t.len() <= 24 && t.starts_with('(') && t.ends_with(')') {
                let inner = t[1..t.len() - 1].trim();
                let (unit, per) = if inner.starts_with('%')
                    || inner.starts_with("pct")
                    || inner.starts_with("percent")
                {
                    let per = if inner.contains("p.a")
                        || inner.contains("per annum")
                        || inner.contains("a year")
                    {
                        Some("year")
                    } else {
                        None
                    };
                    ("%", per)
                } else {
                    pos += line.len();
                    continue;
                };
                headers.push((pos, unit, per));
            }
            pos += line.len();
        }
        let _ = b;
        if headers.is_empty() {
            return;
        }
        for d in drafts.iter_mut() {
            if !d.fig.bare || d.fig.value.is_none() {
                continue;
            }
            let Some(h) = headers.iter().rev().find(|h| h.0 < d.fig.span.start()) else {
                continue;
            };
            if d.fig.written.decimals == 0 || !self.alone_on_line(d.first_tok, d.last_tok) {
                continue;
            }
            d.fig.unit = Some(h.1);
            d.fig.rare.set_per(h.2.map(Into::into));
            d.fig.dimension = Dimension::Percent;
            d.fig.bare = false;
            d.fig.unit_inferred = true;
        }
    }

    /// Whether the figure's unit text is a currency word with a country (not a `$` sign).
    fn raw_text_names_family(&self, d: &Draft) -> bool {
        d.fig.written.unit_span.get().is_some_and(|r| {
            let t = &self.lm[r];
            !t.contains('$')
                && t.split(|c: char| !c.is_alphabetic())
                    .filter(|w| !w.is_empty())
                    .count()
                    >= 2
        })
    }

    /// Whether only a joining word (`vs`, `from`, `against`, `or`, `compared with`) lies
    /// between two token positions on one line.
    fn joined(&self, a_last: usize, b_first: usize) -> bool {
        let mut saw = false;
        for k in a_last + 1..b_first {
            match self.toks[k].kind {
                Kind::Space { newlines: 0 } => {}
                Kind::Word => {
                    let w = self.word(k).unwrap_or("");
                    if JOINS.contains(w)
                        || MONEY_AFTER.contains(w)
                        || matches!(w, "a" | "an" | "the")
                    {
                        saw = true;
                    } else {
                        return false;
                    }
                }
                Kind::Sym('(' | ',' | '.') => saw = true,
                _ => return false,
            }
        }
        saw
    }

    fn money_word_near(&self, first: usize, last: usize) -> bool {
        // Up to six words back on the same line and sentence.
        let mut k = first;
        let mut n = 0;
        while let Some(p) = k.checked_sub(1) {
            match self.toks[p].kind {
                Kind::Space { newlines } if newlines > 1 => break,
                Kind::Sym('.' | ';' | '!' | '?') => break,
                Kind::Word => {
                    let w = self.word(p).unwrap_or("");
                    if MONEY_WORDS.contains(w) {
                        return true;
                    }
                    n += 1;
                    if n >= 6 {
                        break;
                    }
                }
                Kind::Num(_) => break,
                _ => {}
            }
            k = p;
        }
        matches!(self.next_word(last), Some((_, w)) if MONEY_AFTER.contains(w))
    }
}

fn singular(w: &str) -> String {
    let w = w.replace('’', "'");
    if let Some(s) = w.strip_suffix("ies") {
        return format!("{s}y");
    }
    if w.ends_with("ss") {
        return w;
    }
    if let Some(s) = w.strip_suffix('s') {
        return s.to_string();
    }
    w
}

/// The state of a number phrase being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum PKind {
    #[default]
    Start,
    /// `a`/`an` or an implicit one (`hundred thousand`).
    Article,
    /// A cardinal word (tens can take a unit: `twenty-five`); above 1000 when combined.
    Small(u32),
    Hundred,
    Scale,
    And,
    Numeral,
}

#[derive(Debug, Clone, Default)]
struct Phrase {
    total: Decimal,
    group: Decimal,
    /// The group before the last `and` (`two hundred and fifty-four hundredths`).
    and_base: Option<Decimal>,
    /// The last cardinal read after `and` (`three hundred and two dozens`).
    after_and: Option<Decimal>,
    max_scale: Decimal,
    last_mult: Decimal,
    kind: PKind,
    any_words: bool,
    fraction: bool,
}

#[derive(Debug, Default)]
struct Head {
    first: usize,
    money: Option<(Money, Option<&'static str>)>,
    million: bool,
    negative: bool,
    qualifier: Option<Qualifier>,
    qualifier_span: Option<Range<usize>>,
}

/// The unit, dimension and (unresolved) currency family of a tail, given the head's money.
fn resolve_tail_unit(
    t: &Tail,
    head_money: Option<(Money, Option<&'static str>)>,
) -> (Option<&'static str>, Option<Dimension>, Option<Money>) {
    if let Some(u) = t.unit {
        return (Some(u), t.dim, None);
    }
    // The tail's money wins over the head's when both name one (`$ 10 dollars`), unless the
    // head is more specific (`C$ 5 dollars`).
    let money = match (head_money, t.money) {
        (Some((hm, Some(hc))), Some((_, None))) => Some((hm, Some(hc))),
        (_, Some(tm)) => Some(tm),
        (Some(hm), None) => Some(hm),
        (None, None) => None,
    };
    match money {
        Some((fam, Some(code))) => (Some(code), Some(Dimension::Currency), Some(fam)),
        Some((fam, None)) => (None, Some(Dimension::Currency), Some(fam)),
        None => (None, None, None),
    }
}

/// Resolve currency families to codes: the figure's own country word, the document's
/// first qualified mention of that family (`H.K. Dlrs` then bare `dlrs`), the document's
/// countries (`rupees` in a Sri Lanka story), else the default.
fn resolve_money(figures: &mut [Figure], meta: &[Meta], doc: &DocContext) {
    let mut seen: Vec<(Money, &'static str)> = Vec::new();
    let mut codes: Vec<(&'static str, Option<&'static str>)> = Vec::new();
    let key = |fam: Money| match fam {
        Money::Cent => Money::Dollar,
        Money::Pence => Money::Pound,
        f => f,
    };
    for (f, m) in figures.iter_mut().zip(meta) {
        let Some(fam) = m.family() else { continue };
        // Figures whose code is their unit already stay as they are; only those named with
        // their country are read (below), and the others are not visited.
        if m.settled && !m.names_family {
            continue;
        }
        if let Money::Code(c) = fam {
            if f.unit.is_none() {
                f.unit = Some(c);
                f.dimension = Dimension::Currency;
                f.bare = false;
                normalize_one(f);
            }
            continue;
        }
        // A document writes few units: each is looked up once (`iso_code` searches the
        // ISO table).
        let code = f
            .unit
            .and_then(|u| match codes.iter().find(|(k, _)| *k == u) {
                Some((_, c)) => *c,
                None => {
                    let c = units::iso_code(u);
                    if codes.len() < 32 {
                        codes.push((u, c));
                    }
                    c
                }
            });
        if let Some(code) = code {
            // A family named with its country (`H.K. Dlrs`) sets it for the document,
            // except the bare `$` sign, which stays USD.
            if !seen.iter().any(|(f, _)| *f == key(fam)) && m.names_family {
                seen.push((key(fam), code));
            }
            continue;
        }
        let code = seen
            .iter()
            .find(|(f, _)| *f == key(fam))
            .map(|(_, c)| *c)
            .or_else(|| {
                matches!(
                    key(fam),
                    Money::Rupee | Money::Crown | Money::Peso | Money::Franc | Money::Dinar
                )
                .then(|| doc.family_code(key(fam)))
                .flatten()
            })
            .unwrap_or_else(|| units::default_code(key(fam)));
        f.unit = Some(code);
        f.dimension = Dimension::Currency;
        f.bare = false;
        normalize_one(f);
    }
}

/// In a document about money, a bare number with a scale next to a money word or joined
/// to a money figure is money too (`Revs 72.2 mln vs 73.5 mln`, `200 mln deficit`).
///
/// Only the big bare numbers are visited (found in `meta`, which is small and side by
/// side): the money figure before one is looked for backwards from it, down to where the
/// last search stopped, so that a large document's figures are not each read after every
/// edit.
fn money_context(figures: &mut [Figure], meta: &[Meta]) {
    // The unit of the last money figure before `done` (figures changed here included).
    let mut last_money: Option<&'static str> = None;
    let mut done = 0;
    let n = figures.len().min(meta.len());
    for i in (0..n).filter(|&i| meta[i].big) {
        if !figures[i].bare {
            continue;
        }
        if let Some(j) = (done..i)
            .rev()
            .find(|&j| figures[j].dimension == Dimension::Currency)
        {
            last_money = figures[j].unit;
        }
        done = i;
        let joined_prev = meta[i].joined_prev && figures[i - 1].dimension == Dimension::Currency;
        let next_money = (meta[i].joined_next && figures[i + 1].dimension == Dimension::Currency)
            .then(|| figures[i + 1].unit)
            .flatten();
        let unit = if joined_prev {
            figures[i - 1].unit
        } else if let Some(u) = next_money {
            Some(u)
        } else if meta[i].keyword {
            last_money.or_else(|| {
                figures[i..]
                    .iter()
                    .find(|d| d.dimension == Dimension::Currency && !d.unit_inferred)
                    .and_then(|d| d.unit)
            })
        } else {
            None
        };
        if let Some(u) = unit {
            let d = &mut figures[i];
            d.unit = Some(u);
            d.dimension = Dimension::Currency;
            d.bare = false;
            d.unit_inferred = true;
            normalize_one(d);
            last_money = d.unit;
            done = i + 1;
        }
    }
}

fn normalize_one(f: &mut Figure) {
    // The unit is derived ([`Figure::normalized_unit`]); the value in it is kept.
    f.normalized_value = match f.dimension {
        Dimension::Count
        | Dimension::Currency
        | Dimension::Percent
        | Dimension::Temperature
        | Dimension::Other => f.value,
        _ => {
            let code = f.unit.unwrap_or_default();
            match f.value.get().and_then(|v| units::normalize(v, code)) {
                Some((v, _)) => Some(v).into(),
                None => f.value,
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The tokens the scanner tries are every numeral and every word whose lower-case
        /// form the number-word sieve lets by, whatever the case and script of the text.
        #[test]
        fn figure_starts_are_the_numerals_and_sieved_words(
            text in "([a-zA-Z' ,.\n\u{e9}\u{3a9}\u{bd}-]|[0-9]{1,5}|One|TWO|thousand|Half|an|A|dozen|\u{2019}){0,40}",
            comma in any::<bool>(),
        ) {
            let t = tokenize(&text, if comma { b',' } else { b'.' });
            let lower = text.to_ascii_lowercase();
            let want: Vec<usize> = (0..t.toks.len())
                .filter(|&k| match t.toks[k].kind {
                    Kind::Num(_) => true,
                    Kind::Word => number::may_start_number(&lower.as_bytes()[t.toks[k].start..t.toks[k].end]),
                    _ => false,
                })
                .collect();
            prop_assert_eq!(&t.starts, &want);
        }
    }

    proptest! {
        /// Letters counted eight at a time are those counted one at a time, up to the last
        /// eight bytes (which the caller reads one at a time).
        #[test]
        fn ascii_letters_are_counted_as_byte_by_byte(
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
            letters in "[a-zA-Z]{0,30}",
            from in 0usize..40,
        ) {
            let mut b = letters.into_bytes();
            b.extend(bytes);
            let from = from.min(b.len());
            let run = b[from..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
            let got = ascii_letters_ahead(&b, from);
            // Never past the run; all of it unless it reaches into the last eight bytes.
            prop_assert!(got <= run);
            if from + run + 8 <= b.len() {
                prop_assert_eq!(got, run);
            } else {
                prop_assert!(from + got + 8 > b.len());
            }
        }

        /// `names_pound` finds what searching for each of the words finds.
        #[test]
        fn pounds_are_named_as_each_word_search_finds(
            text in "([a-zA-Z ]|sterling|Sterling|STERLING|sterlin|stg|STG|Stg| stg| sTg|\u{a3}|\u{e3}|\u{c2}|g|G){0,30}",
        ) {
            let each = POUND_WORDS.iter().any(|w| text.contains(w));
            prop_assert_eq!(names_pound(text.as_bytes()), each);
        }
    }

    #[test]
    fn number_start_words_are_the_ones_the_scanner_takes() {
        // The words `word_number_start` takes besides cardinals: the sieve lets them by.
        let arms =
            crate::figures::sieve::match_arms(include_str!("extract.rs"), "word_number_start");
        assert_eq!(arms, number::NUMBER_START_WORDS);
    }

    #[test]
    fn currency_families_are_kept_whole() {
        use super::{Family, Money};
        let every = [
            Money::Code("KZT"),
            Money::Dollar,
            Money::Cent,
            Money::Pence,
            Money::Rupee,
            Money::Crown,
            Money::Peso,
            Money::Franc,
            Money::Dinar,
            Money::Pound,
        ];
        for m in every {
            // A new kind of family fails to compile here until it is listed above.
            match m {
                Money::Code(_)
                | Money::Dollar
                | Money::Cent
                | Money::Pence
                | Money::Rupee
                | Money::Crown
                | Money::Peso
                | Money::Franc
                | Money::Dinar
                | Money::Pound => {}
            }
            assert_eq!(Family::new(Some(m)).get(), Some(m), "{m:?}");
        }
        assert_eq!(Family::new(None).get(), None);
        assert!(!Family::new(None).is_some());
        // The codes currency words and ISO lookups give have three letters.
        for w in [
            "tenge", "euros", "yuan", "lira", "marks", "guilders", "markka", "sterling",
        ] {
            let m = crate::figures::units::currency_word(w);
            assert!(matches!(m, Some(Money::Code(_))), "{w}");
            assert_eq!(Family::new(m).get(), m, "{w}");
        }
        let code = crate::figures::units::iso_code("KZT").map(Money::Code);
        assert_eq!(Family::new(code).get(), code);
    }

    #[test]
    fn countries_are_found_in_each_case_and_only_in_those() {
        assert_eq!(countries_in("rupees, Sri Lanka said"), 1);
        assert_eq!(countries_in("SRI LANKA"), 1);
        assert_eq!(countries_in("sri lanka"), 1);
        // Mixed case is not one of the three.
        assert_eq!(countries_in("Sri lanka, sRI LANKA"), 0);
        // Overlapping words each count: `swedish` and `sweden` share `swed`.
        let both = countries_in("the Swedish and Sweden");
        assert_eq!(both.count_ones(), 2);
        assert_eq!(both, countries_one_by_one("the Swedish and Sweden"));
        // Inside other words too, as before (`argentin` in `Argentina`).
        assert_ne!(countries_in("Argentina's peso"), 0);
        // Words that share letters where they meet each count.
        for t in ["pakistanepal", "PAKISTANORWAY", "sri lankargentin"] {
            assert_eq!(countries_in(t).count_ones(), 2, "{t}");
            assert_eq!(countries_in(t), countries_one_by_one(t), "{t}");
        }
    }

    /// What `countries_in`'s searches rest on: no country word lies inside another.
    #[test]
    fn no_country_word_lies_inside_another() {
        for a in COUNTRY_WORDS {
            for b in COUNTRY_WORDS {
                assert!(a == b || !b.contains(a), "{a:?} in {b:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn one_pass_finds_what_the_word_by_word_searches_found(
            pieces in proptest::collection::vec(
                (0..COUNTRY_WORDS.len(), 0..4u8, "[a-zA-Z ,.£€]{0,6}"),
                0..8,
            )
        ) {
            let mut text = String::new();
            for (k, case, noise) in pieces {
                let w = COUNTRY_WORDS[k];
                match case {
                    0 => text.push_str(w),
                    1 => text.push_str(&title_case(w)),
                    2 => text.push_str(&w.to_uppercase()),
                    // A word cut short (in upper case, its last letter dropped): found by neither.
                    _ => text.push_str(&title_case(w).to_uppercase()[..w.len() - 1]),
                }
                text.push_str(&noise);
            }
            prop_assert_eq!(countries_in(&text), countries_one_by_one(&text));
        }
    }
}
