"""The cycle collector pause of bulk steps, and the per-sheet memo of parsed cells."""

import gc
import threading

from wmo_kaart.core.bulk import cycle_collector_paused
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.importer.convert import read_rows
from wmo_kaart.core.importer.read import read_workbook


def test_the_collector_runs_again_after_a_bulk_step_also_after_an_error():
    assert gc.isenabled()
    try:
        with cycle_collector_paused():
            assert not gc.isenabled()
            raise ValueError("stop")
    except ValueError:
        pass
    assert gc.isenabled()


def test_concurrent_steps_resume_the_collector_only_when_the_last_ends():
    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def first():
        with cycle_collector_paused():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())  # the other step ended; this one still runs

    t = threading.Thread(target=first)
    t.start()
    first_in.wait(5)
    with cycle_collector_paused():
        pass
    second_done.set()
    t.join(5)
    assert seen == [False] and gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with cycle_collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_rows_with_the_same_cell_do_not_share_their_parsed_lists():
    raw = ("Locatiecode;Aanbieder;Naam;Postcode;Huisnummer;Plaats;Gemeente;Zorgvorm;Einddatum\n"
           "L1;Zorg BV;Een;5341 AB;1;Oss;Oss;Dagbesteding, Begeleiding;31-12-2027\n"
           "L2;Zorg BV;Twee;5341 AB;3;Oss;Oss;Dagbesteding, Begeleiding;31-12-2027\n").encode()
    rows, report = read_rows(read_workbook(raw), default_catalog(), today="2026-11-28")
    assert not report.errors
    first, second = rows
    assert first.values["care_types"] == second.values["care_types"] == ["07", "02"]
    assert first.values["contract_end"] == second.values["contract_end"] == "2027-12-31"
    first.values["care_types"].append("05")
    assert second.values["care_types"] == ["07", "02"]


def test_after_a_bulk_step_its_objects_are_old_and_still_collectable():
    """The objects of a bulk step go to the oldest generation (no young collection walks them), and a
    cycle among them is still collected by a full collection."""
    import weakref

    class Node:
        pass

    gc.collect()
    with cycle_collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector can free it
        probe = weakref.ref(a)
        rows = [{"n": i, "l": [i]} for i in range(5000)]
    assert gc.get_count()[0] < 700  # no young collection is due for them
    assert gc.is_tracked(rows[0]) and gc.get_freeze_count() == 0
    del a, b, rows
    gc.collect()
    assert probe() is None


def test_a_frozen_heap_stays_frozen_after_a_bulk_step():
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with cycle_collector_paused():
            rows = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen and len(rows) == 1000
    finally:
        gc.unfreeze()
