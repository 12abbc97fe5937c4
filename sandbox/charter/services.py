"""Charter rules of a class: the default copy, and what its teachers change in it.

Each real change makes a new version of the class's charter (its students then sign it again),
writes a "charter_edit" audit entry and an activity event, and commits once. Saving the form
unchanged changes nothing. The class's teachers and the admins (who manage every class, as on
the class's other pages) edit it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.edits import (
    SETTINGS,
    CharterChange,
    CharterEdit,
    clean_rule,
    clean_settings,
)
from sandbox.charter.models import CharterRule, ClassCharter, Severity
from sandbox.classes.models import SchoolClass
from sandbox.classes.permissions import can_manage_class
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.moderation.audit import record_audit
from sandbox.seeding.files import default_charter

_STALE = _l("Someone changed this charter while you were editing it: reload the page and make "
            "your changes again.")


def copy_default_charter(klass: SchoolClass) -> list[CharterRule]:
    """Give a new class its own copy of the default charter, which its teachers may then edit."""
    db.session.add(ClassCharter(class_id=klass.id))
    rules = [
        CharterRule(
            class_id=klass.id,
            position=position,
            code=rule.code,
            checks=list(rule.checks),
            severity=rule.severity,
            title_fr=rule.title_fr,
            title_en=rule.title_en,
            text_fr=rule.text_fr,
            text_en=rule.text_en,
        )
        for position, rule in enumerate(default_charter().rules, start=1)
    ]
    db.session.add_all(rules)
    return rules


# ---- reading -------------------------------------------------------------------------------


def managed_class(actor: User, class_id: int) -> SchoolClass:
    """The class, if `actor` teaches it or is an admin: NotFound or PermissionDenied otherwise."""
    klass = db.session.get(SchoolClass, class_id)
    if klass is None:
        raise NotFound(_l("This class does not exist."))
    if not can_manage_class(actor, klass):
        raise PermissionDenied(_l("You do not teach this class."))
    return klass


def charter_of(klass: SchoolClass) -> ClassCharter:
    """The class's charter settings, created at version 1 if the class has none yet."""
    charter = db.session.get(ClassCharter, klass.id)
    if charter is None:
        charter = ClassCharter(class_id=klass.id, version=1)
        db.session.add(charter)
        db.session.flush()
    return charter


def rules_of(class_id: int, *, enabled_only: bool = False) -> list[CharterRule]:
    query = sa.select(CharterRule).where(CharterRule.class_id == class_id)
    if enabled_only:
        query = query.where(CharterRule.enabled.is_(True))
    return list(db.session.scalars(query.order_by(CharterRule.position, CharterRule.id)))


# ---- writing -------------------------------------------------------------------------------


def update_charter(actor: User, class_id: int, edit: CharterEdit) -> CharterChange:
    """Save the editor's form: everything is checked before anything changes."""
    klass = managed_class(actor, class_id)
    charter = charter_of(klass)
    if edit.version is not None and edit.version != charter.version:
        raise ServiceError(_STALE)
    by_code = {rule.code: rule for rule in rules_of(klass.id)}
    updates: list[tuple[CharterRule, dict[str, Any]]] = []
    seen: set[str] = set()
    for index, rule_edit in enumerate(edit.rules):
        rule = by_code.get(rule_edit.code)
        if rule is None or rule.code in seen:
            raise ServiceError(_l("This rule is not in the class's charter: reload the page."))
        seen.add(rule.code)
        updates.append((rule, clean_rule(rule_edit, f"rules-{index}")))
    settings = clean_settings(edit)
    changed_rules = [rule.code for rule, values in updates if _assign(rule, values)]
    changed_settings = [name for name in SETTINGS if _assign(charter, {name: settings[name]})]
    return _save(actor, klass, charter, changed_rules, changed_settings)


def reset_to_default(actor: User, class_id: int) -> CharterChange:
    """The default charter's rules again (texts, severities, checks, all on); the class's
    allowlists, address and posting windows stay, being facts about the school."""
    klass = managed_class(actor, class_id)
    charter = charter_of(klass)
    by_code = {rule.code: rule for rule in rules_of(klass.id)}
    changed: list[str] = []
    for position, seed in enumerate(default_charter().rules, start=1):
        values = {"position": position, "checks": list(seed.checks),
                  "severity": Severity(seed.severity), "enabled": True,
                  "title_fr": seed.title_fr, "title_en": seed.title_en,
                  "text_fr": seed.text_fr, "text_en": seed.text_en}
        rule = by_code.get(seed.code)
        if rule is None:
            db.session.add(CharterRule(class_id=klass.id, code=seed.code, **values))
            changed.append(seed.code)
        elif _assign(rule, values):
            changed.append(seed.code)
    return _save(actor, klass, charter, changed, [])


def _assign(target: Any, values: dict[str, Any]) -> bool:
    """Set what differs; True when something did."""
    changed = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


def _save(actor: User, klass: SchoolClass, charter: ClassCharter, rules: list[str],
          settings: list[str]) -> CharterChange:
    """A new version when something changed, audited; no write at all otherwise."""
    if not rules and not settings:
        return CharterChange(version=charter.version, rules=[], settings=[])
    old = charter.version
    # Guarded on the version read: two teachers saving at once cannot both make version N+1.
    bumped = db.session.execute(
        sa.update(ClassCharter)
        .where(ClassCharter.class_id == klass.id, ClassCharter.version == old)
        .values(version=old + 1, updated_at=utcnow(), updated_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_STALE)
    charter.version = old + 1
    charter.updated_by_id = actor.id
    record_audit(actor, "charter_edit", class_id=klass.id, version=old + 1, rules=rules,
                 settings=settings)
    record_event(actor, "charter_edited", klass, version=old + 1, rules=rules,
                 settings=settings)
    db.session.commit()
    return CharterChange(version=old + 1, rules=rules, settings=settings)
