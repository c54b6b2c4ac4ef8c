#!/usr/bin/env python3
"""A stand-in for the briefing-ls language server, for testing the editor plugins alone.

Standard library only. It speaks the LSP surface of SPEC §5 for the few figures of
tests/e2e/briefing.md, with the real server's codes, titles and shapes, so the editor
end-to-end tests can run (BRIEFING_LS_CMD="python3 tests/e2e/mock_server.py") before the
real server is built, and so a failure can be placed in the editor plugins or in the server.
It is not a figure extractor: anything outside its small regular expressions is ignored.

  * incremental sync (UTF-16 = code points for the ASCII sample), push diagnostics:
    numeral-starts-sentence (quick fix "Spell out: Ten"), ambiguous-unit and mixed-units
    on bare "tons" beside "kg"
  * hover: normalised value ("14 tons" -> "14,000 kg"), unit, dimension, qualifier
  * code actions: quick fixes, "Tag figure" (refactor.rewrite), source actions
    "Tag all figures" / "Remove all tags"
  * workspace/executeCommand briefing-ls.exportFigures [uri] -> {"files": [...]}
  * asks workspace/configuration for section "briefing-ls" after initialized; the hover
    shows the settings it has (init options, then configuration) as "settings: {...}"
Set MOCK_LSP_LOG=/path to log every message.
"""
import json
import os
import re
import sys
from urllib.parse import unquote, urlparse

DOCS = {}
SETTINGS = {"init": None, "configuration": None, "changed": None}
LOG = os.environ.get("MOCK_LSP_LOG")
NEXT_ID = [1000]
WORDS = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
         "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen",
         "Eighteen", "Nineteen", "Twenty"]
UNITS = {  # text -> (canonical unit, dimension, factor to base, base unit)
    "kg": ("kg", "mass", 1, "kg"),
    "tons": ("t", "mass", 1000, "kg"),
    "billion tenge": ("KZT", "currency", 1e9, "KZT"),
}
NOUNS = ["people", "firearms", "rounds", "drug laboratories"]
QUALS = {"over": "over", "exceeded": "over", "about": "approx"}
FIG = re.compile(
    r"(?:(over|about) |(?<=exceeded ))?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?: ?(kg|tons|billion tenge)| (%s))"
    % "|".join(NOUNS)
)
TAG = re.compile(r"\[([^\]\n]*)\]\{\.fig[^}\n]*\}")


def log(*a):
    if LOG:
        with open(LOG, "a") as f:
            f.write(" ".join(str(x) for x in a) + "\n")


def read_msg():
    headers = {}
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.decode("ascii").strip()
        if not line:
            break
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    return json.loads(sys.stdin.buffer.read(int(headers["content-length"])).decode("utf-8"))


def send(msg):
    msg["jsonrpc"] = "2.0"
    body = json.dumps(msg).encode("utf-8")
    log("->", body[:300])
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    sys.stdout.buffer.flush()


def offset(text, pos):
    lines = text.split("\n")
    line = min(pos["line"], len(lines))
    return sum(len(l) + 1 for l in lines[:line]) + min(pos["character"], len(lines[line]) if line < len(lines) else 0)


def position(text, off):
    before = text[:off]
    return {"line": before.count("\n"), "character": off - (before.rfind("\n") + 1)}


def rng(text, s, e):
    return {"start": position(text, s), "end": position(text, e)}


def figures(text):
    out = []
    for m in FIG.finditer(text):
        qual = QUALS.get(m.group(1) or "", "exact")
        if m.group(1) is None and text[max(0, m.start() - 9):m.start()] == "exceeded ":
            qual = "over"
        value = float(m.group(2).replace(",", ""))
        unit = m.group(3)
        if unit:
            canon, dim, factor, base = UNITS[unit]
            if unit == "billion tenge":
                value *= 1e9
                factor = 1
            norm = value * factor
        else:
            canon, dim, base, norm = None, "count", None, value
        out.append({"start": m.start(), "end": m.end(), "text": m.group(0), "value": value, "unit": canon,
                    "dimension": dim, "normalized": {"value": norm, "unit": base}, "qualifier": qual,
                    "noun": m.group(4)})
    return out


