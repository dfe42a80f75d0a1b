"""The per-field three-way merge: properties for any base, file and server states."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scdi.connector.sync.merge import after, merge_fields, new_base

COLUMNS = ("a", "b", "c", "d")
VALUES = st.sampled_from(["1", "2", "3", "x y", "Nữ"])
STATE = st.dictionaries(st.sampled_from(COLUMNS), VALUES, max_size=len(COLUMNS))
SIDE = st.sampled_from([None, "roster", "server"])


def _check(base: dict[str, str] | None, file: dict[str, str], server: dict[str, str], prefer: str | None,
           choices: dict[str, str], ignore: frozenset[str]) -> None:
    merge = merge_fields(base, file, server, prefer=prefer, choices=choices, ignore=ignore)  # type: ignore[arg-type]
    file_after, server_after = after(file, merge.to_file), after(server, merge.to_server)
    open_columns = {c.column for c in merge.open_conflicts}
    past = base or {}
    for column in {*past, *file, *server}:
        f, s, b = file.get(column), server.get(column), past.get(column)
        if column in ignore and f is None:
            # a column the file does not hold: nothing moves, the server keeps its value
            assert column not in merge.to_server and column not in merge.to_file
            assert server_after.get(column) == s
            continue
        if column in open_columns:
            # a disagreement nobody resolved: neither side is overwritten
            assert file_after.get(column) == f and server_after.get(column) == s
            continue
        # otherwise the sides agree afterwards, and no change made on one side only is lost
        assert file_after.get(column) == server_after.get(column)
        if f != b and s == b:
            assert server_after.get(column) == f
        if s != b and f == b:
            assert file_after.get(column) == s
        if f != b and s != b and f != s:
            conflict = next(c for c in merge.conflicts if c.column == column)
            winner = choices.get(column) or prefer
            assert conflict.resolved == winner and winner is not None
            assert file_after.get(column) == (f if winner == "roster" else s)
    # every conflict is a real disagreement, recorded with both values
    for conflict in merge.conflicts:
        assert conflict.file != conflict.server
        assert (conflict.file, conflict.server) == (file.get(conflict.column), server.get(conflict.column))
    if prefer is not None:
        assert not merge.open_conflicts
    # the next base holds exactly what both sides now agree on, and the old base elsewhere
    base_next = new_base(base, file_after, server_after)
    for column in {*past, *file_after, *server_after}:
        if file_after.get(column) == server_after.get(column):
            assert base_next.get(column) == file_after.get(column)
        else:
            assert base_next.get(column) == past.get(column)


@given(base=st.none() | STATE, file=STATE, server=STATE, prefer=SIDE,
       choices=st.dictionaries(st.sampled_from(COLUMNS), st.sampled_from(["roster", "server"]), max_size=2),
       ignore=st.frozensets(st.sampled_from(COLUMNS), max_size=2))
@settings(max_examples=400, deadline=None)
def test_no_value_is_lost_and_every_disagreement_is_applied_or_recorded(base, file, server, prefer, choices,  # type: ignore[no-untyped-def]
                                                                       ignore) -> None:
    _check(base, file, server, prefer, choices, ignore)


@pytest.mark.slow
@given(base=st.none() | STATE, file=STATE, server=STATE, prefer=SIDE,
       choices=st.dictionaries(st.sampled_from(COLUMNS), st.sampled_from(["roster", "server"]), max_size=2),
       ignore=st.frozensets(st.sampled_from(COLUMNS), max_size=2))
@settings(max_examples=20_000, deadline=None)
def test_the_merge_properties_hold_for_twenty_thousand_states(base, file, server, prefer, choices,  # type: ignore[no-untyped-def]
                                                             ignore) -> None:
    _check(base, file, server, prefer, choices, ignore)


def test_a_change_on_each_side_of_different_fields_merges_both_ways() -> None:
    merge = merge_fields({"a": "1", "b": "1"}, {"a": "2", "b": "1"}, {"a": "1", "b": "3"})
    assert (merge.to_server, merge.to_file, merge.conflicts) == ({"a": "2"}, {"b": "3"}, ())


def test_a_cleared_cell_is_sent_as_a_deletion_and_a_new_record_has_no_conflict_for_blanks() -> None:
    assert merge_fields({"a": "1"}, {}, {"a": "1"}).to_server == {"a": None}
    fresh = merge_fields(None, {"a": "1"}, {"b": "2"})
    assert (fresh.to_server, fresh.to_file, fresh.conflicts) == ({"a": "1"}, {"b": "2"}, ())
    both = merge_fields(None, {"a": "1"}, {"a": "2"})
    assert [c.column for c in both.open_conflicts] == ["a"]
