#!/usr/bin/env python3
"""Seed inputs for the `lsp_bytes` target: whole sessions that use every request and
notification the server handles, with the optional fields clients send filled in (a code
action's context with full diagnostics, completion contexts, configuration answers, watched
files, cancellation), so that mutation starts from the protocol's shapes rather than having
to find them. Writes corpus/lsp_bytes/seed-<name>; the target splits its input at `|`.

    python3 fuzz/seeds/lsp_bytes.py
"""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "corpus" / "lsp_bytes"
URI = "file:///w/a.md"
TEXT = (
    "# Raid\n\nPolice seized 148 weapons and over 4,431 pieces of ammunition, 800kg of "
    "cannabis and 14 tons of cement.\n\nThe budget was 707 billion tenge, of which 1.2 "
    "billion went to roads. Exports rose 12% from $4.1bn to $3.9bn.\n\n"
    "- Officers: 1,200\n- Vehicles: 35\n\n| Region | Cases |\n|---|---|\n| North | 12 |\n"
    "| Total | 20 |\n\nIt cost $1.8 billion (£9.4 million). [148 weapons]{#w .fig value=149 noun=weapons cat=seizures} <data class=\"fig\" value=\"5\">6</data>\n"
)


def frame(msg):
    # `|` splits the target's input into writes: inside JSON it is written as an escape.
    body = json.dumps(msg).replace("|", "\\u007c")
    return f"Content-Length: {len(body.encode())}\r\n\r\n{body}"


def note(method, params):
    return frame({"jsonrpc": "2.0", "method": method, "params": params})


def req(i, method, params):
    return frame({"jsonrpc": "2.0", "id": i, "method": method, "params": params})


