//! Language-server tests for structured tags (SPEC §4, §5; issue 5's quality bar): every
//! tag action's edit, completion inside a tag's braces and hover on a tag, each run for a
//! client that offers UTF-8 positions and for one that offers only UTF-16.
//!
//! The documents put their figures after emoji (😀, two UTF-16 units, four bytes), CJK
//! (漢字, one unit, three bytes each), Cyrillic and a combining mark (e + U+0301), most with
//! CRLF line ends, so a column counted in the wrong unit moves an edit. Edits are applied
//! here, client-side, by [`apply`], which counts columns in the negotiated encoding on its
//! own (it does not use the server's `position` module) and refuses a position inside a
//! character or past the end of its line, as a careful editor would.

mod common;

use serde_json::{json, Value};

use common::{model_position, Lsp};

/// Both encodings for one scenario: `scenario::utf8` and `scenario::utf16`.
macro_rules! both_encodings {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn utf8() {
                super::$scenario(true).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn utf16() {
                super::$scenario(false).await;
            }
        }
    )*};
}

both_encodings!(
    tag_figure_at_the_cursor,
    tag_figures_in_a_selection,
    update_tag_and_the_stale_tag_fix,
    source_actions_round_trip,
    source_actions_resolved_when_chosen,
    html_style_actions,
    completion_inside_tag_braces,
    hover_on_tags,
);

// ---------------------------------------------------------------------------------------
// The client side: positions and edits, counted independently of the server.

/// The byte offset of an LSP position in `text`, its column counted in UTF-8 bytes or UTF-16
/// units. Lines end at `\n`, `\r\n` or `\r` (LSP 3.17). Panics on a line past the end, a
/// column past the end of its line, or a column inside a character.
fn offset_at(text: &str, pos: &Value, utf8: bool) -> usize {
    let line = pos["line"].as_u64().expect("line") as usize;
    let col = pos["character"].as_u64().expect("character") as usize;
    let mut start = 0;
    for _ in 0..line {
        let rest = &text[start..];
        let brk = rest
            .find(['\n', '\r'])
            .unwrap_or_else(|| panic!("{pos} is past the last line of {text:?}"));
        start += brk
            + if rest[brk..].starts_with("\r\n") {
                2
            } else {
                1
            };
    }
    let end = text[start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| start + i);
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units == col {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
        assert!(units <= col, "{pos} falls inside {c:?} in {text:?}");
    }
    assert_eq!(units, col, "{pos} is past the end of its line in {text:?}");
    end
}

/// An LSP range for the bytes `a..b` of `text`.
fn range(text: &str, a: usize, b: usize, utf8: bool) -> Value {
    let (l0, c0) = model_position(text, a, utf8);
    let (l1, c1) = model_position(text, b, utf8);
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

/// An empty range (a cursor) at byte `at`.
fn cursor(text: &str, at: usize, utf8: bool) -> Value {
    range(text, at, at, utf8)
}

/// Where `needle` starts in `text` (the first occurrence).
fn at(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"))
}

/// Apply LSP `TextEdit`s to `text` as an editor does: ranges must not overlap, and inserts
/// at one position go in the order given.
fn apply(text: &str, edits: &[Value], utf8: bool) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let a = offset_at(text, &e["range"]["start"], utf8);
            let b = offset_at(text, &e["range"]["end"], utf8);
            assert!(a <= b, "inverted range in {e}");
            (a, b, e["newText"].as_str().expect("newText"))
        })
        .collect();
    spans.sort_by_key(|s| s.0);
    let mut out = String::new();
    let mut pos = 0;
    for (a, b, new) in spans {
        assert!(a >= pos, "overlapping edits in {edits:?}");
        out.push_str(&text[pos..a]);
        out.push_str(new);
        pos = b;
    }
    out.push_str(&text[pos..]);
    out
}

/// The text edits a code action makes to `uri` (from `changes` or `documentChanges`).
fn edits_of(action: &Value, uri: &str) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(e) = edit["changes"][uri].as_array() {
        return e.clone();
    }
    edit["documentChanges"]
        .as_array()
        .and_then(|d| d.iter().find(|c| c["textDocument"]["uri"] == uri))
        .and_then(|c| c["edits"].as_array().cloned())
        .unwrap_or_else(|| panic!("no edit to {uri} in {action}"))
}

