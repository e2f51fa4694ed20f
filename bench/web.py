#!/usr/bin/env python3
"""Web benchmark: the search page and /api/search against the in-process search, same queries.

    python bench/web.py                # N = 10,000 documents
    python bench/web.py --docs 2000    # a quick run

Builds bench/search.py's synthetic archive (same generator, same fixed 200-query mix), starts
the real ``doithoai serve --no-schedule`` on a loopback port, and sends every query to ``/``
(the HTML search page) and to ``/api/search`` from 4 concurrent clients (keep-alive, an API
token). It prints p50/p95 of the server's own time (the ``Server-Timing`` header: request in,
first byte out, authentication included) and of the time the client waited, beside the same
queries run in-process through the library (what ``doithoai search`` does), and the ratios.
Targets: search page p95 ≤ 300 ms; web overhead ≤ 2× the in-process search.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import httpx  # noqa: E402

from bench.search import corpus, pct, queries, sentences  # noqa: E402
from search import Filters, parse_query  # noqa: E402
from search.embedded import TantivyBackend  # noqa: E402

CLIENTS = 4
_TIMING = re.compile(r"app;dur=([\d.]+)")


def params(q: str, f: Filters, *, limit: int) -> dict[str, Any]:
    p: dict[str, Any] = {"q": q}
    if f.year:
        p["year"] = f.year
    if f.doc_types:
        p["type"] = list(f.doc_types)
    if f.issuer:
        p["issuer"] = f.issuer
    if limit:
        p["limit"] = limit
    return p


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "doithoai", *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    if done.returncode:
        raise SystemExit(f"doithoai {' '.join(args)}: {done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_clients(url: str, token: str, path: str, work: list[dict[str, Any]]) -> tuple[list[float], list[float]]:
    """Every request once, shared by CLIENTS threads; (server ms, client ms) per request."""
    server_ms: list[float] = []
    client_ms: list[float] = []
    lock = threading.Lock()
    todo = list(enumerate(work))

    def worker() -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            while True:
                with lock:
                    if not todo:
                        return
                    _, p = todo.pop()
                t = time.perf_counter()
                r = c.get(path, params=p)
                took = (time.perf_counter() - t) * 1000
                if r.status_code != 200:
                    raise SystemExit(f"{path} {p}: {r.status_code} {r.text[:300]}")
                m = _TIMING.search(r.headers.get("server-timing", ""))
                with lock:
                    client_ms.append(took)
                    server_ms.append(float(m[1]) if m else took)

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return server_ms, client_ms


def line(label: str, values: list[float]) -> tuple[float, float]:
    p50, p95 = statistics.median(values), pct(values, 95)
    print(f"  {label:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    return p50, p95


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    args = ap.parse_args()
    pool = sentences(REPO / "tests" / "data" / "shared")
    qs = queries(pool)[:200]  # the fixed 200-query mix of bench/search.py
    with tempfile.TemporaryDirectory(prefix="doithoai-bench-web-") as tmp:
        home = Path(tmp) / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")}
        env |= {"DOITHOAI_HOME": str(home), "PREFECT_HOME": str(Path(tmp) / "prefect")}
        t0 = time.perf_counter()
        backend = TantivyBackend(home / "index" / "tantivy")
        backend.rebuild(corpus(args.docs, pool))
        print(f"N = {args.docs:,} documents (indexed in {time.perf_counter() - t0:.0f} s); "
              f"{len(qs)} queries, {CLIENTS} concurrent clients")  # fmt: skip

        # In-process, as `doithoai search` runs them (query parsing, snippets, facets), after a warm-up.
        for q, f in qs[:20]:
            backend.search(parse_query(q, filters=f))
        local: list[float] = []
        local20: list[float] = []  # the page shows 20 hits (snippets for each)
        for q, f in qs:
            for limit, into in ((10, local), (20, local20)):
                t = time.perf_counter()
                backend.search(parse_query(q, filters=f, limit=limit))
                into.append((time.perf_counter() - t) * 1000)
        backend.close()

        cli(env, "users", "add", "bench", "--role", "admin", "--clearance", "none", "--password-stdin",
            stdin="mật khẩu đo hiệu năng\n")  # fmt: skip
        token = json.loads(cli(env, "users", "token", "bench", "--json"))["token"]
        port = free_port()
        log = (Path(tmp) / "serve.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "doithoai", "serve", "--no-schedule", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(url + "/openapi.json", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("doithoai serve did not start: " + (Path(tmp) / "serve.log").read_text())
                time.sleep(0.2)
            page_work = [params(q, f, limit=0) for q, f in qs]
            api_work = [params(q, f, limit=10) for q, f in qs]
            run_clients(url, token, "/api/search", api_work[:20])  # warm-up
            page_server, page_client = run_clients(url, token, "/", page_work)
            api_server, api_client = run_clients(url, token, "/api/search", api_work)
        finally:
            server.terminate()
            server.wait(timeout=30)

    print()
    l50, l95 = line("in-process search (CLI's call)", local)
    m50, m95 = line("in-process search, 20 hits", local20)
    s50, s95 = line("search page /, server time", page_server)
    line("search page /, client waited", page_client)
    a50, a95 = line("/api/search, server time", api_server)
    line("/api/search, client waited", api_client)
    print(f"\n  ratio page/in-process   p50 {s50 / m50:5.2f}×   p95 {s95 / m95:5.2f}×   (both 20 hits)")
    print(f"  ratio api/in-process    p50 {a50 / l50:5.2f}×   p95 {a95 / l95:5.2f}×")
    verdict = "met" if s95 <= 300 and a95 <= 300 else "NOT met"
    print(f"  target p95 ≤ 300 ms: {verdict}")


if __name__ == "__main__":
    main()