def num(v):
    return ("{:,.0f}" if float(v).is_integer() else "{:,}").format(v)


def diagnostics(text):
    out = []
    for m in re.finditer(r"(?:^|(?<=[.!?] ))(\d+)(?= )", text, re.M):
        n = int(m.group(1))
        fixes = [{"title": "Spell out: " + WORDS[n], "start": m.start(), "end": m.end(), "text": WORDS[n]}] if n < len(WORDS) else []
        out.append(("numeral-starts-sentence", m.start(), m.end(), "This sentence begins with a numeral: spell it out.", fixes))
    figs = figures(text)
    if any(f["unit"] == "kg" for f in figs):
        for f in figs:
            if f["unit"] == "t":
                out.append(("mixed-units", f["start"], f["end"], "Mass is written in kg and in tons in this document.", []))
    for m in re.finditer(r"\d tons\b", text):
        s = m.start() + 2
        out.append(("ambiguous-unit", s, s + 4, '"tons" can mean metric, short or long tons: write "tonnes".',
                    [{"title": "Replace with: tonnes", "start": s, "end": s + 4, "text": "tonnes"}]))
    return out


def publish(uri):
    text = DOCS[uri]["text"]
    diags = [{"range": rng(text, s, e), "severity": 3, "source": "briefing-ls", "code": code,
              "codeDescription": {"href": "https://example.invalid/rules/" + code}, "message": msg}
             for code, s, e, msg, _ in diagnostics(text)]
    send({"method": "textDocument/publishDiagnostics",
          "params": {"uri": uri, "version": DOCS[uri]["version"], "diagnostics": diags}})


def edit(uri, version, text, edits):
    return {"documentChanges": [{"textDocument": {"uri": uri, "version": version},
                                 "edits": [{"range": rng(text, s, e), "newText": t} for s, e, t in edits]}]}


def tag_for(f):
    attrs = ["value=%s" % num(f["value"]).replace(",", "")]
    if f["unit"]:
        attrs.append("unit=" + f["unit"])
    if f["qualifier"] != "exact":
        attrs.append("qual=" + f["qualifier"])
    if f["noun"]:
        attrs.append('noun="%s"' % f["noun"] if " " in f["noun"] else "noun=" + f["noun"])
    return "[%s]{.fig %s}" % (f["text"], " ".join(attrs))


def untagged(text):
    tagged = [(m.start(), m.end()) for m in TAG.finditer(text)]
    return [f for f in figures(text) if not any(s <= f["start"] < e for s, e in tagged)]


def code_actions(p):
    uri = p["textDocument"]["uri"]
    doc = DOCS.get(uri)
    if not doc:
        return []
    text, version = doc["text"], doc["version"]
    s, e = offset(text, p["range"]["start"]), offset(text, p["range"]["end"])
    only = (p.get("context") or {}).get("only")
    want = lambda kind: not only or any(kind == o or kind.startswith(o + ".") for o in only)
    actions = []
    if want("quickfix"):
        for code, ds, de, _, fixes in diagnostics(text):
            if ds <= e and s <= de:
                for fx in fixes:
                    actions.append({"title": fx["title"], "kind": "quickfix", "isPreferred": True,
                                    "edit": edit(uri, version, text, [(fx["start"], fx["end"], fx["text"])])})
    if want("refactor.rewrite"):
        for f in untagged(text):
            if f["start"] <= e and s <= f["end"]:
                actions.append({"title": "Tag figure", "kind": "refactor.rewrite",
                                "edit": edit(uri, version, text, [(f["start"], f["end"], tag_for(f))])})
                break
    if want("source"):
        figs = untagged(text)
        if figs:
            actions.append({"title": "Tag all figures", "kind": "source.tagAllFigures",
                            "edit": edit(uri, version, text, [(f["start"], f["end"], tag_for(f)) for f in figs])})
        tags = list(TAG.finditer(text))
        if tags:
            actions.append({"title": "Remove all tags", "kind": "source.removeAllTags",
                            "edit": edit(uri, version, text, [(m.start(), m.end(), m.group(1)) for m in tags])})
    return actions


