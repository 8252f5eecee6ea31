"""The class's work: assignments, the pictures students hand in, and the teacher's comments.

Two kinds of call, and the names say which:

- a student's calls (:meth:`Classwork.hand_in`, :meth:`Classwork.withdraw`,
  :meth:`Classwork.my_handins`) always take the student's ``owner`` and read or change only that
  owner's rows, so no student can reach another's hand-ins or comments;
- the teacher's calls (``class_*``, :meth:`Classwork.comment`, the assignment editors, flags)
  read across the class; the UI offers them only behind the teacher's unlock.

Assignments themselves are not private: every student sees the open ones.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from lib.errors import BadInput
from lib.pictures import check_id
from lib.store.db import writing_first
from lib.store.guard import Guard
from lib.store.schema import assignments, audit, comments, counter_events, flags, handins, images

MAX_TITLE = 120
MAX_SENTENCE = 500
MAX_COMMENT = 1000
MAX_INSTRUCTIONS = 4000
#: The most pictures one student may hand in to one assignment, whatever the teacher types.
MAX_HANDINS_LIMIT = 20

CLOSED = (
    "This assignment is closed, so it does not take new pictures any more. "
    "Ask your teacher if you still want to hand one in."
)
PAST_DUE = "The due date has passed, so this picture can no longer be taken back. It stays with your teacher."


def _clean(text: str, limit: int, *, lines: bool = False) -> str:
    """Printable characters only (new lines kept where ``lines``), trimmed, at most ``limit`` long."""
    kept = "".join(ch for ch in text if (lines and ch == "\n") or unicodedata.category(ch)[0] != "C")
    if lines:
        return "\n".join(" ".join(line.split()) for line in kept.strip().splitlines())[:limit]
    return " ".join(kept.split())[:limit]


@dataclass(frozen=True, kw_only=True)
class Assignment:
    """What the teacher asks for."""

    id: int
    title: str
    instructions: str
    #: Unix time; ``None`` for no due date.
    due: float | None
    max_handins: int
    is_open: bool
    created: float

    def past_due(self, now: float) -> bool:
        return self.due is not None and now > self.due


@dataclass(frozen=True, kw_only=True)
class Comment:
    """One comment of the teacher's on a hand-in."""

    id: int
    text: str
    done: bool
    created: float


@dataclass(frozen=True, kw_only=True)
class HandIn:
    """A picture handed in, with the teacher's comments oldest first."""

    id: int
    assignment_id: int
    owner: str
    image_id: str
    title: str
    sentence: str
    created: float
    withdrawn: float | None
    comments: tuple[Comment, ...] = ()

    @property
    def done(self) -> bool:
        """The teacher marked it done (the newest comment says so)."""
        return bool(self.comments) and self.comments[-1].done

    @property
    def comment(self) -> str:
        """The teacher's newest comment with words in it, or ``""``."""
        return next((c.text for c in reversed(self.comments) if c.text), "")


@dataclass(frozen=True, kw_only=True)
class StudentUse:
    """One student's numbers for the teacher's overview."""

    owner: str
    pictures_today: int = 0
    pictures_week: int = 0
    refusals: int = 0
    hosted_last_hour: int = 0
    engine_errors: int = 0


def _assignment(row: Any) -> Assignment:
    m = row._mapping
    due = m["due"]
    return Assignment(
        id=int(m["id"]), title=m["title"], instructions=m["instructions"], due=float(due) if due is not None else None,
        max_handins=int(m["max_handins"]), is_open=bool(m["is_open"]), created=float(m["created"]),
    )  # fmt: skip


def _handin(row: Any, notes: tuple[Comment, ...]) -> HandIn:
    m = row._mapping
    return HandIn(
        id=int(m["id"]), assignment_id=int(m["assignment_id"]), owner=m["owner"], image_id=m["image_id"],
        title=m["title"], sentence=m["sentence"], created=float(m["created"]),
        withdrawn=float(m["withdrawn"]) if m["withdrawn"] is not None else None, comments=notes,
    )  # fmt: skip


