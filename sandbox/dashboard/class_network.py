"""The class's network for the dashboard's graph: its students, the professionals (personas) they
are connected with, and those connections, laid out here so the graph reads the same each time.

Students sit on an inner ring in roster order, professionals on an outer ring grouped by company;
each company's group faces the students connected with it, which keeps the lines short. The
layout is computed in Python (a few dozen nodes), so the page draws it with the chart library it
already loads and the table alternative lists the very same connections.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from sandbox.accounts.models import Role, User
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import Company
from sandbox.extensions import db
from sandbox.network.models import Connection
from sandbox.personas.models import Persona

STUDENT_RING, PERSONA_RING = 1.0, 1.6


@dataclass
class Node:
    id: int
    name: str
    kind: str  # "student" or "persona"
    company: str = ""
    job_title: str = ""
    x: float = 0.0
    y: float = 0.0
    # Filled for students: who they are connected with, for the table alternative.
    classmates: list[Node] = field(default_factory=list)
    professionals: list[Node] = field(default_factory=list)

    @property
    def degree(self) -> int:
        return len(self.classmates) + len(self.professionals)


@dataclass
class ClassNetwork:
    students: list[Node]
    personas: list[Node]
    edges: list[tuple[int, int]]  # user ids; a pair of classmates appears once

    @property
    def isolated(self) -> list[Node]:
        return [student for student in self.students if not student.degree]

    def as_json(self) -> dict[str, Any]:
        nodes = self.students + self.personas
        index = {node.id: position for position, node in enumerate(nodes)}
        return {
            "nodes": [{"id": node.id, "name": node.name, "kind": node.kind,
                       "company": node.company, "job_title": node.job_title,
                       "x": node.x, "y": node.y, "degree": node.degree} for node in nodes],
            "edges": [[index[first], index[second]] for first, second in self.edges],
            "labels": {"student": _("Students"), "persona": _("Professionals")},
        }


def _ring(count: int, radius: float, start: float = -math.pi / 2) -> list[tuple[float, float]]:
    return [(round(radius * math.cos(start + 2 * math.pi * i / count), 4),
             round(radius * math.sin(start + 2 * math.pi * i / count), 4))
            for i in range(count)]


def _mean_angle(points: list[tuple[float, float]]) -> float:
    x, y = sum(p[0] for p in points), sum(p[1] for p in points)
    return math.atan2(y, x) % (2 * math.pi) if (x, y) != (0, 0) else 0.0


def class_network(klass: SchoolClass, viewer: User) -> ClassNetwork:
    """Students of the class and their connections with classmates and with professionals; no one
    from another class appears. Names as `viewer` sees them. Two queries."""
    students = [Node(user.id, user.name_for(viewer), "student") for user in db.session.scalars(
        sa.select(User).where(User.class_id == klass.id, User.role == Role.STUDENT)
        .order_by(User.last_name, User.first_name, User.id))]
    by_id = {node.id: node for node in students}
    contact = aliased(User)
    rows = db.session.execute(
        sa.select(Connection.user_id, contact, Persona.job_title, Company.name)
        .join(contact, contact.id == Connection.contact_id)
        .outerjoin(Persona, Persona.user_id == contact.id)
        .outerjoin(Company, Company.id == Persona.company_id)
        .where(Connection.user_id.in_(list(by_id)),
               sa.or_(contact.role == Role.PERSONA, contact.id.in_(list(by_id))))
        .order_by(Connection.user_id, Company.name, contact.last_name, contact.id)
    ) if by_id else []
    personas: dict[int, Node] = {}
    edges: list[tuple[int, int]] = []
    for student_id, person, job_title, company in rows:
        student = by_id[student_id]
        if person.id in by_id:
            student.classmates.append(by_id[person.id])
            if student_id < person.id:
                edges.append((student_id, person.id))
            continue
        node = personas.get(person.id)
        if node is None:
            node = personas[person.id] = Node(person.id, person.name_for(viewer), "persona",
                                              company or "", job_title or "")
        student.professionals.append(node)
        edges.append((student_id, person.id))
    network = ClassNetwork(students, list(personas.values()), edges)
    _lay_out(network)
    return network


def _lay_out(network: ClassNetwork) -> None:
    """Students evenly on the inner ring; professionals on the outer ring, companies ordered by
    where their students sit, so a company's group faces the students who know it."""
    for node, (x, y) in zip(network.students, _ring(len(network.students), STUDENT_RING),
                            strict=True):
        node.x, node.y = x, y
    if not network.personas:
        return
    seen_by: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for student in network.students:
        for persona in student.professionals:
            seen_by[persona.id].append((student.x, student.y))
    angle = {node.id: _mean_angle(seen_by[node.id]) for node in network.personas}
    companies: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for node in network.personas:
        companies[node.company].extend(seen_by[node.id])
    company_angle = {name: _mean_angle(points) for name, points in companies.items()}
    ordered = sorted(network.personas, key=lambda node: (
        company_angle[node.company], node.company, angle[node.id], node.name, node.id))
    # Turn the ring so that, on the whole, each professional faces their students.
    step = 2 * math.pi / len(ordered)
    turn = [angle[node.id] - step * index for index, node in enumerate(ordered)]
    start = math.atan2(sum(map(math.sin, turn)), sum(map(math.cos, turn)))
    for node, (x, y) in zip(ordered, _ring(len(ordered), PERSONA_RING, start), strict=True):
        node.x, node.y = x, y
    network.personas = ordered
