#!/usr/bin/env python3
"""Parser accuracy per field against a corpus with ground truth (manifest.jsonl).

    python bench/parse_eval.py                                   # tests/data/shared/domain/corpus
    python bench/parse_eval.py --corpus tests/test_extractors/extra_corpus
    python bench/parse_eval.py -v                                # print every miss

Scalar fields: exact match. Citations (canonical symbols) and statistics
((level, metric, value) triples): precision, recall and F1 summed over documents.
Deadlines: F1 over (agency, due) pairs (the task text is a paraphrase in the manifest).
Recipients: F1 over items.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from extractors.parse import parse_text  # noqa: E402

SCALARS = [
    "doc_type",
    "number_symbol",
    "issue_date",
    "place",
    "issuer",
    "province",
    "title",
    "signer",
    "confidentiality",
]


def _scalar(record: Any, field: str) -> Any:
    value = getattr(record, field)
    if field == "signer":
        return {"authority": value.authority, "position": value.position, "name": value.name}
    return value.isoformat() if hasattr(value, "isoformat") else value


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO / "tests" / "data" / "shared" / "domain" / "corpus")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    manifest = [json.loads(line) for line in (args.corpus / "manifest.jsonl").read_text().splitlines() if line]
    right = dict.fromkeys(SCALARS, 0)
    sets: dict[str, list[int]] = {k: [0, 0, 0] for k in ("citations", "statistics", "deadlines", "recipients")}
    for truth in manifest:
        record = parse_text((args.corpus / truth["file"]).read_text(encoding="utf-8"))
        for field in SCALARS:
            got = _scalar(record, field)
            if got == truth[field]:
                right[field] += 1
            elif args.verbose:
                print(f"{truth['file']} {field}: {got!r} != {truth[field]!r}")
        got_sets = {
            "citations": {c.number_symbol for c in record.citations},
            "statistics": {(s.level, s.metric, float(s.value)) for s in record.statistics},
            "deadlines": {(d.agency, d.due.isoformat() if d.due else None) for d in record.deadlines},
            "recipients": set(record.recipients),
        }
        want_sets = {
            "citations": set(truth["cited_documents"]),
            "statistics": {(s["level"], s["metric"], float(s["value"])) for s in truth["statistics"]},
            "deadlines": {(d["agency"], d["due"]) for d in truth["deadlines"]},
            "recipients": set(truth["recipients"]),
        }
        for key in sets:
            got, want = got_sets[key], want_sets[key]
            sets[key][0] += len(got & want)
            sets[key][1] += len(got - want)
            sets[key][2] += len(want - got)
            if args.verbose and got != want:
                print(
                    f"{truth['file']} {key}: extra {sorted(got - want, key=str)} missing {sorted(want - got, key=str)}"
                )
    n = len(manifest)
    print(f"{n} documents in {args.corpus}")
    print(f"{'field':<16} {'accuracy':>8}")
    for field in SCALARS:
        print(f"{field:<16} {right[field] / n:8.3f}")
    print(f"\n{'set field':<16} {'precision':>9} {'recall':>7} {'F1':>6}")
    for key, (tp, fp, fn) in sets.items():
        p, r, f = _prf(tp, fp, fn)
        print(f"{key:<16} {p:9.3f} {r:7.3f} {f:6.3f}")


if __name__ == "__main__":
    main()