// ---------------------------------------------------------------------------------------
// The server side of a session.

/// A server in this process, initialized by a client offering UTF-8 (and UTF-16) or only
/// UTF-16, with `options` over `{"debounce": 0}`.
async fn start(utf8: bool, options: Value) -> Lsp {
    let mut lsp = Lsp::in_process();
    let mut init = json!({"debounce": 0});
    for (k, v) in options.as_object().into_iter().flatten() {
        init[k] = v.clone();
    }
    let offered: &[&str] = if utf8 {
        &["utf-8", "utf-16"]
    } else {
        &["utf-16"]
    };
    let result = lsp.initialize(offered, init, None).await;
    assert_eq!(
        result["capabilities"]["positionEncoding"],
        if utf8 { "utf-8" } else { "utf-16" }
    );
    lsp
}

/// Open `text` as Markdown and wait for its first diagnostics (the analysis is done).
async fn open(lsp: &mut Lsp, uri: &str, text: &str) -> Vec<Value> {
    lsp.open(uri, "markdown", text).await;
    lsp.diagnostics(uri, Some(1)).await
}

/// Replace the whole of `uri` by `text` at `version` and wait for its diagnostics.
async fn replace(lsp: &mut Lsp, uri: &str, version: i32, text: &str) -> Vec<Value> {
    lsp.change(uri, version, json!([{"text": text}])).await;
    lsp.diagnostics(uri, Some(i64::from(version))).await
}

async fn code_actions(
    lsp: &mut Lsp,
    uri: &str,
    range: Value,
    diagnostics: Value,
    only: Option<&[&str]>,
) -> Vec<Value> {
    let mut context = json!({"diagnostics": diagnostics});
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let r = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
        )
        .await;
    r.as_array().cloned().unwrap_or_default()
}

fn titles(actions: &[Value]) -> Vec<&str> {
    actions
        .iter()
        .map(|a| a["title"].as_str().expect("title"))
        .collect()
}

/// The one action titled `title`.
fn the<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    let found: Vec<&Value> = actions.iter().filter(|a| a["title"] == title).collect();
    assert_eq!(
        found.len(),
        1,
        "want one {title:?} among {:?}",
        titles(actions)
    );
    found[0]
}

async fn completion_labels(lsp: &mut Lsp, uri: &str, text: &str, at: usize, utf8: bool) -> Value {
    let (line, character) = model_position(text, at, utf8);
    lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    )
    .await
}

