"""Campaign and near-identical letters: letters that share a template, grouped and counted, never dropped.

``group_campaigns(docs)`` takes the hearing's letters as ``(doc_id, text)`` and returns the groups of at least
``min_size`` letters whose texts are near-duplicates of each other. Every letter is either in exactly one
``Campaign`` or in none (a letter of its own); nothing is removed or merged away. Each campaign names one
representative (the member most like the others) and, per member, the sentences and paragraphs of its own that
the template does not have (``added``), so a notat can say "37 enslydende breve (skabelon A), 3 med egne
tilføjelser" and show the added text.

Method (chosen by measurement, see ``bench/campaign_hearing.py`` and tests/test_campaigns.py): MinHash over
word 5-shingles of the normalised text (lower case, words only) with ``datasketch``'s LSH as the candidate
filter, each candidate pair checked against the estimated Jaccard ``threshold``, groups as connected pairs.
``method="tfidf"`` (cosine over TF-IDF of word 1–3-grams, scikit-learn) is kept for comparison.

Short letters (fewer than ``min_words`` words, e.g. "X har ingen bemærkninger til høringen") are never grouped:
they are nearly identical to each other by form, not by a shared template, and the case file counts them as
"ingen bemærkninger" on their own.

This module lives in ``ingest`` because it works on the letters' plain texts (no index, no model) and needs
``ingest.chunking.sentence_spans``; ``retrieval`` may not import ``ingest`` (sibling layers), and everything above
(answering, export, the CLI) can use it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal


_WORD = re.compile(r"\w+")
SHINGLE = 5  # words per shingle
NUM_PERM = 128
MIN_WORDS = 60  # letters shorter than this are never grouped ("ingen bemærkninger", one-line mails)
MIN_SIZE = 3  # the fewest letters that make a campaign
THRESHOLD = {"minhash": 0.5, "tfidf": 0.6}  # pair similarity that joins two letters
TEMPLATE_SAMPLE = 15  # members that vote on the template's sentences
MATCH = 0.5  # a member's sentence is the template's when its word-set Jaccard with one template sentence reaches this
MIN_ADDED_WORDS = 8  # added passages shorter than this (a sender line, a signature) are not "own additions"


@dataclass(frozen=True)
class Campaign:
    """Letters sharing one template, joined as connected pairs (single link) above the method's threshold.

    ``similarity``: mean estimated similarity (MinHash Jaccard or TF-IDF cosine) of the other members to the
    representative, a member that is linked to the group only through others counting 0 (a lower bound).
    """

    template_id: str  # "A", "B", … in order of size
    members: list[str]  # doc ids, in input order (the representative included)
    representative: str
    added: dict[str, list[str]] = field(default_factory=dict)  # member → its own passages (only members with some)
    similarity: float = 0.0

    @property
    def with_additions(self) -> list[str]:
        return [m for m in self.members if self.added.get(m)]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _template_name(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(ord("A") + r) + name
    return name


def _shingles(tokens: list[str], k: int = SHINGLE) -> set[bytes]:
    if len(tokens) < k:
        return {" ".join(tokens).encode()}
    return {" ".join(tokens[i:i + k]).encode() for i in range(len(tokens) - k + 1)}


def _minhash_pairs(tokens: list[list[str]], threshold: float) -> dict[tuple[int, int], float]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes = []
    for i, toks in enumerate(tokens):
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch(list(_shingles(toks)))
        hashes.append(m)
        lsh.insert(i, m)
    pairs = {}
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j > i:
                s = m.jaccard(hashes[j])
                if s >= threshold:
                    pairs[(i, j)] = s
    return pairs


def _tfidf_pairs(tokens: list[list[str]], threshold: float) -> dict[tuple[int, int], float]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer=lambda toks: toks + [" ".join(toks[i:i + n]) for n in (2, 3)
                                                            for i in range(len(toks) - n + 1)],
                             sublinear_tf=True).fit_transform(tokens)
    sims = (matrix @ matrix.T).tocoo()
    return {(int(i), int(j)): float(s) for i, j, s in zip(sims.row, sims.col, sims.data) if i < j and s >= threshold}


def _components(n: int, pairs: dict[tuple[int, int], float]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


_LINE_WRAP = re.compile(r"(?<!\n)\n(?!\n)")


def _sentences(text: str) -> list[tuple[int, int, frozenset[str]]]:
    """Sentences as (start, end, word set); a single line break is a wrap, not a break, so re-wrapped copies match."""
    from ingest.chunking import sentence_spans  # langchain's splitter: loaded only where added text is sought

    flat = _LINE_WRAP.sub(" ", text)  # same length: the spans are the text's own
    return [(a, b, frozenset(words(text[a:b]))) for a, b in sentence_spans(flat)]


def _matches(sentence: frozenset[str], template: list[frozenset[str]]) -> bool:
    if not sentence:
        return True
    for t in template:
        union = len(sentence | t)
        if union and len(sentence & t) / union >= MATCH:
            return True
    return False


def added_passages(text: str, template: list[frozenset[str]], min_words: int = MIN_ADDED_WORDS) -> list[str]:
    """The passages of ``text`` whose sentences the template lacks: adjacent unmatched sentences of one paragraph
    form one passage (a blank line ends it, so a signature after an added last paragraph stays out of it)."""
    runs: list[list[int]] = []
    previous = False
    for a, b, sentence in _sentences(text):
        own = not _matches(sentence, template)
        if own and previous and "\n\n" not in text[runs[-1][1]:a]:
            runs[-1][1] = b
        elif own:
            runs.append([a, b])
        previous = own
    return [text[a:b] for a, b in runs if len(words(text[a:b])) >= min_words]


def _template_sentences(texts: list[str], sample: int = TEMPLATE_SAMPLE) -> list[frozenset[str]]:
    """Sentences found (by word-set match) in at least half of the members: the template the members share.

    Voted on by at most ``sample`` members spread evenly over the campaign, so a campaign of thousands costs no more.
    """
    step = max(1, len(texts) // sample)
    per_member = [[s for _, _, s in _sentences(t)] for t in texts[::step][:sample]]
    template: list[frozenset[str]] = []
    for sentences in per_member:
        for s in sentences:
            if _matches(s, template):
                continue
            if sum(_matches(s, other) for other in per_member) * 2 >= len(per_member):
                template.append(s)
    return template


def group_campaigns(docs: list[tuple[str, str]], *, method: Literal["minhash", "tfidf"] = "minhash",
                    threshold: float | None = None, min_size: int = MIN_SIZE,
                    min_words: int = MIN_WORDS) -> list[Campaign]:
    """Campaigns among ``docs`` (largest first); a letter in none of them stands on its own (nothing is dropped)."""
    threshold = THRESHOLD[method] if threshold is None else threshold
    candidates = [(doc_id, text, words(text)) for doc_id, text in docs]
    candidates = [c for c in candidates if len(c[2]) >= min_words]
    if len(candidates) < min_size:
        return []
    tokens = [c[2] for c in candidates]
    pairs = (_minhash_pairs if method == "minhash" else _tfidf_pairs)(tokens, threshold)
    groups = sorted((g for g in _components(len(candidates), pairs) if len(g) >= min_size), key=lambda g: (-len(g), g[0]))
    campaigns = []
    for n, group in enumerate(groups):
        def sim(i: int, j: int) -> float:
            return 1.0 if i == j else pairs.get((min(i, j), max(i, j)), 0.0)

        rep = max(group, key=lambda i: (sum(sim(i, j) for j in group), -i))
        others = [j for j in group if j != rep]
        template = _template_sentences([candidates[i][1] for i in group])
        added = {candidates[i][0]: passages for i in group
                 if (passages := added_passages(candidates[i][1], template))}
        campaigns.append(Campaign(template_id=_template_name(n), members=[candidates[i][0] for i in group],
                                  representative=candidates[rep][0], added=added,
                                  similarity=round(sum(sim(rep, j) for j in others) / len(others), 3)))
    return campaigns
