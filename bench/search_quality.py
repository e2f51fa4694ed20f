#!/usr/bin/env python3
"""Search quality: graded clerk queries, nDCG@10 and recall@10, both backends, before and after.

    python bench/search_quality.py                  # the blind set, tantivy and Elasticsearch (osmem)
    python bench/search_quality.py --set heldout    # the set written after tuning
    python bench/search_quality.py --backends tantivy -v   # every query's top 10 and its misses

The archive is the development corpus (``tests/data/shared/domain/corpus``), the second
development corpus (``shared/domain/corpus2``, looked for beside the repository and in
``tests/data/shared/domain``; its queries are skipped when it is absent), the parser's extra
cases (``tests/test_extractors/extra_corpus``) and the seed texts, each parsed into a record
exactly as ingest does (``extractors.parse.parse_text``) and indexed with its text.

Queries and grades live in ``bench/search_quality/queries.yaml`` (blind: written and graded
before the ranking code ran on them) and ``heldout.yaml`` (written after tuning). Grades are
0-3 per (query, document). nDCG@10 uses gain 2^grade - 1 and the ideal order of all graded
documents; recall@10 is the share of the graded documents found in the top 10, out of at most
10. Each backend runs twice in the same run on the same index: ``plain`` scoring (the ranking
before the language-aware scoring: every word required, no type/authority hints, no
proximity by words typed together beyond pairs) and ``language`` (the product's).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive import DocumentRecord  # noqa: E402
from archive.vntext import normalize  # noqa: E402
from extractors.parse import parse_text  # noqa: E402
from search import Filters, SearchBackend, parse_query  # noqa: E402

HERE = Path(__file__).resolve().parent / "search_quality"
SCORINGS = ("plain", "language")


def _corpus2() -> Path | None:
    for candidate in (
        REPO / "tests" / "data" / "shared" / "domain" / "corpus2",
        REPO.parent / "shared" / "domain" / "corpus2",
        REPO.parent.parent / "shared" / "domain" / "corpus2",
    ):
        if candidate.is_dir():
            return candidate
    return None


def documents() -> dict[str, tuple[DocumentRecord, str]]:
    """name (dev-01, c2-05, extra-03, seed-000) -> (record, text), parsed as ingest parses."""
    folders = [
        REPO / "tests" / "data" / "shared" / "domain" / "corpus",
        REPO / "tests" / "test_extractors" / "extra_corpus",
    ]
    if (c2 := _corpus2()) is not None:
        folders.append(c2)
    files = [p for folder in folders for p in sorted(folder.glob("*.txt")) if p.name != "README.txt"]
    files += sorted((REPO / "tests" / "data" / "shared" / "seeds").glob("*.txt"))
    out: dict[str, tuple[DocumentRecord, str]] = {}
    for path in files:
        name = f"seed-{path.stem[:3]}" if path.stem[0].isdigit() else path.stem
        text = normalize(path.read_text(encoding="utf-8", errors="replace"))
        doc_id = hashlib.sha256(name.encode()).hexdigest()
        out[name] = (parse_text(text, doc_id=doc_id), text)
    return out


def load_queries(name: str, known: set[str]) -> tuple[list[dict[str, Any]], int]:
    raw = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))
    usable, skipped = [], 0
    for q in raw:
        rel = {d: int(g) for d, g in q["rel"].items() if d in known and int(g) > 0}
        if not rel:  # every graded document is in a corpus that is not here
            skipped += 1
            continue
        usable.append(dict(q, rel=rel))
    return usable, skipped


def ndcg(ranked: list[str], rel: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** rel.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(rel.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], rel: dict[str, int], k: int = 10) -> float:
    return len(set(ranked[:k]) & set(rel)) / min(k, len(rel)) if rel else 0.0


@contextmanager
def backends(kinds: list[str], work: Path) -> Iterator[dict[str, Any]]:
    """{(kind, scoring): factory} over one index per kind."""
    from search.embedded import TantivyBackend

    made: dict[str, Any] = {}
    server = None
    try:
        if "tantivy" in kinds:
            made["tantivy"] = lambda scoring: TantivyBackend(work / "tantivy", scoring=scoring)
        if "elasticsearch" in kinds:
            from osmem_server import OsmemServer

            from search.elastic import ElasticBackend, ElasticConfig

            server = OsmemServer.start(freeze=False)
            url = server.__enter__().url
            made["elasticsearch"] = lambda scoring: ElasticBackend(
                ElasticConfig(url=url, alias="quality", scoring=scoring)
            )
        yield made
    finally:
        if server is not None:
            server.__exit__(None, None, None)


def run(backend: SearchBackend, queries: list[dict[str, Any]], ids: dict[str, str]) -> list[list[str]]:
    out = []
    for q in queries:
        filters = Filters(**(q.get("filters") or {}))
        results = backend.search(parse_query(q["q"], filters=filters, limit=10))
        out.append([ids.get(h.id, h.id[:8]) for h in results.hits])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default="queries", help="queries (blind, default) | heldout")
    ap.add_argument("--backends", default="tantivy,elasticsearch")
    ap.add_argument("-v", "--verbose", action="store_true", help="every query with its top 10 and misses")
    args = ap.parse_args()
    docs = documents()
    ids = {record.id: name for name, (record, _) in docs.items()}
    queries, skipped = load_queries(args.set, set(docs))
    kinds = [k.strip() for k in args.backends.split(",") if k.strip()]
    print(f"{len(docs)} documents, {len(queries)} queries ({args.set}.yaml)", end="")
    print(f"; {skipped} skipped (corpus2 not found)" if skipped else "")
    scores: dict[tuple[str, str], list[tuple[float, float]]] = {}
    rankings: dict[tuple[str, str], list[list[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp, backends(kinds, Path(tmp)) as factories:
        for kind, factory in factories.items():
            factory("language").rebuild(list(docs.values()))
            for scoring in SCORINGS:
                backend = factory(scoring)
                ranked = run(backend, queries, ids)
                rankings[kind, scoring] = ranked
                scores[kind, scoring] = [
                    (ndcg(r, q["rel"]), recall(r, q["rel"])) for r, q in zip(ranked, queries, strict=True)
                ]
                backend.close()
    columns = [(k, s) for k in kinds for s in SCORINGS]
    head = "".join(f"{k[:7]}/{s:<8} " for k, s in columns)
    print(f"\nnDCG@10 by kind of query          {head}")
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(queries):
        by_kind[q["kind"]].append(i)
    for kind, idx in by_kind.items():
        cells = "".join(f"{statistics.mean(scores[c][i][0] for i in idx):>17.3f} " for c in columns)
        print(f"  {kind:<8} ({len(idx):2d} queries)           {cells}")
    print("  " + "-" * (32 + 18 * len(columns)))
    for label, j in (("nDCG@10", 0), ("recall@10", 1)):
        cells = "".join(f"{statistics.mean(s[j] for s in scores[c]):>17.3f} " for c in columns)
        print(f"  {label:<31}{cells}")
    for kind in kinds:
        plain = statistics.mean(s[0] for s in scores[kind, "plain"])
        lang = statistics.mean(s[0] for s in scores[kind, "language"])
        print(f"  {kind}: language / plain nDCG@10 = {lang / plain:.2f}×" if plain else "")
    if args.verbose:
        for i, q in enumerate(queries):
            print(f"\n[{q['kind']}] {q['q']!r} {q.get('filters') or ''}  rel={q['rel']}")
            for c in columns:
                ranked = rankings[c][i]
                marks = " ".join(f"{d}({q['rel'].get(d, 0)})" for d in ranked)
                missing = sorted(set(q["rel"]) - set(ranked))
                print(
                    f"  {c[0][:7]}/{c[1]:<8} nDCG {scores[c][i][0]:.3f}  {marks}"
                    + (f"  MISSING {missing}" if missing else "")
                )


if __name__ == "__main__":
    main()
