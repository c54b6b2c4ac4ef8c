#!/usr/bin/env python3
"""A language-server session for the PGO training (scripts/build-pgo.sh): drives a
briefing-ls server over stdio the way an editor does, so that the profile covers the
server's own code (messages, positions, diagnostics written as JSON, hover, symbols, code
actions) and not only the analysis.

    pgo-lsp-session.py SERVER [--joined BYTES] TEXT...

Opens the texts (each its own document; with `--joined`, one more made of all of them one
after another, over again until BYTES), and in each makes one-character edits at random places,
each followed by its diagnostics, with a hover, the document symbols and the code actions
of a line now and then; closes, shuts down and exits, so that the server writes its
profile. Exit status 0 when the server answered everything and exited by itself."""

import json
import random
import subprocess
import sys


def main() -> int:
    server, args = sys.argv[1], sys.argv[2:]
    joined = 0
    if args[:1] == ["--joined"]:
        joined, args = int(args[1]), args[2:]
    texts = [open(p, encoding="utf-8").read() for p in args]
    if joined:
        one = "".join(t.rstrip() + "\n\n" for t in texts)
        texts.append(one * (joined // max(len(one.encode()), 1) + 1))
    proc = subprocess.Popen([server], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    next_id = [0]

    def send(method, params, request=False):
        msg = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            next_id[0] += 1
            msg["id"] = next_id[0]
        body = json.dumps(msg).encode()
        proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        proc.stdin.flush()
        return msg.get("id")

    def receive():
        length = None
        while True:
            line = proc.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            if line == b"\r\n":
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(proc.stdout.read(length))

    def until(pred):
        while True:
            m = receive()
            if pred(m):
                return m

    def answer(rid):
        return until(lambda m: m.get("id") == rid and "method" not in m)

    def published(uri, version):
        return until(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )

    rid = send(
        "initialize",
        {"processId": None, "rootUri": None, "capabilities": {},
         "initializationOptions": {"debounce": 0}},
        request=True,
    )
    answer(rid)
    send("initialized", {})
    rng = random.Random(7)
    for n, text in enumerate(texts):
        uri = "file:///pgo/doc%d.md" % n
        send("textDocument/didOpen",
             {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        published(uri, 1)
        lines = text.split("\n")
        for version in range(2, 42):
            line = rng.randrange(len(lines))
            col = rng.randrange(len(lines[line]) + 1)
            # Positions count UTF-16 code units.
            at = {"line": line, "character": len(lines[line][:col].encode("utf-16-le")) // 2}
            lines[line] = lines[line][:col] + "x" + lines[line][col:]
            send("textDocument/didChange",
                 {"textDocument": {"uri": uri, "version": version},
                  "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}]})
            published(uri, version)
            if version % 4 == 0:
                doc = {"uri": uri}
                whole = {"start": {"line": line, "character": 0},
                         "end": {"line": line + 1, "character": 0}}
                for method, params in (
                    ("textDocument/hover", {"textDocument": doc, "position": at}),
                    ("textDocument/documentSymbol", {"textDocument": doc}),
                    ("textDocument/codeAction",
                     {"textDocument": doc, "range": whole, "context": {"diagnostics": []}}),
                ):
                    answer(send(method, params, request=True))
        send("textDocument/didClose", {"textDocument": {"uri": uri}})
    answer(send("shutdown", None, request=True))
    send("exit", None)
    proc.stdin.close()
    return proc.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
