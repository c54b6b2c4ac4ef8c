//! Configuration: `.briefing-ls.toml` (SPEC §7) and editor settings layered over it.
//!
//! Parsing never panics. A bad file yields a [`ConfigError`] that says what is wrong and
//! where; callers report it (a diagnostic on the file, an error line) and use the defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::checks::Severity;

/// Number style guide for `number-style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Ap,
    Chicago,
    None,
}

/// Which tag syntax code actions write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagStyle {
    Span,
    Html,
}

/// What bare `tons` means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tons {
    Metric,
    Short,
    Long,
}

/// The settings of SPEC §7.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub style: Style,
    pub tags: TagStyle,
    pub tons: Tons,
    /// The decimal mark: `'.'` or `','`.
    pub decimal: char,
    /// Milliseconds from the last edit to fresh diagnostics.
    pub debounce: u64,
    pub categories: Vec<String>,
    /// Per-check severity overrides, by code.
    pub checks: BTreeMap<String, Severity>,
    /// Exchange rates: `rates[FROM][TO]` = how many TO one FROM buys.
    pub rates: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            style: Style::Ap,
            tags: TagStyle::Span,
            tons: Tons::Metric,
            decimal: '.',
            debounce: 150,
            categories: Vec::new(),
            checks: BTreeMap::new(),
            rates: BTreeMap::new(),
        }
    }
}

/// Why a configuration could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Byte range in the file of the offending text, when known.
    pub span: Option<std::ops::Range<usize>>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The file name looked for when walking up from a document.
pub const FILE_NAME: &str = ".briefing-ls.toml";

