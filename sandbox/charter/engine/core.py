"""Running the checks on a text and turning what they find into the class's findings.

The class's charter decides what a hit means: which rule it breaks (the rule whose `checks`
name its category) and how severe that is (coach, flag or block). A category no enabled rule
names is not checked at all, so a teacher who switches off the spelling rule also saves the
grammar engine's time.
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sandbox.charter.engine import codes, lang, personal, respect, spelling, style
from sandbox.charter.engine.base import Category, CheckContext, Hit
from sandbox.charter.models import Severity

log = logging.getLogger(__name__)

# When two hits overlap, the one of the earlier category is kept: a phone number is not also a
# spelling mistake, and an insult is not also SMS language.
PRIORITY: tuple[Category, ...] = (
    Category.PHONE,
    Category.EMAIL,
    Category.ADDRESS,
    Category.INSULT,
    Category.DISCRIMINATION,
    Category.DEFAMATION,
    Category.CODES,
    Category.SMS,
    Category.REGISTER,
    Category.SPELLING,
)

CHECKS: Mapping[Category, Callable[[str, CheckContext], Iterable[Hit]]] = {
    Category.PHONE: personal.find_phones,
    Category.EMAIL: personal.find_emails,
    Category.ADDRESS: personal.find_addresses,
    Category.INSULT: respect.find_insults,
    Category.DISCRIMINATION: respect.find_discrimination,
    Category.DEFAMATION: respect.find_defamation,
    Category.CODES: codes.find_codes,
    Category.SMS: style.find_sms,
    Category.REGISTER: style.find_register,
    Category.SPELLING: spelling.find_spelling,
}

# Generalisations and accusations are for a teacher to judge: at most flagged, never blocked.
SEVERITY_CAP: Mapping[Category, Severity] = {
    Category.DISCRIMINATION: Severity.FLAG,
    Category.DEFAMATION: Severity.FLAG,
}
_ORDER = {Severity.COACH: 0, Severity.FLAG: 1, Severity.BLOCK: 2}


@dataclass(frozen=True)
class RuleBinding:
    """The class rule a category of check belongs to, and the severity the class gives it."""

    code: str
    severity: Severity


@dataclass(frozen=True)
class CharterPolicy:
    """A class's charter as the engine needs it: rules by category, and the allowlists."""

    rules: Mapping[Category, RuleBinding]
    context: CheckContext = CheckContext()

    @classmethod
    def from_rules(cls, rules: Iterable[Any], context: CheckContext | None = None
                   ) -> CharterPolicy:
        """Build from rule objects with `code`, `checks`, `severity` (and `enabled`)."""
        bound: dict[Category, RuleBinding] = {}
        for rule in rules:
            if not getattr(rule, "enabled", True):
                continue
            for check in rule.checks:
                try:
                    category = Category(check)
                except ValueError:
                    continue
                bound.setdefault(category, RuleBinding(rule.code, Severity(rule.severity)))
        return cls(rules=bound, context=context or CheckContext())


@cache
def default_policy() -> CharterPolicy:
    """The seeded default charter (DESIGN.md §3), for texts outside any class."""
    from sandbox.seeding.files import default_charter

    return CharterPolicy.from_rules(default_charter().rules)


@dataclass(frozen=True)
class Finding:
    category: Category
    rule: str
    start: int
    end: int
    excerpt: str
    message: str
    fix: str | None
    severity: Severity

    def as_json(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "excerpt": self.excerpt,
            "message": self.message,
            "fix": self.fix,
            "severity": self.severity.value,
        }


@dataclass(frozen=True)
class Report:
    lang: str
    findings: tuple[Finding, ...]
    # Checks the charter asks for that cannot run here (spelling without its dictionaries).
    off: tuple[Category, ...] = ()

    def of_severity(self, severity: Severity) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity is severity]

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=_ORDER.__getitem__, default=None)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"lang": self.lang,
                                "findings": [f.as_json() for f in self.findings]}
        if self.off:
            data["off"] = [category.value for category in self.off]
        return data


def check_text(
    text: str,
    *,
    lang_code: str = "auto",
    policy: CharterPolicy | None = None,
    handle_exists: Callable[[str], bool] | None = None,
) -> Report:
    """Check `text` against a charter (the default one unless a class's policy is given).

    `lang_code` is "fr", "en" or "auto" (detected; French on a tie). Messages are rendered in
    the current locale (the reader's), whatever the language of the text.
    """
    policy = policy or default_policy()
    text = text or ""
    detected = lang.detect_language(text) if lang_code not in ("fr", "en") else lang_code
    context = dataclasses.replace(policy.context, lang=detected, handle_exists=handle_exists)
    hits: list[Hit] = []
    off: list[Category] = []
    for category in PRIORITY:
        if category not in policy.rules:
            continue
        if category is Category.SPELLING and not spelling.is_available(detected):
            off.append(category)
            continue
        try:
            hits.extend(_valid(CHECKS[category](text, context), len(text)))
        except Exception:  # noqa: BLE001
            if category is not Category.SPELLING:
                raise
            # Grammalecte and hunspell are third-party engines: a bug of theirs on odd input
            # costs this text its spelling advice, never the student's post.
            log.warning("the spelling check failed on a text of %d characters", len(text),
                        exc_info=True)
            off.append(category)
    kept = _without_overlaps(hits)
    findings = tuple(_finding(hit, text, policy.rules[hit.category]) for hit in kept)
    return Report(lang=detected, findings=findings, off=tuple(off))


def _valid(hits: Iterable[Hit], length: int) -> Iterable[Hit]:
    """A check's hits whose span lies inside the text (a check's bug never breaks a page)."""
    return (hit for hit in hits if 0 <= hit.start < hit.end <= length)


def _without_overlaps(hits: list[Hit]) -> list[Hit]:
    """Hits are in priority order; keep each one that does not overlap one already kept.

    The kept hits stay sorted by start, so each new hit is compared with its two neighbours
    only: a 100 kB text with thousands of hits stays fast.
    """
    kept: list[Hit] = []
    starts: list[int] = []
    for hit in hits:
        at = bisect.bisect_right(starts, hit.start)
        if at > 0 and kept[at - 1].end > hit.start:
            continue
        if at < len(kept) and kept[at].start < hit.end:
            continue
        kept.insert(at, hit)
        starts.insert(at, hit.start)
    return kept


def _finding(hit: Hit, text: str, binding: RuleBinding) -> Finding:
    severity = binding.severity
    cap = SEVERITY_CAP.get(hit.category)
    if cap is not None and _ORDER[severity] > _ORDER[cap]:
        severity = cap
    return Finding(
        category=hit.category,
        rule=binding.code,
        start=hit.start,
        end=hit.end,
        excerpt=text[hit.start:hit.end],
        message=str(hit.message),
        fix=str(hit.fix) if hit.fix is not None else None,
        severity=severity,
    )


def warm_up() -> None:
    """Load the dictionaries and word lists now (about a second), not on a student's first post."""
    check_text("Bonjour à tous, je cherche un stage.", lang_code="fr")
    check_text("Hello everyone, I am looking for an internship.", lang_code="en")
