"""The Elasticsearch (and OpenSearch) backend: the same search as the embedded one, at scale.

Analysis mirrors the tantivy index: words split on anything that is not a letter or digit,
a folded field (lowercase + asciifolding, which folds ``đ``) and an exact field (lowercase;
one tone placement is applied in Python before indexing and querying). Documents live in
versioned indices behind one alias; ``rebuild`` fills a new index and swaps the alias in
one atomic call, so searches keep working and a failed rebuild leaves the old index serving.

The cluster's distribution is read from its root endpoint: OpenSearch (and osmem-server,
the test double) answer 406 to the Elasticsearch 9 client's ``compatible-with=9`` media
type, so for them the client sends plain ``application/json``.
"""

from __future__ import annotations

import base64
import contextlib
import html
import itertools
import json
import re
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import HttpHeaders, TransportError, Urllib3HttpNode
from elastic_transport._node._base import NodeApiResponse
from elastic_transport.client_utils import DEFAULT
from elasticsearch import ApiError, Elasticsearch, helpers

from archive.errors import SearchError
from archive.records import DocumentRecord
from archive.vntext import fold, symbol_keys
from search.document import IndexDoc, make_index_doc
from search.model import FACET_FIELDS, Facet, Filters, Hit, Results, Scoring, SearchRequest
from search.query import LONG_QUESTION, content_words, expand_abbreviations, required

__all__ = ["MAPPING_VERSION", "ElasticBackend", "ElasticConfig", "JsonMediaTypeNode"]

# 2: the analysis-only copies are left out of _source; 3: confidentiality; 4: heading, meta, signer, pairs;
# 5: rendition_key, primary
MAPPING_VERSION = 5
_VERSIONED = re.compile(r"-v(\d+)-\d{14}-\d+$")
_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)\s*;\s*compatible-with=\d+")


def _plain(media_type: str) -> str:
    """``application/vnd.elasticsearch+x-ndjson; compatible-with=9`` → ``application/x-ndjson``."""
    return _COMPAT.sub(r"application/\1", media_type)


_FACET_SIZE = {"doc_type": 20, "year": 50, "issuer": 20, "province": 70, "topics": 20}
_B_TITLE, _B_EXACT, _B_TITLE_EXACT, _B_OWN, _B_MENTION, _B_NEAR = 2.0, 1.5, 3.0, 10.0, 3.0, 6.0
_SNIPPET_CHARS = 240
# The language-aware ranking: the same weights as the embedded index (search/embedded.py).
_L_HEAD, _L_EXACT, _L_HEAD_EXACT, _L_META = 2.0, 0.5, 1.0, 1.5
_L_PAIR, _L_HEAD_PAIR, _L_META_PAIR = 4.0, 6.0, 4.0
_L_HEAD_SYMBOL = 6.0
_S_TYPE, _S_AUTHORITY, _S_YEAR = 10.0, 5.0, 10.0
_WORDS = re.compile(r"[^\W_]+")

# The standard tokenizer, with the separators it would keep inside a token (174.862, 99,94,
# hoà_bình) turned into spaces first, splits words as the embedded index does.
# (osmem-server ignores mapping char filters and mis-runs pattern tokenizers: on it such
# numbers stay one token; real Elasticsearch and OpenSearch apply the char filter.)
_ANALYSIS = {
    "char_filter": {"vi_separators": {"type": "mapping", "mappings": [". => \\u0020", ", => \\u0020", "_ => \\u0020"]}},
    "filter": {"vi_long": {"type": "length", "max": 48}},
    "analyzer": {
        "vi_fold": {"type": "custom", "char_filter": ["vi_separators"], "tokenizer": "standard",
                    "filter": ["vi_long", "lowercase", "asciifolding"]},
        "vi_exact": {"type": "custom", "char_filter": ["vi_separators"], "tokenizer": "standard",
                     "filter": ["vi_long", "lowercase"]},
    },
}  # fmt: skip
_FOLD = {"type": "text", "analyzer": "vi_fold"}
_EXACT = {"type": "text", "analyzer": "vi_exact"}
# Adjacent folded word pairs ("thanh_hoa"), made in Python (pairs_of) for documents and queries alike.
_PAIRS = {"type": "text", "analyzer": "whitespace", "index_options": "freqs"}
_UNSHOWN = ["title_exact", "body_exact", "issuer_text", "province_text", "heading", "heading_exact", "heading_pairs",
            "body_pairs", "meta", "meta_pairs", "signer", "heading_keys"]  # fmt: skip