def rng(l0, c0, l1, c1):
    return {"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}}


DOC = {"uri": URI}
OPEN = note(
    "textDocument/didOpen",
    {"textDocument": {"uri": URI, "languageId": "markdown", "version": 1, "text": TEXT}},
)
DIAG = {
    "range": rng(4, 40, 4, 52),
    "severity": 2,
    "code": "change-mismatch",
    "codeDescription": {"href": "https://example.org/checks#change-mismatch"},
    "source": "briefing-ls",
    "message": "rose 12% but $4.1bn to $3.9bn is a fall",
    "tags": [1, 2],
    "relatedInformation": [
        {"location": {"uri": URI, "range": rng(4, 0, 4, 5)}, "message": "here"}
    ],
    "data": {"fix": "fell", "n": 1.5, "list": [None, True]},
}
DIAG_NUM = dict(DIAG, code=7, severity=1, tags=[], data=None)

SESSIONS = {
    "code-action-context": [
        note("initialized", {}),
        OPEN,
        req(1, "textDocument/codeAction", {
            "textDocument": DOC, "range": rng(4, 0, 4, 80),
            "context": {"diagnostics": [DIAG, DIAG_NUM], "only": ["quickfix", "refactor.rewrite", "source"],
                        "triggerKind": 1},
            "workDoneToken": "w1", "partialResultToken": 9,
        }),
        req(2, "textDocument/codeAction", {
            "textDocument": DOC, "range": rng(0, 0, 20, 0),
            "context": {"diagnostics": [], "only": ["source"], "triggerKind": 2},
        }),
        req(3, "codeAction/resolve", {"title": "Tag figure", "kind": "refactor.rewrite",
                                      "diagnostics": [DIAG], "isPreferred": True, "data": {"x": 1}}),
        req(4, "shutdown", None),
        note("exit", None),
    ],
    "completion-hover-symbols": [
        note("initialized", {}),
        OPEN,
        req(1, "textDocument/completion", {
            "textDocument": DOC, "position": {"line": 10, "character": 45},
            "context": {"triggerKind": 2, "triggerCharacter": "{"}, "workDoneToken": 3,
        }),
        req(2, "textDocument/completion", {"textDocument": DOC, "position": {"line": 2, "character": 20},
                                           "context": {"triggerKind": 3}}),
        req(3, "textDocument/hover", {"textDocument": DOC, "position": {"line": 4, "character": 17},
                                      "workDoneToken": "h"}),
        req(4, "textDocument/documentSymbol", {"textDocument": DOC, "partialResultToken": "p"}),
        note("$/cancelRequest", {"id": 4}),
        note("$/setTrace", {"value": "verbose"}),
        req(5, "workspace/executeCommand", {"command": "briefing-ls.exportFigures", "arguments": [URI]}),
        req(6, "workspace/executeCommand", {"command": "briefing-ls.exportFigures", "arguments": [{"uri": URI}]}),
        req(7, "briefing-ls/debugDocument", {"textDocument": DOC}),
    ],
    "edits-and-settings": [
        note("initialized", {}),
        OPEN,
        note("textDocument/didChange", {
            "textDocument": {"uri": URI, "version": 2},
            "contentChanges": [
                {"range": rng(2, 14, 2, 17), "rangeLength": 3, "text": "150"},
                {"range": rng(4, 0, 5, 0), "text": ""},
                {"range": rng(0, 0, 0, 0), "text": "Über 5\u00a0000 € — “2,5 %”\n"},
            ],
        }),
        note("textDocument/didChange", {"textDocument": {"uri": URI, "version": 3},
                                        "contentChanges": [{"text": "Seized 14 tons and 800kg."}]}),
        note("textDocument/didSave", {"textDocument": DOC, "text": "Seized 14 tons and 800kg."}),
        note("workspace/didChangeConfiguration", {"settings": {"briefing-ls": {
            "style": "chicago", "tags": "html", "tons": "short", "decimal": ",", "debounce": 0,
            "categories": ["money", "count"], "checks": {"mixed-units": "off", "number-style": "error"},
            "rates": {"GBP": "1.25"}}}}),
        frame({"jsonrpc": "2.0", "id": 0, "result": None}),
        frame({"jsonrpc": "2.0", "id": 1, "result": [{"style": "ap", "debounce": 5}]}),
        frame({"jsonrpc": "2.0", "id": 2, "error": {"code": -32601, "message": "no"}}),
        note("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": "file:///w/.briefing-ls.toml", "type": 1},
            {"uri": "file:///w/sub/.briefing-ls.toml", "type": 2},
            {"uri": "file:///w/x/.briefing-ls.toml", "type": 3}]}),
        req(8, "textDocument/hover", {"textDocument": DOC, "position": {"line": 0, "character": 8}}),
        note("textDocument/didClose", {"textDocument": DOC}),
        req(9, "textDocument/hover", {"textDocument": DOC, "position": {"line": 0, "character": 8}}),
    ],
    "plaintext-and-odd-ids": [
        note("textDocument/didOpen", {"textDocument": {"uri": "untitled:Untitled-1", "languageId": "plaintext",
                                                       "version": 0, "text": "Over 4,431 rounds; 1.2bn tenge.\r\nThat is 3 of 2."}}),
        req("s1", "textDocument/documentSymbol", {"textDocument": {"uri": "untitled:Untitled-1"}}),
        req(-1, "textDocument/hover", {"textDocument": {"uri": "untitled:Untitled-1"},
                                       "position": {"line": 1, "character": 9}}),
        req(2**53, "textDocument/codeAction", {"textDocument": {"uri": "untitled:Untitled-1"},
                                               "range": rng(1, 0, 1, 15), "context": {"diagnostics": [DIAG_NUM]}}),
        frame([{"jsonrpc": "2.0", "method": "initialized", "params": {}}]),
        req(3, "initialize", {"processId": None, "rootUri": None, "capabilities": {}}),
        req(4, "textDocument/semanticTokens/full", {"textDocument": DOC}),
    ],
}