fn labels(items: &Value) -> Vec<&str> {
    let list = items
        .as_array()
        .or_else(|| items["items"].as_array())
        .unwrap_or_else(|| panic!("no completion items: {items}"));
    list.iter()
        .map(|i| i["label"].as_str().expect("label"))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Scenarios.

/// Figures after Cyrillic, emoji, CJK and a combining mark, on the third line of a CRLF
/// document.
const AFTER_UNICODE: &str = "# Сводка 😀 漢字\r\n\r\ne\u{301}té 😀 Police seized 14 tons of drugs and 漢字 over 4,431 pieces of ammunition.\r\n";

/// 1. `Tag figure` with the cursor at the start, inside and just after a figure.
async fn tag_figure_at_the_cursor(utf8: bool) {
    let mut lsp = start(utf8, json!({})).await;
    let uri = "file:///tmp/briefing-ls-tags/cursor.md";
    let text = AFTER_UNICODE;
    open(&mut lsp, uri, text).await;

    let tons = "Police seized [14 tons]{.fig value=14 unit=t} of drugs";
    let pieces = "漢字 [over 4,431 pieces]{.fig value=4431 qual=over noun=pieces} of ammunition";
    let cases = [
        (
            at(text, "14 tons"),
            text.replace("14 tons", "[14 tons]{.fig value=14 unit=t}"),
        ),
        (
            at(text, "14 tons") + "14 tons".len(),
            text.replace("14 tons", "[14 tons]{.fig value=14 unit=t}"),
        ),
        (
            at(text, "4,431") + 2,
            text.replace(
                "over 4,431 pieces",
                "[over 4,431 pieces]{.fig value=4431 qual=over noun=pieces}",
            ),
        ),
    ];
    for (i, (offset, want)) in cases.iter().enumerate() {
        let actions =
            code_actions(&mut lsp, uri, cursor(text, *offset, utf8), json!([]), None).await;
        assert!(
            !titles(&actions).contains(&"Update tag"),
            "{:?}",
            titles(&actions)
        );
        let tag = the(&actions, "Tag figure");
        assert_eq!(tag["kind"], "refactor.rewrite");
        let got = apply(text, &edits_of(tag, uri), utf8);
        assert_eq!(&got, want, "case {i}");
        assert!(got.contains(if i < 2 { tons } else { pieces }), "{got}");
    }

    // Asked for refactorings only, the same action comes alone; quick fixes and source
    // actions are not mixed in.
    let only = code_actions(
        &mut lsp,
        uri,
        cursor(text, at(text, "14 tons"), utf8),
        json!([]),
        Some(&["refactor"]),
    )
    .await;
    assert_eq!(titles(&only), vec!["Tag figure"]);

    // No figure under the cursor (in the heading): nothing to tag.
    let none = code_actions(
        &mut lsp,
        uri,
        cursor(text, at(text, "Сводка"), utf8),
        json!([]),
        Some(&["refactor"]),
    )
    .await;
    assert_eq!(titles(&none), Vec::<&str>::new());
    lsp.shutdown_and_exit().await;
}

/// 2. `Tag figure` on a selection across CRLF lines tags every figure it overlaps, and
///    only those.
async fn tag_figures_in_a_selection(utf8: bool) {
    let mut lsp = start(utf8, json!({})).await;
    let uri = "file:///tmp/briefing-ls-tags/selection.md";
    let text = "漢字 😀 e\u{301}: police seized 14 tons of drugs,\r\nover 4,431 pieces of ammunition 😀 and 148 weapons.\r\nLater 😀 5 kg more.\r\n";
    open(&mut lsp, uri, text).await;

    // From inside `14 tons` to inside `148 weapons`: three figures, not `5 kg`.
    let sel = range(text, at(text, "4 tons"), at(text, "48 weapons") + 1, utf8);
    let actions = code_actions(&mut lsp, uri, sel, json!([]), None).await;
    let tag = the(&actions, "Tag figures (3)");
    assert_eq!(tag["kind"], "refactor.rewrite");
    assert!(
        !titles(&actions).contains(&"Tag figure"),
        "{:?}",
        titles(&actions)
    );
    assert_eq!(
        apply(text, &edits_of(tag, uri), utf8),
        "漢字 😀 e\u{301}: police seized [14 tons]{.fig value=14 unit=t} of drugs,\r\n\
         [over 4,431 pieces]{.fig value=4431 qual=over noun=pieces} of ammunition 😀 and \
         [148 weapons]{.fig value=148 noun=weapons}.\r\nLater 😀 5 kg more.\r\n"
    );

    // A selection that ends where the next figure starts does not take it in; one that
    // covers a single figure says so in the singular.
    let sel = range(text, at(text, "Later"), at(text, "5 kg"), utf8);
    let actions = code_actions(&mut lsp, uri, sel, json!([]), Some(&["refactor"])).await;
    assert_eq!(titles(&actions), Vec::<&str>::new());
    let sel = range(text, at(text, "Later"), text.len(), utf8);
    let actions = code_actions(&mut lsp, uri, sel, json!([]), Some(&["refactor"])).await;
    let tag = the(&actions, "Tag figure");
    assert_eq!(
        apply(text, &edits_of(tag, uri), utf8),
        text.replace("5 kg", "[5 kg]{.fig value=5 unit=kg}")
    );
    lsp.shutdown_and_exit().await;
}

/// 3. A tag whose text was edited: `Update tag` instead of `Tag figure`, and the
///    `stale-tag` diagnostic's quick fix, both rewriting the attributes (keeping `#id` and
///    `cat`); a tag that still matches offers neither.
async fn update_tag_and_the_stale_tag_fix(utf8: bool) {
    let mut lsp = start(utf8, json!({})).await;
    let uri = "file:///tmp/briefing-ls-tags/stale.md";
    let stale = "[15 tons]{#haul .fig value=14 unit=t cat=seizures}";
    let fresh = "[over 4,431 pieces]{.fig value=4431 qual=over noun=pieces}";
    let text = format!(
        "# 漢字 😀\r\n\r\ne\u{301} 😀 Police seized {stale} of drugs and 漢字 {fresh}.\r\n"
    );
    let text = text.as_str();
    let want = text.replace(stale, "[15 tons]{#haul .fig value=15 unit=t cat=seizures}");
    let diags = open(&mut lsp, uri, text).await;

    // The refactoring on the stale tag's figure.
    let on_figure = cursor(text, at(text, "15 tons") + 1, utf8);
    let actions = code_actions(
        &mut lsp,
        uri,
        on_figure.clone(),
        json!([]),
        Some(&["refactor"]),
    )
    .await;
    assert_eq!(titles(&actions), vec!["Update tag"]);
    assert_eq!(actions[0]["kind"], "refactor.rewrite");
    assert_eq!(apply(text, &edits_of(&actions[0], uri), utf8), want);
    // Asked for everything, the editor lists `Update tag` once: the refactoring and the
    // stale-tag quick fix make the same edit, and the quick fix (with its diagnostic) wins.
    let actions = code_actions(&mut lsp, uri, on_figure, json!([]), None).await;
    assert!(
        !titles(&actions).contains(&"Tag figure"),
        "{:?}",
        titles(&actions)
    );
    let update = the(&actions, "Update tag");
    assert_eq!(update["kind"], "quickfix");
    assert_eq!(apply(text, &edits_of(update, uri), utf8), want);

    // The diagnostic: on the whole tag, saying what differs.
    let stale_diags: Vec<&Value> = diags.iter().filter(|d| d["code"] == "stale-tag").collect();
    assert_eq!(stale_diags.len(), 1, "{diags:?}");
    let d = stale_diags[0];
    let tag_at = at(text, stale);
    assert_eq!(d["range"], range(text, tag_at, tag_at + stale.len(), utf8));
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("`value` is 14 but the text says 15"),
        "{message}"
    );

    // Its quick fix, asked for with the diagnostic as an editor does.
    let fixes = code_actions(
        &mut lsp,
        uri,
        d["range"].clone(),
        json!([d]),
        Some(&["quickfix"]),
    )
    .await;
    let fix = the(&fixes, "Update tag");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "stale-tag");
    assert_eq!(apply(text, &edits_of(fix, uri), utf8), want);
    // The fix travels in the diagnostic's data too, with the same edit.
    let data_edits = d["data"]["fixes"][0]["edits"]
        .as_array()
        .expect("fixes in data");
    assert_eq!(apply(text, data_edits, utf8), want);

    // A tag that still matches its text: neither `Tag figure` nor `Update tag`.
    let actions = code_actions(
        &mut lsp,
        uri,
        cursor(text, at(text, "4,431"), utf8),
        json!([]),
        Some(&["refactor"]),
    )
    .await;
    assert_eq!(titles(&actions), Vec::<&str>::new());

    // Once updated, the warning goes and nothing is left to update.
    let diags = replace(&mut lsp, uri, 2, &want).await;
    assert!(!diags.iter().any(|d| d["code"] == "stale-tag"), "{diags:?}");
    let actions = code_actions(
        &mut lsp,
        uri,
        cursor(&want, at(&want, "15 tons"), utf8),
        json!([]),
        Some(&["refactor"]),
    )
    .await;
    assert_eq!(titles(&actions), Vec::<&str>::new());
    lsp.shutdown_and_exit().await;
}

