"""Theme overview: cluster the sentences of all responses in scope, label each theme in Danish.

Representation: the stored sentence embeddings (centred, so the shared "Danish letter about social policy"
direction does not dominate) next to TF-IDF over Danish stems (reduced by SVD), equally weighted; KMeans with
k ≈ √(n/2). Labels are c-TF-IDF keywords shown as their most frequent surface word. Officials' edits (rename,
merge, delete) persist in the index directory (themes.json) and flow into the export. See docs/decisions/0006.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from core.phrases import message
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from answering.chat_model import ChatModel
from answering.citations import make_citation
from index.bm25 import content_words, stem_words, tokenize
from answering.schema import Citation
from index.llm_cache import LLMCache
from index.records import Filters
from retrieval.search import Searcher
from index.snapshot import Snapshot

MIN_SENTENCE = 40
# A letter's heading ("Høringssvar til …") says what it answers, not what it says.
_HEADING = re.compile(r"^\s*(?:hørings\s?svar|høringsbidrag|udtale-?\s?svar)\b", re.I)
MAX_FIT = 20000
SEMANTIC_WEIGHT = 0.5
GENERIC_SHARE = 0.5  # a stem found in more than half of the themes is too common to name one


class ThemeSender(BaseModel):
    doc_id: str
    sender: str
    sender_type: str
    count: int
    quote: Citation


class Theme(BaseModel):
    theme_id: str
    label: str
    keywords: list[str]
    size: int
    senders: list[ThemeSender] = Field(default_factory=list)


class ThemeEdits(BaseModel):
    rename: dict[str, str] = Field(default_factory=dict)
    merge: list[list[str]] = Field(default_factory=list)
    delete: list[str] = Field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "ThemeEdits":
        return cls.model_validate_json(path.read_text(encoding="utf-8")) if path.exists() else cls()

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        tmp.replace(path)


def edits_path(searcher: Searcher) -> Path:
    return searcher.index.root / "themes.json"


def _units(snap: Snapshot, filters: Filters) -> tuple[list[int], list[str]]:
    """Sentence indices (into the snapshot's sentence arrays) in scope, and their texts."""
    keep = snap.mask(filters)
    titles = {(d.title or "").strip().lower() for d in snap.manifest.documents.values()}
    idx, texts = [], []
    for i, (row, (a, b)) in enumerate(zip(snap.sentence_rows, snap.sentence_spans)):
        text = snap.texts[row][a:b]
        if keep[row] and b - a >= MIN_SENTENCE and not _HEADING.match(text) and text.strip(" .").lower() not in titles:
            idx.append(i)
            texts.append(text)
    return idx, texts


def _features(snap: Snapshot, idx: list[int], texts: list[str]) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    dense = snap.sentence_vectors[idx].astype(np.float64)
    dense = dense - dense.mean(axis=0)
    dense /= np.linalg.norm(dense, axis=1, keepdims=True) + 1e-9
    try:
        tfidf = TfidfVectorizer(analyzer=tokenize, min_df=2, sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no term occurs twice
        return dense
    if tfidf.shape[1] < 3:
        return dense
    lexical = TruncatedSVD(n_components=min(40, tfidf.shape[1] - 1), random_state=0).fit_transform(tfidf)
    lexical /= np.linalg.norm(lexical, axis=1, keepdims=True) + 1e-9
    features = np.hstack([math.sqrt(SEMANTIC_WEIGHT) * dense, math.sqrt(1 - SEMANTIC_WEIGHT) * lexical])
    return features / (np.linalg.norm(features, axis=1, keepdims=True) + 1e-9)


def _cluster(features: np.ndarray) -> np.ndarray:
    from sklearn.cluster import KMeans, MiniBatchKMeans

    n = len(features)
    k = max(2, min(30, round(math.sqrt(n / 2))))
    if n <= k:
        return np.arange(n)
    if n > MAX_FIT:
        model = MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3, batch_size=4096)
        rng = np.random.default_rng(0)
        model.fit(features[rng.choice(n, MAX_FIT, replace=False)])
        return model.predict(features)
    return KMeans(n_clusters=k, n_init=10, random_state=0).fit(features).labels_


def _keywords(texts_by_cluster: dict[int, list[str]], top: int = 3) -> dict[int, list[str]]:
    """c-TF-IDF over Danish stems; each stem shown as its most frequent surface word in the cluster."""
    counts: dict[int, Counter] = {}
    surfaces: dict[int, dict[str, Counter]] = {}
    for c, texts in texts_by_cluster.items():
        words = [w for t in texts for w in content_words(t) if not w.isdigit() and len(w) > 2]
        stems = stem_words(words)
        counts[c] = Counter(stems)
        surfaces[c] = defaultdict(Counter)
        for stem, word in zip(stems, words):
            surfaces[c][stem][word] += 1
    total = Counter()
    for counter in counts.values():
        total.update(counter)
    # Words found in most themes ("mener", "bare", "sige") say nothing about any one of them.
    spread = Counter(stem for counter in counts.values() for stem in counter)
    generic = {stem for stem, n in spread.items() if n > GENERIC_SHARE * len(counts)} if len(counts) >= 4 else set()
    average = sum(total.values()) / max(1, len(counts))
    labels = {}
    for c, counter in counts.items():
        size = sum(counter.values()) or 1
        candidates = [s for s in counter if s not in generic and len(s) > 3] or list(counter)
        scored = sorted(candidates, key=lambda s: -(counter[s] / size) * math.log(1 + average / total[s]))
        labels[c] = [surfaces[c][s].most_common(1)[0][0] for s in scored[:top]]
    return labels


def build_themes(searcher: Searcher, filters: Filters | None = None, *, apply_edits: bool = True, llm: ChatModel | None = None,
                 on_progress=None) -> list[Theme]:
    """Themes in scope; with an LLM each gets a case officer's position title (keywords stay as fallback)."""
    snap = searcher.snapshot()
    filters = filters or Filters()
    idx, texts = _units(snap, filters)
    if not idx:
        return []
    labels = _cluster(_features(snap, idx, texts)) if len(idx) >= 6 else np.zeros(len(idx), dtype=int)
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for position, cluster in enumerate(labels):
        by_cluster[int(cluster)].append(position)
    keywords = _keywords({c: [texts[p] for p in members] for c, members in by_cluster.items()})
    themes = [_theme(snap, [idx[p] for p in members], keywords[c]) for c, members in by_cluster.items()]
    themes.sort(key=lambda t: (-len(t.senders), -t.size))
    if llm is not None:
        from answering.llm_tasks import theme_titles

        cache = LLMCache.in_index(searcher.index.root)
        titles = theme_titles(llm, [[s.quote.quote for s in t.senders] for t in themes], cache, on_progress)
        themes = [t.model_copy(update={"label": title}) if title else t for t, title in zip(themes, titles)]
    return apply_theme_edits(themes, ThemeEdits.load(edits_path(searcher))) if apply_edits else themes


def _theme(snap: Snapshot, members: list[int], keywords: list[str]) -> Theme:
    vectors = snap.sentence_vectors[members]
    centroid = vectors.mean(axis=0)
    closeness = vectors @ centroid
    ids = sorted(f"{snap.ids[snap.sentence_rows[m]]}:{int(snap.sentence_spans[m][0])}" for m in members)
    theme_id = hashlib.sha1("|".join(ids).encode()).hexdigest()[:10]
    per_doc: dict[str, list[int]] = defaultdict(list)
    for position, m in enumerate(members):
        per_doc[str(snap.columns["doc_id"][snap.sentence_rows[m]])].append(position)
    senders = []
    for doc_id, positions in per_doc.items():
        best = max(positions, key=lambda p: closeness[p])
        m = members[best]
        row = int(snap.sentence_rows[m])
        a, b = (int(x) for x in snap.sentence_spans[m])
        passage = snap.passage(row, float(closeness[best]), 0.0, float(closeness[best]), 1)
        quote = make_citation(0, passage, passage.text[a:b])
        senders.append(ThemeSender(doc_id=doc_id, sender=passage.sender, sender_type=passage.sender_type,
                                   count=len(positions), quote=quote))
    senders.sort(key=lambda s: (-s.count, s.sender))
    label = " · ".join(k.capitalize() if i == 0 else k for i, k in enumerate(keywords)) or message("theme.untitled", "da")
    return Theme(theme_id=theme_id, label=label, keywords=keywords, size=len(members), senders=senders)


def apply_theme_edits(themes: list[Theme], edits: ThemeEdits) -> list[Theme]:
    by_id = {t.theme_id: t for t in themes}
    for group in edits.merge:
        present = [by_id[i] for i in group if i in by_id]
        if len(present) < 2:
            continue
        head = present[0]
        merged: dict[str, ThemeSender] = {s.doc_id: s for s in head.senders}
        for other in present[1:]:
            for s in other.senders:
                if s.doc_id in merged:
                    merged[s.doc_id] = merged[s.doc_id].model_copy(update={"count": merged[s.doc_id].count + s.count})
                else:
                    merged[s.doc_id] = s
            head = head.model_copy(update={"size": head.size + other.size, "keywords": head.keywords + other.keywords})
            del by_id[other.theme_id]
        by_id[head.theme_id] = head.model_copy(update={"senders": sorted(merged.values(), key=lambda s: (-s.count, s.sender))})
    result = []
    for theme in themes:
        current = by_id.get(theme.theme_id)
        if current is None or theme.theme_id in edits.delete:
            continue
        if theme.theme_id in edits.rename:
            current = current.model_copy(update={"label": edits.rename[theme.theme_id]})
        result.append(current)
    return result


def edit_themes(searcher: Searcher, *, rename: tuple[str, str] | None = None, merge: list[str] | None = None,
                delete: str | None = None) -> ThemeEdits:
    path = edits_path(searcher)
    edits = ThemeEdits.load(path)
    if rename:
        edits.rename[rename[0]] = rename[1]
    if merge:
        edits.merge.append(list(merge))
    if delete:
        edits.delete.append(delete)
    edits.save(path)
    return edits


def themes_json(themes: list[Theme]) -> dict:
    return {"themes": [json.loads(t.model_dump_json()) for t in themes]}