# Requests and notifications of LSP the server does not handle: the router still reads each
# one's parameters before answering that the method is not found (session 15's campaign kept
# finding these handlers one by one).
POS = {"textDocument": DOC, "position": {"line": 2, "character": 16}}
UNHANDLED = [
    ("textDocument/definition", POS), ("textDocument/declaration", POS),
    ("textDocument/typeDefinition", POS), ("textDocument/implementation", POS),
    ("textDocument/references", dict(POS, context={"includeDeclaration": True})),
    ("textDocument/documentHighlight", POS), ("textDocument/signatureHelp", POS),
    ("textDocument/prepareRename", POS), ("textDocument/rename", dict(POS, newName="x")),
    ("textDocument/codeLens", {"textDocument": DOC}), ("textDocument/documentLink", {"textDocument": DOC}),
    ("textDocument/documentColor", {"textDocument": DOC}),
    ("textDocument/formatting", {"textDocument": DOC, "options": {"tabSize": 2, "insertSpaces": True}}),
    ("textDocument/rangeFormatting", {"textDocument": DOC, "range": rng(0, 0, 1, 0),
                                      "options": {"tabSize": 4, "insertSpaces": False}}),
    ("textDocument/foldingRange", {"textDocument": DOC}),
    ("textDocument/selectionRange", {"textDocument": DOC, "positions": [{"line": 0, "character": 1}]}),
    ("textDocument/semanticTokens/full/delta", {"textDocument": DOC, "previousResultId": "1"}),
    ("textDocument/semanticTokens/range", {"textDocument": DOC, "range": rng(0, 0, 2, 0)}),
    ("textDocument/inlayHint", {"textDocument": DOC, "range": rng(0, 0, 9, 0)}),
    ("textDocument/linkedEditingRange", POS), ("textDocument/moniker", POS),
    ("textDocument/prepareCallHierarchy", POS), ("textDocument/prepareTypeHierarchy", POS),
    ("textDocument/diagnostic", {"textDocument": DOC}),
    ("workspace/symbol", {"query": "weapons"}),
    ("workspaceSymbol/resolve", {"name": "x", "kind": 13, "location": {"uri": URI}}),
    ("completionItem/resolve", {"label": "fig", "kind": 1, "data": 3}),
    ("codeLens/resolve", {"range": rng(0, 0, 0, 1)}),
    ("documentLink/resolve", {"range": rng(0, 0, 0, 1), "target": URI}),
    ("inlayHint/resolve", {"position": {"line": 0, "character": 0}, "label": "x"}),
    ("workspace/willRenameFiles", {"files": [{"oldUri": URI, "newUri": "file:///w/b.md"}]}),
    ("textDocument/willSaveWaitUntil", {"textDocument": DOC, "reason": 1}),
]
UNHANDLED_NOTES = [
    ("textDocument/willSave", {"textDocument": DOC, "reason": 2}),
    ("workspace/didChangeWorkspaceFolders", {"event": {"added": [{"uri": "file:///w", "name": "w"}], "removed": []}}),
    ("workspace/didRenameFiles", {"files": [{"oldUri": URI, "newUri": "file:///w/b.md"}]}),
    ("window/workDoneProgress/cancel", {"token": "w1"}),
    ("$/progress", {"token": 1, "value": {"kind": "end"}}),
]
half = len(UNHANDLED) // 2
for name, part in [("unhandled-requests-1", UNHANDLED[:half]), ("unhandled-requests-2", UNHANDLED[half:])]:
    SESSIONS[name] = [note("initialized", {}), OPEN] + [
        req(100 + k, m, p) for k, (m, p) in enumerate(part)
    ] + ([note(m, p) for m, p in UNHANDLED_NOTES] if name.endswith("2") else [])

OUT.mkdir(parents=True, exist_ok=True)
for name, msgs in SESSIONS.items():
    (OUT / f"seed-{name}").write_text("|".join(msgs), encoding="utf-8")
    print(f"{OUT / ('seed-' + name)}: {sum(len(m) for m in msgs)} bytes")
