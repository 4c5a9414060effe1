"""Theme overview: cluster the statements of all responses in scope into themes a case officer can read.

Units are statement sentences (index/statements.py), each once although overlapping chunks repeat it; headings,
titles and administrative sentences (who received or discussed the letter, thanks, greetings) are left out.
Representation: the stored sentence embeddings (centred, so the shared "Danish letter about social policy"
direction does not dominate) next to TF-IDF over Danish stems (reduced by SVD), equally weighted; KMeans with
k ≈ 1.6·√n started from the centres of a Ward tree (stable when one sentence more or less is in scope). A member
farther than QUOTE_FLOOR from its theme's centre is neither quoted nor counted; a letter outside the theme joins it
with a sentence that uses two of the theme's keywords. Each letter is quoted with its sentence nearest the centre.

Labels without a language model are phrases of the letters themselves: within the theme's most central sentences,
the clause fragment of at most eight words that carries most of the theme's distinctive words (c-TF-IDF, more for
words several of its letters use), preferring noun phrases; never a name (a capitalised word inside a sentence,
an acronym, a word of a sender's name). With an LLM each theme gets a case officer's position title instead.

Themes are computed once per (index, index version, scope, model) in this process; officials' edits (rename,
merge, delete) persist in the index directory (themes.json), are applied on every call and flow into the
export. See docs/decisions/0006.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from core.phrases import message
from core.senders import SenderType
from collections import Counter, OrderedDict, defaultdict
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from answering.chat_model import ChatModel
from answering.citations import make_citation
from answering.labels import noun_phrases, tag
from index.bm25 import content_words, stem_words, tokenize
from answering.schema import Citation
from index.records import Filters
from retrieval.search import Searcher
from index.snapshot import Snapshot
from index.statements import is_administrative

MIN_SENTENCE = 40
# A letter's heading ("Høringssvar til …") says what it answers, not what it says.
_HEADING = re.compile(r"^\s*(?:hørings\s?svar|høringsbidrag|udtale-?\s?svar)\b", re.I)
# Administrative sentences say who received, discussed or sent the letter, not what it says: "Høringssvaret er
# fremlagt for Udvalget …", "Formandsskabet … har drøftet forslag til budget 2024", "… takker for invitationen …",
# "Med venlig hilsen". About the form of Danish letters, never about a topic.
MAX_FIT = 20000
WARD_FIT = 3000  # Ward initial centres are grown on at most this many sentences
# k ≈ 1.6·√n themes: measured on the labelled sample letters (eval/themes_eval.py, one sentence left out at a time,
# 31 trials) quotes on theme 0.58 and main points found 0.84 on average; at √n 0.52/0.75 (floors 0.5/0.75).
THEMES_PER_ROOT = 1.6
SEMANTIC_WEIGHT = 0.5
GENERIC_SHARE = 0.5  # a stem found in more than half of the themes is too common to name one
QUOTE_FLOOR = 0.35
JOIN_KEYWORDS = 2  # a letter outside a theme joins it with a sentence using this many of its three keywords
PREFIX = 6  # ... compared by their first six letters  # a member this far from its theme's centre (cosine in the clustering space) is not quoted
LENGTH_POWER = 0.5  # longer phrases carry more words of the theme; this keeps them short
TOP_STEMS = 8  # a quote that uses the theme's own words fits it better …
KEYWORD_FIT = 0.1  # … by this much for all of them (on top of its closeness to the centre)
LABEL_POOL = 15  # the label is sought in at most this many of the most central sentences
_SEGMENT = re.compile(r"[,.;:!?()\[\]\"”“»«/–—]|\s-\s")
_WORDS = re.compile(r"[^\W_][\w-]*", re.U)
_BULLET = re.compile(r"^\s*[-–•*]\s+")  # a list item's dash is not part of what it says


class ThemeSender(BaseModel):
    doc_id: str
    sender: str
    sender_type: SenderType
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


def _units(snap: Snapshot, filters: Filters) -> tuple[list[int], list[str]]:
    """Statement sentences in scope (indices into the snapshot's sentence arrays) and their texts; a sentence that
    overlapping chunks repeat is taken once; headings, titles and administrative sentences are left out."""
    keep = snap.mask(filters)
    statements = snap.statements
    titles = {(d.title or "").strip().lower() for d in snap.manifest.documents.values()}
    idx, texts, seen = [], [], set()
    for i, (row, (a, b)) in enumerate(zip(snap.sentence_rows.tolist(), snap.sentence_spans.tolist())):
        if not keep[row] or b - a < MIN_SENTENCE:
            continue
        text = snap.texts[row][a:b]
        record = snap.records[row]
        where = (record.doc_id, record.start + a)
        if where in seen:
            continue
        # Without sentence vectors each chunk stands in for its sentences: a whole passage is never one statement,
        # and a letter's heading or greeting inside it does not make the rest of it boilerplate.
        sentence_tests = not snap.sentences_are_chunks
        if sentence_tests and (not statements[i] or _HEADING.match(text) or text.strip(" .").lower() in titles
                               or is_administrative(text)):
            continue
        seen.add(where)
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
    """KMeans with k ≈ THEMES_PER_ROOT·√n, started from the centres of a Ward tree cut at k (deterministic) rather
    than from random seeds: with random seeds the grouping of ~100 sentences changed when any one sentence was left
    out; from Ward centres it mostly does not."""
    from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans

    n = len(features)
    k = max(2, min(30, round(THEMES_PER_ROOT * math.sqrt(n))))
    if n <= k:
        return np.arange(n)
    if n > MAX_FIT:
        model = MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3, batch_size=4096)
        rng = np.random.default_rng(0)
        model.fit(features[rng.choice(n, MAX_FIT, replace=False)])
        return model.predict(features)
    # Ward's tree needs memory quadratic in its input: above WARD_FIT it is grown on a fixed sample.
    sample = features if n <= WARD_FIT else features[np.random.default_rng(0).choice(n, WARD_FIT, replace=False)]
    tree = AgglomerativeClustering(n_clusters=k, linkage="ward").fit(sample).labels_
    centres = np.stack([sample[tree == c].mean(axis=0) for c in range(k)])
    return KMeans(n_clusters=k, init=centres, n_init=1).fit(features).labels_


def _stem_weights(texts_by_cluster: dict[int, list[str]]) -> tuple[dict[int, dict[str, float]], dict[int, dict[str, str]]]:
    """c-TF-IDF over Danish stems per cluster (stems found in more than half of the themes weigh nothing), and each
    stem's most frequent surface word in the cluster."""
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
    weights, surface = {}, {}
    for c, counter in counts.items():
        size = sum(counter.values()) or 1
        weights[c] = {s: (0.0 if s in generic or len(s) <= 3 else (n / size) * math.log(1 + average / total[s]))
                      for s, n in counter.items()}
        surface[c] = {s: surfaces[c][s].most_common(1)[0][0] for s in counter}
    return weights, surface


def _keywords(weights: dict[str, float], surface: dict[str, str], top: int = 3) -> list[str]:
    ranked = sorted(weights, key=lambda s: -weights[s])
    named = [s for s in ranked if weights[s] > 0] or ranked
    return [surface[s] for s in named[:top]]


_cache_lock = threading.Lock()
_cache: "OrderedDict[tuple, list[Theme]]" = OrderedDict()
CACHED_SCOPES = 32


def _cache_key(searcher: Searcher, snap: Snapshot, filters: Filters, llm: ChatModel | None) -> tuple:
    scope = (*sorted(filters.active().items()), filters.documents)
    return (str(searcher.paths.root), snap.version, len(snap.ids), scope, llm.name if llm is not None else None)


def build_themes(searcher: Searcher, filters: Filters | None = None, *, apply_edits: bool = True, llm: ChatModel | None = None,
                 on_progress=None, snap: Snapshot | None = None) -> list[Theme]:
    """Themes in scope over ``snap`` (else the current snapshot), labelled with a phrase of the letters themselves;
    with an LLM each gets a case officer's position title (the phrase stays as fallback). Computed once per (index
    version, scope, model) in this process; officials' edits are applied on every call."""
    snap = snap or searcher.snapshot()
    filters = filters or Filters()
    key = _cache_key(searcher, snap, filters, llm)
    with _cache_lock:
        themes = _cache.get(key)
        if themes is not None:
            _cache.move_to_end(key)
    if themes is None:
        themes = _compute_themes(searcher, snap, filters, llm, on_progress)
        with _cache_lock:
            _cache[key] = themes
            while len(_cache) > CACHED_SCOPES:
                _cache.popitem(last=False)
    themes = [t.model_copy(deep=True) for t in themes]  # callers may change their copy
    return apply_theme_edits(themes, ThemeEdits.load(searcher.paths.themes)) if apply_edits else themes


def _compute_themes(searcher: Searcher, snap: Snapshot, filters: Filters, llm: ChatModel | None, on_progress) -> list[Theme]:
    idx, texts = _units(snap, filters)
    if not idx:
        return []
    features = _features(snap, idx, texts)
    labels = _cluster(features) if len(idx) >= 6 else np.zeros(len(idx), dtype=int)
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for position, cluster in enumerate(labels):
        by_cluster[int(cluster)].append(position)
    weights, surface = _stem_weights({c: [texts[p] for p in members] for c, members in by_cluster.items()})
    names = _name_words(snap)
    themes = []
    for c, members in by_cluster.items():
        theme = _theme(snap, idx, texts, features, members, weights[c], surface[c], names)
        if theme is not None:
            themes.append(theme)
    themes.sort(key=lambda t: (-len(t.senders), -t.size))
    _distinct_labels(themes)
    if llm is not None:
        from answering.llm_tasks import theme_titles

        cache = searcher.paths.llm_cache()
        titles = theme_titles(llm, [[s.quote.quote for s in t.senders] for t in themes], cache, on_progress)
        themes = [t.model_copy(update={"label": title}) if title else t for t, title in zip(themes, titles)]
    return themes


def _distinct_labels(themes: list[Theme]) -> None:
    seen: set[str] = set()
    for theme in themes:
        if theme.label.lower() in seen and theme.keywords:
            theme.label = " · ".join(k.capitalize() if i == 0 else k for i, k in enumerate(theme.keywords))
        seen.add(theme.label.lower())


def _name_words(snap: Snapshot) -> frozenset[str]:
    """Words of the senders' names and municipalities (lower case): a label never names a sender or a place."""
    words = set()
    for d in snap.manifest.documents.values():
        for value in (d.sender, d.municipality):
            words.update(w.lower() for w in _WORDS.findall(value or "") if w[:1].isupper())
    return frozenset(words)


def _theme(snap: Snapshot, idx: list[int], texts: list[str], features: np.ndarray, members: list[int],
           weights: dict[str, float], surface: dict[str, str], names: frozenset[str]) -> Theme | None:
    """A theme of the cluster ``members`` (positions into idx/texts/features): its senders, each quoted with their
    sentence nearest the theme's centre; members farther than QUOTE_FLOOR from the centre are neither quoted nor
    counted."""
    vectors = features[members]
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) + 1e-9
    closeness = vectors @ centroid
    sentence_ids = sorted(f"{snap.ids[snap.sentence_rows[idx[p]]]}:{int(snap.sentence_spans[idx[p]][0])}" for p in members)
    theme_id = hashlib.sha1("|".join(sentence_ids).encode()).hexdigest()[:10]
    floor = min(QUOTE_FLOOR, float(closeness.max()))
    kept = [(p, float(c)) for p, c in zip(members, closeness) if c >= floor]
    per_doc: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for p, c in kept:
        per_doc[snap.doc_id_of(snap.sentence_rows[idx[p]])].append((p, c))
    keywords = _keywords(weights, surface)
    per_doc.update(_joined(snap, idx, texts, features, centroid, set(members), per_doc, keywords))
    senders = _senders(snap, idx, texts, per_doc, weights)
    if not senders:
        return None
    central = [texts[p] for p, _ in sorted(kept, key=lambda pc: -pc[1])]
    label = (_phrase_label(central, _shared_weights(texts, per_doc, weights), names)
             or " · ".join(k.capitalize() if i == 0 else k for i, k in enumerate(keywords))
             or message("theme.untitled", "da"))
    return Theme(theme_id=theme_id, label=label, keywords=keywords, size=len(kept), senders=senders)


