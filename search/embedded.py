"""The embedded search backend: a tantivy index on disk under ``<home>/index/tantivy``.

Each field that clerks search is indexed twice: folded (no diacritics, ``đ``→``d``; the
stored copy keeps the original text so snippets show it) and exact (one tone-mark
placement). Every word must match folded; exact matches add score, so ``đất`` ranks
documents with *đất* above those with only *dát* or *đạt*.

The index lives in a generation directory; ``current`` is a symlink swapped atomically
by :meth:`TantivyBackend.rebuild`, so searches keep working during a reindex and a
failed reindex leaves the old index serving.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import os
import shutil
import threading
import time
from collections.abc import Collection, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Query

from archive.errors import SearchError
from archive.records import DocumentRecord
from archive.store import FILE_MODE
from archive.vntext import symbol_keys
from search.document import IndexDoc, make_index_doc
from search.model import FACET_FIELDS, Facet, Filters, Hit, Results, Scoring, SearchRequest
from search.query import LONG_QUESTION, content_words, expand_abbreviations, required

__all__ = ["INDEX_VERSION", "TantivyBackend"]

INDEX_VERSION = 6  # 4: confidentiality (the clearance filter); 5: heading, meta, signer; 6: renditions
_WRITER_HEAP = 64 * 1024 * 1024
_TIE_WINDOW = 20
_SNIPPET_CHARS = 240
_FACET_SIZE = {"doc_type": 20, "year": 50, "issuer": 20, "province": 70, "topics": 20}

_B_TITLE = 2.0
_B_EXACT = 1.5
_B_TITLE_EXACT = 3.0
_B_OWN_SYMBOL = 10.0
_B_MENTION = 3.0
_B_PROXIMITY = 6.0

# The language-aware ranking ("language" scoring). A word counts in the body, more in the heading
# (type name + title) and in who/where (issuer, province, signer); two words standing together as
# typed count far more than the two apart, most of all in the heading. Hints are constant scores.
_L_HEAD, _L_EXACT, _L_HEAD_EXACT, _L_META = 2.0, 0.5, 1.0, 1.5
_L_PAIR, _L_HEAD_PAIR, _L_META_PAIR = 4.0, 6.0, 4.0
_L_HEAD_SYMBOL = 6.0
_S_TYPE, _S_AUTHORITY, _S_YEAR = 10.0, 5.0, 10.0


def _analyzers() -> dict[str, tantivy.TextAnalyzer]:
    def build(*filters: Any) -> tantivy.TextAnalyzer:
        b = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        for f in filters:
            b = b.filter(f)
        return b.build()

    return {
        "vi_fold": build(tantivy.Filter.remove_long(48), tantivy.Filter.lowercase(), tantivy.Filter.ascii_fold()),
        "vi_exact": build(tantivy.Filter.remove_long(48), tantivy.Filter.lowercase()),
    }


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    sb.add_integer_field("id_key", fast=True)  # first 60 bits of the id: a stable tie-breaker
    sb.add_text_field("doc_type", stored=True, fast=True, tokenizer_name="raw")
    sb.add_text_field("number_symbol", stored=True, tokenizer_name="raw")
    sb.add_integer_field("issue_date", stored=True, indexed=True, fast=True)
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_text_field("issuer", stored=True, fast=True, tokenizer_name="raw")
    sb.add_text_field("issuer_text", tokenizer_name="vi_fold")
    sb.add_text_field("province", stored=True, fast=True, tokenizer_name="raw")
    sb.add_text_field("province_text", tokenizer_name="vi_fold")
    sb.add_text_field("topics", stored=True, fast=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True, tokenizer_name="vi_fold")
    sb.add_text_field("title_exact", tokenizer_name="vi_exact")
    sb.add_text_field("body", stored=True, tokenizer_name="vi_fold")
    sb.add_text_field("body_exact", tokenizer_name="vi_exact")
    # Adjacent folded word pairs ("giai_phong", "phong_mat"): phrases become cheap conjunctions
    # instead of position checks over every document that has the words (measured: 60 ms -> 4 ms
    # for a common phrase at 100,000 documents).
    sb.add_text_field("body_pairs", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("title_pairs", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("symbol_keys", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("mention_keys", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("path", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_boolean_field("needs_review", stored=True, indexed=True, fast=True)
    sb.add_text_field("confidentiality", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("heading", tokenizer_name="vi_fold")
    sb.add_text_field("heading_exact", tokenizer_name="vi_exact")
    sb.add_text_field("heading_pairs", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("meta", tokenizer_name="vi_fold")
    sb.add_text_field("meta_pairs", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("signer", tokenizer_name="whitespace")
    sb.add_text_field("heading_keys", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("rendition_key", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_boolean_field("primary", stored=True, indexed=True)
    return sb.build()


class TantivyBackend:
    """SearchBackend over a tantivy index directory. One writer per index at a time."""

    name = "tantivy"

    def __init__(self, root: Path, *, scoring: Scoring = "language") -> None:
        self.root = root
        self.scoring = scoring
        self.schema = _schema()
        self._analyzers = _analyzers()
        self._lock = threading.Lock()
        self._index: tantivy.Index | None = None

    # -- opening -------------------------------------------------------------------

    @property
    def _current(self) -> Path:
        return self.root / "current"

    def _open_dir(self, path: Path) -> tantivy.Index:
        path.mkdir(parents=True, exist_ok=True)
        try:
            index = tantivy.Index(self.schema, path=str(path), reuse=True)
        except ValueError as exc:
            raise SearchError(
                f"chỉ mục tìm kiếm ở {path} không mở được ({exc}); chạy 'doithoai reindex' để dựng lại"
            ) from exc
        for name, analyzer in self._analyzers.items():
            index.register_tokenizer(name, analyzer)  # not persisted: every open
        return index

    def _open(self) -> tantivy.Index:
        try:
            return self._open_current()
        except OSError as exc:
            raise SearchError(f"không mở được chỉ mục tìm kiếm ở {self.root}: {exc.strerror or exc}") from exc

    def _open_current(self) -> tantivy.Index:
        if self._index is None:
            if not self._current.exists():
                gen = self._new_generation()
                self._write_meta(gen)
                self._swap(gen)
            meta = self._current / "doithoai-index.json"
            with contextlib.suppress(OSError, ValueError):
                version = json.loads(meta.read_text())["version"]
                if version != INDEX_VERSION:
                    raise SearchError(
                        f"chỉ mục tìm kiếm là phiên bản {version}, cần {INDEX_VERSION}: chạy 'doithoai reindex'"
                    )
            self._index = self._open_dir(self._current)
        return self._index

    def _new_generation(self) -> Path:
        gen = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        gen.mkdir(parents=True)
        return gen

    def _write_meta(self, gen: Path) -> None:
        (gen / "doithoai-index.json").write_text(json.dumps({"version": INDEX_VERSION}))

    def _swap(self, gen: Path) -> None:
        tmp = self.root / f".current-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(gen.name)
        os.replace(tmp, self._current)

    # -- writing -------------------------------------------------------------------

    @contextlib.contextmanager
    def _writer(self, index: tantivy.Index, threads: int = 1) -> Iterator[Any]:
        try:
            writer = index.writer(heap_size=_WRITER_HEAP * threads, num_threads=threads)
        except ValueError as exc:
            raise SearchError(
                "chỉ mục tìm kiếm đang được ghi bởi một tiến trình khác; thử lại khi tiến trình đó xong"
            ) from exc
        try:
            yield writer
            writer.commit()
            writer.wait_merging_threads()
            _group_readable(self._current.resolve() if self._current.exists() else None)
        except BaseException:
            with contextlib.suppress(Exception):
                writer.rollback()
            raise

    def add(self, record: DocumentRecord, text: str) -> None:
        self.add_many([(record, text)])

    def add_many(self, items: Iterable[tuple[DocumentRecord, str]], *, secondary: Collection[str] = ()) -> int:
        with self._lock:
            index = self._open()
            n = 0
            with self._writer(index) as writer:
                for record, text in items:
                    writer.delete_documents_by_term("id", record.id)
                    doc = make_index_doc(record, text, primary=record.id not in secondary)
                    writer.add_document(self._document(doc))
                    n += 1
            index.reload()
            return n

    def remove(self, doc_id: str) -> None:
        with self._lock:
            index = self._open()
            with self._writer(index) as writer:
                writer.delete_documents_by_term("id", doc_id)
            index.reload()

    def rebuild(self, items: Iterable[tuple[DocumentRecord, str]], *, secondary: Collection[str] = ()) -> int:
        """Build a new generation beside the serving one, then swap; the old one serves until then."""
        with self._lock:
            try:
                gen = self._new_generation()
            except OSError as exc:
                raise SearchError(f"không tạo được chỉ mục mới ở {self.root}: {exc.strerror or exc}") from exc
            try:
                index = self._open_dir(gen)
                n = 0
                # Tantivy indexes in its own threads while Python prepares the next documents.
                with self._writer(index, threads=2) as writer:
                    for record, text in items:
                        doc = make_index_doc(record, text, primary=record.id not in secondary)
                        writer.add_document(self._document(doc))
                        n += 1
                self._write_meta(gen)
                _group_readable(gen)
                old = self._current.resolve() if self._current.exists() else None
                self._swap(gen)
            except BaseException:
                shutil.rmtree(gen, ignore_errors=True)
                raise
            self._index = None
            if old is not None and old != gen.resolve():
                shutil.rmtree(old, ignore_errors=True)
            return n

    def _document(self, d: IndexDoc) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_text("id", d.id)
        doc.add_integer("id_key", _id_key(d.id))
        doc.add_text("doc_type", d.doc_type)
        doc.add_text("number_symbol", d.number_symbol)
        doc.add_integer("issue_date", d.issue_date)
        doc.add_integer("year", d.year)
        doc.add_text("issuer", d.issuer)
        doc.add_text("issuer_text", d.issuer_search)
        doc.add_text("province", d.province)
        doc.add_text("province_text", d.province)
        for topic in d.topics:
            doc.add_text("topics", topic)
        doc.add_text("title", d.title)
        doc.add_text("title_exact", d.title_exact)
        doc.add_text("body", d.body)
        doc.add_text("body_exact", d.body_exact)
        doc.add_text("body_pairs", " ".join(_pairs(self._terms("vi_fold", d.body))))
        doc.add_text("title_pairs", " ".join(_pairs(self._terms("vi_fold", d.title))))
        for k in d.symbol_keys:
            doc.add_text("symbol_keys", k)
        for k in d.mention_keys:
            doc.add_text("mention_keys", k)
        doc.add_text("path", d.path)
        doc.add_boolean("needs_review", d.needs_review)
        doc.add_text("confidentiality", d.confidentiality)
        doc.add_text("heading", d.heading)
        doc.add_text("heading_exact", d.heading_exact)
        doc.add_text("heading_pairs", " ".join(_pairs(self._terms("vi_fold", d.heading))))
        doc.add_text("meta", d.meta)
        # Pairs inside one part only: "Hậu Giang ; Vị Thanh" must not pair "giang_vi".
        meta_pairs = [p for part in d.meta.split(" ; ") for p in _pairs(self._terms("vi_fold", part))]
        doc.add_text("meta_pairs", " ".join(meta_pairs))
        doc.add_text("signer", d.signer)
        for k in d.heading_keys:
            doc.add_text("heading_keys", k)
        doc.add_text("rendition_key", d.rendition_key)
        doc.add_boolean("primary", d.primary)
        return doc

    # -- reading -------------------------------------------------------------------

    def count(self) -> int:
        index = self._open()
        index.reload()
        return int(index.searcher().num_docs)

    def ids(self) -> set[str]:
        index = self._open()
        index.reload()
        searcher = index.searcher()
        # The term dictionary of the raw id field, counted over live documents only.
        terms = searcher.terms_with_prefix("id", "", filter_query=Query.all_query())
        return {term for term, count in terms if count > 0}

    def search(self, request: SearchRequest) -> Results:
        index = self._open()
        index.reload()
        searcher = index.searcher()
        text_query = self._text_query(request)
        clauses: list[tuple[Occur, Query]] = [(Occur.Must, text_query or Query.all_query())]
        # Filters select, they never score: a filtered search ranks (and scores) like an unfiltered one.
        clauses += [(Occur.Must, Query.const_score_query(f, 0.0)) for f in self._filters(request.filters)]
        query = Query.boolean_query(clauses)
        window = request.offset + request.limit + _TIE_WINDOW
        try:
            if text_query is not None:
                res = searcher.search(query, limit=window, count=True)
                ranked = [(round(float(score), 4), addr) for score, addr in res.hits]
            else:
                res = searcher.search(query, limit=window, count=True, order_by_field="issue_date")
                ranked = [(0.0, addr) for _, addr in res.hits]
        except ValueError as exc:
            raise SearchError(f"tìm kiếm thất bại: {exc}") from exc
        # Order by score, then newest, then id (stable across reindexing), from fast fields only;
        # stored documents are read for the page that is shown, not for the whole window.
        addrs = [addr for _, addr in ranked]
        dates = searcher.fast_field_values("issue_date", addrs) if addrs else []
        keys = searcher.fast_field_values("id_key", addrs) if addrs else []
        order = sorted(range(len(ranked)), key=lambda i: (-ranked[i][0], -(dates[i] or 0), keys[i] or 0))
        page = order[request.offset : request.offset + request.limit]
        snippets = self._snippet_generator(searcher, self._highlight_query(request, text_query))
        hits = tuple(self._hit(ranked[i][0], searcher.doc(addrs[i]), snippets) for i in page)
        return Results(
            total=int(getattr(res, "count", 0) or 0),
            hits=hits,
            facets=self._facets(searcher, query),
            notes=request.notes,
        )

    def close(self) -> None:
        self._index = None

    # -- query building ------------------------------------------------------------

    def _terms(self, analyzer: str, text: str) -> list[str]:
        return list(self._analyzers[analyzer].analyze(text))

    def _term(self, field: str, value: Any, boost: float = 1.0) -> Query:
        q = Query.term_query(self.schema, field, value)
        return q if boost == 1.0 else Query.boost_query(q, boost)

    def _phrase(self, field: str, words: list[str], boost: float = 1.0, slop: int = 0) -> Query:
        if len(words) == 1:
            return self._term(field, words[0], boost)
        q = Query.phrase_query(self.schema, field, list[str | tuple[int, str]](words), slop=slop)
        return q if boost == 1.0 else Query.boost_query(q, boost)

    def _should(self, queries: list[Query]) -> Query:
        return Query.boolean_query([(Occur.Should, q) for q in queries])

    def _match(self, text: str) -> Query | None:
        """Words of ``text`` in title or body, folded or exact (exact and title score higher)."""
        folded, exact = self._terms("vi_fold", text), self._terms("vi_exact", text)
        if not folded:
            return None
        return self._should(
            [
                self._phrase("body", folded),
                self._phrase("title", folded, _B_TITLE),
                self._phrase("body_exact", exact, _B_EXACT),
                self._phrase("title_exact", exact, _B_TITLE_EXACT),
            ]
        )

    def _phrase_match(self, text: str) -> Query | None:
        """Words standing together in body or title; exact spellings of the words score higher."""
        folded, exact = self._terms("vi_fold", text), self._terms("vi_exact", text)
        if len(folded) < 2:
            return self._match(text)
        together = self._should([self._pairs("body_pairs", folded), self._pairs("title_pairs", folded, _B_TITLE)])
        boosts = [self._term("body_exact", e, _B_EXACT) for e in dict.fromkeys(exact)]
        return Query.boolean_query([(Occur.Must, together)] + [(Occur.Should, q) for q in boosts])

    def _pairs(self, field: str, folded: list[str], boost: float = 1.0) -> Query:
        q = Query.boolean_query([(Occur.Must, self._term(field, p)) for p in dict.fromkeys(_pairs(folded))])
        return q if boost == 1.0 else Query.boost_query(q, boost)

    def _symbol(self, key: str, *, in_text: str | None = None) -> Query:
        """A document's own number counts most, a mention in its text less, a bare word least."""
        queries = [self._term("symbol_keys", key, _B_OWN_SYMBOL), self._term("mention_keys", key, _B_MENTION)]
        if in_text is not None:
            queries += [self._term("body", in_text), self._term("title", in_text, _B_TITLE)]
        return self._should(queries)

    def _text_query(self, r: SearchRequest) -> Query | None:
        return self._plain_query(r) if self.scoring == "plain" else self._language_query(r)

    def _word(self, word: str, *, short: bool = True) -> list[Query]:
        """One typed word: folded in body, heading and who/where; its exact spelling scores more.
        In a long question only body and heading count (how many words and how close decide)."""
        out = []
        for exact in self._terms("vi_exact", word):
            folded = self._terms("vi_fold", exact)[0]
            fields = [self._term("body", folded), self._term("heading", folded, _L_HEAD)]
            if short:
                fields += [
                    self._term("body_exact", exact, _L_EXACT),
                    self._term("heading_exact", exact, _L_HEAD_EXACT),
                    self._term("meta", folded, _L_META),
                ]
            out.append(self._should(fields))
        return out

    def _number(self, n: int) -> Query:
        """A number among words: a document's own number, one it cites, the word itself, or its year."""
        queries = [
            self._term("symbol_keys", str(n), _B_OWN_SYMBOL),
            self._term("mention_keys", str(n), _B_MENTION),
            self._term("body", str(n)),
            self._term("heading", str(n), _L_HEAD),
        ]
        if 1945 <= n <= 2100:
            year = Query.range_query(self.schema, "year", tantivy.FieldType.Integer, n, n)
            queries.append(Query.const_score_query(year, _S_YEAR))
        return self._should(queries)

    def _language_query(self, r: SearchRequest) -> Query | None:
        """Most of the words (all of a short query), ranked by how many, how close and where."""
        musts: list[Query] = []
        for phrase in r.phrases:
            if (q := self._phrase_match(" ".join(phrase))) is not None:
                musts.append(q)
        for sym in r.symbols:  # a symbol in the title: the document is about that document
            key = symbol_keys(sym)[-1]
            musts.append(self._should([self._symbol(key), self._term("heading_keys", key, _L_HEAD_SYMBOL)]))
        content = content_words(r.words)
        short = len(content) <= LONG_QUESTION
        group = [q for w in content for q in self._word(w, short=short)]
        if group:
            group += [self._number(n) for n in r.numbers]
        else:
            musts += [self._symbol(str(n), in_text=str(n)) for n in r.numbers]
        if group:
            musts.append(Query.boolean_query([(Occur.Should, q) for q in group], required(len(group))))
        if not musts:
            return Query.empty_query() if r.has_text else None
        shoulds: list[Query] = []
        for pair in dict.fromkeys(_pairs(self._terms("vi_fold", " ".join(r.words)))):
            shoulds += [self._term("body_pairs", pair, _L_PAIR), self._term("heading_pairs", pair, _L_HEAD_PAIR)]
            if short:
                shoulds.append(self._term("meta_pairs", pair, _L_META_PAIR))
        if r.type_hints:
            hinted = Query.term_set_query(self.schema, "doc_type", list(r.type_hints))
            shoulds.append(Query.const_score_query(hinted, _S_TYPE))
        if r.authority:
            shoulds.append(Query.const_score_query(self._phrase("signer", list(r.authority)), _S_AUTHORITY))
        return Query.boolean_query([(Occur.Must, q) for q in musts] + [(Occur.Should, q) for q in shoulds])

    def _plain_query(self, r: SearchRequest) -> Query | None:
        """The ranking before the language-aware one (bench/search_quality.py measures both)."""
        musts: list[Query] = []
        for word in r.words:
            musts += [q for token in self._terms("vi_exact", word) if (q := self._match(token)) is not None]
        for phrase in r.phrases:
            if (q := self._phrase_match(" ".join(phrase))) is not None:
                musts.append(q)
        musts += [self._symbol(symbol_keys(sym)[-1]) for sym in r.symbols]
        musts += [self._symbol(str(n), in_text=str(n)) for n in r.numbers]
        if not musts:
            return Query.empty_query() if r.has_text else None
        clauses = [(Occur.Must, q) for q in musts]
        near = self._terms("vi_fold", " ".join(r.words))
        if len(near) > 1:
            # Words typed together rank higher where they stand together.
            clauses += [(Occur.Should, self._term("body_pairs", p, _B_PROXIMITY)) for p in dict.fromkeys(_pairs(near))]
        return Query.boolean_query(clauses)

    def _highlight_query(self, r: SearchRequest, text_query: Query | None) -> Query | None:
        """What snippets mark: the text query plus symbols and numbers as they are written in the body."""
        extra: list[Query] = []
        for sym in r.symbols:
            words = self._terms("vi_fold", f"{sym.number} {sym.type} {sym.org or ''}")
            extra.append(self._phrase("body", words))
        extra += [self._term("body", str(n)) for n in r.numbers]
        extra += [self._term("body", w) for phrase in r.phrases for w in self._terms("vi_fold", " ".join(phrase))]
        if text_query is None or not extra:
            return text_query
        return self._should([text_query, *extra])

    def _filters(self, f: Filters) -> list[Query]:
        out: list[Query] = []
        if f.doc_types:
            out.append(Query.term_set_query(self.schema, "doc_type", list(f.doc_types)))
        if f.year is not None:
            out.append(Query.range_query(self.schema, "year", tantivy.FieldType.Integer, f.year, f.year))
        if f.date_from or f.date_to:
            out.append(
                Query.range_query(
                    self.schema,
                    "issue_date",
                    tantivy.FieldType.Integer,
                    _ymd(f.date_from) if f.date_from else 1,
                    _ymd(f.date_to) if f.date_to else 99991231,
                )
            )
        if f.issuer:
            issuer = f.issuer if self.scoring == "plain" else expand_abbreviations(f.issuer)
            words = self._terms("vi_fold", issuer)
            out.append(self._phrase("issuer_text", words) if words else Query.empty_query())
        if f.province:
            words = self._terms("vi_fold", f.province)
            out.append(self._phrase("province_text", words) if words else Query.empty_query())
        if f.topics:
            out.append(Query.term_set_query(self.schema, "topics", list(f.topics)))
        if f.symbol:
            out.append(self._term("symbol_keys", f.symbol))
        if f.cites:
            out.append(self._term("mention_keys", f.cites))
        if f.needs_review is not None:
            out.append(self._term("needs_review", f.needs_review))
        if f.confidentiality:
            out.append(Query.term_set_query(self.schema, "confidentiality", list(f.confidentiality)))
        if f.rendition_key:
            out.append(self._term("rendition_key", f.rendition_key))
        if not f.all_renditions:
            out.append(self._term("primary", True))  # a document once, by its primary rendition
        return out

    # -- results -------------------------------------------------------------------

    def _snippet_generator(self, searcher: Any, text_query: Query | None) -> Any:
        if text_query is None:
            return None
        gen = tantivy.SnippetGenerator.create(searcher, text_query, self.schema, "body")
        gen.set_max_num_chars(_SNIPPET_CHARS)
        return gen

    def _hit(self, score: float, doc: Any, snippets: Any) -> Hit:
        snippet = ""
        if snippets is not None:
            snippet = snippets.snippet_from_doc(doc).to_html()
        if not snippet:
            body = (doc.get_first("body") or "")[:_SNIPPET_CHARS]
            snippet = html.escape(" ".join(body.split()))
        ymd = doc.get_first("issue_date") or 0
        return Hit(
            id=doc.get_first("id"),
            score=score,
            doc_type=doc.get_first("doc_type") or None,
            number_symbol=doc.get_first("number_symbol") or None,
            issue_date=date(ymd // 10000, ymd // 100 % 100, ymd % 100) if ymd else None,
            title=doc.get_first("title") or None,
            snippet=" ".join(snippet.split()),
            path=doc.get_first("path") or None,
            issuer=doc.get_first("issuer") or None,
            province=doc.get_first("province") or None,
        )

    def _facets(self, searcher: Any, query: Query) -> dict[str, tuple[Facet, ...]]:
        spec = {name: {"terms": {"field": name, "size": _FACET_SIZE[name]}} for name in FACET_FIELDS}
        try:
            raw = searcher.aggregate(query, spec)
        except ValueError as exc:
            raise SearchError(f"không tính được nhóm kết quả: {exc}") from exc
        out: dict[str, tuple[Facet, ...]] = {}
        for name in FACET_FIELDS:
            buckets = [
                Facet(
                    value=str(int(b["key"])) if isinstance(b["key"], float) else str(b["key"]),
                    count=int(b["doc_count"]),
                )
                for b in raw.get(name, {}).get("buckets", [])
            ]
            buckets = [b for b in buckets if b.value not in ("", "0")]
            out[name] = tuple(sorted(buckets, key=lambda b: (-b.count, b.value)))
        return out


def _pairs(tokens: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]


def _id_key(doc_id: str) -> int:
    try:
        return int(doc_id[:15], 16)
    except ValueError:
        return 0


def _ymd(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def _group_readable(folder: Path | None) -> None:
    """Tantivy writes some files (meta.json, .managed.json) 0600: the web app, in the service's
    group, reads the index too, so they get the archive's 0640 like everything else."""
    if folder is None:
        return
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mode & 0o777 == 0o600:
                Path(entry.path).chmod(FILE_MODE)
