//! The configuration loader on any text: `.briefing-ls.toml` through `Config::from_toml`
//! and editor settings through `Config::apply_json`. No panic; an error's span lies inside
//! the file; a rejected JSON layer leaves the settings as they were.

#![no_main]

use briefing_ls::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    if sel & 1 == 0 {
        match Config::from_toml(&text) {
            Ok(c) => {
                // A loaded file is a valid layer for the next one.
                let _ = c.rate("USD", "KZT");
            }
            Err(e) => {
                if let Some(span) = e.span {
                    assert!(
                        span.start <= span.end && span.end <= text.len(),
                        "error span {span:?} outside a file of {} bytes",
                        text.len()
                    );
                }
                assert!(!e.message.is_empty());
            }
        }
    } else if let Ok(v) = serde_json::from_slice::<serde_json::Value>(rest) {
        let mut c = Config::default();
        let before = c.clone();
        if c.apply_json(&v).is_err() {
            assert_eq!(c, before, "a rejected layer changed the settings");
        }
        // Layering the same settings twice is the same as once.
        let once = c.clone();
        let _ = c.apply_json(&v);
        assert_eq!(c, once);
    }
});
