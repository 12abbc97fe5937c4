"""The shape of each seed file. A file that does not fit is refused with the path of the problem."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from sandbox.accounts.services import USERNAME_PATTERN
from sandbox.charter.models import Severity
from sandbox.classes.models import NetworkScope
from sandbox.companies.models import JobKind, Sector
from sandbox.core.validation import NAME_MAX_LENGTH
from sandbox.groups.models import GROUP_DESCRIPTION_MAX_LENGTH, GROUP_NAME_MAX_LENGTH, JoinPolicy
from sandbox.personas.models import PersonaKind

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,119}$")]
Username = Annotated[str, StringConstraints(pattern=USERNAME_PATTERN.pattern)]
Hashtag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{2,60}$")]
Name = Annotated[
    str, StringConstraints(min_length=1, max_length=NAME_MAX_LENGTH, strip_whitespace=True)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
JoinCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{3,19}$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
CheckCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{3,20}$")]


class SeedModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfferSeed(SeedModel):
    slug: Slug
    title: Annotated[str, StringConstraints(min_length=3, max_length=160)]
    kind: JobKind
    city: Name
    start: date | None = None
    duration: Annotated[str, StringConstraints(max_length=60)] = ""
    description: Text


class CompanySeed(SeedModel):
    slug: Slug
    name: Annotated[str, StringConstraints(min_length=2, max_length=120)]
    sector: Sector
    city: Name
    founded: Annotated[int, Field(ge=1800, le=2100)]
    headcount: Annotated[int, Field(ge=1)]
    women_percent: Annotated[int, Field(ge=0, le=100)]
    average_age: Annotated[int, Field(ge=16, le=80)]
    turnover_eur: Annotated[int, Field(ge=0)]
    good_to_know: list[Text] = []
    description: Text
    offers: Annotated[list[OfferSeed], Field(min_length=1, max_length=3)]


class ProfileSeed(SeedModel):
    """Profile fields shared by personas and demo students."""

    headline: Annotated[str, StringConstraints(max_length=160)] = ""
    about: Text = ""
    city: Annotated[str, StringConstraints(max_length=80)] = ""
    skills: list[Annotated[str, StringConstraints(min_length=1, max_length=60)]] = []
    hashtags: list[Hashtag] = []
    posts: list[Annotated[str, StringConstraints(min_length=1, max_length=3000)]] = []


class PersonaSeed(ProfileSeed):
    username: Username
    first_name: Name
    last_name: Name
    company: Slug
    kind: PersonaKind
    job_title: Annotated[str, StringConstraints(min_length=2, max_length=120)]
    contact_email: Email | None = None

    @model_validator(mode="after")
    def recruiters_show_an_email(self) -> PersonaSeed:
        if self.kind is PersonaKind.RECRUITER and not self.contact_email:
            raise ValueError("a recruiter persona needs a contact_email")
        return self


class PersonSeed(SeedModel):
    username: Username
    first_name: Name
    last_name: Name
    password: Annotated[str, StringConstraints(min_length=8)]


class StudentSeed(ProfileSeed, PersonSeed):
    pseudonym: Name | None = None


class SchoolSeed(SeedModel):
    name: Annotated[str, StringConstraints(min_length=2, max_length=160)]
    city: Name


class ClassSeed(SeedModel):
    name: Annotated[str, StringConstraints(min_length=2, max_length=120)]
    join_code: JoinCode
    network_scope: NetworkScope = NetworkScope.CLASS
    allow_pseudonyms: bool = True


class DemoNetworkSeed(SeedModel):
    """Who the demo students already know, so that their news is alive from the first login."""

    connections: list[tuple[Username, Username]] = []  # classmates or personas, both ways
    follows: dict[Username, list[Slug]] = {}  # a student -> the companies they follow


class DemoClassSeed(SeedModel):
    school: SchoolSeed
    admin: PersonSeed
    teacher: PersonSeed
    # "class" is a Python keyword: the file says `class:`, the model says `klass`.
    klass: ClassSeed = Field(alias="class")
    students: Annotated[list[StudentSeed], Field(min_length=1)]
    network: DemoNetworkSeed = DemoNetworkSeed()

    @model_validator(mode="after")
    def network_names_students(self) -> DemoClassSeed:
        students = {student.username for student in self.students}
        for first, second in self.network.connections:
            if first == second or not {first, second} & students:
                raise ValueError(f"connection {first} - {second}: needs a demo student and "
                                 "two different people")
        for username in self.network.follows:
            if username not in students:
                raise ValueError(f"follows: {username} is not a demo student")
        return self


class CharterRuleSeed(SeedModel):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z_]{3,40}$")]
    checks: list[CheckCode] = []
    severity: Severity
    title_fr: Annotated[str, StringConstraints(min_length=3, max_length=160)]
    title_en: Annotated[str, StringConstraints(min_length=3, max_length=160)]
    text_fr: Text
    text_en: Text


class CharterSeed(SeedModel):
    rules: Annotated[list[CharterRuleSeed], Field(min_length=1)]


class NetworkSeed(SeedModel):
    """Companies and personas together, so that cross-references can be checked."""

    companies: list[CompanySeed]
    personas: list[PersonaSeed]

    @model_validator(mode="after")
    def references_hold(self) -> NetworkSeed:
        slugs = [company.slug for company in self.companies]
        _no_duplicates(slugs, "company slug")
        _no_duplicates([o.slug for c in self.companies for o in c.offers], "offer slug")
        _no_duplicates([p.username for p in self.personas], "persona username")
        known = set(slugs)
        for persona in self.personas:
            if persona.company not in known:
                raise ValueError(f"persona {persona.username}: unknown company {persona.company!r}")
        return self


class GroupPostSeed(SeedModel):
    author: Username
    body: Annotated[str, StringConstraints(min_length=1, max_length=3000, strip_whitespace=True)]


class GroupSeed(SeedModel):
    """A group; `class` (a join code) makes it a class group, else it is school-wide."""

    slug: Slug
    name: Annotated[str, StringConstraints(min_length=3, max_length=GROUP_NAME_MAX_LENGTH)]
    description: Annotated[
        str, StringConstraints(min_length=1, max_length=GROUP_DESCRIPTION_MAX_LENGTH,
                               strip_whitespace=True)
    ]
    join_policy: JoinPolicy = JoinPolicy.OPEN
    class_code: JoinCode | None = Field(default=None, alias="class")
    topics: Annotated[list[Hashtag], Field(max_length=10)] = []
    admins: Annotated[list[Username], Field(min_length=1)]
    members: list[Username] = []
    posts: list[GroupPostSeed] = []

    @model_validator(mode="after")
    def people_hold(self) -> GroupSeed:
        _no_duplicates([*self.admins, *self.members], f"member of {self.slug}")
        _no_duplicates(list(self.topics), f"topic of {self.slug}")
        people = {*self.admins, *self.members}
        for post in self.posts:
            if post.author not in people:
                raise ValueError(f"group {self.slug}: {post.author} posts without being a member")
        return self


class GroupsSeed(SeedModel):
    groups: list[GroupSeed]

    @model_validator(mode="after")
    def slugs_are_unique(self) -> GroupsSeed:
        _no_duplicates([group.slug for group in self.groups], "group slug")
        return self


def _no_duplicates(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what}: {value!r}")
        seen.add(value)
