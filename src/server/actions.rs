//! Code actions: the quick fixes of SPEC §3, `Tag figure` / `Update tag` (refactor), and the
//! source actions `Tag all figures` and `Remove all tags`.
//!
//! Every edit is computed here, on the server, from the core's byte-range edits and the
//! snapshot the request was answered on, so each fix works the same in every editor.
//!
//! The source actions edit the whole document: on 1 MB of text their edits take ~100 ms to
//! compute and ~2 MB of JSON, and editors ask for code actions at every move of the cursor.
//! A client that resolves an action's edit (`codeAction/resolve`, keeping its `data`) gets
//! them without edits, and their edits only when one is chosen; other clients get them
//! whole, as before.

use std::ops::Range as Span;

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::convert;
use super::state::{Analysed, Snapshot};
use super::Inner;
use crate::checks::Edit;
use crate::figures::Figure;
use crate::report::tag_of;
use crate::tags;

pub(crate) const TAG_ALL: &str = "Tag all figures";
pub(crate) const REMOVE_ALL: &str = "Remove all tags";

impl Inner {
    pub(crate) async fn code_action(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
        let Some(snap) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let a = self.analysed(&snap).await;
        let lazy = self.lock().caps.resolve_edits;
        super::guarded("codeAction", || {
            let span = convert::span(&snap.rope, params.range, snap.encoding);
            let only = params.context.only.as_deref();
            let mut out = Vec::new();
            if wanted(only, &CodeActionKind::QUICKFIX) {
                quick_fixes(&snap, &a, &span, &mut out);
            }
            if wanted(only, &CodeActionKind::REFACTOR_REWRITE) {
                let mut refactors = Vec::new();
                tag_actions(&snap, &a, &span, &mut refactors);
                // A stale tag's `Update tag` quick fix and the `Update tag` refactoring make
                // the same edit: list it once, as the quick fix linked to its diagnostic.
                refactors.retain(|r| !out.iter().any(|q| same_edit(q, r)));
                out.extend(refactors);
            }
            if wanted(only, &CodeActionKind::SOURCE) {
                if lazy {
                    source_actions_unresolved(&snap, &a, &mut out);
                } else {
                    source_actions(&snap, &a, &mut out);
                }
            }
            Some(out)
        })
    }

    /// `codeAction/resolve`: the edit of a source action offered without it (see the
    /// module's notes), computed on the document as it is now. Any other action is returned
    /// as it came (it has its edit already).
    pub(crate) async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        let Some((uri, source)) = action.data.as_ref().and_then(Source::of_data) else {
            return Ok(action);
        };
        let Some(snap) = self.snapshot(&uri) else {
            return Err(Error::invalid_params(format!(
                "{}: {} is not open",
                action.title,
                uri.as_str()
            )));
        };
        let a = self.analysed(&snap).await;
        action.edit = super::guarded("codeAction/resolve", || {
            let edits = source.edits(&snap, &a);
            let edits = convert::text_edits_in(&a.text(), &edits, snap.encoding);
            convert::workspace_edit(&snap.uri, edits)
        })
        .map(Some)?;
        Ok(action)
    }
}

/// A source action: its edits are the whole document's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Source {
    TagAll,
    RemoveAll,
}

impl Source {
    fn title(self) -> &'static str {
        match self {
            Source::TagAll => TAG_ALL,
            Source::RemoveAll => REMOVE_ALL,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Source::TagAll => "tag-all",
            Source::RemoveAll => "remove-all",
        }
    }

    /// The same edits as `briefing-ls tag --all` (tags verified to read back in context, in
    /// the document's language) and `briefing-ls untag`.
    fn edits(self, snap: &Snapshot, a: &Analysed) -> Vec<Edit> {
        let text = a.text();
        match self {
            Source::TagAll => tags::tag_all_edits_lang(
                &text,
                &a.analysis.figures,
                snap.config.tags,
                snap.language,
            ),
            Source::RemoveAll => tags::untag_all_edits_lang(&text, snap.language),
        }
    }

    /// What an action offered without its edit carries for `codeAction/resolve`.
    fn data(self, uri: &Uri) -> Value {
        json!({ "uri": uri.as_str(), "source": self.name() })
    }

    fn of_data(data: &Value) -> Option<(Uri, Source)> {
        let source = match data.get("source")?.as_str()? {
            "tag-all" => Source::TagAll,
            "remove-all" => Source::RemoveAll,
            _ => return None,
        };
        let uri = data.get("uri")?.as_str()?.parse().ok()?;
        Some((uri, source))
    }
}

/// Whether the client asked for actions of `kind` (`only` lists kinds or their parents).
fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    let Some(only) = only else { return true };
    let k = kind.as_str();
    only.iter().any(|o| {
        let o = o.as_str();
        k == o || (k.starts_with(o) && k.as_bytes().get(o.len()) == Some(&b'.'))
    })
}

fn action(
    snap: &Snapshot,
    title: String,
    kind: CodeActionKind,
    edits: &[Edit],
) -> Option<CodeActionOrCommand> {
    let edits = convert::text_edits(&snap.rope, edits, snap.encoding);
    if edits.is_empty() {
        return None;
    }
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        edit: Some(convert::workspace_edit(&snap.uri, edits)),
        ..CodeAction::default()
    }))
}

