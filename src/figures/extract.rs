//! Extraction.
use super::Figure;
use crate::config::Config;
use crate::prose::Language;
pub fn extract(text: &str, config: &Config) -> Vec<Figure> {
    extract_lang(text, config, Language::Markdown)
}
pub fn extract_lang(_text: &str, _config: &Config, _lang: Language) -> Vec<Figure> {
    Vec::new()
}
