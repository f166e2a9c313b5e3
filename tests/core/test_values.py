"""The collector pause used while a unit's calendars are built."""

from __future__ import annotations

import gc

from planner.core.values import collector_paused


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_collector_is_paused_inside_and_back_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer pause decides
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_values_built_while_paused_go_straight_to_the_oldest_generation() -> None:
    with collector_paused():
        built = [Node() for _ in range(100)]
    young = {id(o) for o in gc.get_objects(generation=0)}
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert not any(id(node) in young for node in built)
    assert all(id(node) in oldest for node in built)


def test_a_cycle_made_while_paused_is_still_collected() -> None:
    """Nothing is frozen for good: a garbage cycle made meanwhile is freed by a collection."""
    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        marker = id(a)
        del a, b
    gc.collect()
    assert marker not in {id(o) for o in gc.get_objects()}