_MAPPINGS = {
    "dynamic": "strict",
    "_meta": {"doithoai_mapping": MAPPING_VERSION},
    # The exact-analysis and text copies exist to be searched, never shown: leaving them out of
    # _source stores each document's text once instead of twice (the store keeps the original).
    "_source": {"excludes": _UNSHOWN},
    "properties": {
        "id": {"type": "keyword"},
        "id_key": {"type": "long"},
        "doc_type": {"type": "keyword"},
        "number_symbol": {"type": "keyword"},
        "issue_date": {"type": "date", "format": "yyyy-MM-dd"},
        "issue_ymd": {"type": "integer"},
        "year": {"type": "integer"},
        "issuer": {"type": "keyword"},
        "issuer_text": _FOLD,
        "province": {"type": "keyword"},
        "province_text": _FOLD,
        "topics": {"type": "keyword"},
        "title": _FOLD,
        "title_exact": _EXACT,
        "body": _FOLD,
        "body_exact": _EXACT,
        "symbol_keys": {"type": "keyword"},
        "mention_keys": {"type": "keyword"},
        "path": {"type": "keyword", "index": False},
        "needs_review": {"type": "boolean"},
        "confidentiality": {"type": "keyword"},
        "heading": _FOLD,
        "heading_exact": _EXACT,
        "heading_pairs": _PAIRS,
        "body_pairs": _PAIRS,
        "meta": _FOLD,
        "meta_pairs": _PAIRS,
        "signer": {"type": "text", "analyzer": "whitespace"},
        "heading_keys": {"type": "keyword"},
        "rendition_key": {"type": "keyword"},
        "primary": {"type": "boolean"},
    },
}


class JsonMediaTypeNode(Urllib3HttpNode):
    """Sends ``application/json`` instead of the Elasticsearch 9 compatibility media type."""

    def perform_request(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        request_timeout: Any = DEFAULT,
    ) -> NodeApiResponse:
        if headers:
            headers = HttpHeaders({k: _plain(v) if isinstance(v, str) else v for k, v in headers.items()})
        return super().perform_request(method, target, body=body, headers=headers, request_timeout=request_timeout)


@dataclass(frozen=True)
class ElasticConfig:
    url: str
    alias: str = "doithoai"
    username: str | None = None
    password: str | None = None
    api_key: str | None = None
    ca_certs: str | None = None
    verify_certs: bool = True
    timeout: float = 30.0
    result_window: int = 10_000  # the index's max_result_window: deeper pages go by search_after
    scoring: Scoring = "language"


def _unreachable(url: str, exc: BaseException) -> SearchError:
    return SearchError(f"máy chủ tìm kiếm {url} không truy cập được ({type(exc).__name__}); kiểm tra DOITHOAI_ES_URL")


