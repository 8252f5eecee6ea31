"""School accounts: each signed-in account (OpenID Connect issuer and subject) always gets the same
gallery id, on any device, and its real name goes into the roster."""

from __future__ import annotations

import time

import sqlalchemy as sa

from lib.pictures import new_owner_id
from lib.store.db import writing_first
from lib.store.guard import Guard
from lib.store.records import Roster
from lib.store.schema import accounts


class Accounts:
    """The account -> gallery id table."""

    def __init__(self, engine: sa.Engine, guard: Guard, roster: Roster) -> None:
        self._db, self._guard, self._roster = engine, guard, roster
        self._write = writing_first(engine)  # writers take SQLite's lock up front

    def owner_for(self, *, issuer: str, subject: str, email: str = "", name: str = "") -> str:
        """The gallery id of this account (made, and put in the roster with its name, the first time)."""

        def find(db: sa.Connection) -> str | None:
            query = sa.select(accounts.c.owner).where(accounts.c.issuer == issuer, accounts.c.subject == subject)
            return db.execute(query).scalar()

        def run() -> str:
            with self._db.connect() as db:
                found = find(db)
            if found:
                return str(found)
            owner = new_owner_id()
            try:
                with self._write.begin() as db:
                    db.execute(accounts.insert().values(
                        owner=owner, issuer=issuer[:300], subject=subject[:300], email=email[:320].lower(),
                        created=time.time(),
                    ))  # fmt: skip
            except sa.exc.IntegrityError:  # the same account signed in twice at once
                with self._db.connect() as db:
                    return str(find(db))
            return owner

        owner: str = self._guard(run)
        if name and not self._roster.name(owner):
            self._roster.set_name(owner, name)
        else:
            self._roster.register(owner)
        return owner

    def is_account(self, owner: str) -> bool:
        """Whether ``owner`` belongs to a school account (then only that account may open it)."""

        def run() -> bool:
            with self._db.connect() as db:
                return db.execute(sa.select(accounts.c.owner).where(accounts.c.owner == owner)).first() is not None

        result: bool = self._guard(run)
        return result
