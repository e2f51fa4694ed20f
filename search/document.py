"""Record + text -> the flat document both backends index (one definition, so they agree)."""

from __future__ import annotations

from dataclasses import dataclass

from archive.access import PUBLIC_LEVEL
from archive.records import DOC_TYPE_LABELS, DocumentRecord
from archive.vntext import iter_symbols, normalize, parse_symbol, search_form, symbol_keys
from search.query import authority_words, expand_abbreviations
from search.renditions import rendition_key

__all__ = ["IndexDoc", "make_index_doc"]

MAX_INDEXED_CHARS = 2_000_000  # a thousand-page file is searchable by its first ~600 pages


@dataclass(frozen=True)
class IndexDoc:
    id: str
    doc_type: str  # "" when unknown (facets skip it)
    number_symbol: str
    issue_date: int  # yyyymmdd, 0 when unknown
    year: int  # 0 when unknown
    issuer: str
    province: str
    topics: tuple[str, ...]
    title: str  # as written (stored; folded analysis)
    title_exact: str  # one tone placement (exact analysis)
    body: str  # as written (stored; folded analysis)
    body_exact: str
    symbol_keys: tuple[str, ...]  # the document's own number
    mention_keys: tuple[str, ...]  # every symbol written in the text
    path: str
    needs_review: bool
    confidentiality: str  # archive.access.PUBLIC_LEVEL when unmarked: never empty, so a filter can match it
    heading: str = ""  # what the document's head says: its type's name and title ("Thông báo kết luận của …")
    heading_exact: str = ""
    meta: str = ""  # who and where: issuer (abbreviations spelt out), province, place, signer's position and name
    signer: str = ""  # the signing authority as folded words ("tm ban thuong vu"); see search.query.authority_words
    issuer_search: str = ""  # what --issuer matches: the issuer as written and spelt out
    heading_keys: tuple[str, ...] = ()  # symbols the heading names ("Sơ kết … Quy định số 11-QĐi/TW")
    rendition_key: str = ""  # search.renditions.rendition_key; "" = a document of one file
    primary: bool = True  # False for a rendition whose document another file represents in searches


def make_index_doc(record: DocumentRecord, text: str, *, primary: bool = True) -> IndexDoc:
    body = normalize(text)[:MAX_INDEXED_CHARS]
    title = record.title or ""
    own: list[str] = []
    if record.number_symbol and (sym := parse_symbol(record.number_symbol)):
        own = symbol_keys(sym)
    mentions: dict[str, None] = {}
    for s in iter_symbols(body):
        for k in symbol_keys(s):
            mentions[k] = None
    label = DOC_TYPE_LABELS.get(record.doc_type or "", "") if record.doc_type != "tin_bai" else ""
    heading = f"{label} {title}".strip()
    signer = record.signer
    authority = authority_words(signer.authority or "") if signer else ()
    # Every issuing body (two for a joint document), whether read from the header or inferred
    # from the text (record.issuer_inferred), as written and with its abbreviations spelt out.
    issuers: dict[str, None] = {}
    for issuer in dict.fromkeys((record.issuer, *record.issuers)):
        if not issuer:
            continue
        issuers |= dict.fromkeys(part for part in (issuer, expand_abbreviations(issuer)) if part)
        if authority[1:4] == ("ban", "thuong", "vu") and not issuer.lower().startswith("ban "):
            # "T/M BAN THƯỜNG VỤ" over a Party committee's name: its standing committee issued it.
            issuers[f"Ban Thường vụ {issuer}"] = None
    meta = [*issuers, record.province or "", record.place or ""]
    if signer:
        meta += [signer.position or "", signer.name or ""]
    return IndexDoc(
        id=record.id,
        doc_type=record.doc_type or "",
        number_symbol=record.number_symbol or "",
        issue_date=int(record.issue_date.strftime("%Y%m%d")) if record.issue_date else 0,
        year=record.issue_date.year if record.issue_date else 0,
        issuer=record.issuer or "",
        province=record.province or "",
        topics=record.topics,
        title=title,
        title_exact=search_form(title),
        body=body,
        body_exact=search_form(body),
        symbol_keys=tuple(own),
        mention_keys=tuple(mentions),
        path=record.source.path if record.source else "",
        needs_review=bool(record.low_confidence_pages),
        confidentiality=record.confidentiality or PUBLIC_LEVEL,
        heading=heading,
        heading_exact=search_form(heading),
        meta=" ; ".join(m for m in dict.fromkeys(meta) if m),
        signer=" ".join(authority),
        issuer_search=" ; ".join(issuers),
        heading_keys=tuple(dict.fromkeys(k for s in iter_symbols(heading) for k in symbol_keys(s))),
        rendition_key=rendition_key(record),
        primary=primary,
    )
