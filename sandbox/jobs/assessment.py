"""How a persona judges an application on its own: the profile it sees, the cover letter.

What counts is what a recruiter looks at: the profile as this recruiter sees it (a field the
student shows to connections only does not count for a stranger), how well it matches the offer,
and a letter that is long enough, names the company or the offer, is polite, was not sent
elsewhere word for word, and broke no charter rule. The same application always gets the same
score (the small noise is drawn from `persona_random`).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.charter.models import CharterFinding, FindingOutcome
from sandbox.core.text import fold
from sandbox.extensions import db
from sandbox.jobs.models import Application
from sandbox.moderation.models import ContentKind
from sandbox.profiles.completeness import CRITERIA
from sandbox.profiles.models import Profile
from sandbox.profiles.visibility import standing, visible_fields

# Folded words of five letters or more that say nothing about a particular job ("stage" names
# every internship), in French and English.
STOPWORDS = frozenset("""
    avec dans pour nous vous votre notre leurs cette entre apres avant aussi ainsi comme plus
    tres toute toutes tous etre avoir faire sera serez seront etes sommes chaque depuis pendant
    selon sous vers chez quelle quelles lequel autre autres encore toujours jamais alors donc
    about which their there these those would could should other where while with from into
    your have been will able within during after before profil recherche recherchons offrons
    poste mission missions candidat candidate votre vos nos bonjour madame monsieur cordialement
    entreprise societe company semaines semaine annee annees minimum stage stages stagiaire
    alternance apprentissage internship emploi travail contrat""".split())
MIN_TERM = 5
TERM_PREFIX = 6  # "commercial" and "commerce" meet on "commer"
GREETINGS = re.compile(r"\b(bonjour|madame|monsieur|dear|hello)\b")
CLOSINGS = re.compile(r"\b(cordialement|salutations|sincerement|regards|sincerely|merci|thank)")
LONG_LETTER, FAIR_LETTER = 800, 400


@dataclass(frozen=True)
class Assessment:
    score: int  # 0–100
    reasons: tuple[str, ...]  # what let the application down (see jobs.labels.REASON_LABELS)


def terms(text: str) -> set[str]:
    """The meaningful words of a text, cut to their first letters so that forms meet."""
    return {word[:TERM_PREFIX] for word in re.findall(r"[a-z0-9]+", fold(text))
            if len(word) >= MIN_TERM and word not in STOPWORDS}


def _profile_text(profile: Profile, fields: frozenset[str]) -> str:
    parts: list[str] = []
    if "headline" in fields:
        parts.append(profile.headline)
    if "about" in fields:
        parts.append(profile.about)
    if "skills" in fields:
        parts.extend(skill.name for skill in profile.skills)
    if "hashtags" in fields:
        parts.extend(tag.tag.replace("_", " ") for tag in profile.hashtags)
    if "experiences" in fields:
        parts.extend(f"{item.role} {item.organisation} {item.description}"
                     for item in profile.experiences)
    if "education" in fields:
        parts.extend(item.diploma for item in profile.education)
    return " ".join(parts)


def visible_completeness(profile: Profile, fields: frozenset[str]) -> int:
    """The completeness score counting only what the recruiter can see."""
    return sum(c.points for c in CRITERIA if c.key in fields and c.is_met(profile))


def _letter_points(application: Application, letter: str) -> tuple[int, list[str]]:
    offer, company = application.offer, application.offer.company
    folded = fold(letter)
    reasons: list[str] = []
    points = 12 if len(letter) >= LONG_LETTER else 8 if len(letter) >= FAIR_LETTER else 3
    if len(letter) < FAIR_LETTER:
        reasons.append("letter_short")
    company_words = terms(company.name) | ({fold(company.name)} if company.name else set())
    names_company = any(word in folded for word in company_words)
    names_offer = bool(terms(offer.title) & terms(letter))
    points += 10 * names_company + 5 * names_offer
    if not (names_company or names_offer):
        reasons.append("letter_generic")
    if GREETINGS.search(folded) and CLOSINGS.search(folded):
        points += 5
    if application.recruiter_email:  # they found the right person to write to
        points += 3
    return points, reasons


def _copied(application: Application) -> bool:
    """The same letter, word for word, sent by the student to another offer."""
    return db.session.scalar(sa.select(sa.func.count(Application.id)).where(
        Application.student_id == application.student_id, Application.id != application.id,
        Application.cover_letter == application.cover_letter)) > 0


def _charter_findings(application: Application) -> int:
    """The charter findings the letter went out with (advice overridden, flagged)."""
    return db.session.scalar(sa.select(sa.func.count(CharterFinding.id)).where(
        CharterFinding.user_id == application.student_id,
        CharterFinding.content_kind == ContentKind.APPLICATION.value,
        CharterFinding.content_id == application.id,
        CharterFinding.outcome.in_((FindingOutcome.OVERRIDDEN, FindingOutcome.FLAGGED)))) or 0


def assess(application: Application, recruiter: User, rng: random.Random) -> Assessment:
    """Score the application as `recruiter` sees it (a few queries: profile lists, checks)."""
    student = application.student
    profile = student.profile
    fields = visible_fields(profile, standing(recruiter, student))
    offer = application.offer
    reasons: list[str] = []
    shown = visible_completeness(profile, fields)
    if shown < 60:
        reasons.append("profile_incomplete")
    matches = len(terms(f"{offer.title} {offer.description}") & terms(_profile_text(profile,
                                                                                  fields)))
    if matches < 2:
        reasons.append("profile_off_topic")
    score = shown * 0.35 + min(25, 5 * matches)
    if "city" in fields and profile.city and fold(offer.city) in fold(profile.city):
        score += 5
    letter = application.cover_letter if application.hidden_at is None else ""
    letter_points, letter_reasons = _letter_points(application, letter)
    score += letter_points
    reasons += letter_reasons
    if _copied(application):
        score -= 15
        reasons.append("letter_copied")
    if _charter_findings(application):
        score -= 15
        reasons.append("letter_charter")
    score += rng.uniform(-4, 4)
    return Assessment(score=max(0, min(100, round(score))), reasons=tuple(reasons))