def _joined(snap: Snapshot, idx: list[int], texts: list[str], features: np.ndarray, centroid: np.ndarray,
            inside: set[int], per_doc: dict[str, list[tuple[int, float]]],
            keywords: list[str]) -> dict[str, list[tuple[int, float]]]:
    """Letters outside the theme that join it, with their sentences (and closeness to the centre): a sentence often
    touches two themes and KMeans gives it to one, so a letter joins with a sentence that uses JOIN_KEYWORDS of the
    theme's distinctive words (same beginning: "rekruttere" joins "rekruttering")."""
    heads = [k[:PREFIX] for k in keywords if len(k) >= PREFIX]
    joined: dict[str, list[tuple[int, float]]] = defaultdict(list)
    if len(heads) < JOIN_KEYWORDS:
        return joined
    for p, text in enumerate(texts):
        doc_id = snap.doc_id_of(snap.sentence_rows[idx[p]])
        if p in inside or doc_id in per_doc:
            continue
        words = {w[:PREFIX] for w in content_words(text) if len(w) >= PREFIX}
        if sum(h in words for h in heads) >= JOIN_KEYWORDS:
            joined[doc_id].append((p, float(features[p] @ centroid)))
    return joined


def _senders(snap: Snapshot, idx: list[int], texts: list[str], per_doc: dict[str, list[tuple[int, float]]],
             weights: dict[str, float]) -> list[ThemeSender]:
    """Each letter of the theme quoted with its sentence that fits it best (near the centre, and saying the theme's
    own words), never another party's words it reports; most sentences first."""
    top = set(sorted((st for st in weights if weights[st] > 0), key=lambda st: -weights[st])[:TOP_STEMS])

    def fit(pc: tuple[int, float]) -> float:  # near the centre, and saying the theme's own words
        return pc[1] + KEYWORD_FIT * len(top & set(tokenize(texts[pc[0]]))) / max(1, len(top))

    senders = []
    for doc_id, scored in per_doc.items():
        quotable = [pc for pc in scored if not snap.reported[idx[pc[0]]]]  # never another party's words as theirs
        if not quotable:
            continue
        best, c = max(quotable, key=fit)
        m = idx[best]
        row = int(snap.sentence_rows[m])
        a, b = (int(x) for x in snap.sentence_spans[m])
        passage = snap.passage(row, c, 0.0, c, 1)
        quote = make_citation(0, passage, _BULLET.sub("", passage.text[a:b]).strip())
        senders.append(ThemeSender(doc_id=doc_id, sender=passage.sender, sender_type=passage.sender_type,
                                   count=len(scored), quote=quote))
    senders.sort(key=lambda s: (-s.count, s.sender))
    return senders