class Classwork:
    """Assignments, hand-ins, comments and flagged pictures, in the store's database."""

    def __init__(self, engine: sa.Engine, guard: Guard, clock: Callable[[], float] = time.time) -> None:
        self._db, self._guard, self._clock = engine, guard, clock
        self._write = writing_first(engine)  # writers take SQLite's lock up front
        # For the transactions that read, then write (a hand-in against its limit, a withdrawal).

    # -- assignments (anyone reads; the teacher writes) ------------------------------------------
    def assignments(self, *, open_only: bool = False) -> list[Assignment]:
        """Every assignment, oldest first (the monuments task first); only the open ones if asked."""
        query = sa.select(assignments).order_by(assignments.c.created, assignments.c.id)
        if open_only:
            query = query.where(assignments.c.is_open == sa.true())

        def run() -> list[Assignment]:
            with self._db.connect() as db:
                return [_assignment(row) for row in db.execute(query)]

        result: list[Assignment] = self._guard(run)
        return result

    def assignment(self, assignment_id: int) -> Assignment:
        """One assignment; BadInput when there is none."""

        def run() -> Any:
            with self._db.connect() as db:
                return db.execute(sa.select(assignments).where(assignments.c.id == int(assignment_id))).first()

        row = self._guard(run)
        if row is None:
            raise BadInput("That assignment does not exist any more.")
        return _assignment(row)

    def _fields(self, title: str, instructions: str, due: float | None, max_handins: int) -> dict[str, Any]:
        kept = _clean(title, MAX_TITLE)
        if not kept:
            raise BadInput("Please give the assignment a title.")
        try:
            most = int(max_handins)
        except (TypeError, ValueError) as error:
            raise BadInput("How many pictures each student may hand in must be a whole number.") from error
        if not 1 <= most <= MAX_HANDINS_LIMIT:
            raise BadInput(f"Each student may hand in between 1 and {MAX_HANDINS_LIMIT} pictures.")
        return {
            "title": kept, "instructions": _clean(instructions, MAX_INSTRUCTIONS, lines=True),
            "due": float(due) if due is not None else None, "max_handins": most,
        }  # fmt: skip

    def create_assignment(
        self, *, title: str, instructions: str = "", due: float | None = None, max_handins: int = 1
    ) -> Assignment:
        """A new open assignment."""
        row = {**self._fields(title, instructions, due, max_handins), "is_open": True, "created": self._clock()}

        def run() -> int:
            with self._write.begin() as db:
                return int(db.execute(assignments.insert().values(**row)).inserted_primary_key[0])  # type: ignore[index]

        return self.assignment(self._guard(run))

    def update_assignment(
        self, assignment_id: int, *, title: str, instructions: str, due: float | None, max_handins: int
    ) -> Assignment:
        """Change an assignment's words, due date or limit (hand-ins already made stay)."""
        values = self._fields(title, instructions, due, max_handins)
        self._update(assignment_id, values)
        return self.assignment(assignment_id)

    def set_open(self, assignment_id: int, is_open: bool) -> Assignment:
        """Open or close an assignment; a closed one refuses hand-ins."""
        self._update(assignment_id, {"is_open": bool(is_open)})
        return self.assignment(assignment_id)

    def _update(self, assignment_id: int, values: dict[str, Any]) -> None:
        def run() -> int:
            with self._write.begin() as db:
                query = assignments.update().where(assignments.c.id == int(assignment_id)).values(**values)
                return int(db.execute(query).rowcount)

        if not self._guard(run):
            raise BadInput("That assignment does not exist any more.")

    # -- a student's calls: always one owner -----------------------------------------------------
    def hand_in(self, owner: str, assignment_id: int, image_id: str, *, title: str, sentence: str) -> HandIn:
        """Hand in one of ``owner``'s pictures; BadInput with a clear reason when it cannot be."""
        check_id(owner, "browser id")
        check_id(image_id, "image id")
        kept_title, kept_sentence = _clean(title, MAX_TITLE), _clean(sentence, MAX_SENTENCE)
        if not kept_title:
            raise BadInput("Please give your picture a title before you hand it in.")
        if not kept_sentence:
            raise BadInput("Please write one sentence about your picture before you hand it in.")

        def run() -> int:
            with self._write.begin() as db:
                # Locks the assignment's row until commit (SQLite: the write lock from the first
                # statement), so one student's two quick clicks, or two replicas, cannot both pass
                # the limit below.
                found = db.execute(
                    sa.select(assignments).where(assignments.c.id == int(assignment_id)).with_for_update()
                ).first()
                if found is None:
                    raise BadInput("That assignment does not exist any more.")
                task = _assignment(found)
                if not task.is_open:
                    raise BadInput(CLOSED)
                picture = db.execute(
                    sa.select(images.c.hidden).where(images.c.owner == owner, images.c.id == image_id)
                ).first()
                if picture is None:
                    raise BadInput("That picture is not in your gallery (it may have been deleted).")
                if picture.hidden:
                    raise BadInput("Your teacher hid this picture, so it cannot be handed in.")
                mine = db.execute(
                    sa.select(handins.c.image_id).where(
                        handins.c.assignment_id == task.id, handins.c.owner == owner, handins.c.withdrawn.is_(None)
                    )
                ).all()
                if any(row.image_id == image_id for row in mine):
                    raise BadInput("You have already handed in this picture for this assignment.")
                if len(mine) >= task.max_handins:
                    most = f"{task.max_handins} picture{'s' if task.max_handins != 1 else ''}"
                    raise BadInput(
                        f"This assignment takes {most} from each student, and you have handed in {len(mine)}. "
                        "Take one back first if you want to hand in another."
                    )
                row = {
                    "assignment_id": task.id, "owner": owner, "image_id": image_id, "title": kept_title,
                    "sentence": kept_sentence, "created": self._clock(), "withdrawn": None,
                }  # fmt: skip
                return int(db.execute(handins.insert().values(**row)).inserted_primary_key[0])  # type: ignore[index]

        new_id = self._guard(run)
        return next(h for h in self.my_handins(owner) if h.id == new_id)

    def withdraw(self, owner: str, handin_id: int) -> None:
        """Take back one of ``owner``'s hand-ins, while the assignment is open and not past due."""
        check_id(owner, "browser id")

        def run() -> None:
            with self._write.begin() as db:
                found = db.execute(
                    sa.select(handins.c.id, assignments.c.due, assignments.c.is_open)
                    .join(assignments, assignments.c.id == handins.c.assignment_id)
                    .where(handins.c.id == int(handin_id), handins.c.owner == owner, handins.c.withdrawn.is_(None))
                ).first()
                if found is None:
                    raise BadInput("That hand-in is not yours, or it was already taken back.")
                now = self._clock()
                if found.due is not None and now > float(found.due):
                    raise BadInput(PAST_DUE)
                if not found.is_open:
                    raise BadInput("This assignment is closed, so its pictures can no longer be taken back.")
                db.execute(handins.update().where(handins.c.id == found.id).values(withdrawn=now))

        self._guard(run)

    def my_handins(self, owner: str, *, assignment_id: int | None = None) -> list[HandIn]:
        """``owner``'s hand-ins (not taken back), newest first, with the teacher's comments."""
        clauses = [handins.c.owner == check_id(owner, "browser id"), handins.c.withdrawn.is_(None)]
        if assignment_id is not None:
            clauses.append(handins.c.assignment_id == int(assignment_id))
        return self._handins(clauses)

    # -- the teacher's calls: across the class ---------------------------------------------------
    def class_handins(self, assignment_id: int) -> list[HandIn]:
        """Every hand-in of the class for one assignment (not taken back), newest first."""
        return self._handins([handins.c.assignment_id == int(assignment_id), handins.c.withdrawn.is_(None)])

    def class_handin(self, handin_id: int) -> HandIn:
        """One hand-in of any student; BadInput when it is not there (or was taken back)."""
        found = self._handins([handins.c.id == int(handin_id), handins.c.withdrawn.is_(None)])
        if not found:
            raise BadInput("That hand-in is not there any more: the student may have taken it back.")
        return found[0]

    def class_handed_in_images(self, assignment_id: int) -> tuple[str, ...]:
        """The ids of the pictures handed in to an assignment (for the class view's filter)."""
        query = sa.select(handins.c.image_id).where(
            handins.c.assignment_id == int(assignment_id), handins.c.withdrawn.is_(None)
        )

        def run() -> tuple[str, ...]:
            with self._db.connect() as db:
                return tuple(db.scalars(query))

        result: tuple[str, ...] = self._guard(run)
        return result

    def comment(self, handin_id: int, text: str, *, done: bool) -> Comment:
        """The teacher's comment on a hand-in, and whether it is done."""
        kept = _clean(text, MAX_COMMENT, lines=True)
        self.class_handin(handin_id)  # it must still be there
        created = self._clock()
        row = {"handin_id": int(handin_id), "text": kept, "done": bool(done), "created": created}

        def run() -> int:
            with self._write.begin() as db:
                return int(db.execute(comments.insert().values(**row)).inserted_primary_key[0])  # type: ignore[index]

        return Comment(id=self._guard(run), text=kept, done=bool(done), created=created)

    def _handins(self, clauses: list[sa.ColumnElement[bool]]) -> list[HandIn]:
        def run() -> list[HandIn]:
            with self._db.connect() as db:
                rows = db.execute(
                    sa.select(handins).where(*clauses).order_by(handins.c.created.desc(), handins.c.id.desc())
                ).all()
                notes: dict[int, list[Comment]] = {}
                ids = [int(r.id) for r in rows]
                for start in range(0, len(ids), 500):
                    found = db.execute(
                        sa.select(comments)
                        .where(comments.c.handin_id.in_(ids[start : start + 500]))
                        .order_by(comments.c.created, comments.c.id)
                    )
                    for c in found:
                        notes.setdefault(int(c.handin_id), []).append(
                            Comment(id=int(c.id), text=c.text, done=bool(c.done), created=float(c.created))
                        )
            return [_handin(r, tuple(notes.get(int(r.id), ()))) for r in rows]

        result: list[HandIn] = self._guard(run)
        return result

    # -- flags -----------------------------------------------------------------------------------
    def flag(self, image_id: str, reason: str) -> None:
        """Mark a picture for the teacher's attention (again: the reason is updated)."""
        check_id(image_id, "image id")
        kept = _clean(reason, 200) or "flagged"

        def run() -> None:
            with self._write.begin() as db:
                if not db.execute(flags.update().where(flags.c.image_id == image_id).values(reason=kept)).rowcount:
                    db.execute(flags.insert().values(image_id=image_id, reason=kept, created=self._clock()))

        try:
            self._guard(run)
        except sa.exc.IntegrityError:
            pass  # flagged by another request at the same moment

    def unflag(self, image_id: str) -> None:
        """The teacher looked at it: no longer flagged."""

        def run() -> None:
            with self._write.begin() as db:
                db.execute(flags.delete().where(flags.c.image_id == image_id))

        self._guard(run)

    def flagged(self, image_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Flagged picture id -> reason (all of them, or among ``image_ids``)."""
        query = sa.select(flags.c.image_id, flags.c.reason)
        chosen = None if image_ids is None else list(image_ids)
        if chosen is not None:
            query = query.where(flags.c.image_id.in_(chosen))

        def run() -> dict[str, str]:
            with self._db.connect() as db:
                return {row.image_id: row.reason for row in db.execute(query)}

        if chosen == []:
            return {}
        result: dict[str, str] = self._guard(run)
        return result

    # -- the teacher's overview ------------------------------------------------------------------
    def class_use(self, *, day_start: float, week_start: float) -> dict[str, StudentUse]:
        """Per student: pictures since ``day_start`` and ``week_start``, refusals and engine errors
        this week, and hosted pictures counted in the last hour (four grouped queries)."""
        now = self._clock()
        today = sa.func.sum(sa.case((images.c.created >= day_start, 1), else_=0))
        refused = sa.func.sum(sa.case((audit.c.stage == "engine", 0), else_=1))
        failed = sa.func.sum(sa.case((audit.c.stage == "engine", 1), else_=0))

        def run() -> dict[str, StudentUse]:
            found: dict[str, dict[str, int]] = {}
            with self._db.connect() as db:
                for row in db.execute(
                    sa.select(images.c.owner, today, sa.func.count())
                    .where(images.c.created >= min(day_start, week_start))
                    .group_by(images.c.owner)
                ):
                    found.setdefault(row[0], {}).update(pictures_today=int(row[1] or 0), pictures_week=int(row[2]))
                for row in db.execute(
                    sa.select(audit.c.owner, refused, failed)
                    .where(audit.c.created >= week_start, audit.c.stage != "teacher access")
                    .group_by(audit.c.owner)
                ):
                    found.setdefault(row[0], {}).update(refusals=int(row[1] or 0), engine_errors=int(row[2] or 0))
                for row in db.execute(
                    sa.select(counter_events.c.owner, sa.func.sum(counter_events.c.n))
                    .where(counter_events.c.kind == "hosted_pictures", counter_events.c.created > now - 3600)
                    .group_by(counter_events.c.owner)
                ):
                    found.setdefault(row[0], {}).update(hosted_last_hour=int(row[1] or 0))
            return {owner: StudentUse(owner=owner, **numbers) for owner, numbers in found.items()}

        result: dict[str, StudentUse] = self._guard(run)
        return result

    def class_owners(self) -> list[str]:
        """Every student with at least one picture (the class as the teacher knows it)."""

        def run() -> list[str]:
            with self._db.connect() as db:
                return sorted(db.scalars(sa.select(images.c.owner).distinct()))

        result: list[str] = self._guard(run)
        return result

    def class_choices(self) -> tuple[list[str], list[str]]:
        """The pages and the engines the class's pictures came from (for the class view's filters)."""

        def run() -> tuple[list[str], list[str]]:
            with self._db.connect() as db:
                pages = sorted(db.scalars(sa.select(images.c.page).distinct()))
                engines = sorted(db.scalars(sa.select(images.c.engine).distinct()))
            return pages, engines

        result: tuple[list[str], list[str]] = self._guard(run)
        return result
