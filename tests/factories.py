"""Factories that make people, classes and companies through the same services as the app."""

from __future__ import annotations

import itertools

from sandbox.accounts.models import Role, User
from sandbox.accounts.services import build_user
from sandbox.charter.services import copy_default_charter
from sandbox.charter.signing import mark_signed
from sandbox.classes.models import NetworkScope, SchoolClass
from sandbox.classes.services import generate_join_code
from sandbox.companies.models import Company, Sector
from sandbox.extensions import db
from sandbox.personas.models import Persona, PersonaKind

_counter = itertools.count(1)


class Factories:
    def __init__(self, password: str) -> None:
        self.password = password

    def _user(self, role: Role, username: str | None, **fields: object) -> User:
        number = next(_counter)
        # "hugo.petit" is Hugo Petit, so that his @handle in posts is his username too.
        first, _, last = (username or "").partition(".")
        user = build_user(
            username=username or f"{role.value}{number}",
            role=role,
            first_name=str(fields.pop("first_name", first.title() if last else f"Prénom{number}")),
            last_name=str(fields.pop("last_name", last.title() if last else f"Nom{number}")),
            password=None if role is Role.PERSONA else self.password,
            **fields,  # type: ignore[arg-type]
        )
        db.session.commit()
        return user

    def make_admin(self, username: str | None = None, **fields: object) -> User:
        return self._user(Role.ADMIN, username, **fields)

    def make_teacher(self, username: str | None = None, **fields: object) -> User:
        return self._user(Role.TEACHER, username, **fields)

    def make_student(
        self, klass: SchoolClass, username: str | None = None, *, signed: bool = True,
        **fields: object,
    ) -> User:
        """A student of `klass`; `signed`: has signed the class's current charter (else the
        app sends them to the sign page first)."""
        student = self._user(Role.STUDENT, username, class_id=klass.id, **fields)
        if signed:
            mark_signed([student])
            db.session.commit()
        return student

    def make_class(
        self,
        teacher: User | None,
        name: str = "Classe test",
        network_scope: NetworkScope = NetworkScope.CLASS,
        allow_pseudonyms: bool = True,
    ) -> SchoolClass:
        klass = SchoolClass(
            name=name,
            join_code=generate_join_code(),
            network_scope=network_scope,
            allow_pseudonyms=allow_pseudonyms,
        )
        if teacher is not None:
            klass.teachers.append(teacher)
        db.session.add(klass)
        db.session.flush()
        copy_default_charter(klass)
        db.session.commit()
        return klass

    def make_company(self, slug: str | None = None) -> Company:
        number = next(_counter)
        company = Company(
            slug=slug or f"entreprise-{number}",
            name=f"Entreprise {number}",
            sector=Sector.LOGISTICS,
            city="Lyon",
        )
        db.session.add(company)
        db.session.commit()
        return company

    def make_persona(
        self, username: str | None = None, company: Company | None = None, **fields: object
    ) -> User:
        user = self._user(Role.PERSONA, username, **fields)
        user.persona = Persona(
            company=company or self.make_company(),
            kind=PersonaKind.RECRUITER,
            job_title="Chargée de recrutement",
        )
        db.session.commit()
        return user
