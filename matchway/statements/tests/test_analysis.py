"""Tests for the pure-Python statement analyser (no database, no Django, no network)."""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from matchway.phi import find_phi
from matchway.statements.analysis import (
    AnalysisResult,
    Finding,
    NormalizationChange,
    analyze,
    format_pages,
    normalize_plain_text,
    page_range,
)
from matchway.statements.analysis.spelling import medical_words
from matchway.statements.analysis.style import CHARS_PER_PAGE_MID

SAMPLES = Path(__file__).with_name("samples")
EXPECTED: dict[str, dict[str, Any]] = json.loads((SAMPLES / "expected.json").read_text())
# The ERAS 2026 value from shared/data/eras_limits.json; tests pass it in like callers do.
ERAS_MAX_CHARS = 28_000
YEAR = 2026
IM = "Internal Medicine (Categorical)"

GOOD_IM = (
    "During my internship I admitted a farmer with pneumonia and heart failure, and balancing "
    "fluids against diuretics taught me the careful reasoning of internal medicine. In the "
    "United States I completed an observership at a community hospital, where I presented "
    "patients on rounds and wrote notes that my preceptor reviewed. I want to train in "
    "internal medicine because I enjoy complex adult patients."
)


def run(text: str, **kwargs: Any) -> AnalysisResult:
    params: dict[str, Any] = {"max_chars": ERAS_MAX_CHARS, "current_year": YEAR}
    params.update(kwargs)
    return analyze(text, **params)


def of_kind(result: AnalysisResult, kind: str) -> list[Finding]:
    return [f for f in result.findings if f.kind == kind]


def sample_result(name: str) -> AnalysisResult:
    return run((SAMPLES / name).read_text(encoding="utf-8"), **EXPECTED[name]["args"])


# --- the sample corpus --------------------------------------------------------------------


def test_corpus_has_at_least_30_samples_and_each_has_expectations() -> None:
    files = sorted(p.name for p in SAMPLES.glob("*.txt"))
    assert len(files) >= 30
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_has_expected_finding_kinds(name: str) -> None:
    kinds = {f.kind for f in sample_result(name).findings}
    expected = EXPECTED[name]
    assert set(expected["must"]) <= kinds, f"missing {set(expected['must']) - kinds}"
    assert not set(expected["must_not"]) & kinds, f"unexpected {set(expected['must_not']) & kinds}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_findings_are_sorted_and_inside_the_text(name: str) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    findings = sample_result(name).findings
    assert findings == sorted(findings, key=lambda f: (f.start, f.kind, f.end))
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert f.severity in {"info", "warning", "error"}
        assert f.message
        assert f.suggestion
        # Every positioned finding highlights real text, never just whitespace.
        if f.end > f.start:
            assert text[f.start : f.end].strip() or f.kind in {"tab", "nbsp", "non_ascii"}


# --- result shape -------------------------------------------------------------------------


def test_as_dict_is_json_ready_with_the_documented_keys() -> None:
    result = run(GOOD_IM + " It was a rewarding career choice\u2026", specialty_name=IM)
    data = json.loads(json.dumps(result.as_dict()))
    assert set(data) == {"characters", "words", "pages", "paragraphs", "readability", "findings"}
    assert data["characters"] == len(GOOD_IM) + len(" It was a rewarding career choice\u2026")
    assert data["findings"], "the cliché and the ellipsis must be reported"
    for item in data["findings"]:
        assert set(item) == {"kind", "severity", "start", "end", "message", "suggestion"}


def test_finding_and_change_are_frozen_slotted_values() -> None:
    finding = Finding("tab", "info", 1, 2, "m", "s")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 5  # type: ignore[misc]
    assert not hasattr(finding, "__dict__")
    change = NormalizationChange(0, 1, "\u2019", "'", "smart_quote")
    assert not hasattr(change, "__dict__")


def test_counts_words_paragraphs_and_pages() -> None:
    text = "One two three.\n\nFour five six seven.\n\nEight nine ten."
    result = run(text)
    assert (result.words, result.paragraphs, result.characters) == (10, 3, len(text))
    assert result.pages == round(len(text) / CHARS_PER_PAGE_MID, 2)


