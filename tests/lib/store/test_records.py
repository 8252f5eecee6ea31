"""The store's rules, roster, audit log and counters, on both backends."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pytest

from lib.pictures import new_owner_id
from lib.rules import TeacherRules
from lib.store import LimitReached, RulesConflict, Store
from tests.lib.store.workers import take_quota
from tests.store_servers import StoreSpec

SPAWN = multiprocessing.get_context("spawn")


def test_rules_start_as_the_defaults_and_save_with_a_version(store: Store) -> None:
    first = store.rules.read()
    assert first.version == 0 and first.rules == TeacherRules()

    version = store.rules.save(
        first.rules.with_changes(disallow=("castle",), max_images_per_hour=5), expected_version=0
    )

    again = store.rules.read()
    assert version == again.version == 1
    assert again.rules.disallow == ("castle",) and again.rules.max_images_per_hour == 5
    assert store.rules.save(again.rules.with_changes(max_images_per_hour=6), expected_version=1) == 2


def test_two_teachers_saving_at_once_never_silently_overwrite(store: Store) -> None:
    shown = store.rules.read()  # both teachers opened the page at version 0
    store.rules.save(shown.rules.with_changes(disallow=("castle",)), expected_version=shown.version)
    with pytest.raises(RulesConflict, match="Another teacher"):
        store.rules.save(shown.rules.with_changes(disallow=("dragon",)), expected_version=shown.version)
    assert store.rules.read().rules.disallow == ("castle",)


def test_concurrent_saves_against_one_version_let_exactly_one_through(store: Store) -> None:
    base = store.rules.read()

    def save(word: str) -> bool:
        try:
            store.rules.save(base.rules.with_changes(disallow=(word,)), expected_version=base.version)
        except RulesConflict:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(save, [f"word{i}" for i in range(8)]))
    assert outcomes.count(True) == 1
    kept = store.rules.read()
    assert kept.version == 1 and kept.rules.disallow == (f"word{outcomes.index(True)}",)


def test_roster_registers_ids_and_keeps_names(store: Store) -> None:
    ada, alan, stranger = new_owner_id(), new_owner_id(), new_owner_id()
    store.roster.register(ada)
    store.roster.register(ada)  # twice is fine
    assert store.roster.known(ada) and not store.roster.known(stranger)
    assert store.roster.set_name(ada, "  Ada   Lovelace ") == "Ada Lovelace"
    store.roster.set_name(alan, "Alan")  # a name registers the id too
    assert store.roster.names() == {ada: "Ada Lovelace", alan: "Alan"}
    assert store.roster.owners() == [ada, alan]
    store.roster.set_name(alan, "   ")
    assert store.roster.names() == {ada: "Ada Lovelace"} and store.roster.known(alan)
    kept = store.roster.set_name(ada, "Zoë\x00\u202e<b>" + "x" * 100)
    assert kept.startswith("Zoë<b>") and len(kept) == 40 and store.roster.name(ada) == kept


def test_audit_log_keeps_severity_hides_keys_and_tracks_what_was_seen(store: Store, store_spec: StoreSpec) -> None:
    secret = "sk-test-FAKEKEY-0123456789abcdef"
    keyed = Store(store.database_url, store.objects, secrets=(secret,)) if store_spec.kind == "school" else None
    log = (keyed or store).audit
    log.record(owner="o1", stage="prompt screen", category="weapons", prompt="a gun " + secret)
    log.record(owner="o2", stage="prompt screen", category="self-harm", prompt="i want to die", severity="urgent")
    log.record(owner="o3", stage="engine", category="RateLimited", detail="429", severity="error")
    log.record(owner="o4", stage="x", category="y", severity="not a severity")

    latest = store.audit.latest(10)
    assert [row["owner"] for row in latest] == ["o4", "o3", "o2", "o1"]
    assert latest[0]["severity"] == "info" and latest[1]["severity"] == "error"
    if keyed:
        assert secret not in latest[-1]["prompt"] and "[hidden]" in latest[-1]["prompt"]
    assert store.audit.count(severity="urgent", unseen=True) == 1
    [urgent] = store.audit.latest(5, severity="urgent")
    store.audit.mark_seen([urgent["id"]])
    assert store.audit.count(severity="urgent", unseen=True) == 0
    assert store.audit.count(owner="o1") == 1
    if keyed:
        keyed.close()


def test_counters_hold_the_limit_and_say_when_there_is_room_again(store: Store) -> None:
    owner = new_owner_id()
    store.counters.take(owner, "hosted_pictures", 3, 5, 3600)
    store.counters.take(owner, "hosted_pictures", 2, 5, 3600)
    with pytest.raises(LimitReached) as caught:
        store.counters.take(owner, "hosted_pictures", 1, 5, 3600)
    assert caught.value.used == 5 and 1 <= caught.value.minutes <= 60
    assert store.counters.used(owner, "hosted_pictures", 3600) == 5
    assert store.counters.used(owner, "passcode", 3600) == 0  # kinds are apart
    store.counters.reset(owner, "hosted_pictures")
    assert store.counters.used(owner, "hosted_pictures", 3600) == 0


def test_many_threads_never_pass_the_limit(store: Store) -> None:
    owner = new_owner_id()

    def take(_: int) -> bool:
        try:
            store.counters.take(owner, "hosted_pictures", 1, 5, 3600)
        except LimitReached:
            return False
        return True

    with ThreadPoolExecutor(12) as pool:
        granted = list(pool.map(take, range(40)))
    assert granted.count(True) == 5 == store.counters.used(owner, "hosted_pictures", 3600)


def test_processes_sharing_the_store_never_pass_the_limit(store: Store, store_spec: StoreSpec) -> None:
    """Two servers (here: four processes) counting one student's pictures at once."""
    owner = new_owner_id()
    with SPAWN.Pool(4) as pool:
        granted = pool.starmap(take_quota, [(store_spec, owner, 6, 7)] * 4)
    assert sum(granted) == 7 == store.counters.used(owner, "hosted_pictures", 3600)
