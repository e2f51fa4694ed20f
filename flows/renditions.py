"""Which archived file represents its document in searches (search.renditions says which files match).

Nothing here deletes or changes a stored record: the grouping lives in the search index only
(a ``rendition_key`` and a ``primary`` flag per file), so ``doithoai reindex`` rebuilds it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from archive.errors import Damaged, NotFound
from archive.records import DocumentRecord
from archive.store import Store
from search import Filters, SearchBackend, SearchRequest
from search.renditions import primary_of, rendition_key, rendition_rank, secondary_ids

__all__ = ["index", "regroup", "renditions_of", "secondary_in_store"]

log = logging.getLogger("doithoai.renditions")
_GROUP_LIMIT = 200  # files of one document looked up at once (a handful in practice)


def _indexed_with_key(backend: SearchBackend, key: str, confidentiality: tuple[str, ...] = ()) -> list[str]:
    filters = Filters(rendition_key=key, all_renditions=True, confidentiality=confidentiality)
    return [h.id for h in backend.search(SearchRequest(filters=filters, limit=_GROUP_LIMIT)).hits]


def _load(store: Store, sha: str) -> tuple[DocumentRecord, str] | None:
    try:
        return store.load_record(sha), store.load_extraction(sha).text
    except (Damaged, NotFound) as exc:
        log.warning("bỏ qua bản khác của văn bản: %s", exc)
        return None


def index(backend: SearchBackend, store: Store, items: Iterable[tuple[DocumentRecord, str]]) -> int:
    """Index ``items`` (newly archived files) with their renditions already in the index.

    For each rendition key among the items, the files the index already holds with that key are
    re-indexed with them, so exactly one file of the group is primary. Returns len(items).
    Call under the index lock (flows.steps.index_lock): the look-up and the write must not interleave.
    """
    batch = list(items)
    ids = {r.id for r, _ in batch}
    groups: dict[str, list[DocumentRecord]] = {}
    for record, _ in batch:
        if key := rendition_key(record):
            groups.setdefault(key, []).append(record)
    extra: list[tuple[DocumentRecord, str]] = []
    for key, group in groups.items():
        for sha in _indexed_with_key(backend, key):
            if sha not in ids and (loaded := _load(store, sha)) is not None:
                ids.add(sha)
                extra.append(loaded)
                group.append(loaded[0])
    secondary = secondary_ids(r for r, _ in [*batch, *extra])
    backend.add_many([*batch, *extra], secondary=secondary)
    return len(batch)


def regroup(backend: SearchBackend, store: Store, record: DocumentRecord) -> None:
    """Re-decide the primary among the indexed files sharing ``record``'s key (as it was before a change).

    For a file that left the index or changed key (a confidentiality correction): when it was the
    primary, another of its renditions takes its place, so the document stays findable.
    """
    if not (key := rendition_key(record)):
        return
    group = [loaded for sha in _indexed_with_key(backend, key) if (loaded := _load(store, sha)) is not None]
    if group:
        backend.add_many(group, secondary=secondary_ids(r for r, _ in group))


def secondary_in_store(store: Store) -> set[str]:
    """Ids of the non-primary renditions among every archived record (for a reindex)."""

    def records() -> Iterable[DocumentRecord]:
        for sha in store.iter_ids():
            try:
                yield store.load_record(sha)
            except (Damaged, NotFound):
                continue  # the reindex itself reports it

    return secondary_ids(records())


def renditions_of(
    backend: SearchBackend, store: Store, record: DocumentRecord, confidentiality: tuple[str, ...] = ()
) -> list[tuple[DocumentRecord, bool]]:
    """Every archived file of ``record``'s document the asker may see, the primary first, as (record, is_primary).

    A record without a rendition key is its own only rendition. Reads the index (which knows the
    group) and the store (which has the records); ``confidentiality`` as in search.Filters.
    """
    key = rendition_key(record)
    if not key:
        return [(record, True)]
    found: dict[str, DocumentRecord] = {record.id: record}
    for sha in _indexed_with_key(backend, key, confidentiality):
        if sha not in found:
            try:
                found[sha] = store.load_record(sha)
            except (Damaged, NotFound):
                continue
    first = primary_of(found.values())
    ordered = sorted(found.values(), key=rendition_rank)
    return [(r, r.id == first.id) for r in ordered]
