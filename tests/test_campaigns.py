"""ingest/campaigns.py: letters sharing a template are grouped exactly, their own additions found, nothing dropped.

The synthetic hearing (bench/campaign_hearing.py) needs ``../shared/corpus/folketinget/speeches.jsonl``; its test
is skipped without it.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from ingest.campaigns import Campaign, group_campaigns

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sorted((ROOT / "data" / "sample").glob("*.txt"))

TEMPLATE = (
    "Vi skriver til jer, fordi vi er dybt bekymrede over forslaget om at lukke den lokale skole i Vester Egede. "
    "Skolen er hjertet i vores landsby, og den samler børn, forældre og ældre om fællesskabet. "
    "En lukning vil betyde, at de mindste børn får over en halv time i bus hver vej til Fakse. "
    "Vi frygter, at familier med børn vil flytte fra området, og at husene bliver svære at sælge.\n\n"
    "Kommunen har selv peget på, at landdistrikterne skal styrkes, men dette forslag gør det modsatte. "
    "Besparelsen på driften er lille sammenlignet med udgifterne til skolebus og til at udvide skolen i Fakse. "
    "Vi opfordrer derfor kommunalbestyrelsen til at droppe lukningen og i stedet se på et samarbejde mellem "
    "skolerne om ledelse og administration.\n\n"
    "Vi håber, at I vil lytte til borgerne i Vester Egede, før der træffes en endelig beslutning."
)
ADDED = ("Som nabo til skolen vil jeg også gerne nævne, at skolegården om aftenen bruges af foreningerne til "
         "fodbold og petanque, og at den er det eneste sted i byen, hvor de unge kan mødes.")
NO_REMARKS = ["Ældrerådet har ingen bemærkninger til høringen.",
              "Handicaprådet har modtaget høringen og har ingen bemærkninger.",
              "Skolebestyrelsen har ingen bemærkninger til det fremsendte materiale."]


def _copy(i: int, added: str = "") -> str:
    """The template with small edits: a sender line, a word changed, a typo, a sentence order swapped."""
    rng = random.Random(i)
    paragraphs = TEMPLATE.split("\n\n")
    sentences = re.split(r"(?<=\.) ", paragraphs[0])
    if i % 2:
        sentences[1], sentences[2] = sentences[2], sentences[1]
    paragraphs[0] = " ".join(sentences)
    text = "\n\n".join(paragraphs)
    text = text.replace("dybt bekymrede", rng.choice(["meget bekymrede", "dybt bekymrede", "stærkt bekymrede"]))
    text = text.replace("samarbejde", "samarbjede") if i % 3 == 0 else text
    if added:
        paragraphs = text.split("\n\n")
        paragraphs.insert(2, added)
        text = "\n\n".join(paragraphs)
    name = ["Anne Jensen", "Lars Hansen", "Mette Nielsen", "Ole Sørensen", "Ida Madsen", "Peter Olsen", "Lone Berg"][i]
    return f"Høringssvar fra {name}\n\n{text}\n\nMed venlig hilsen\n{name}\n"


def _docs() -> list[tuple[str, str]]:
    docs = [(f"kopi_{i}", _copy(i)) for i in range(6)] + [("kopi_tilfoejelse", _copy(6, ADDED))]
    docs += [(path.name, path.read_text(encoding="utf-8")) for path in SAMPLE]
    docs += [(f"ingen_{i}", text) for i, text in enumerate(NO_REMARKS)]
    random.Random(0).shuffle(docs)
    return docs


@pytest.mark.parametrize("method", ["minhash", "tfidf"])
def test_the_copies_form_one_campaign_with_the_added_paragraph_found(method):
    docs = _docs()
    campaigns = group_campaigns(docs, method=method)
    assert len(campaigns) == 1
    campaign = campaigns[0]
    assert isinstance(campaign, Campaign)
    assert set(campaign.members) == {f"kopi_{i}" for i in range(6)} | {"kopi_tilfoejelse"}
    assert campaign.template_id == "A"
    assert campaign.representative in campaign.members and campaign.representative != "kopi_tilfoejelse"
    assert campaign.with_additions == ["kopi_tilfoejelse"]
    assert campaign.added["kopi_tilfoejelse"] == [ADDED]  # the paragraph itself, not the sender or signature lines
    assert 0.5 <= campaign.similarity <= 1.0
    # nothing dropped: members keep input order, every other letter stands on its own
    order = [doc_id for doc_id, _ in docs]
    assert campaign.members == [d for d in order if d in campaign.members]


def test_short_letters_and_unrelated_letters_are_never_grouped():
    no_remarks = [(f"ingen_{i}", text) for i, text in enumerate(NO_REMARKS * 2)]
    assert group_campaigns(no_remarks) == []  # nearly identical by form, but too short to be a template
    assert group_campaigns([(p.name, p.read_text(encoding="utf-8")) for p in SAMPLE]) == []
    assert group_campaigns([]) == []


def test_min_size_decides_what_counts_as_a_campaign():
    pair = [("a", _copy(0)), ("b", _copy(1)), ("c", SAMPLE[0].read_text(encoding="utf-8"))]
    assert group_campaigns(pair) == []
    assert [c.members for c in group_campaigns(pair, min_size=2)] == [["a", "b"]]


def test_the_synthetic_hearing_ground_truth_is_reproduced():
    """On the 200-letter hearing kept in the repo (tests/data/hearing/synthetic200.json.gz, a fresh clone has it);
    where the shared corpus is next to the repo, the generator still makes exactly those letters."""
    import gzip
    import json

    data = json.loads(gzip.open(ROOT / "tests" / "data" / "hearing" / "synthetic200.json.gz").read())
    files, truth = [(x["name"], x["text"]) for x in data["letters"]], data["truth"]
    sys.path.insert(0, str(ROOT / "bench"))
    from campaign_hearing import DEFAULT_SPEECHES, make_hearing

    if DEFAULT_SPEECHES.is_file():
        assert make_hearing(DEFAULT_SPEECHES, seed=24) == (files, truth)
    assert len(files) == 200
    campaigns = group_campaigns(files)
    assert len(campaigns) == 1
    assert sorted(campaigns[0].members) == sorted(truth["campaign"])
    assert campaigns[0].with_additions == sorted(truth["added"])
    for name, paragraph in truth["added"].items():
        found = " ".join(campaigns[0].added[name])
        assert found in paragraph and len(found) >= 0.9 * len(paragraph)
    assert not set(truth["ingen_bemaerkninger"]) & set(campaigns[0].members)


def test_a_rewrapped_copy_with_its_paragraph_last_gives_the_paragraph_without_the_signature():
    import textwrap

    rewrapped = "\n\n".join(textwrap.fill(p, 70) for p in TEMPLATE.split("\n\n"))  # line breaks as a PDF has them
    letter = f"Høringssvar fra Karen Holm\n\n{rewrapped}\n\n{ADDED}\n\nMed venlig hilsen\nKaren Holm\n"
    docs = [(f"kopi_{i}", _copy(i)) for i in range(4)] + [("omformet", letter)]
    [campaign] = group_campaigns(docs)
    assert len(campaign.members) == 5
    assert campaign.added == {"omformet": [ADDED]}