class ElasticBackend:
    name = "elasticsearch"

    def __init__(self, config: ElasticConfig) -> None:
        self.config = config
        self._client: Elasticsearch | None = None
        self._lock = threading.Lock()

    # -- connection --------------------------------------------------------------------

    def distribution(self) -> str:
        """``elasticsearch`` or ``opensearch``, from the cluster's root endpoint."""
        req = urllib.request.Request(self.config.url.rstrip("/") + "/", headers={"Accept": "application/json"})
        if self.config.api_key:
            req.add_header("Authorization", f"ApiKey {self.config.api_key}")
        elif self.config.username:
            token = base64.b64encode(f"{self.config.username}:{self.config.password or ''}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        context = None
        if self.config.url.startswith("https"):
            context = ssl.create_default_context(cafile=self.config.ca_certs)
            if not self.config.verify_certs:
                context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        try:
            with urllib.request.urlopen(req, timeout=self.config.timeout, context=context) as resp:
                info = json.loads(resp.read().decode())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise _unreachable(self.config.url, exc) from exc
        return str(info.get("version", {}).get("distribution", "elasticsearch"))

    def client_options(self, distribution: str) -> dict[str, Any]:
        c = self.config
        options: dict[str, Any] = {"request_timeout": c.timeout, "max_retries": 3, "retry_on_timeout": True,
                                   "retry_on_status": (429, 502, 503, 504)}  # fmt: skip
        if distribution == "opensearch":
            options["node_class"] = JsonMediaTypeNode
        if c.api_key:
            options["api_key"] = c.api_key
        elif c.username:
            options["basic_auth"] = (c.username, c.password or "")
        if c.ca_certs:
            options["ca_certs"] = c.ca_certs
        if not c.verify_certs:
            options["verify_certs"] = False
        return options

    @property
    def es(self) -> Elasticsearch:
        if self._client is None:
            self._client = Elasticsearch(self.config.url, **self.client_options(self.distribution()))
        return self._client

    def _call(self, fn: Any, *args: Any, **kw: Any) -> Any:
        try:
            return fn(*args, **kw)
        except TransportConnectionError as exc:
            raise _unreachable(self.config.url, exc) from exc
        except (ApiError, TransportError) as exc:
            raise SearchError(f"máy chủ tìm kiếm trả lỗi: {exc}") from exc

    # -- indices -------------------------------------------------------------------------

    def _create_index(self) -> str:
        name = f"{self.config.alias}-v{MAPPING_VERSION}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 10**6}"
        self._call(self.es.indices.create, index=name, settings={"analysis": _ANALYSIS}, mappings=_MAPPINGS)
        return name

    def _current(self) -> list[str]:
        try:
            return sorted(self.es.indices.get_alias(name=self.config.alias).body)
        except ApiError as exc:
            if exc.meta.status == 404:
                return []
            raise SearchError(f"máy chủ tìm kiếm trả lỗi: {exc}") from exc
        except TransportConnectionError as exc:
            raise _unreachable(self.config.url, exc) from exc

    def _ensure(self) -> None:
        with self._lock:
            current = self._current()
            if not current:
                name = self._create_index()
                self._call(self.es.indices.put_alias, index=name, name=self.config.alias)
                return
        # An index of an older mapping lacks fields the queries need (confidentiality): a filter on a
        # missing field would hide every document, and strict mapping would refuse new ones.
        versions = [int(m[1]) for name in current if (m := _VERSIONED.search(name))]
        if versions and min(versions) < MAPPING_VERSION:
            raise SearchError(
                f"chỉ mục tìm kiếm '{self.config.alias}' là phiên bản {min(versions)}, cần {MAPPING_VERSION}: "
                "chạy 'doithoai reindex'"
            )

    # -- writing -----------------------------------------------------------------------

    def _actions(
        self, index: str, items: Iterable[tuple[DocumentRecord, str]], secondary: Collection[str] = ()
    ) -> Iterator[dict[str, Any]]:
        for record, text in items:
            doc = make_index_doc(record, text, primary=record.id not in secondary)
            yield {"_index": index, "_id": record.id, "_source": _source(doc)}

    def _bulk(self, index: str, items: Iterable[tuple[DocumentRecord, str]], secondary: Collection[str] = ()) -> int:
        n, failed = 0, []
        try:
            for ok, info in helpers.streaming_bulk(
                self.es, self._actions(index, items, secondary), chunk_size=200, max_chunk_bytes=20 * 1024 * 1024,
                raise_on_error=False, max_retries=5, initial_backoff=1, max_backoff=30,
            ):  # fmt: skip
                if ok:
                    n += 1
                else:
                    failed.append(info)
        except TransportConnectionError as exc:
            raise _unreachable(self.config.url, exc) from exc
        except (ApiError, TransportError) as exc:
            raise SearchError(f"máy chủ tìm kiếm trả lỗi khi ghi: {exc}") from exc
        if failed:
            ids = [next(iter(f.values())).get("_id", "?") for f in failed[:5]]
            raise SearchError(f"{len(failed)} văn bản không đánh chỉ mục được (vd. {', '.join(ids)}): {failed[0]}")
        return n

    def add(self, record: DocumentRecord, text: str) -> None:
        self.add_many([(record, text)])

    def add_many(self, items: Iterable[tuple[DocumentRecord, str]], *, secondary: Collection[str] = ()) -> int:
        self._ensure()
        n = self._bulk(self.config.alias, items, secondary)
        self._call(self.es.indices.refresh, index=self.config.alias)
        return n

    def remove(self, doc_id: str) -> None:
        self._ensure()
        self._call(self.es.delete_by_query, index=self.config.alias, query={"term": {"id": doc_id}}, refresh=True)

    def rebuild(self, items: Iterable[tuple[DocumentRecord, str]], *, secondary: Collection[str] = ()) -> int:
        """Fill a new index beside the serving one, then swap the alias atomically."""
        new = self._create_index()
        try:
            n = self._bulk(new, items, secondary)
            self._call(self.es.indices.refresh, index=new)
            old = self._current()
            actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": self.config.alias}} for i in old]
            actions.append({"add": {"index": new, "alias": self.config.alias}})
            self._call(self.es.indices.update_aliases, actions=actions)
        except BaseException:
            with contextlib.suppress(ApiError, TransportError):
                self.es.indices.delete(index=new, ignore_unavailable=True)
            raise
        for index in old:
            with contextlib.suppress(ApiError, TransportError):  # a leftover old index costs disk, not results
                self.es.indices.delete(index=index, ignore_unavailable=True)
        return n

    # -- reading -----------------------------------------------------------------------

    def count(self) -> int:
        self._ensure()
        return int(self._call(self.es.count, index=self.config.alias)["count"])

    def ids(self) -> set[str]:
        self._ensure()
        out: set[str] = set()
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"size": 5000, "sort": [{"id": "asc"}], "_source": False, "fields": ["id"]}
            if after:
                body["search_after"] = after
            res = self._call(self.es.search, index=self.config.alias, **body)
            hits = res["hits"]["hits"]
            out.update(h["_id"] for h in hits)
            if len(hits) < 5000:
                return out
            after = hits[-1]["sort"]

    def has(self, doc_id: str) -> bool:
        self._ensure()
        return int(self._call(self.es.count, index=self.config.alias, query={"term": {"id": doc_id}})["count"]) > 0

    def search(self, request: SearchRequest) -> Results:
        self._ensure()
        text = _text_query(request, self.config.scoring)
        filters = _filters(request.filters, self.config.scoring)
        query: dict[str, Any] = {"bool": {"must": [text or {"match_all": {}}], "filter": filters}}
        sort: list[Any] = (["_score"] if text else []) + [{"issue_ymd": "desc"}, {"id_key": "asc"}]
        body: dict[str, Any] = {
            "query": query,
            "sort": sort,
            "track_total_hits": True,
            "_source": ["id", "doc_type", "number_symbol", "issue_date", "title", "issuer", "province", "path", "body"],
            "aggs": {f: {"terms": {"field": f, "size": _FACET_SIZE[f]}} for f in FACET_FIELDS},
        }
        highlight = _highlight_query(request, text)
        if highlight:
            body["highlight"] = {
                "fields": {"body": {"fragment_size": _SNIPPET_CHARS, "number_of_fragments": 1}},
                "pre_tags": ["<b>"], "post_tags": ["</b>"], "encoder": "html", "highlight_query": highlight,
            }  # fmt: skip
        res = self._page(body, request.offset, request.limit)
        return Results(
            total=int(res["hits"]["total"]["value"]),
            hits=tuple(_hit(h) for h in res["hits"]["hits"]),
            facets=_facets(res.get("aggregations", {})),
            notes=request.notes,
        )

    def _page(self, body: dict[str, Any], offset: int, limit: int) -> Any:
        """The response holding one page of hits; past the result window, walk there with search_after
        (the skipped pages fetch only sort values: no sources, highlights or aggregations)."""
        if offset + limit <= self.config.result_window:
            return self._call(self.es.search, index=self.config.alias, from_=offset, size=limit, **body)
        skip_body = {k: v for k, v in body.items() if k not in ("aggs", "highlight", "_source")}
        skipped, after = 0, None
        while skipped < offset:
            step = dict(skip_body, size=min(1000, offset - skipped), _source=False, track_total_hits=False)
            if after is not None:
                step["search_after"] = after
            hits = self._call(self.es.search, index=self.config.alias, **step)["hits"]["hits"]
            if not hits:
                break
            skipped += len(hits)
            after = hits[-1]["sort"]
        final = dict(body, size=limit)
        if after is not None:
            final["search_after"] = after
        return self._call(self.es.search, index=self.config.alias, **final)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _source(d: IndexDoc) -> dict[str, Any]:
    ymd = d.issue_date
    return {
        "id": d.id,
        "id_key": int(d.id[:15], 16) if all(c in "0123456789abcdef" for c in d.id[:15]) and d.id else 0,
        "doc_type": d.doc_type or None,
        "number_symbol": d.number_symbol or None,
        "issue_date": f"{ymd // 10000:04d}-{ymd // 100 % 100:02d}-{ymd % 100:02d}" if ymd else None,
        "issue_ymd": ymd,
        "year": d.year or None,
        "issuer": d.issuer or None,
        "issuer_text": d.issuer_search,
        "province": d.province or None,
        "province_text": d.province,
        "topics": list(d.topics),
        "title": d.title,
        "title_exact": d.title_exact,
        "body": d.body,
        "body_exact": d.body_exact,
        "symbol_keys": list(d.symbol_keys),
        "mention_keys": list(d.mention_keys),
        "path": d.path,
        "needs_review": d.needs_review,
        "confidentiality": d.confidentiality,
        "heading": d.heading,
        "heading_exact": d.heading_exact,
        "heading_pairs": " ".join(pairs_of(d.heading)),
        "body_pairs": " ".join(pairs_of(d.body)),
        "meta": d.meta,
        "meta_pairs": " ".join(p for part in d.meta.split(" ; ") for p in pairs_of(part)),
        "signer": d.signer,
        "heading_keys": list(d.heading_keys),
        "rendition_key": d.rendition_key,
        "primary": d.primary,
    }