def test_pages_come_from_characters_not_words() -> None:
    # Same 700 words; long words make a much longer printout than short ones. The old
    # estimate (words / 500) called both 1.4 pages.
    short_words = " ".join(["cat"] * 700)  # 2,799 characters
    long_words = " ".join(["extraordinarily"] * 700)  # 11,199 characters
    short, long = run(short_words), run(long_words)
    assert short.words == long.words == 700
    assert short.pages == round(len(short_words) / 3_500, 2) == 0.8
    assert long.pages == round(len(long_words) / 3_500, 2) == 3.2
    assert page_range(len(short_words)) == (0.5, 1.0)
    assert page_range(len(long_words)) == (3.0, 3.5)
    assert not of_kind(short, "too_long_pages")
    assert of_kind(long, "too_long_pages")


@pytest.mark.parametrize(
    ("characters", "expected"),
    [
        (0, (0.5, 0.5)),
        (3_000, (1.0, 1.0)),
        (4_500, (1.0, 1.5)),
        (28_000, (7.0, 9.5)),
    ],
)
def test_page_range_is_an_honest_half_page_range(
    characters: int, expected: tuple[float, float]
) -> None:
    assert page_range(characters) == expected


def test_format_pages() -> None:
    assert format_pages(1.0, 1.0) == "about 1 page"
    assert format_pages(1.0, 1.5) == "about 1\u20131.5 pages"
    assert format_pages(2.0, 2.0) == "about 2 pages"


def test_empty_text_has_no_findings() -> None:
    result = run("   \n ", specialty_name=IM, graduation_year=2010)
    assert result.findings == []
    assert result.words == 0
    assert result.readability["flesch_reading_ease"] == 0.0


def test_invalid_limits_are_rejected() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        run("text", max_chars=0)


def test_analysis_is_deterministic() -> None:
    text = (SAMPLES / "06_cliche_heavy.txt").read_text(encoding="utf-8")
    assert run(text, specialty_name=IM) == run(text, specialty_name=IM)


# --- length -------------------------------------------------------------------------------


def test_over_limit_is_an_error_that_highlights_the_overflow() -> None:
    base = (GOOD_IM + "\n\n") * 80
    text = base[: ERAS_MAX_CHARS + 25]
    over = of_kind(run(text), "over_limit")
    assert len(over) == 1
    assert (over[0].severity, over[0].start, over[0].end) == ("error", ERAS_MAX_CHARS, len(text))
    assert "25" in over[0].suggestion
    assert not of_kind(run(base[:ERAS_MAX_CHARS]), "over_limit")


def test_limit_comes_from_the_caller() -> None:
    assert of_kind(run(GOOD_IM, max_chars=100), "over_limit")
    assert not of_kind(run(GOOD_IM, max_chars=len(GOOD_IM)), "over_limit")


def test_more_than_about_one_page_warns() -> None:
    # The warning follows characters: over 1.1 x 3,500 = 3,850 characters.
    assert not of_kind(run("x" * 3_850), "too_long_pages")
    long_pages = of_kind(run("x" * 3_851), "too_long_pages")
    assert long_pages[0].severity == "warning"
    assert (long_pages[0].start, long_pages[0].end) == (0, 0)
    assert "3,851 characters" in long_pages[0].message
    assert "about 1\u20131.5 pages" in long_pages[0].message
    assert "28,000" in long_pages[0].message  # the limit that counts, from the caller


def test_paragraph_over_200_words_is_flagged() -> None:
    long_para = " ".join(f"Sentence {i} is here." for i in range(60))
    text = "Short opening paragraph.\n\n" + long_para
    flagged = of_kind(run(text), "long_paragraph")
    assert [(f.start, f.end) for f in flagged] == [(len(text) - len(long_para), len(text))]


# --- plain-text safety and normalisation ---------------------------------------------------