def hover(p):
    uri = p["textDocument"]["uri"]
    text = DOCS.get(uri, {}).get("text", "")
    o = offset(text, p["position"])
    for f in figures(text):
        if f["start"] <= o <= f["end"]:
            n = f["normalized"]
            lines = ["**%s**" % f["text"], "",
                     "%s %s (%s, %s)" % (num(n["value"]), n["unit"] or f["noun"], f["dimension"], f["qualifier"]),
                     "", "settings: " + json.dumps(SETTINGS, sort_keys=True)]
            return {"contents": {"kind": "markdown", "value": "\n".join(lines)}, "range": rng(text, f["start"], f["end"])}
    return None


def export(uri):
    text = DOCS.get(uri, {}).get("text", "")
    figs = []
    for f in figures(text):
        pos = position(text, f["start"])
        figs.append({"text": f["text"], "start": f["start"], "end": f["end"], "line": pos["line"] + 1,
                     "column": pos["character"] + 1, "value": f["value"], "low": None, "high": None,
                     "qualifier": f["qualifier"], "unit": f["unit"], "per": None, "noun": f["noun"],
                     "dimension": f["dimension"], "normalized": f["normalized"], "tag": None})
    return {"files": [{"path": unquote(urlparse(uri).path), "figures": figs}]}


def main():
    while True:
        msg = read_msg()
        if msg is None:
            return 0
        method, mid, p = msg.get("method"), msg.get("id"), msg.get("params") or {}
        log("<-", method, mid, json.dumps(p)[:300])
        if method is None:  # a response to our request
            if mid == 999:
                SETTINGS["configuration"] = (msg.get("result") or [None])[0]
            continue
        if method == "initialize":
            SETTINGS["init"] = p.get("initializationOptions")
            send({"id": mid, "result": {
                "capabilities": {
                    "positionEncoding": "utf-16",
                    "textDocumentSync": {"openClose": True, "change": 2},
                    "hoverProvider": True,
                    "codeActionProvider": {"codeActionKinds": ["quickfix", "refactor.rewrite", "source"]},
                    "executeCommandProvider": {"commands": ["briefing-ls.exportFigures"]},
                },
                "serverInfo": {"name": "briefing-ls (mock)", "version": "0.0.0-mock"},
            }})
        elif method == "initialized":
            send({"id": 999, "method": "workspace/configuration", "params": {"items": [{"section": "briefing-ls"}]}})
        elif method == "workspace/didChangeConfiguration":
            SETTINGS["changed"] = p.get("settings")
        elif method == "textDocument/didOpen":
            td = p["textDocument"]
            DOCS[td["uri"]] = {"text": td["text"], "version": td["version"]}
            publish(td["uri"])
        elif method == "textDocument/didChange":
            uri = p["textDocument"]["uri"]
            doc = DOCS[uri]
            for ch in p["contentChanges"]:
                if "range" in ch:
                    t = doc["text"]
                    doc["text"] = t[:offset(t, ch["range"]["start"])] + ch["text"] + t[offset(t, ch["range"]["end"]):]
                else:
                    doc["text"] = ch["text"]
            doc["version"] = p["textDocument"]["version"]
            publish(uri)
        elif method == "textDocument/didClose":
            uri = p["textDocument"]["uri"]
            DOCS.pop(uri, None)
            send({"method": "textDocument/publishDiagnostics", "params": {"uri": uri, "diagnostics": []}})
        elif method == "textDocument/hover":
            send({"id": mid, "result": hover(p)})
        elif method == "textDocument/codeAction":
            send({"id": mid, "result": code_actions(p)})
        elif method == "workspace/executeCommand" and p.get("command") == "briefing-ls.exportFigures":
            send({"id": mid, "result": export((p.get("arguments") or [""])[0])})
        elif method == "shutdown":
            send({"id": mid, "result": None})
        elif method == "exit":
            return 0
        elif mid is not None:
            send({"id": mid, "error": {"code": -32601, "message": "method not found: %s" % method}})


if __name__ == "__main__":
    sys.exit(main())
