"""Content corrections (issue #15): each test pins one correction in the bundled guides.

Facts come from /work/shared/domain-facts.md and live as data in
`matchway/reference/data/eras_limits.json`; these tests check that the guides say what the
data and its sources say, and that fees and dates name their season.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matchway.guides.loader import ArticleSource, read_articles
from matchway.guides.rendering import UNKNOWN_MARKER, render_markdown
from matchway.reference.eras import eras_data, eras_fact

ARTICLES = read_articles()
BY_SLUG = {a.slug: a for a in ARTICLES}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
MONEY = re.compile(r"\$\s?\d")
MONTH_DAY = re.compile(rf"\b(?:{MONTHS})\s+\d{{1,2}}\b")
# Sentence ends: ., ! or ? followed by space and a capital letter or an opening bracket.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")


def _rendered_text(article: ArticleSource) -> str:
    return render_markdown(article.body).text


def _sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for block in text.splitlines():
        sentences.extend(s for s in SENTENCE_END.split(block) if s.strip())
    return sentences


# --- seasons next to fees and dates -----------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_every_dollar_amount_names_its_season_in_the_same_sentence(
    article: ArticleSource,
) -> None:
    bare = [
        s for s in _sentences(_rendered_text(article)) if MONEY.search(s) and not YEAR.search(s)
    ]
    assert bare == [], f"{article.slug}: fee without a season or year: {bare}"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_dollar_amounts_come_from_the_data_not_typed_in_prose(article: ArticleSource) -> None:
    # `${{eras.…}}` is fine; a typed `$11` would go stale when the season changes.
    typed = re.findall(r"\$\s?\d[\d,.]*", article.body)
    assert typed == [], f"{article.slug}: type fees as placeholders, found {typed}"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_every_month_day_date_carries_its_year(article: ArticleSource) -> None:
    bare = [
        s for s in _sentences(_rendered_text(article)) if MONTH_DAY.search(s) and not YEAR.search(s)
    ]
    assert bare == [], f"{article.slug}: date without a year: {bare}"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_every_fact_a_guide_uses_has_a_season_and_a_source(article: ArticleSource) -> None:
    rendered = render_markdown(article.body)
    for fact in rendered.facts:
        assert fact["season"].strip(), (article.slug, fact["path"])
        assert fact["source"].strip(), (article.slug, fact["path"])


def test_fee_guides_say_which_season_the_figures_are_from() -> None:
    # The current season's (ERAS 2027) fees are not confirmed, so the text names the season
    # whose values it shows.
    assert eras_fact("eras_residency_fees.eras_2027_schedule").status == "UNCONFIRMED"
    for slug in ("img-challenges-us-residency", "strong-eras-application-img"):
        text = _rendered_text(BY_SLUG[slug])
        assert "ERAS 2026 season" in text, slug
        assert "ResidencyCAS 2025-26 cycle" in text, slug
        assert "latest" in text and "confirmed" in text, slug


# --- ResidencyCAS next to ERAS wherever application fees appear --------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_guides_quoting_eras_fees_also_quote_residencycas(article: ArticleSource) -> None:
    if "eras.eras_residency_fees." not in article.body:
        return
    assert "{{eras.residencycas_fees_usd.programs_1_to_18_flat}}" in article.body
    assert "{{eras.residencycas_fees_usd.programs_19_to_30_each}}" in article.body
    assert "{{eras.residencycas_fees_usd.programs_31_plus_each}}" in article.body
    text = _rendered_text(article)
    fees = eras_fact("residencycas_fees_usd").value
    assert f"${fees['programs_1_to_18_flat']} for programs 1–18" in text
    assert "emergency medicine and OB/GYN" in text.replace("Emergency", "emergency")


def test_at_least_two_guides_quote_application_fees() -> None:
    quoting = [a.slug for a in ARTICLES if "eras.residencycas_fees_usd." in a.body]
    assert set(quoting) >= {"img-challenges-us-residency", "strong-eras-application-img"}


# --- IMG guide: the H-1B ---------------------------------------------------------------------


def test_h1b_needs_all_three_steps_by_law() -> None:
    body = BY_SLUG["img-challenges-us-residency"].body
    assert "By law, an H-1B physician who cares for patients must have passed all three" in body
    assert "Step 3 included" in body
    assert "8 CFR 214.2(h)(4)(viii)" in body
    assert "commonly require" not in body
    assert eras_fact("visas.h1b_all_usmle_steps_required").value is True


def test_h1b_supplemental_fee_is_stated_and_flagged_unverified() -> None:
    fact_node = eras_data()["visas"]["h1b_supplemental_fee_usd"]
    assert fact_node["value"] == 100_000
    assert fact_node["confirmed"] is False
    assert fact_node["status"] == "UNCONFIRMED"
    assert fact_node["checked"] == "2026-12-02"
    assert fact_node["source"].startswith("https://")
    text = _rendered_text(BY_SLUG["img-challenges-us-residency"])
    sentence = next(s for s in _sentences(text) if "$100,000" in s)
    assert "on or after September 21, 2025" in sentence
    assert "people outside the US" in sentence
    assert "Unverified" in text
    assert "checked 2026-12-02" in text
    assert "how long the fee applies and whether it still does" in text
    assert "Check the current USCIS page" in text


# --- letters: no "most programs ask for three" on the AAMC's name ---------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_no_guide_claims_most_programs_ask_for_three_letters(article: ArticleSource) -> None:
    # domain-facts.md cites the AAMC pages for the 4-letter limit only; they do not say how
    # many letters most programs want.
    assert not re.search(r"most programs ask for (three|3)", article.body, re.IGNORECASE)


def test_letters_guide_cites_the_aamc_for_the_limit_only() -> None:
    body = BY_SLUG["asking-for-letters-of-recommendation"].body
    section = body.split("## How many letters you need", 1)[1].split("\n## ", 1)[0]
    assert "{{eras.letters_of_recommendation.max_per_program}}" in section
    assert "the program's own rule" in section
    assert "three" not in section


def test_letter_assignment_page_does_not_claim_three_letters_either() -> None:
    template = (
        Path(__file__).resolve().parents[2] / "templates" / "letters" / "assignment_list.html"
    )
    assert "most programs ask for three" not in template.read_text(encoding="utf-8")


# --- SOAP: the latest placement figure --------------------------------------------------------


def test_soap_guide_uses_the_latest_year_of_placement_data() -> None:
    history = eras_data()["soap"]["placements_by_match_year"]
    years = [int(y) for y, node in history.items() if y.isdigit() and node["value"] is not None]
    latest = max(years)
    body = BY_SLUG["soap-for-imgs"].body
    used = {int(y) for y in re.findall(r"soap\.placements_by_match_year\.(\d{4})", body)}
    assert used == {latest}
    text = _rendered_text(BY_SLUG["soap-for-imgs"])
    value = history[str(latest)]["value"]
    assert f"In the Main Residency Match {latest}, {value:,} positions were filled" in text
    assert "In 2022 most SOAP placements" not in text


# --- ECFMG: OET Medicine scores --------------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_oet_rule_is_350_350_350_and_300_writing_in_one_sitting(article: ArticleSource) -> None:
    if "OET" not in article.body:
        return
    text = _rendered_text(article)
    assert "at least 350 in Listening, Reading and Speaking and at least 300 in Writing" in text
    assert "all in one sitting" in text
    assert "reported differently" not in text
    assert "350 in all four parts" in text and "out of date" in text


# --- the renderer features the corrections rely on ---------------------------------------------


def test_season_placeholder_prints_the_fact_season() -> None:
    rendered = render_markdown(
        "${{eras.eras_residency_fees.first_tier_price_usd}} "
        "({{eras.eras_residency_fees.first_tier_price_usd|season}}); "
        "{{ eras.residencycas_fees_usd.programs_1_to_18_flat | season }}."
    )
    assert "$11 (ERAS 2026); ResidencyCAS 2025-26 cycle." in rendered.text
    assert [f["path"] for f in rendered.facts] == [
        "eras_residency_fees.first_tier_price_usd",
        "residencycas_fees_usd.programs_1_to_18_flat",
    ]
    assert rendered.facts[0]["value"] == "11"
    assert rendered.unknown == []


def test_season_of_an_unusable_fact_is_unknown() -> None:
    html = render_markdown("{{eras.eras_residency_fees.eras_2027_schedule|season}}").html
    assert UNKNOWN_MARKER in html
    assert "ERAS 2027" not in html


def test_a_path_may_continue_into_a_mapping_value() -> None:
    fact = eras_fact("residencycas_fees_usd.programs_19_to_30_each")
    assert fact.value == 18
    assert fact.season == "ResidencyCAS 2025-26 cycle"
    assert fact.source.startswith("https://www.saem.org/")
    assert fact.status == "verified"
    with pytest.raises(KeyError):
        eras_fact("residencycas_fees_usd.programs_99_each")