def test_normalize_rewrites_every_unsafe_character() -> None:
    text = (
        "\u201cHe said \u2018no\u2019\u201d \u2013 then\u2014silence\u2026"
        "\u00a0end\tnow\u200b ok \U0001f469\u200d\u2695\ufe0f. Done \U0001f44d"
    )
    normalized, changes = normalize_plain_text(text)
    assert normalized == "\"He said 'no'\" - then--silence... end now ok. Done"
    assert normalized.isascii()
    for change in changes:
        assert text[change.start : change.end] == change.before
    reasons = {c.reason for c in changes}
    assert {"smart_quote", "long_dash", "nbsp", "tab", "ellipsis", "zero_width", "emoji"} <= reasons


def test_normalize_changes_rebuild_the_output_from_the_original() -> None:
    text = (SAMPLES / "11_emoji_tabs_zero_width.txt").read_text(encoding="utf-8")
    normalized, changes = normalize_plain_text(text)
    rebuilt, pos = [], 0
    for change in changes:
        rebuilt.append(text[pos : change.start] + change.after)
        pos = change.end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == normalized
    assert normalize_plain_text(normalized) == (normalized, [])


def test_normalize_leaves_plain_text_and_accented_names_alone() -> None:
    assert normalize_plain_text(GOOD_IM) == (GOOD_IM, [])
    assert normalize_plain_text("Dr. Jos\u00e9 in S\u00e3o Paulo") == (
        "Dr. Jos\u00e9 in S\u00e3o Paulo",
        [],
    )


def test_unsafe_characters_are_reported_at_their_offsets() -> None:
    text = "Caf\u00e9 rounds\t\tstart at 7\u00a0am \u2014 don\u2019t be late \U0001f642"
    result = run(text)
    spans = {(f.kind, text[f.start : f.end]) for f in result.findings}
    assert ("non_ascii", "\u00e9") in spans
    assert ("tab", "\t\t") in spans  # adjacent tabs are one finding
    assert ("nbsp", "\u00a0") in spans
    assert ("long_dash", "\u2014") in spans
    assert ("smart_quote", "\u2019") in spans
    assert ("emoji", "\U0001f642") in spans
    accented = next(f for f in result.findings if f.kind == "non_ascii")
    assert "e" in accented.suggestion


def test_word_checks_see_through_curly_apostrophes_with_original_offsets() -> None:
    text = "I don\u2019t recieve calls\u2014ever."
    misspelled = of_kind(run(text), "spelling")
    assert [text[f.start : f.end] for f in misspelled] == ["recieve"]


# --- readability and style ----------------------------------------------------------------


def test_readability_reports_scores_and_a_plain_explanation() -> None:
    simple = run("I saw the man. He was ill. We gave him care. He got well. He went home.")
    dense = run(
        "Comprehensive multidisciplinary management necessitates sophisticated "
        "interprofessional communication, meticulous documentation and individualized "
        "pharmacological optimization throughout hospitalization."
    )
    for result in (simple, dense):
        assert set(result.readability) >= {
            "flesch_reading_ease",
            "flesch_kincaid_grade",
            "explanation",
            "passive_rate",
            "avg_sentence_words",
        }
        assert isinstance(result.readability["explanation"], str)

    def score(result: AnalysisResult, key: str) -> float:
        value = result.readability[key]
        assert isinstance(value, float)
        return value

    assert score(simple, "flesch_kincaid_grade") < score(dense, "flesch_kincaid_grade")
    assert score(simple, "flesch_reading_ease") > score(dense, "flesch_reading_ease")
    assert "grade" in str(dense.readability["explanation"])


def test_sentence_over_35_words_is_flagged_and_35_is_not() -> None:
    thirty_five = " ".join(["word"] * 35) + "."
    thirty_six = " ".join(["word"] * 36) + "."
    assert not of_kind(run(thirty_five), "long_sentence")
    flagged = of_kind(run("Short one. " + thirty_six), "long_sentence")
    assert [(f.start, f.end) for f in flagged] == [(11, 11 + len(thirty_six))]