impl Config {
    /// Parse the text of a `.briefing-ls.toml` over the defaults.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError {
            span: e.span(),
            // The parser's message can be empty (a file of `\r`s, found by fuzzing).
            message: match e.message().trim() {
                "" => "not valid TOML".to_string(),
                m => m.to_string(),
            },
        })?;
        let json = serde_json::to_value(&table).map_err(|e| ConfigError {
            span: None,
            message: e.to_string(),
        })?;
        let mut c = Config::default();
        c.apply_json(&json).map_err(|message| ConfigError {
            span: locate_key(text, &message),
            message,
        })?;
        Ok(c)
    }

    /// Layer settings given as JSON (LSP `initializationOptions`, `workspace/configuration`,
    /// or the parsed TOML file) over `self`. Unknown keys are ignored; a known key with a bad
    /// value is an error and leaves `self` unchanged.
    pub fn apply_json(&mut self, v: &serde_json::Value) -> Result<(), String> {
        let Some(obj) = v.as_object() else {
            return if v.is_null() {
                Ok(())
            } else {
                Err("settings must be a table".into())
            };
        };
        let mut c = self.clone();
        for (k, val) in obj {
            match k.as_str() {
                "style" => {
                    c.style = match val.as_str() {
                        Some("ap") => Style::Ap,
                        Some("chicago") => Style::Chicago,
                        Some("none") => Style::None,
                        _ => {
                            return Err(format!(
                                "style: expected \"ap\", \"chicago\" or \"none\", found {val}"
                            ))
                        }
                    }
                }
                "tags" => {
                    c.tags = match val.as_str() {
                        Some("span") => TagStyle::Span,
                        Some("html") => TagStyle::Html,
                        _ => {
                            return Err(format!("tags: expected \"span\" or \"html\", found {val}"))
                        }
                    }
                }
                "tons" => {
                    c.tons = match val.as_str() {
                        Some("metric") => Tons::Metric,
                        Some("short") => Tons::Short,
                        Some("long") => Tons::Long,
                        _ => {
                            return Err(format!(
                                "tons: expected \"metric\", \"short\" or \"long\", found {val}"
                            ))
                        }
                    }
                }
                "decimal" => {
                    c.decimal = match val.as_str() {
                        Some(".") => '.',
                        Some(",") => ',',
                        _ => return Err(format!("decimal: expected \".\" or \",\", found {val}")),
                    }
                }
                "debounce" => {
                    c.debounce = match val.as_u64() {
                        Some(n) if n <= 60_000 => n,
                        _ => {
                            return Err(format!(
                                "debounce: expected milliseconds from 0 to 60000, found {val}"
                            ))
                        }
                    }
                }
                "categories" => {
                    let Some(arr) = val.as_array() else {
                        return Err(format!(
                            "categories: expected a list of strings, found {val}"
                        ));
                    };
                    let mut cats = Vec::new();
                    for x in arr {
                        match x.as_str() {
                            Some(s) if !s.trim().is_empty() => cats.push(s.to_string()),
                            _ => {
                                return Err(format!(
                                    "categories: expected non-empty strings, found {x}"
                                ))
                            }
                        }
                    }
                    c.categories = cats;
                }
                "checks" => {
                    let Some(t) = val.as_object() else {
                        return Err(format!(
                            "checks: expected a table of code = severity, found {val}"
                        ));
                    };
                    for (code, sev) in t {
                        if !crate::checks::is_known_code(code) {
                            return Err(format!(
                                "checks: unknown check `{code}` (see `briefing-ls rules`)"
                            ));
                        }
                        match sev.as_str().and_then(Severity::parse) {
                            Some(s) => {
                                c.checks.insert(code.clone(), s);
                            }
                            None => {
                                return Err(format!(
                                    "checks.{code}: expected \"error\", \"warning\", \"info\", \"hint\" or \"off\", found {sev}"
                                ))
                            }
                        }
                    }
                }
                "rates" => {
                    let Some(t) = val.as_object() else {
                        return Err(format!(
                            "rates: expected a table such as USD = {{ KZT = 450.0 }}, found {val}"
                        ));
                    };
                    for (from, tos) in t {
                        let Some(tos) = tos.as_object() else {
                            return Err(format!(
                                "rates.{from}: expected a table such as {{ KZT = 450.0 }}"
                            ));
                        };
                        for (to, r) in tos {
                            match r.as_f64() {
                                Some(x) if x.is_finite() && x > 0.0 => {
                                    c.rates
                                        .entry(from.to_uppercase())
                                        .or_default()
                                        .insert(to.to_uppercase(), x);
                                }
                                _ => {
                                    return Err(format!(
                                        "rates.{from}.{to}: expected a positive number, found {r}"
                                    ))
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        *self = c;
        Ok(())
    }

    /// The configured severity of a check, if overridden.
    pub fn severity(&self, code: &str) -> Option<Severity> {
        self.checks.get(code).copied()
    }

    /// The exchange rate from one currency to another, if configured (directly or inverse).
    pub fn rate(&self, from: &str, to: &str) -> Option<f64> {
        if let Some(r) = self.rates.get(from).and_then(|m| m.get(to)) {
            return Some(*r);
        }
        self.rates
            .get(to)
            .and_then(|m| m.get(from))
            .map(|r| 1.0 / r)
    }
}

/// Find `.briefing-ls.toml` walking up from `start` (a file or folder), stopping after
/// `root` (the workspace root) when given, and at the filesystem root.
pub fn find_file(start: &Path, root: Option<&Path>) -> Option<PathBuf> {
    let mut dir = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if root.is_some_and(|r| d == r) {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// Best-effort byte range of the key a message names (`checks.foo: ...` → `foo`).
fn locate_key(text: &str, message: &str) -> Option<std::ops::Range<usize>> {
    let key = message.split(':').next()?;
    let last = key.rsplit('.').next()?.trim();
    if last.is_empty() {
        return None;
    }
    let i = text.find(last)?;
    Some(i..i + last.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_example() {
        let c = Config::from_toml(
            "style = \"chicago\"\ntags = \"html\"\ntons = \"short\"\ndecimal = \",\"\ndebounce = 0\n\
             categories = [\"arrests\", \"seizures\"]\n[checks]\nmixed-units = \"warning\"\n\
             spurious-precision = \"off\"\n[rates]\nUSD = { KZT = 450.0 }\n",
        )
        .unwrap();
        assert_eq!(c.style, Style::Chicago);
        assert_eq!(c.tags, TagStyle::Html);
        assert_eq!(c.tons, Tons::Short);
        assert_eq!(c.decimal, ',');
        assert_eq!(c.debounce, 0);
        assert_eq!(c.categories, vec!["arrests", "seizures"]);
        assert_eq!(c.severity("mixed-units"), Some(Severity::Warning));
        assert_eq!(c.severity("spurious-precision"), Some(Severity::Off));
        assert_eq!(c.rate("USD", "KZT"), Some(450.0));
        assert_eq!(c.rate("KZT", "USD"), Some(1.0 / 450.0));
    }

    #[test]
    fn bad_values_are_errors_with_a_place() {
        let e = Config::from_toml("style = \"mla\"\n").unwrap_err();
        assert!(e.message.contains("style"), "{}", e.message);
        assert_eq!(e.span, Some(0..5));
        let e = Config::from_toml("[checks]\nno-such-check = \"off\"\n").unwrap_err();
        assert!(e.message.contains("no-such-check"));
        let e = Config::from_toml("style = ").unwrap_err();
        assert!(e.span.is_some());
    }

    #[test]
    fn json_layers_and_keeps_unchanged_on_error() {
        let mut c = Config::default();
        c.apply_json(&serde_json::json!({"style": "none", "debounce": 0}))
            .unwrap();
        assert_eq!(c.style, Style::None);
        let before = c.clone();
        assert!(c
            .apply_json(&serde_json::json!({"style": "ap", "debounce": -1}))
            .is_err());
        assert_eq!(c, before);
    }
}
