"""graphstep.steps.select: the one reader of step numbers (CLI --step, REPL goto, docs :steps:)."""

from __future__ import annotations

import pytest

from graphstep.errors import InputError
from graphstep.steps.select import parse_steps, step_index


@pytest.mark.parametrize(("text", "index"), [
    ("1", 0), ("3", 2), ("first", 0), ("FIRST", 0), ("last", 2), ("End", 2), (" 2 ", 1),
    ("-1", 2), ("-3", 0), ("+2", 1),
])
def test_numbered_from_one(text, index):
    assert step_index(text, 3) == index


@pytest.mark.parametrize(("text", "index"), [("0", 0), ("2", 2), ("-1", 2), ("-3", 0), ("last", 2)])
def test_numbered_from_zero(text, index):
    assert step_index(text, 3, start=0) == index


@pytest.mark.parametrize("text", ["0", "4", "-4", "99"])
def test_out_of_range_from_one(text):
    with pytest.raises(IndexError, match="steps 1 to 3"):
        step_index(text, 3)


@pytest.mark.parametrize("text", ["3", "-4"])
def test_out_of_range_from_zero(text):
    with pytest.raises(IndexError, match="steps 0 to 2"):
        step_index(text, 3, start=0)


@pytest.mark.parametrize("text", ["two", "", "1.5", "last-1"])
def test_not_a_step(text):
    with pytest.raises(ValueError, match="is not a step number"):
        step_index(text, 3)


def test_a_walk_without_steps_has_no_step():
    with pytest.raises(IndexError):
        step_index("last", 0)


def test_parse_steps_lists_and_words():
    assert parse_steps("all", 4) == [0, 1, 2, 3]
    assert parse_steps(None, 4, default="last") == [3]
    assert parse_steps("[2, 0 -1]", 4) == [2, 0, 3]
    assert parse_steps("last, -1, 3", 4) == [3]  # each step once, in the order first named


@pytest.mark.parametrize(("text", "message"), [
    ("7", r"step 7 is out of range: this walk has 3 steps \(0 \.\. 2\)"),
    ("+07", r"step 7 is out of range"),
    ("0, x", r"steps '0, x': expected all, last, first or step numbers, got 'x'"),
    (",", r"steps ',' names no step"),
])
def test_parse_steps_messages(text, message):
    with pytest.raises(InputError, match=message):
        parse_steps(text, 3)


def test_parse_steps_of_an_empty_walk():
    with pytest.raises(InputError, match="no steps to show"):
        parse_steps("all", 0)
