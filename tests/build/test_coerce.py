"""User data to values (graphstep.build.coerce): bad inputs are named errors."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs


def test_bad_input_values_are_refused():
    with pytest.raises(gs.InputError, match="not a real number"):
        gs.var("x", 1j)
    with pytest.raises(gs.InputError, match="not an array of real numbers"):
        gs.var("x", ["a", "b"])
    with pytest.raises(gs.InputError, match="not a valid identifier"):
        gs.var("2x", 1.0)


def test_huge_values_given_to_var_are_input_errors():
    with pytest.raises(gs.InputError, match=r"10\^400 is too large for a float"):
        gs.var("x", 10**400)
    with pytest.raises(gs.InputError, match="too large for a float"):
        gs.var("v", [1, 10**400])
    assert gs.var("v", [1, 10**20]).value.tolist() == [1.0, 1e20]  # beyond int64 but a float
    with pytest.raises(gs.InputError, match="33 dimensions; graphstep allows at most 32"):
        gs.var("v", np.zeros((1,) * 33))