def pairs_of(text: str) -> list[str]:
    """Adjacent folded words: ``Thanh Hóa`` → ``["thanh_hoa"]`` (as the embedded index pairs them)."""
    words = _WORDS.findall(fold(text).lower())
    return [f"{a}_{b}" for a, b in itertools.pairwise(words)]


def _match(field: str, text: str, boost: float = 1.0, phrase: bool = False, slop: int = 0) -> dict[str, Any]:
    if phrase:
        return {"match_phrase": {field: {"query": text, "boost": boost, "slop": slop}}}
    return {"match": {field: {"query": text, "boost": boost, "operator": "and"}}}


def _both(text: str, phrase: bool) -> dict[str, Any]:
    return {
        "bool": {
            "should": [
                _match("body", text, 1.0, phrase),
                _match("title", text, _B_TITLE, phrase),
                _match("body_exact", text, _B_EXACT, phrase),
                _match("title_exact", text, _B_TITLE_EXACT, phrase),
            ],
            "minimum_should_match": 1,
        }
    }


def _symbol(key: str, in_text: str | None = None) -> dict[str, Any]:
    should: list[dict[str, Any]] = [
        {"term": {"symbol_keys": {"value": key, "boost": _B_OWN}}},
        {"term": {"mention_keys": {"value": key, "boost": _B_MENTION}}},
    ]
    if in_text is not None:
        should += [_match("body", in_text), _match("title", in_text, _B_TITLE)]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _text_query(r: SearchRequest, scoring: Scoring = "language") -> dict[str, Any] | None:
    return _plain_query(r) if scoring == "plain" else _language_query(r)


