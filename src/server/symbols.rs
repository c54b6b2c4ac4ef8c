//! Document symbols: every figure of the document, grouped by dimension — an outline of
//! the numbers in a draft (`currency (3)` → `707 billion tenge`, ...).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::convert;
use super::hover::value_phrase;
use super::Inner;
use crate::figures::{Dimension, Figure};

impl Inner {
    pub(crate) async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some(snap) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let a = self.analysed(&snap).await;
        super::guarded("documentSymbol", || {
            // Every figure's range at once, in document order (editors ask again after
            // every edit, for their outline).
            let figures = &a.analysis.figures;
            let ranges = convert::ranges_in_order(
                &a.text(),
                figures.iter().map(|f| f.span.range()),
                snap.encoding,
            );
            Some(DocumentSymbolResponse::Nested(group(
                |f| a.slice(f.span.range()),
                figures,
                |i| ranges[i],
            )))
        })
    }
}

/// One symbol per dimension present (in the order of [`Dimension`]), each holding its
/// figures in document order. A group's range spans its first to its last figure, so every
/// child lies inside its parent as LSP requires.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written even though it is deprecated.
pub(crate) fn group<'t>(
    written: impl Fn(&Figure) -> std::borrow::Cow<'t, str>,
    figures: &[Figure],
    to_range: impl Fn(usize) -> Range,
) -> Vec<DocumentSymbol> {
    let mut dims: Vec<Dimension> = figures.iter().map(|f| f.dimension).collect();
    dims.sort();
    dims.dedup();
    dims.into_iter()
        .map(|dim| {
            let children: Vec<DocumentSymbol> = (0..figures.len())
                .filter(|&i| figures[i].dimension == dim)
                .map(|i| {
                    let f = &figures[i];
                    let range = to_range(i);
                    let name = written(f).split_whitespace().collect::<Vec<_>>().join(" ");
                    DocumentSymbol {
                        name: if name.is_empty() {
                            "(figure)".into()
                        } else {
                            name
                        },
                        detail: Some(value_phrase(f)),
                        kind: SymbolKind::NUMBER,
                        tags: None,
                        deprecated: None,
                        range,
                        selection_range: range,
                        children: None,
                    }
                })
                .collect();
            let first = children.first().map(|c| c.range).unwrap_or_default();
            let start = children
                .iter()
                .map(|c| c.range.start)
                .min_by_key(|p| (p.line, p.character));
            let end = children
                .iter()
                .map(|c| c.range.end)
                .max_by_key(|p| (p.line, p.character));
            DocumentSymbol {
                name: format!("{} ({})", dim.as_str(), children.len()),
                detail: None,
                kind: SymbolKind::NAMESPACE,
                tags: None,
                deprecated: None,
                range: Range::new(start.unwrap_or_default(), end.unwrap_or_default()),
                selection_range: first,
                children: Some(children),
            }
        })
        .collect()
}
