#!/usr/bin/env python3
"""What a first search with Pagefind's Default UI transfers, per query.

Usage: bench/pagefind_first_search.py SITE_PUBLIC [QUERIES_TOML]

SITE_PUBLIC is a Hugo + Pagefind output (bench/out/hugo-N/public after
bench/compare_hugo_pagefind.sh). QUERIES_TOML defaults to the judged queries
in tests/relevance/queries.toml (the empty query is skipped: Pagefind does not
search for nothing). For each query a fresh headless Chromium (Debian's
`chromium`) opens a page with the Default UI, as the Hugo pages load it, and
calls `triggerSearch(query)`; once the first page of results is rendered (the
page reports it to the server), the
bytes the local server sent under /pagefind/ (bodies, uncompressed) are added
up. Prints the median and maximum over the queries, and the split between the
UI/engine files and the index data.
"""

import http.server
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import tomllib
import urllib.parse
from pathlib import Path

PROBE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8">
<link href="/pagefind/pagefind-ui.css" rel="stylesheet">
<script src="/pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div>
<script>
const q = new URLSearchParams(location.search).get("q");
window.addEventListener("DOMContentLoaded", () => {
  const ui = new PagefindUI({ element: "#search", showImages: false });
  ui.triggerSearch(q);
  const started = performance.now();
  const poll = () => {
    const results = document.querySelectorAll(".pagefind-ui__result").length;
    const message = document.querySelector(".pagefind-ui__message");
    const loaded = document.querySelectorAll(".pagefind-ui__result-link").length;
    const text = message ? message.textContent : "";
    // Japanese UI messages: "…を検索しています" while searching, then "…のN件の検索結果"
    // or "…の検索に一致する情報はありませんでした".
    const settled = /検索結果|一致する情報/.test(text) && !/検索しています/.test(text);
    const timedOut = performance.now() - started > 30000;
    if ((settled && loaded === results) || timedOut) {
      const area = document.querySelector(".pagefind-ui__drawer");
      fetch("/__done", { method: "POST", body: JSON.stringify({
        results, message: text.trim(), timedOut, html: timedOut && area ? area.innerHTML.replace(/<fieldset[^]*<\/fieldset>/, "") : "" }) });
    } else {
      setTimeout(poll, 50);
    }
  };
  poll();
});
</script></body></html>
"""

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
]


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site plus the probe page; records bytes sent per path."""

    sent = []  # (path, bytes), shared with the measuring loop
    done = queue.Queue()  # what the probe page reports once results are rendered

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        Handler.done.put(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def do_GET(self):
        if self.path.startswith("/__probe"):
            body = PROBE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            Handler.sent.append((path, int(value)))
        super().send_header(keyword, value)

    def log_message(self, *args):
        pass


def measure(port, query):
    """Loads the probe for one query; returns (bytes by path, probe result)."""
    Handler.sent.clear()
    url = f"http://127.0.0.1:{port}/__probe/?q={urllib.parse.quote(query)}"
    # Chromium helpers may still be writing the profile as it is removed.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        browser = subprocess.Popen(
            ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            done = Handler.done.get(timeout=90)
        except queue.Empty:
            raise RuntimeError(f"no answer from the page for {query!r}") from None
        finally:
            os.killpg(browser.pid, signal.SIGTERM)  # the browser and its helpers
            browser.wait()
    if done["timedOut"]:
        raise RuntimeError(f"the results for {query!r} did not finish rendering: {done['html'][:500]}")
    sent = [(p, b) for p, b in Handler.sent if p.startswith("/pagefind/")]
    return sent, done


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    site = Path(sys.argv[1]).resolve()
    queries_file = Path(sys.argv[2] if len(sys.argv) > 2 else "tests/relevance/queries.toml")
    queries = [q["q"] for q in tomllib.loads(queries_file.read_text())["query"] if q["q"].strip()]
    queries = list(dict.fromkeys(queries))

    def handler(*args, **kwargs):
        return Handler(*args, directory=str(site), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]

    totals, data = [], []
    for query in queries:
        sent, done = measure(port, query)
        total = sum(b for _, b in sent)
        index = sum(b for p, b in sent if "/pagefind/" in p and p.count("/") > 2
                    or p.endswith((".pf_meta", ".json")))
        totals.append(total)
        data.append(index)
        print(f"{query}\t{total / 1000:.0f} KB ({index / 1000:.0f} KB index data,"
              f" {len(sent)} requests)\t{done['message']}")
    server.shutdown()
    print(f"\n{len(queries)} queries: first search transfers median {statistics.median(totals) / 1000:.0f} KB,"
          f" max {max(totals) / 1000:.0f} KB (index data median {statistics.median(data) / 1000:.0f} KB,"
          f" max {max(data) / 1000:.0f} KB; the rest is the UI, the engine and its wasm)")


if __name__ == "__main__":
    main()