def _const(query: dict[str, Any], score: float) -> dict[str, Any]:
    return {"constant_score": {"filter": query, "boost": score}}


def _word(word: str, short: bool = True) -> dict[str, Any]:
    """One typed word: folded in body, heading and who/where; its exact spelling scores more.
    In a long question only body and heading count (how many words and how close decide)."""
    should = [_match("body", word), _match("heading", word, _L_HEAD)]
    if short:
        should += [_match("body_exact", word, _L_EXACT), _match("heading_exact", word, _L_HEAD_EXACT),
                   _match("meta", word, _L_META)]  # fmt: skip
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _number(n: int) -> dict[str, Any]:
    """A number among words: a document's own number, one it cites, the word itself, or its year."""
    should: list[dict[str, Any]] = [
        {"term": {"symbol_keys": {"value": str(n), "boost": _B_OWN}}},
        {"term": {"mention_keys": {"value": str(n), "boost": _B_MENTION}}},
        _match("body", str(n)),
        _match("heading", str(n), _L_HEAD),
    ]
    if 1945 <= n <= 2100:
        should.append(_const({"term": {"year": n}}, _S_YEAR))
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _language_query(r: SearchRequest) -> dict[str, Any] | None:
    """Most of the words (all of a short query), ranked by how many, how close and where."""
    must = [_both(" ".join(p), phrase=True) for p in r.phrases]
    for s in r.symbols:  # a symbol in the title: the document is about that document
        key = symbol_keys(s)[-1]
        titled = {"term": {"heading_keys": {"value": key, "boost": _L_HEAD_SYMBOL}}}
        must.append({"bool": {"should": [_symbol(key), titled], "minimum_should_match": 1}})
    content = [w for word in content_words(r.words) for w in _WORDS.findall(word)]
    short = len(content) <= LONG_QUESTION
    group = [_word(w, short) for w in content]
    if group:
        group += [_number(n) for n in r.numbers]
        must.append({"bool": {"should": group, "minimum_should_match": required(len(group))}})
    else:
        must += [_symbol(str(n), in_text=str(n)) for n in r.numbers]
    if not must:
        return {"match_none": {}} if r.has_text else None
    should: list[dict[str, Any]] = []
    for pair in dict.fromkeys(pairs_of(" ".join(r.words))):
        should += [
            {"term": {"body_pairs": {"value": pair, "boost": _L_PAIR}}},
            {"term": {"heading_pairs": {"value": pair, "boost": _L_HEAD_PAIR}}},
        ]
        if short:
            should.append({"term": {"meta_pairs": {"value": pair, "boost": _L_META_PAIR}}})
    if r.type_hints:
        should.append(_const({"terms": {"doc_type": list(r.type_hints)}}, _S_TYPE))
    if r.authority:
        should.append(_const({"match_phrase": {"signer": " ".join(r.authority)}}, _S_AUTHORITY))
    query: dict[str, Any] = {"bool": {"must": must}}
    if should:
        query["bool"]["should"] = should
    return query


