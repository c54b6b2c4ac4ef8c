//! What the server tells its allocator.
//!
//! jemalloc (the binary's allocator, `src/main.rs`) keeps each thread's recently freed small
//! blocks in a cache of that thread, for its next allocations. A thread that then sits idle
//! keeps them for good: freed, yet holding their pages, which the allocator cannot give
//! back to the system. After an analysis (and after the previous one was freed) the
//! analysis thread sits idle until the next edit with its cache full; handing it back
//! took 0.2–0.3 bytes per byte off the idle memory of a generated document (README,
//! Benchmarks). [`release_thread_cache`] hands the blocks back to the shared pool, whose
//! unused pages are returned after about a second (`.cargo/config.toml`). Turning the
//! caches off altogether would save more but cost a third of the analysis's speed.

/// Hand the calling thread's cached freed blocks back to the allocator's shared pool. Call
/// it on a thread that is about to sit idle. Without jemalloc (other targets, or a program
/// whose allocator is another) it only clears jemalloc's own cache of this thread, which
/// then holds nothing.
pub(crate) fn release_thread_cache() {
    #[cfg(all(unix, not(target_env = "musl")))]
    {
        use tikv_jemalloc_ctl::{Access, AsName};
        // Turning the thread's cache off flushes it; turned on again it starts empty. A
        // failure (a jemalloc built without thread caches) leaves things as they were.
        let enabled = b"thread.tcache.enabled\0".name();
        if enabled.read() == Ok(true) && enabled.write(false).is_ok() {
            let _ = enabled.write(true);
        }
    }
}

/// What a runtime worker frees between two parks before it hands its cache back as it parks
/// ([`release_thread_cache_when_used`]).
const RELEASE_AFTER: u64 = 64 << 10;

/// [`release_thread_cache`] for a runtime worker about to park, when it freed at least
/// [`RELEASE_AFTER`] bytes since it last handed its cache back. A worker parks whenever it
/// runs out of work: also many times while it writes a large publication piece by piece,
/// as the client reads it (~400 times for the 27 MB of 10 MB of generated text), and
/// handing the cache back costs ~7 µs and the blocks taken again after it. A worker that
/// freed less keeps less than that in its cache.
pub(crate) fn release_thread_cache_when_used() {
    #[cfg(all(unix, not(target_env = "musl")))]
    {
        use std::cell::Cell;
        use tikv_jemalloc_ctl::thread::{deallocatedp, ThreadLocal};
        thread_local! {
            /// The thread's count of bytes it freed, read in place.
            static FREED: Option<ThreadLocal<u64>> = deallocatedp::read().ok();
            /// That count when the thread last handed its cache back.
            static AT: Cell<u64> = const { Cell::new(0) };
        }
        match FREED.with(|f| f.map(ThreadLocal::get)) {
            Some(freed) => {
                if freed.wrapping_sub(AT.get()) >= RELEASE_AFTER {
                    release_thread_cache();
                    AT.set(freed);
                }
            }
            None => release_thread_cache(),
        }
    }
}

/// While held, the allocator hands each page back to the system as soon as it is freed
/// (every arena's `dirty_decay_ms` set to zero; put back as it was when dropped). For a
/// document's first analysis, which makes everything the document will keep (figures,
/// findings, caches) among much it frees at once: with the usual decay
/// (`.cargo/config.toml`) the pages it freed are taken again for what it keeps, spread
/// over more pages than needed, and the server then held 11.4–11.5 bytes per byte of a
/// 1 MB generated document when idle, 14.0–14.3 right after its first diagnostics; with
/// pages handed back at once, 10.5–10.7 and 10.7–10.9, for a first analysis ~15% slower
/// (README, Benchmarks). Not for edits: their analyses take back the pages the last one
/// freed, and taking fresh ones doubled an edit's time.
#[derive(Debug)]
pub(crate) struct ReturnPagesAtOnce {
    /// Each arena's control and its decay before.
    #[cfg(all(unix, not(target_env = "musl")))]
    was: Vec<(String, isize)>,
}

impl ReturnPagesAtOnce {
    pub fn start() -> ReturnPagesAtOnce {
        #[cfg(all(unix, not(target_env = "musl")))]
        {
            use tikv_jemalloc_ctl::{Access, AsName};
            let mut was = Vec::new();
            let arenas: u32 = b"arenas.narenas\0".name().read().unwrap_or(0);
            for i in 0..arenas {
                let name = format!("arena.{i}.dirty_decay_ms\0");
                let decay = name.as_bytes().name();
                // An arena not made yet (the one for huge blocks) refuses: left alone.
                if let Ok(ms) = Access::<isize>::read(decay) {
                    if ms != 0 && decay.write(0isize).is_ok() {
                        was.push((name, ms));
                    }
                }
            }
            ReturnPagesAtOnce { was }
        }
        #[cfg(not(all(unix, not(target_env = "musl"))))]
        ReturnPagesAtOnce {}
    }
}

impl Drop for ReturnPagesAtOnce {
    fn drop(&mut self) {
        #[cfg(all(unix, not(target_env = "musl")))]
        {
            use tikv_jemalloc_ctl::{Access, AsName};
            for (name, ms) in &self.was {
                let _ = name.as_bytes().name().write(*ms);
            }
        }
    }
}

#[cfg(all(test, unix, not(target_env = "musl")))]
mod tests {
    use tikv_jemalloc_ctl::{Access, AsName};

    #[test]
    fn the_thread_keeps_its_cache_after_releasing_it() {
        let enabled = b"thread.tcache.enabled\0".name();
        assert_eq!(enabled.read(), Ok(true));
        super::release_thread_cache();
        // Released, not turned off: the thread's next allocations are cached again.
        assert_eq!(enabled.read(), Ok(true));
        // A thread whose cache is off is left so.
        enabled.write(false).expect("turn the cache off");
        super::release_thread_cache();
        assert_eq!(enabled.read(), Ok(false));
        enabled.write(true).expect("turn the cache on");
    }
}
