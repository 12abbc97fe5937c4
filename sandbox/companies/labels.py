"""What people read for each sector, contract and persona kind, in their own language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from sandbox.companies.models import JobKind, Sector
from sandbox.personas.models import PersonaKind

SECTOR_LABELS: dict[Sector, LazyString] = {
    Sector.TOURISM: _l("Tourism"),
    Sector.AGRIFOOD: _l("Agri-food"),
    Sector.BANKING: _l("Banking"),
    Sector.RETAIL: _l("Retail"),
    Sector.INDUSTRY: _l("Industry"),
    Sector.CONSULTING: _l("Consulting"),
    Sector.TECH: _l("Technology"),
    Sector.ECOMMERCE: _l("E-commerce"),
    Sector.LOGISTICS: _l("Logistics"),
    Sector.COLLABORATIVE: _l("Collaborative economy"),
    Sector.FASHION: _l("Fashion"),
    Sector.MEDIA: _l("Media"),
    Sector.HEALTH: _l("Health"),
    Sector.ENERGY: _l("Energy"),
}

JOB_KIND_LABELS: dict[JobKind, LazyString] = {
    JobKind.INTERNSHIP: _l("Internship"),
    JobKind.APPRENTICESHIP: _l("Apprenticeship"),
    JobKind.FIXED_TERM: _l("Fixed-term contract"),
    JobKind.PERMANENT: _l("Permanent contract"),
    JobKind.STUDENT_JOB: _l("Student job"),
}

PERSONA_KIND_LABELS: dict[PersonaKind, LazyString] = {
    PersonaKind.RECRUITER: _l("Recruiter"),
    PersonaKind.MANAGER: _l("Manager"),
    PersonaKind.EMPLOYEE: _l("Employee"),
    PersonaKind.ALUMNI: _l("Alumni"),
}