def _plain_query(r: SearchRequest) -> dict[str, Any] | None:
    """The ranking before the language-aware one (bench/search_quality.py measures both)."""
    must = [_both(w, phrase=False) for w in r.words]
    must += [_both(" ".join(p), phrase=True) for p in r.phrases]
    must += [_symbol(symbol_keys(s)[-1]) for s in r.symbols]
    must += [_symbol(str(n), in_text=str(n)) for n in r.numbers]
    if not must:
        return {"match_none": {}} if r.has_text else None
    query: dict[str, Any] = {"bool": {"must": must}}
    if len(r.words) > 1:
        query["bool"]["should"] = [_match("body", " ".join(r.words), _B_NEAR, phrase=True, slop=1)]
    return query


def _highlight_query(r: SearchRequest, text: dict[str, Any] | None) -> dict[str, Any] | None:
    if text is None:
        return None
    should: list[dict[str, Any]] = [text]
    should += [_match("body", f"{s.number} {s.type} {s.org or ''}", phrase=True) for s in r.symbols]
    should += [_match("body", str(n)) for n in r.numbers]
    should += [_match("body", " ".join(p)) for p in r.phrases]
    return {"bool": {"should": should}}


def _filters(f: Filters, scoring: Scoring = "language") -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if f.doc_types:
        out.append({"terms": {"doc_type": list(f.doc_types)}})
    if f.year is not None:
        out.append({"term": {"year": f.year}})
    if f.date_from or f.date_to:
        rng: dict[str, str] = {}
        if f.date_from:
            rng["gte"] = f.date_from.isoformat()
        if f.date_to:
            rng["lte"] = f.date_to.isoformat()
        out.append({"range": {"issue_date": rng}})
    if f.issuer:
        issuer = f.issuer if scoring == "plain" else expand_abbreviations(f.issuer)
        out.append(_match("issuer_text", issuer, phrase=True))
    if f.province:
        out.append(_match("province_text", f.province, phrase=True))
    if f.topics:
        out.append({"terms": {"topics": list(f.topics)}})
    if f.symbol:
        out.append({"term": {"symbol_keys": f.symbol}})
    if f.cites:
        out.append({"term": {"mention_keys": f.cites}})
    if f.needs_review is not None:
        out.append({"term": {"needs_review": f.needs_review}})
    if f.confidentiality:
        out.append({"terms": {"confidentiality": list(f.confidentiality)}})
    if f.rendition_key:
        out.append({"term": {"rendition_key": f.rendition_key}})
    if not f.all_renditions:
        out.append({"term": {"primary": True}})  # a document once, by its primary rendition
    return out


