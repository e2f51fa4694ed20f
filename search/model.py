"""What a search asks and what it answers; the same for every backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from archive.vntext import ParsedSymbol

__all__ = ["FACET_FIELDS", "Facet", "Filters", "Hit", "Results", "Scoring", "SearchRequest"]

FACET_FIELDS = ("doc_type", "year", "issuer", "province", "topics")

# How a backend ranks: "language" (the product: Vietnamese multi-syllable words, most words of a
# long query, type and signer hints, title over body) or "plain" (the ranking before it: every
# word required, scored word by word). "plain" exists so bench/search_quality.py can measure both
# in one run; nothing else should use it.
Scoring = Literal["language", "plain"]


@dataclass(frozen=True)
class Filters:
    doc_types: tuple[str, ...] = ()
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    issuer: str | None = None  # matched as a phrase, with or without diacritics
    province: str | None = None  # likewise
    topics: tuple[str, ...] = ()  # vocabulary names (archive.topics); a document needs one of them
    needs_review: bool | None = None  # documents with pages that read badly
    symbol: str | None = None  # a symbol key (vntext.symbol_keys) that is the document's own number
    cites: str | None = None  # a symbol key the document's text mentions
    # Who is asking: only documents whose confidentiality (archive.access.PUBLIC_LEVEL for
    # unmarked ones) is in this tuple exist for the search; () = no restriction (the local
    # operator). Applied inside the backend's query, so totals, facets and pages agree.
    confidentiality: tuple[str, ...] = ()
    # Renditions (search.renditions): a search counts documents, so only each document's primary
    # file matches, inside the query; all_renditions=True lists every file (with rendition_key,
    # the files of one document).
    rendition_key: str | None = None
    all_renditions: bool = False

    @property
    def empty(self) -> bool:
        return self == Filters()


@dataclass(frozen=True)
class SearchRequest:
    """A clerk's query after parsing: never raw syntax, only words, phrases and symbols."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    symbols: tuple[ParsedSymbol, ...] = ()
    numbers: tuple[int, ...] = ()
    filters: Filters = field(default_factory=Filters)
    limit: int = 10
    offset: int = 0
    notes: tuple[str, ...] = ()  # what the parser dropped or changed, for the clerk
    # What the words say about the document wanted (hints: they raise a document, never filter):
    type_hints: tuple[str, ...] = ()  # a type named at the start ("thông báo kết luận …" → thong_bao)
    authority: tuple[str, ...] = ()  # a signing authority, folded words ("T/M BAN THƯỜNG VỤ" → tm ban thuong vu)

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases or self.symbols or self.numbers)


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    doc_type: str | None
    number_symbol: str | None
    issue_date: date | None
    title: str | None
    snippet: str  # HTML: escaped text, matches in <b>…</b>
    path: str | None
    issuer: str | None = None
    province: str | None = None


@dataclass(frozen=True)
class Facet:
    value: str
    count: int


@dataclass(frozen=True)
class Results:
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[Facet, ...]]
    notes: tuple[str, ...] = ()