def test_abbreviations_do_not_split_sentences() -> None:
    text = "Dr. Rao taught me at a U.S. hospital in St. Louis, e.g. on nights and " + " ".join(
        ["more"] * 22
    )
    # One 38-word sentence: it is only "long" if the abbreviations did not split it.
    assert [(f.start, f.end) for f in of_kind(run(text + "."), "long_sentence")] == [
        (0, len(text) + 1)
    ]
    # A real sentence end before a capital still splits.
    six_then_thirty_one = "I moved to the U.S. Then " + " ".join(["more"] * 30) + "."
    assert not of_kind(run(six_then_thirty_one), "long_sentence")


def test_passive_voice_is_flagged_but_adjectival_participles_are_not() -> None:
    result = run("The patient was admitted by the night team. I am interested in nephrology.")
    passive = of_kind(result, "passive_voice")
    assert [result_text(result, f) for f in passive] == ["was admitted"]
    assert result.readability["passive_rate"] == 0.5


def result_text(result: AnalysisResult, finding: Finding) -> str:
    return "The patient was admitted by the night team. I am interested in nephrology."[
        finding.start : finding.end
    ]


def test_overused_word_is_reported_once_at_first_use() -> None:
    text = " ".join(f"Passionate clinician number {i} said hello." for i in range(6))
    overused = of_kind(run(text), "overused_word")
    assert [(f.start, f.end) for f in overused if "passionate" in f.message] == [(0, 10)]


def test_four_sentences_with_the_same_opening_are_flagged() -> None:
    three = "I ran. I swam. I slept. Then we ate."
    four = "I ran. I swam. I slept. I ate."
    assert not of_kind(run(three), "repeated_opening")
    flagged = of_kind(run(four), "repeated_opening")
    assert [(f.start, f.end) for f in flagged] == [(24, 25)]


# --- spelling and clichés -----------------------------------------------------------------


def test_misspelling_gets_a_correction() -> None:
    finding = of_kind(run("I will recieve the patient."), "spelling")[0]
    assert finding.severity == "warning"
    assert "receive" in finding.suggestion


def test_medical_vocabulary_and_proper_nouns_are_not_misspelled() -> None:
    assert len(medical_words()) >= 300
    text = (
        "I managed hyperkalemia, tachycardia and dyspnea as a preceptor watched my externship "
        "and observership work before ECFMG certification, USMLE Step 2 and ERAS. "
        "Dr. Okonkwo in Enugu taught me at LUTH."
    )
    assert not of_kind(run(text), "spelling")


def test_british_spelling_is_info_with_the_us_form() -> None:
    finding = of_kind(run("I learned to recognise sepsis early."), "spelling")[0]
    assert finding.severity == "info"
    assert "recognize" in finding.suggestion


def test_cliche_is_highlighted_with_a_suggestion() -> None:
    text = "Ever since I was a child, I dreamed of becoming a doctor to help people."
    cliches = of_kind(run(text), "cliche")
    assert [text[f.start : f.end] for f in cliches] == [
        "Ever since I was a child",
        "dreamed of becoming",
        "help people",
    ]
    assert all(f.suggestion for f in cliches)


# --- IMG-specific checks ------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "a four-week observership in Ohio",
        "an externship at a clinic",
        "my USCE in Texas",
        "hospitals in the United States",
        "a US hospital",
        "a clerkship in surgery",
    ],
)
def test_usce_wording_counts_as_a_mention(phrase: str) -> None:
    assert not of_kind(run(f"I completed {phrase}."), "no_usce_mention")


def test_sentence_initial_in_the_us_counts_as_a_mention() -> None:
    assert not of_kind(run("In the U.S. I rotated on a medicine ward."), "no_usce_mention")
    assert of_kind(run("I rotated in Latin America."), "no_usce_mention")


def test_missing_usce_mention_warns() -> None:
    finding = of_kind(run("I trained in Lagos and worked in Abuja."), "no_usce_mention")[0]
    assert (finding.severity, finding.start, finding.end) == ("warning", 0, 0)


