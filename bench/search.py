#!/usr/bin/env python3
"""Search benchmark: index throughput and query latency of the embedded backend.

    python bench/search.py                 # N = 10,000 and 100,000
    python bench/search.py --sizes 2000    # a quick run

For each N it builds a synthetic archive (sentences of the seed texts reshuffled into
documents of realistic length, with types, dates, issuers and symbols), then prints:

- index throughput (docs/s) of ``backend.rebuild`` (record -> index document -> tantivy);
- full ingest throughput (store + extract + parse + index) on 500 real TXT files;
- p50/p95 latency of 200 fixed clerk queries and 20 long questions through the product (query parsing, folded +
  exact fields, symbols, filters, snippets and facets), and, measured in the same run on the
  same index, a bare tantivy probe (one folded field, top 10, no snippets, no facets),
  with the ratio between them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import tantivy  # noqa: E402

from archive import DocumentRecord, Settings  # noqa: E402
from archive.vntext import normalize  # noqa: E402
from search import Filters, parse_query  # noqa: E402
from search.embedded import TantivyBackend  # noqa: E402

TYPES = [("thong_bao", "TB"), ("ke_hoach", "KH"), ("bao_cao", "BC"), ("ket_luan", "KL"), ("quyet_dinh", "QĐ")]
PROVINCES = ["Hậu Giang", "Lào Cai", "Bình Thuận", "Hà Nam", "Nghệ An", "Cần Thơ", "Sơn La", "Phú Thọ", "Lâm Đồng"]
ISSUERS = [f"{org} {p}" for p in PROVINCES for org in ("Tỉnh ủy", "Ban Dân vận Tỉnh ủy")]


def sentences(shared: Path) -> list[str]:
    out: list[str] = []
    for p in sorted((shared / "seeds").glob("*.txt")):
        text = normalize(p.read_text(encoding="utf-8"))
        out += [s.strip() for s in text.replace("\n", " ").split(". ") if len(s.split()) >= 5]
    return out


def corpus(n: int, pool: list[str], seed: int = 42) -> list[tuple[DocumentRecord, str]]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        doc_type, abbrev = rng.choice(TYPES)
        year = rng.randint(2013, 2025)
        body = ". ".join(rng.choice(pool) for _ in range(rng.randint(6, 60))) + "."
        # Cite a few symbols the way real documents do, so symbol queries have work to do.
        body += f" Thực hiện Quyết định số {rng.randint(1, 2000)}-QĐ/TU và Kế hoạch số {rng.randint(1, 300)}-KH/TU."
        record = DocumentRecord(
            id=f"{i:064x}",
            doc_type=doc_type,  # type: ignore[arg-type]
            number_symbol=f"{rng.randint(1, 2000)}-{abbrev}/TU",
            issue_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
            issuer=rng.choice(ISSUERS),
            title=" ".join(rng.choice(pool).split()[:14]),
        )
        docs.append((record, body))
    return docs


def queries(pool: list[str], seed: int = 7) -> list[tuple[str, Filters]]:
    rng = random.Random(seed)
    words = [w.strip(',.;:()“”"') for s in pool for w in s.split() if len(w) > 2]
    from archive.vntext import fold

    out: list[tuple[str, Filters]] = []
    for i in range(200):
        kind = i % 8
        if kind == 0:
            q = " ".join(rng.choice(words) for _ in range(2))
        elif kind == 1:
            q = fold(" ".join(rng.choice(words) for _ in range(3)))
        elif kind == 2:
            s = rng.choice(pool).split()
            j = rng.randrange(max(1, len(s) - 3))
            q = '"' + " ".join(s[j : j + 3]) + '"'
        elif kind == 3:
            q = f"{rng.randint(1, 2000)}/QD-TU"
        elif kind == 4:
            q = f"QĐ {rng.randint(1, 2000)}"
        elif kind == 5:
            q = rng.choice(["giai phong mat bang", "đất đai", "tiếp xúc đối thoại", "an sinh xã hội", "môi trường"])
        elif kind == 6:
            q = rng.choice(words)
        else:
            q = ""
        filters = Filters()
        if i % 5 == 0:
            filters = Filters(year=rng.randint(2013, 2025))
        elif i % 7 == 0:
            filters = Filters(doc_types=(rng.choice(TYPES)[0],), issuer=rng.choice(PROVINCES))
        out.append((q, filters))
    # Long natural questions (12-20 words of a seed sentence, some without diacritics): the
    # language-aware ranking asks for most of their words, the costliest kind of query.
    for i in range(20):
        s = rng.choice([p for p in pool if len(p.split()) >= 20]).split()
        j = rng.randrange(len(s) - 12)
        q = " ".join(w.strip(',.;:()“”"') for w in s[j : j + rng.randint(12, 20)])
        out.append((fold(q) if i % 3 == 0 else q, Filters()))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def bench_elastic(n: int, docs: list[tuple[DocumentRecord, str]], pool: list[str]) -> None:
    """The Elasticsearch backend against osmem-server (in-memory OpenSearch API), same corpus and queries."""
    from osmem_server import OsmemServer

    from search.elastic import ElasticBackend, ElasticConfig

    with OsmemServer.start(freeze=False) as server:
        backend = ElasticBackend(ElasticConfig(url=server.url, alias=f"bench-{n}"))
        t0 = time.perf_counter()
        backend.rebuild(docs)
        index_s = time.perf_counter() - t0
        print(f"  elasticsearch (osmem) bulk index {n / index_s:8.0f} docs/s   ({index_s:.1f} s)")
        qs = queries(pool)
        for q, f in qs[:20]:
            backend.search(parse_query(q, filters=f))
        times = []
        for q, f in qs:
            t = time.perf_counter()
            backend.search(parse_query(q, filters=f))
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"  elasticsearch (osmem) search     p50 {statistics.median(times):6.1f} ms   p95 {pct(times, 95):6.1f} ms"
        )


def bench_size(n: int, pool: list[str], work: Path, backends: list[str]) -> None:
    docs = corpus(n, pool)
    print(f"\nN = {n:,}")
    if "elasticsearch" in backends:
        bench_elastic(n, docs, pool)
    if "tantivy" not in backends:
        return
    backend = TantivyBackend(work / f"index-{n}")
    t0 = time.perf_counter()
    backend.rebuild(docs)
    index_s = time.perf_counter() - t0
    print(f"  index (rebuild)      {n / index_s:8.0f} docs/s   ({index_s:.1f} s)")
    size = sum(p.stat().st_size for p in (work / f"index-{n}").rglob("*") if p.is_file())
    print(f"  index size           {size / 1e6:8.0f} MB")

    qs = queries(pool)
    for q, f in qs[:20]:  # warm the page cache and tantivy's readers
        backend.search(parse_query(q, filters=f))
    # The ranking before the language-aware one, same index, same queries, same run.
    plain = TantivyBackend(work / f"index-{n}", scoring="plain")
    timings: dict[str, list[float]] = {"language": [], "plain": []}
    hits = 0
    for q, f in qs:
        for name, b in (("language", backend), ("plain", plain)):
            t = time.perf_counter()
            r = b.search(parse_query(q, filters=f))
            timings[name].append((time.perf_counter() - t) * 1000)
            hits += name == "language" and r.total > 0
    product = timings["language"]

    # Bare tantivy on the same index: one folded field, top 10, no snippets, no facets.
    index = backend._open()
    searcher = index.searcher()
    bare: list[float] = []
    for q, _ in qs:
        text = q.replace('"', " ").strip() or "*"
        t = time.perf_counter()
        query = index.parse_query_lenient(text, ["body"])[0] if text != "*" else tantivy.Query.all_query()
        searcher.search(query, limit=10)
        bare.append((time.perf_counter() - t) * 1000)

    p50, p95 = statistics.median(product), pct(product, 95)
    b50, b95 = statistics.median(bare), pct(bare, 95)
    print(f"  tantivy search       p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({hits}/{len(qs)} queries with hits)")
    long = product[200:]
    print(f"    long questions     p50 {statistics.median(long):6.1f} ms   p95 {pct(long, 95):6.1f} ms   (20 of them)")
    q50, q95 = statistics.median(timings["plain"]), pct(timings["plain"], 95)
    print(f"  plain scoring        p50 {q50:6.1f} ms   p95 {q95:6.1f} ms   (the ranking before)")
    print(f"  ratio language/plain p50 {p50 / q50:6.2f}×    p95 {p95 / q95:6.2f}×")
    print(f"  bare tantivy probe   p50 {b50:6.1f} ms   p95 {b95:6.1f} ms")
    print(f"  ratio product/bare   p50 {p50 / max(b50, 1e-6):6.1f}×    p95 {p95 / max(b95, 1e-6):6.1f}×")


def bench_ingest(pool: list[str], work: Path, n: int = 500) -> None:
    from flows.local import ingest_direct

    inbox = work / "inbox"
    inbox.mkdir()
    for i, (record, body) in enumerate(corpus(n, pool, seed=99)):
        header = (
            f"TỈNH ỦY HẬU GIANG        ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố {record.number_symbol}        "
            f"Hậu Giang, ngày {record.issue_date:%d} tháng {record.issue_date:%m} năm {record.issue_date:%Y}\n\n"  # type: ignore[str-format]
            f"THÔNG BÁO\n{record.title}\n-----\n"
        )
        (inbox / f"{i:05d}.txt").write_text(header + body, encoding="utf-8")
    settings = Settings(home=work / "home")
    t0 = time.perf_counter()
    outcomes = ingest_direct([inbox], settings)
    s = time.perf_counter() - t0
    ok = sum(o.status == "archived" for o in outcomes)
    print(f"\nFull ingest (store + extract + parse + index, {settings.workers} workers, no Prefect)")
    print(f"  {n} TXT files        {n / s:8.1f} docs/s   ({s:.1f} s, {ok} archived)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--shared", type=Path, default=REPO / "tests" / "data" / "shared")
    ap.add_argument("--backends", nargs="+", default=["tantivy", "elasticsearch"], choices=["tantivy", "elasticsearch"])
    ap.add_argument("--no-ingest", action="store_true", help="skip the full-ingest measurement")
    args = ap.parse_args()
    pool = sentences(args.shared)
    print(f"Sentence pool: {len(pool)} sentences from {args.shared / 'seeds'}")
    with tempfile.TemporaryDirectory(prefix="doithoai-bench-") as tmp:
        work = Path(tmp)
        if not args.no_ingest:
            bench_ingest(pool, work)
        for n in args.sizes:
            bench_size(n, pool, work, args.backends)


if __name__ == "__main__":
    main()
