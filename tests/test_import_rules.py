"""Which Matchway package may import which: the rules, written once, as tables.

Every module of application code under `matchway/` (not migrations, not tests) is parsed
with `ast`; every `import matchway.X…`, `from matchway.X… import …`, `from matchway import
X` and relative import (resolved to its package) counts, including imports inside functions
and under `TYPE_CHECKING`. An arrow is `(importing package, imported package)`.

- ALLOWED: the packages each package may import, as they SHOULD be after the restructure.
- ONLY_THROUGH: narrow permissions — the importer may reach that package through one
  module only (letters and statements read a rotation only via experience.selectors).
- KNOWN_VIOLATIONS: arrows that exist today and are being removed by work in progress.
  Each must still exist (delete the line when its work lands), so the list only shrinks.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent / "matchway"

# importer → the packages it may import (besides itself).
# fmt: off
# Every domain app may read the provider (organization) and use core.
BASE = {"core", "organization"}

ALLOWED: dict[str, set[str]] = {
    "phi":        set(),   # pure Python PHI detector: no Django, no other package
    "core":       set(),   # infrastructure only: imports no domain app
    "reference":  {"core"},
    "organization": {"core"},  # the provider's identity and policy pages
    "accounts":   {*BASE, "reference"},  # target specialties are reference rows
    "api":        {"core", "accounts"},  # API building blocks; accounts for token auth
    "documents":  {*BASE, "accounts", "reference", "api", "phi"},
    "guides":     {*BASE, "accounts", "reference", "api"},
    "rotations":  {*BASE, "accounts", "reference", "api", "documents", "guides", "phi"},
    # Card payments: Stripe Checkout for what the rotations ledger says is due, and the signed
    # webhook that records it through rotations' one payment service.
    "payments":   {*BASE, "accounts", "api", "rotations"},
    "experience": {*BASE, "accounts", "reference", "api", "documents", "rotations", "phi"},
    "letters":    {*BASE, "accounts", "reference", "api", "documents", "phi"},
    "statements": {*BASE, "accounts", "reference", "api", "phi"},
    # Conversations on applications: reads the application through rotations selectors,
    # checks attachments with the document vault's validation, bodies with the PHI guard.
    "messaging":  {*BASE, "accounts", "api", "documents", "rotations", "phi"},
    # Notifications: a copy of every email (routed through core.discovery's email hook),
    # its own pages and API; it knows no domain app, only template names.
    "notifications": {*BASE, "accounts", "api"},
    "home":       {*BASE, "accounts"},  # everything else arrives through core.discovery
    # Public specialty pages over reference data, plus the applicant's own evidence, which
    # reads rotations only through the rotation record and letters/guides through selectors.
    "specialties": {*BASE, "accounts", "reference", "experience", "letters", "guides"},
    # The applicant's ERAS season: fit reads the rotation record (experience selectors), letters
    # and statements through their selectors/services; the PHI guard for notes others read.
    "eras":       {*BASE, "accounts", "reference", "api", "phi", "experience", "letters",
                   "statements"},
    # Match week and SOAP: joins the ERAS workspace's programs, reuses letters and statements.
    "soap":       {*BASE, "accounts", "reference", "api", "phi", "eras", "letters", "statements"},
}

# (importer, imported package) → the only modules (prefixes) the importer may use there.
ONLY_THROUGH: dict[tuple[str, str], tuple[str, ...]] = {
    # Letters and statements read what happened on a rotation through the rotation record
    # (and its pure text helpers), never through rotations or the experience models.
    ("letters",    "experience"): ("matchway.experience.selectors", "matchway.experience.text"),
    ("statements", "experience"): ("matchway.experience.selectors", "matchway.experience.text"),
    ("accounts",   "api"):        ("matchway.api.schemas",),  # ErrorOut for /me (no cycle)
    ("specialties", "experience"): ("matchway.experience.selectors",),
    ("specialties", "letters"):    ("matchway.letters.selectors",),
    ("specialties", "guides"):     ("matchway.guides.selectors",),
}

# Arrows that exist today and are being removed by work in progress (each must still exist,
# so the list only shrinks). Empty: the restructure is done.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()
# fmt: on

# Modules of application code longer than this are to be split.
MAX_LINES = 600
# Today's offenders (paths under matchway/); each must still be over the limit.
KNOWN_OVERSIZED: set[str] = set()
# The booking app stays one sentence: catalog and booking, nothing that happens on a rotation.
# 8,000 until #19 added what belongs to a booking (arrival logistics, date clashes and the
# visa invitation letter DESIGN.md places at `rotations.VisaLetter`): 8,444 lines then.
# 9,000 → 9,400 with #16 part A: the ledger (rotations/ledger.py) and the one payment service
# belong to the booking they price (9,159 lines then); Stripe itself lives in `payments`.
# #16 part B added receipts and invoices, the refund policy and the provider's reports, which
# DESIGN.md places in rotations (Refund, Invoice, Rotation.refund_rules); re-measured at merge.
# 9,300: the catalog's Jinja2 display values (rotations/catalog_cards.py, issue #18).
# 11,500 → 11,800: the catalog's read path in plain SQL (rotations/catalog_sql.py, #18); its
# ORM specification moved to the tests (rotations/tests/catalog_spec.py), 11,657 lines then.
ROTATIONS_MAX_LINES = 11800


def _application_modules() -> list[Path]:
    return sorted(
        path
        for path in APP_ROOT.rglob("*.py")
        if not {"migrations", "tests"} & set(path.relative_to(APP_ROOT).parts)
        and len(path.relative_to(APP_ROOT).parts) > 1  # matchway/__init__.py
    )


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) for every matchway import in `path`, relative ones resolved."""
    package = ["matchway", *path.relative_to(APP_ROOT).parent.parts]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module == "matchway":  # `from matchway import phi`
                found += [(node.lineno, f"matchway.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return [(line, m) for line, m in found if m.startswith("matchway.")]


def _arrows() -> dict[tuple[str, str], list[str]]:
    """Every forbidden-or-not cross-package arrow that ALLOWED/ONLY_THROUGH do not permit,
    with the `file:line module` places that make it."""
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in _application_modules():
        importer = path.relative_to(APP_ROOT).parts[0]
        for line, module in _imported_modules(path):
            imported = module.split(".")[1]
            if imported == importer or imported in ALLOWED.get(importer, set()):
                continue
            through = ONLY_THROUGH.get((importer, imported), ())
            if any(module == m or module.startswith(m + ".") for m in through):
                continue
            where = f"matchway/{path.relative_to(APP_ROOT)}:{line} imports {module}"
            arrows[(importer, imported)].append(where)
    return arrows


def test_every_package_is_in_the_table() -> None:
    packages = {path.relative_to(APP_ROOT).parts[0] for path in _application_modules()}
    missing = sorted(packages - set(ALLOWED))
    assert not missing, f"add these packages to ALLOWED: {missing}"


def test_no_forbidden_imports() -> None:
    forbidden = {
        arrow: places for arrow, places in _arrows().items() if arrow not in KNOWN_VIOLATIONS
    }
    report = "\n".join(
        f"{a} → {b}:\n    " + "\n    ".join(places) for (a, b), places in sorted(forbidden.items())
    )
    assert not forbidden, f"forbidden imports (see ALLOWED in this file):\n{report}"


def test_known_violations_still_exist() -> None:
    gone = sorted(KNOWN_VIOLATIONS - set(_arrows()))
    assert not gone, f"these arrows are gone: remove them from KNOWN_VIOLATIONS: {gone}"


def test_no_module_is_too_long() -> None:
    lengths = {
        str(path.relative_to(APP_ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in _application_modules()
    }
    too_long = {p: n for p, n in lengths.items() if n > MAX_LINES and p not in KNOWN_OVERSIZED}
    assert not too_long, f"split these modules (over {MAX_LINES} lines): {too_long}"
    fixed = sorted(p for p in KNOWN_OVERSIZED if lengths.get(p, 0) <= MAX_LINES)
    assert not fixed, f"these are short enough now (or gone): remove from KNOWN_OVERSIZED: {fixed}"


def test_rotations_stays_under_its_size() -> None:
    lines = sum(
        len(path.read_text(encoding="utf-8").splitlines())
        for path in _application_modules()
        if path.relative_to(APP_ROOT).parts[0] == "rotations"
    )
    assert lines < ROTATIONS_MAX_LINES, f"rotations has {lines} lines of application code"