def test_specialty_name_and_aliases_count_as_mentions() -> None:
    text = "I want to become an excellent anaesthetist and work in theatre."
    assert of_kind(run(text, specialty_name="Dermatology"), "specialty_missing")
    assert not of_kind(run(text, specialty_name="Anesthesiology"), "specialty_missing")
    custom = "My goal is the PM and R world."
    assert not of_kind(
        run(custom, specialty_name="Physiatry X", specialty_aliases=["PM and R"]),
        "specialty_missing",
    )


def test_unlisted_specialty_name_maps_to_its_longest_known_term() -> None:
    text = "I want a neurosurgery residency after my internal medicine internship."
    result = run(text, specialty_name="Neurological Surgery Track")
    assert not of_kind(result, "specialty_missing")  # "neurosurgery" is a synonym
    assert not of_kind(result, "specialty_mismatch")


def test_other_specialty_as_goal_is_a_mismatch() -> None:
    recycled = "I am applying for a residency in pediatrics because I love children."
    finding = of_kind(run(recycled, specialty_name=IM), "specialty_mismatch")[0]
    assert recycled[finding.start : finding.end] == "pediatrics"
    assert finding.severity == "error"  # the target is never named: likely a reused statement
    mixed = "Internal medicine is my home, and I am eager to begin my residency in surgery."
    assert of_kind(run(mixed, specialty_name=IM), "specialty_mismatch")[0].severity == "warning"


def test_past_rotation_in_another_specialty_is_not_a_mismatch() -> None:
    text = "My surgery rotation taught me speed; internal medicine residency is my goal."
    assert not of_kind(run(text, specialty_name=IM), "specialty_mismatch")


def test_general_statement_naming_a_program_warns() -> None:
    text = "I would be proud to join the residency program at University of Springfield."
    finding = of_kind(run(text), "program_named")[0]
    assert (text[finding.start : finding.end], finding.severity) == (
        "University of Springfield",
        "warning",
    )


def test_known_program_names_are_found_case_insensitively() -> None:
    text = "The bayside im family would be a great place to train."
    finding = of_kind(run(text, known_program_names=["Bayside IM"]), "program_named")[0]
    assert text[finding.start : finding.end] == "bayside im"


def test_program_statement_naming_another_program_is_an_error() -> None:
    text = "I am excited to join Riverside Medical Center as a resident."
    wrong = of_kind(run(text, program_label="Lakeview Hospital"), "wrong_program")
    assert [(text[f.start : f.end], f.severity) for f in wrong] == [
        ("Riverside Medical Center", "error")
    ]
    assert not of_kind(run(text, program_label="Riverside Medical Center - IM"), "wrong_program")
    assert not of_kind(run(text, program_label="Riverside Medical Center"), "program_named")


def test_past_hospitals_are_not_program_names() -> None:
    text = "I trained at Lagos University Teaching Hospital and observed at Maple Grove Hospital."
    assert not of_kind(run(text), "program_named")


@pytest.mark.parametrize(
    ("graduation_year", "expected"),
    [(None, False), (YEAR - 3, False), (YEAR - 4, True), (YEAR - 12, True)],
)
def test_graduation_gap_beyond_three_years_needs_an_explanation(
    graduation_year: int | None, expected: bool
) -> None:
    text = "I love internal medicine."
    assert bool(of_kind(run(text, graduation_year=graduation_year), "graduation_gap")) is expected


@pytest.mark.parametrize(
    "explanation",
    [
        "Since graduation I worked as a medical officer.",
        "I spent two years in research.",
        "I cared for my family during a long illness.",
        "My visa took three years.",
    ],
)
def test_explained_graduation_gap_is_not_flagged(explanation: str) -> None:
    text = "I love internal medicine. " + explanation
    assert not of_kind(run(text, graduation_year=YEAR - 8), "graduation_gap")


def test_family_medicine_is_not_a_gap_explanation() -> None:
    text = "I love family medicine."
    assert of_kind(run(text, graduation_year=YEAR - 8), "graduation_gap")


# --- PHI ----------------------------------------------------------------------------------