def _hit(h: dict[str, Any]) -> Hit:
    src = h["_source"]
    fragments = h.get("highlight", {}).get("body")
    snippet = fragments[0] if fragments else html.escape(" ".join((src.get("body") or "")[:_SNIPPET_CHARS].split()))
    issued = src.get("issue_date")
    return Hit(
        id=src["id"],
        score=round(float(h.get("_score") or 0.0), 4),
        doc_type=src.get("doc_type"),
        number_symbol=src.get("number_symbol"),
        issue_date=date.fromisoformat(issued) if issued else None,
        title=src.get("title") or None,
        snippet=" ".join(snippet.split()),
        path=src.get("path") or None,
        issuer=src.get("issuer"),
        province=src.get("province"),
    )


def _facets(aggs: dict[str, Any]) -> dict[str, tuple[Facet, ...]]:
    out: dict[str, tuple[Facet, ...]] = {}
    for name in FACET_FIELDS:
        buckets = [
            Facet(
                value=str(int(b["key"])) if isinstance(b["key"], (int, float)) else str(b["key"]),
                count=int(b["doc_count"]),
            )
            for b in aggs.get(name, {}).get("buckets", [])
        ]
        out[name] = tuple(sorted((b for b in buckets if b.value not in ("", "0")), key=lambda b: (-b.count, b.value)))
    return out
