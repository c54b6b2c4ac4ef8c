//! Hashing for cache keys: a fast 64-bit hasher and the hash of a figure relative to its
//! chunk, shared by the extraction and check caches.

use std::hash::{Hash, Hasher};
use std::ops::Range;

use super::Figure;

/// A 64-bit hasher, 8 bytes at a time.
#[derive(Default)]
pub(crate) struct Fx(pub(crate) u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut it = bytes.chunks_exact(8);
        for w in &mut it {
            let v = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            self.write_u64(v);
        }
        let mut last = [0u8; 8];
        last[..it.remainder().len()].copy_from_slice(it.remainder());
        self.write_u64(u64::from_le_bytes(last) ^ (it.remainder().len() as u64) << 56);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(23) ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v));
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
}

/// The hasher of tables keyed by a hash already (chunk keys, figures' identities, bucket
/// keys): the key is taken as it is, multiplied once so that any of its bits may index the
/// table. (Hashing a hash again byte by byte was a tenth of what the caches' lookups cost.)
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut fx = Fx(self.0);
        fx.write(bytes);
        self.0 = fx.finish();
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Tables (and one-off hashes) of byte strings, hashed eight bytes at a time by [`Fx`].
pub(crate) type FxBuild = std::hash::BuildHasherDefault<Fx>;

/// Tables keyed by hashes: see [`KeyHasher`].
pub(crate) type KeyBuild = std::hash::BuildHasherDefault<KeyHasher>;

/// Feed everything about a figure to `h`, offsets taken relative to `at`.
pub(crate) fn hash_figure(h: &mut Fx, f: &Figure, at: usize) {
    let range = |h: &mut Fx, r: &Range<usize>| {
        h.write_usize(r.start.wrapping_sub(at));
        h.write_usize(r.end.wrapping_sub(at));
    };
    let opt_range = |h: &mut Fx, r: &super::OptSpan| match r.get() {
        Some(r) => {
            h.write_u8(1);
            range(h, &r);
        }
        None => h.write_u8(0),
    };
    let dec = |h: &mut Fx, d: &Option<rust_decimal::Decimal>| match d {
        Some(d) => {
            h.write_u8(1);
            h.write(&d.serialize());
        }
        None => h.write_u8(0),
    };
    // Destructured, so that a new field cannot be forgotten here.
    let Figure {
        span,
        number,
        value,
        rare,
        qualifier,
        unit,
        noun,
        dimension,
        normalized_value,
        precision,
        bare,
        elided,
        unit_inferred,
        written,
    } = f;
    let super::Written {
        words,
        separator,
        bare_thousands,
        decimals,
        unit_attached,
        spaced_percent,
        unit_span,
        scale_span,
        qualifier_span,
        malformed,
    } = written;
    range(h, &span.range());
    range(h, &number.range());
    dec(h, &value.get());
    dec(h, &rare.low());
    dec(h, &rare.high());
    dec(h, &normalized_value.get());
    dec(h, &Some(*precision));
    qualifier.hash(h);
    unit.hash(h);
    rare.per().hash(h);
    noun.hash(h);
    dimension.hash(h);
    (*bare, *elided, *unit_inferred, *words, *bare_thousands).hash(h);
    (*unit_attached, *spaced_percent, *decimals, *separator).hash(h);
    malformed.hash(h);
    opt_range(h, unit_span);
    opt_range(h, scale_span);
    opt_range(h, qualifier_span);
    opt_range(h, &rare.misspelt_scale());
}