/// Whether two actions make the same edit.
fn same_edit(a: &CodeActionOrCommand, b: &CodeActionOrCommand) -> bool {
    match (a, b) {
        (CodeActionOrCommand::CodeAction(a), CodeActionOrCommand::CodeAction(b)) => {
            a.edit.is_some() && a.edit == b.edit
        }
        _ => false,
    }
}

/// Whether two byte ranges touch or overlap (an empty selection inside or at the edge of a
/// finding counts).
fn touches(a: &Span<usize>, b: &Span<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// One quick fix per fix of every finding at the selection, linked to its diagnostic.
fn quick_fixes(
    snap: &Snapshot,
    a: &Analysed,
    span: &Span<usize>,
    out: &mut Vec<CodeActionOrCommand>,
) {
    for finding in a
        .analysis
        .findings
        .iter()
        .filter(|f| touches(&f.span, span))
    {
        let diagnostic = convert::diagnostic(&snap.uri, &snap.rope, snap.encoding, finding);
        for fix in &finding.fixes {
            if let Some(CodeActionOrCommand::CodeAction(mut ca)) = action(
                snap,
                fix.title.to_string(),
                CodeActionKind::QUICKFIX,
                &fix.edits.to_vec(),
            ) {
                ca.diagnostics = Some(vec![diagnostic.clone()]);
                ca.is_preferred = Some(finding.fixes.len() == 1);
                out.push(CodeActionOrCommand::CodeAction(ca));
            }
        }
    }
}

/// The figures a selection covers: those it overlaps, or for an empty selection the one
/// under the cursor.
fn selected<'a>(figures: &'a [Figure], span: &Span<usize>) -> Vec<&'a Figure> {
    if span.is_empty() {
        return super::hover::figure_at(figures, span.start)
            .into_iter()
            .collect();
    }
    figures
        .iter()
        .filter(|f| f.span.start() < span.end && span.start < f.span.end())
        .collect()
}

/// `Tag figure` for the untagged figures of the selection, `Update tag` for the tagged ones
/// whose tag no longer says what the figure does.
fn tag_actions(
    snap: &Snapshot,
    a: &Analysed,
    span: &Span<usize>,
    out: &mut Vec<CodeActionOrCommand>,
) {
    let figures = selected(&a.analysis.figures, span);
    if figures.is_empty() {
        // No action to offer (an action needs edits): the text need not be made.
        return;
    }
    let text = a.text();
    let mut tag = Vec::new();
    let mut update = Vec::new();
    let (mut tagged_n, mut untagged_n) = (0, 0);
    for f in figures {
        match tag_of(&a.tags, f) {
            Some(t) => {
                let e = tags::update_edits(&text, t, f);
                tagged_n += usize::from(!e.is_empty());
                update.extend(e);
            }
            None => {
                let e = tags::tag_edits(&text, f, snap.config.tags);
                untagged_n += usize::from(!e.is_empty());
                tag.extend(e);
            }
        }
    }
    let title = |one: &str, n: usize| {
        if n > 1 {
            format!("{one}s ({n})")
        } else {
            one.to_string()
        }
    };
    out.extend(action(
        snap,
        title("Tag figure", untagged_n),
        CodeActionKind::REFACTOR_REWRITE,
        &tag,
    ));
    out.extend(action(
        snap,
        title("Update tag", tagged_n),
        CodeActionKind::REFACTOR_REWRITE,
        &update,
    ));
}

/// `Tag all figures` (every untagged figure, in the configured syntax) and `Remove all tags`,
/// each offered when it edits something.
fn source_actions(snap: &Snapshot, a: &Analysed, out: &mut Vec<CodeActionOrCommand>) {
    let text = a.text();
    for source in [Source::TagAll, Source::RemoveAll] {
        let edits = convert::text_edits_in(&text, &source.edits(snap, a), snap.encoding);
        if !edits.is_empty() {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: source.title().into(),
                kind: Some(CodeActionKind::SOURCE),
                edit: Some(convert::workspace_edit(&snap.uri, edits)),
                ..CodeAction::default()
            }));
        }
    }
}

/// The source actions without their edits, for `codeAction/resolve`: `Tag all figures` when
/// a figure has no tag, `Remove all tags` when the document has tags.
fn source_actions_unresolved(snap: &Snapshot, a: &Analysed, out: &mut Vec<CodeActionOrCommand>) {
    let untagged = a
        .analysis
        .figures
        .iter()
        .any(|f| tag_of(&a.tags, f).is_none());
    for (source, offered) in [
        (Source::TagAll, untagged),
        (Source::RemoveAll, !a.tags.is_empty()),
    ] {
        if offered {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: source.title().into(),
                kind: Some(CodeActionKind::SOURCE),
                data: Some(source.data(&snap.uri)),
                ..CodeAction::default()
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_filter_hierarchically() {
        let q = CodeActionKind::QUICKFIX;
        let r = CodeActionKind::REFACTOR_REWRITE;
        assert!(wanted(None, &r));
        assert!(wanted(Some(&[CodeActionKind::REFACTOR]), &r));
        assert!(!wanted(Some(&[CodeActionKind::REFACTOR]), &q));
        assert!(!wanted(Some(&[CodeActionKind::new("refactor.re")]), &r));
        assert!(wanted(Some(&[CodeActionKind::SOURCE, q.clone()]), &q));
    }
}