def _shared_weights(texts: list[str], per_doc: dict[str, list[tuple[int, float]]],
                    weights: dict[str, float]) -> dict[str, float]:
    """The theme's stem weights for its label: a word the theme's letters share names the theme; a word of one
    letter is that letter's idiom."""
    users: dict[str, set[str]] = defaultdict(set)
    for doc_id, scored in per_doc.items():
        for p, _ in scored:
            for stem in set(tokenize(texts[p])):
                users[stem].add(doc_id)
    return {stem: w * (0.5 + len(users.get(stem, ())) / len(per_doc)) for stem, w in weights.items()}


def _phrase_label(sentences: list[str], weights: dict[str, float], names: frozenset[str]) -> str | None:
    """The theme's label: the noun phrase (2–6 words, answering/labels.py) of its most central sentences that
    carries most of the theme's distinctive words, its head noun counted twice (the head names the topic). Never a
    name: a capitalised word inside a sentence (Danish capitalises names only), an acronym, a number or a sender's
    word."""
    best, best_score = None, 0.0
    pool = sentences[: min(LABEL_POOL, max(3, math.ceil(len(sentences) * 0.5)))]
    for rank, sentence in enumerate(pool):
        offset = 0
        for segment in _SEGMENT.split(_BULLET.sub("", sentence)):
            tokens = [m.group(0) for m in _WORDS.finditer(segment)]
            first_of_sentence = offset == 0
            offset += len(segment) + 1
            if not tokens:
                continue
            named = [t.lower() in names or (t[:1].isupper() and not (i == 0 and first_of_sentence))
                     or (len(t) > 1 and t.isupper()) or any(ch.isdigit() for ch in t) for i, t in enumerate(tokens)]
            words = [t.lower() if i == 0 and first_of_sentence else t for i, t in enumerate(tokens)]
            stems = stem_words([t.lower() for t in tokens])
            for i, j in noun_phrases(tag(words, named)):
                weight = sum(weights.get(st, 0.0) for st in set(stems[i:j])) + weights.get(stems[j - 1], 0.0)
                whole = j == len(tokens)  # ending with its clause
                score = weight * (1.1 if whole else 1.0) / (j - i + 1) ** LENGTH_POWER / (1 + 0.15 * rank)
                if score > best_score:
                    best, best_score = words[i:j], score
    if not best:
        return None
    text = " ".join(best)
    return text[:1].upper() + text[1:]


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
    path = searcher.paths.themes
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
