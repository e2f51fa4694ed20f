"""What a document is about, from the vocabulary in vocab.TOPICS."""

from __future__ import annotations

from archive.topics import TOPICS
from archive.vntext import fold

__all__ = ["find_topics"]


MAX_TOPICS = 6


def find_topics(text: str) -> tuple[str, ...]:
    """Topics mentioned at least twice (once in a short text), most mentioned first, at most six."""
    folded = " ".join(fold(text).lower().split())
    min_hits = 1 if len(folded) < 4000 else 2
    counts = {topic: sum(folded.count(p) for p in phrases) for topic, phrases in TOPICS.items()}
    hits = [(n, topic) for topic, n in counts.items() if n >= min_hits]
    ranked = sorted(hits, key=lambda x: (-x[0], list(TOPICS).index(x[1])))
    return tuple(topic for _, topic in ranked[:MAX_TOPICS])