def test_phi_from_the_shared_detector_becomes_error_findings() -> None:
    text = (SAMPLES / "17_phi_patient_name_mrn.txt").read_text(encoding="utf-8")
    expected = {(hit.start, hit.end) for hit in find_phi(text)}
    phi = of_kind(run(text, specialty_name=IM), "phi")
    assert expected, "the sample contains a name, an MRN, a date and a phone number"
    assert {(f.start, f.end) for f in phi} == expected
    assert all(f.severity == "error" for f in phi)
    # The identifier itself is not copied into the stored message.
    assert all(text[f.start : f.end] not in f.message for f in phi)


# --- runtime contract ---------------------------------------------------------------------


def test_analysis_and_spellchecker_never_touch_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk
    import textstat.backend.counts._count_syllables as textstat_syllables
    from spellchecker import SpellChecker

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network or download attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(nltk, "download", refuse)
    # textstat's syllable counter is what would fetch NLTK's cmudict; it must not be used.
    monkeypatch.setattr(textstat_syllables, "get_cmudict", refuse)

    assert SpellChecker(distance=1).unknown(["hello"]) == set()
    # A text nobody analysed before, so textstat's per-text caches cannot hide a download.
    result = run(GOOD_IM + f" Unique marker {time.time_ns()}.", specialty_name=IM)
    assert result.readability["flesch_kincaid_grade"] != 0.0


def test_analysis_package_does_not_import_django() -> None:
    code = (
        "import sys, matchway.statements.analysis as a; "
        "a.analyze('I love medicine.', max_chars=100, current_year=2026); "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_max_length_statement_is_analysed_completely() -> None:
    # The < 1 s target is measured by bench/statement_analyze.py, not asserted here.
    paragraph = (SAMPLES / "08_too_long_pages.txt").read_text(encoding="utf-8")
    text = ((paragraph + "\n\n") * 8)[:ERAS_MAX_CHARS]
    result = run(text, specialty_name=IM, graduation_year=2015)
    assert result.characters == len(text)
    assert result.words > 3000
    assert all(0 <= f.start <= f.end <= len(text) for f in result.findings)


# --- issue #17: physicians are not patients; naming a program; another specialty ----------


def _kinds(result: AnalysisResult, kind: str, text: str) -> list[str]:
    return [text[f.start : f.end] for f in result.findings if f.kind == kind]


def test_physician_after_dr_is_not_a_patient_identifier() -> None:
    text = (
        "During my observership in the United States, Dr. Chen taught me to listen first. "
        "Dr. Maria Rivera showed me what internal medicine asks of a doctor."
    )
    assert _kinds(run(text, specialty_name=IM), "phi", text) == []


def test_patient_names_are_still_flagged() -> None:
    text = "Mrs. Jane Doe was admitted with pneumonia; internal medicine in the United States."
    assert _kinds(run(text, specialty_name=IM), "phi", text)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "I would be proud to train in Riverside Medical Center's program.",
            "Riverside Medical Center",
        ),
        ("I hope to join your program at Mercy General next year.", "Mercy General"),
        ("Riverside's residency program stood out to me.", "Riverside"),
    ],
)
def test_general_statement_naming_one_program_is_flagged(sentence: str, name: str) -> None:
    text = GOOD_IM + "\n\n" + sentence
    result = run(text, specialty_name=IM)
    found = [f for f in result.findings if f.kind == "program_named"]
    assert [text[f.start : f.end] for f in found] == [name]
    assert found[0].message == f"This statement goes to every program; it names {name}."
    # A statement written for that program may name it.
    labelled = run(text, specialty_name=IM, program_label=name)
    assert not [f for f in labelled.findings if f.kind in {"program_named", "wrong_program"}]


def test_specialty_name_in_possessive_is_not_a_program() -> None:
    text = GOOD_IM + "\n\nInternal Medicine's residency programs value continuity."
    assert _kinds(run(text, specialty_name=IM), "program_named", text) == []


def test_other_specialty_as_goal_is_flagged() -> None:
    text = GOOD_IM + "\n\nThat is why I am applying for a pediatrics residency."
    found = _kinds(run(text, specialty_name=IM), "specialty_mismatch", text)
    assert found == ["pediatrics"]
