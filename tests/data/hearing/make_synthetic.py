"""Rebuild synthetic200.json.gz, the 200-letter hearing of issue 24 (a 40-copy campaign, 3 copies with added
paragraphs, 10 "ingen bemærkninger"), from Folketinget speeches (CC0; ../shared/corpus/folketinget/speeches.jsonl):
`.venv/bin/python tests/data/hearing/make_synthetic.py`. Kept in the repo so a fresh clone tests it."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from campaign_hearing import DEFAULT_SPEECHES, make_hearing  # noqa: E402


def main() -> None:
    files, truth = make_hearing(DEFAULT_SPEECHES, seed=24)
    data = {"about": "bench/campaign_hearing.py make_hearing(seed=24); see tests/data/hearing/make_synthetic.py",
            "letters": [{"name": n, "text": t} for n, t in files], "truth": truth}
    with gzip.open(HERE / "synthetic200.json.gz", "wb", compresslevel=9) as f:
        f.write(json.dumps(data, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    main()