/// A Markdown draft with a list, a code block (whose number is not a figure to tag) and a
/// table, CRLF throughout.
const DRAFT: &str = "# Итоги 😀\r\n\r\n- 漢字: police seized 14 tons of drugs.\r\n- e\u{301}: over 4,431 pieces of ammunition 😀 and 148 weapons.\r\n\r\n```\r\nkeep 15 tons\r\n```\r\n\r\n| 漢字 | 2 km |\r\n|---|---|\r\n";

const DRAFT_TAGGED: &str = "# Итоги 😀\r\n\r\n- 漢字: police seized [14 tons]{.fig value=14 unit=t} of drugs.\r\n- e\u{301}: [over 4,431 pieces]{.fig value=4431 qual=over noun=pieces} of ammunition 😀 and [148 weapons]{.fig value=148 noun=weapons}.\r\n\r\n```\r\nkeep 15 tons\r\n```\r\n\r\n| 漢字 | [2 km]{.fig value=2 unit=km} |\r\n|---|---|\r\n";

/// 4. `Tag all figures` then `Remove all tags` gives back the original bytes; once every
///    figure is tagged, `Tag all figures` is no longer offered.
async fn source_actions_round_trip(utf8: bool) {
    let mut lsp = start(utf8, json!({})).await;
    let uri = "file:///tmp/briefing-ls-tags/draft.md";
    open(&mut lsp, uri, DRAFT).await;
    let anywhere = cursor(DRAFT, 0, utf8);

    // Untagged: only `Tag all figures` (there is nothing to remove).
    let actions = code_actions(
        &mut lsp,
        uri,
        anywhere.clone(),
        json!([]),
        Some(&["source"]),
    )
    .await;
    assert_eq!(titles(&actions), vec!["Tag all figures"]);
    let tag_all = &actions[0];
    assert_eq!(tag_all["kind"], "source");
    let tagged = apply(DRAFT, &edits_of(tag_all, uri), utf8);
    assert_eq!(tagged, DRAFT_TAGGED);
    // The same edits as `briefing-ls tag --all` (the core's verified tag-all).
    let config = briefing_ls::Config::default();
    let figures = briefing_ls::figures::extract(DRAFT, &config);
    let core = briefing_ls::tags::tag_all_edits_lang(
        DRAFT,
        &figures,
        config.tags,
        briefing_ls::prose::Language::Markdown,
    );
    assert_eq!(tagged, briefing_ls::tags::apply_edits(DRAFT, &core));

    // Tagged: only `Remove all tags` — a second `Tag all figures` would change nothing, so
    // it is not offered at all.
    replace(&mut lsp, uri, 2, &tagged).await;
    let anywhere = cursor(&tagged, tagged.len(), utf8);
    let actions = code_actions(&mut lsp, uri, anywhere, json!([]), Some(&["source"])).await;
    assert_eq!(titles(&actions), vec!["Remove all tags"]);
    let remove_all = &actions[0];
    assert_eq!(remove_all["kind"], "source");
    assert_eq!(apply(&tagged, &edits_of(remove_all, uri), utf8), DRAFT);

    // Partly tagged: both actions, in that order; `Tag all figures` leaves the existing tag
    // alone and tags the rest, `Remove all tags` removes the existing one only.
    let partly = DRAFT.replace("14 tons", "[14 tons]{.fig value=14 unit=t}");
    replace(&mut lsp, uri, 3, &partly).await;
    let actions = code_actions(
        &mut lsp,
        uri,
        cursor(&partly, at(&partly, "Итоги"), utf8),
        json!([]),
        None,
    )
    .await;
    let sources: Vec<&Value> = actions.iter().filter(|a| a["kind"] == "source").collect();
    assert_eq!(
        sources
            .iter()
            .map(|a| a["title"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["Tag all figures", "Remove all tags"]
    );
    assert_eq!(
        apply(&partly, &edits_of(sources[0], uri), utf8),
        DRAFT_TAGGED
    );
    assert_eq!(apply(&partly, &edits_of(sources[1], uri), utf8), DRAFT);
    lsp.shutdown_and_exit().await;
}

/// 4b. A client that resolves code actions' edits gets the source actions without their
///     edits (whole-document edits, computed at every move of the cursor otherwise), and
///     the very same edits from `codeAction/resolve` when it chooses one.
async fn source_actions_resolved_when_chosen(utf8: bool) {
    let mut lsp = Lsp::in_process();
    lsp.resolve_edits = true;
    let offered: &[&str] = if utf8 {
        &["utf-8", "utf-16"]
    } else {
        &["utf-16"]
    };
    let init = lsp.initialize(offered, json!({"debounce": 0}), None).await;
    assert_eq!(
        init["capabilities"]["codeActionProvider"]["resolveProvider"],
        true
    );
    let uri = "file:///tmp/briefing-ls-tags/resolved.md";
    open(&mut lsp, uri, DRAFT).await;

    let actions = code_actions(&mut lsp, uri, cursor(DRAFT, 0, utf8), json!([]), None).await;
    let tag_all = the(&actions, "Tag all figures");
    assert_eq!(tag_all["kind"], "source");
    assert!(
        tag_all.get("edit").is_none(),
        "offered with its edit: {tag_all}"
    );
    assert!(
        !titles(&actions).contains(&"Remove all tags"),
        "nothing to remove"
    );
    let resolved = lsp.request("codeAction/resolve", tag_all.clone()).await;
    assert_eq!(resolved["title"], "Tag all figures");
    let tagged = apply(DRAFT, &edits_of(&resolved, uri), utf8);
    assert_eq!(tagged, DRAFT_TAGGED);

    replace(&mut lsp, uri, 2, &tagged).await;
    let anywhere = cursor(&tagged, tagged.len(), utf8);
    let actions = code_actions(&mut lsp, uri, anywhere, json!([]), Some(&["source"])).await;
    assert_eq!(titles(&actions), vec!["Remove all tags"]);
    assert!(actions[0].get("edit").is_none(), "{}", actions[0]);
    let resolved = lsp.request("codeAction/resolve", actions[0].clone()).await;
    assert_eq!(apply(&tagged, &edits_of(&resolved, uri), utf8), DRAFT);

    // An action that is not one to resolve comes back as it went; a document closed in
    // the meantime is a clear error, not an empty edit.
    let other = json!({"title": "Something else", "data": {"source": "elsewhere"}});
    assert_eq!(
        lsp.request("codeAction/resolve", other.clone()).await,
        other
    );
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    // Closed once its diagnostics are cleared (published without a version).
    assert!(lsp.diagnostics(uri, None).await.is_empty());
    let closed = lsp
        .request_raw("codeAction/resolve", actions[0].clone())
        .await;
    let message = closed["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("is not open"), "{closed}");
    lsp.shutdown_and_exit().await;
}

/// 5. With `tags = "html"`, the actions write the HTML `data` element.
async fn html_style_actions(utf8: bool) {
    let mut lsp = start(utf8, json!({"tags": "html"})).await;
    let uri = "file:///tmp/briefing-ls-tags/html.md";
    let text =
        "e\u{301} 😀 漢字 Police seized 14 tons of drugs,\r\nover 4,431 pieces of ammunition.\r\n";
    open(&mut lsp, uri, text).await;
    assert_eq!(lsp.debug(uri).await["settings"]["tags"], "html");
    let tons = "<data class=\"fig\" value=\"14\" data-unit=\"t\">14 tons</data>";
    let pieces = "<data class=\"fig\" value=\"4431\" data-qual=\"over\" data-noun=\"pieces\">over 4,431 pieces</data>";

    let actions = code_actions(
        &mut lsp,
        uri,
        cursor(text, at(text, "14 tons") + 3, utf8),
        json!([]),
        None,
    )
    .await;
    let tag = the(&actions, "Tag figure");
    assert_eq!(
        apply(text, &edits_of(tag, uri), utf8),
        text.replace("14 tons", tons)
    );

    let actions = code_actions(
        &mut lsp,
        uri,
        cursor(text, 0, utf8),
        json!([]),
        Some(&["source"]),
    )
    .await;
    let tagged = apply(text, &edits_of(the(&actions, "Tag all figures"), uri), utf8);
    assert_eq!(
        tagged,
        text.replace("14 tons", tons)
            .replace("over 4,431 pieces", pieces)
    );

    // Edit the tagged text: `Update tag` rewrites the start tag, in HTML still.
    let edited = tagged.replace(">14 tons<", ">15 tons<");
    replace(&mut lsp, uri, 2, &edited).await;
    let actions = code_actions(
        &mut lsp,
        uri,
        cursor(&edited, at(&edited, "15 tons"), utf8),
        json!([]),
        Some(&["refactor"]),
    )
    .await;
    assert_eq!(titles(&actions), vec!["Update tag"]);
    assert_eq!(
        apply(&edited, &edits_of(&actions[0], uri), utf8),
        tagged.replace(
            "value=\"14\" data-unit=\"t\">14 tons",
            "value=\"15\" data-unit=\"t\">15 tons"
        )
    );

    // And `Remove all tags` takes HTML tags off byte for byte too.
    let actions = code_actions(
        &mut lsp,
        uri,
        cursor(&edited, 0, utf8),
        json!([]),
        Some(&["source"]),
    )
    .await;
    assert_eq!(titles(&actions), vec!["Remove all tags"]);
    assert_eq!(
        apply(&edited, &edits_of(&actions[0], uri), utf8),
        text.replace("14 tons", "15 tons")
    );
    lsp.shutdown_and_exit().await;
}

/// 6. Completion inside a tag's braces: attribute names, canonical units after `unit=`,
///    the configured categories after `cat=`; nothing in the prose. Text follows every
///    cursor, so a column counted in the wrong unit lands somewhere that completes
///    differently (or not at all).
async fn completion_inside_tag_braces(utf8: bool) {
    let mut lsp = start(utf8, json!({"categories": ["arrests", "seizures"]})).await;
    let prefix = "# 漢字 😀\r\n\r\ne\u{301} 😀 漢字 Police seized ";

    let uri = "file:///tmp/briefing-ls-tags/complete-name.md";
    let text = format!("{prefix}[14 tons]{{.fig un value=14}} of drugs.\r\n");
    open(&mut lsp, uri, &text).await;
    let items = completion_labels(&mut lsp, uri, &text, at(&text, "un ") + 2, utf8).await;
    assert_eq!(
        labels(&items),
        vec!["value", "low", "high", "unit", "qual", "noun", "per", "id", "cat"]
    );
    let unit = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "unit")
        .unwrap();
    assert_eq!(unit["insertText"], "unit=");
    // In the prose before the tag: nothing.
    let none = completion_labels(&mut lsp, uri, &text, at(&text, "Police"), utf8).await;
    assert_eq!(none, Value::Null);

    let uri = "file:///tmp/briefing-ls-tags/complete-unit.md";
    let text = format!("{prefix}[14 tons]{{.fig value=14 unit= cat=seizures}} of drugs.\r\n");
    open(&mut lsp, uri, &text).await;
    let items = completion_labels(&mut lsp, uri, &text, at(&text, "unit=") + 5, utf8).await;
    let units = labels(&items);
    for u in ["t", "kg", "USD", "KZT", "%", "km"] {
        assert!(units.contains(&u), "{u} not in {units:?}");
    }
    for not in ["tons", "value", "arrests"] {
        assert!(!units.contains(&not), "{not} in {units:?}");
    }

    let uri = "file:///tmp/briefing-ls-tags/complete-cat.md";
    let text = format!("{prefix}[148 weapons]{{.fig value=148 noun=weapons cat=}} seized.\r\n");
    open(&mut lsp, uri, &text).await;
    let items = completion_labels(&mut lsp, uri, &text, at(&text, "cat=") + 4, utf8).await;
    assert_eq!(labels(&items), vec!["arrests", "seizures"]);
    lsp.shutdown_and_exit().await;
}

/// 7. Hover on a tag shows its attributes and whether they still match its text; hover on
///    a tagged figure shows the tag too.
async fn hover_on_tags(utf8: bool) {
    let mut lsp = start(utf8, json!({})).await;
    let uri = "file:///tmp/briefing-ls-tags/hover.md";
    let fresh = "[14 tons]{.fig value=14 unit=t}";
    let stale = "[15 tons]{.fig value=14 unit=t}";
    let gone = "[a few boats]{.fig value=3 noun=boats}";
    let html = "<data class=\"fig\" value=\"4431\" data-qual=\"over\" data-noun=\"pieces\">over 4,431 pieces</data>";
    let text = format!(
        "# 漢字 😀\r\n\r\ne\u{301} 😀 Police seized {fresh} of drugs,\r\n漢字 {stale} of cocaine and 😀 {html}.\r\n{gone} left.\r\n"
    );
    let text = text.as_str();
    open(&mut lsp, uri, text).await;
    let hover = |h: &Value| {
        assert_eq!(h["contents"]["kind"], "markdown", "{h}");
        h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let pos = |offset: usize| model_position(text, offset, utf8);

    // On the markup of a tag that matches: its attributes, and that they match.
    let (start_f, start_s, start_h) = (at(text, fresh), at(text, stale), at(text, html));
    let (l, c) = pos(start_f + "[14 tons]{.f".len());
    let h = lsp.hover(uri, l, c).await;
    let md = hover(&h);
    assert!(md.contains("**tag** (span) on `14 tons`"), "{md}");
    assert!(md.contains("- `value` = 14\n- `unit` = t\n"), "{md}");
    assert!(md.contains("- **status:** matches its text"), "{md}");
    assert_eq!(
        h["range"],
        range(text, start_f, start_f + fresh.len(), utf8)
    );

    // On the markup of a stale one: what no longer matches.
    let (l, c) = pos(start_s + "[15 tons]{.fig val".len());
    let h = lsp.hover(uri, l, c).await;
    let md = hover(&h);
    assert!(md.contains("**tag** (span) on `15 tons`"), "{md}");
    assert!(md.contains("- `value` = 14\n"), "{md}");
    assert!(
        md.contains("- **status:** no longer matches its text: `value` is 14 but the text says 15"),
        "{md}"
    );
    assert_eq!(
        h["range"],
        range(text, start_s, start_s + stale.len(), utf8)
    );

    // An HTML tag, under canonical attribute names.
    let (l, c) = pos(start_h + 3);
    let h = lsp.hover(uri, l, c).await;
    let md = hover(&h);
    assert!(md.contains("**tag** (html) on `over 4,431 pieces`"), "{md}");
    assert!(
        md.contains("- `value` = 4431\n- `qual` = over\n- `noun` = pieces\n"),
        "{md}"
    );
    assert!(md.contains("- **status:** matches its text"), "{md}");
    assert_eq!(h["range"], range(text, start_h, start_h + html.len(), utf8));

    // A tag whose text no longer states any figure.
    let start_g = at(text, gone);
    let (l, c) = pos(start_g + gone.len() - 1);
    let h = lsp.hover(uri, l, c).await;
    let md = hover(&h);
    assert!(md.contains("**tag** (span) on `a few boats`"), "{md}");
    assert!(
        md.contains("- **status:** no longer matches its text: the text states no figure"),
        "{md}"
    );
    assert_eq!(h["range"], range(text, start_g, start_g + gone.len(), utf8));

    // On the figure inside a tag: the figure, with the tag and its status.
    let (l, c) = pos(start_s + 1);
    let h = lsp.hover(uri, l, c).await;
    let md = hover(&h);
    assert!(md.starts_with("`15 tons` — mass"), "{md}");
    assert!(
        md.contains("- **tag:** `value=14` `unit=t` — no longer matches its text: `value` is 14 but the text says 15"),
        "{md}"
    );
    assert_eq!(h["range"], range(text, start_s + 1, start_s + 8, utf8));
    let (l, c) = pos(start_f + 1);
    let md = hover(&lsp.hover(uri, l, c).await);
    assert!(md.starts_with("`14 tons` — mass"), "{md}");
    assert!(
        md.contains("- **tag:** `value=14` `unit=t` — matches its text"),
        "{md}"
    );
    lsp.shutdown_and_exit().await;
}
