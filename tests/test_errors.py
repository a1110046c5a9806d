"""graphstep.errors: the exception hierarchy and the messages users see."""

from __future__ import annotations

import errno
import warnings

import numpy as np
import pytest

import graphstep as gs
from graphstep import errors


def test_every_error_is_a_graphstep_error_and_the_warning_is_not():
    for name in errors.__all__:
        cls = getattr(errors, name)
        if name == "DomainWarning":
            assert issubclass(cls, UserWarning) and not issubclass(cls, errors.GraphstepError)
        else:
            assert issubclass(cls, errors.GraphstepError), name
    assert gs.ShapeError is errors.ShapeError and gs.ParseError is errors.ParseError


def test_shape_error_names_both_operands_and_their_shapes():
    with pytest.raises(errors.ShapeError) as caught:
        gs.parse("A @ B", A=np.ones((2, 3)), B=np.ones((2, 3)))
    assert str(caught.value) == "matmul: A (2x3) @ B (2x3): inner dimensions 3 and 2 differ (at column 1)"


def test_input_error_lists_the_inputs():
    with pytest.raises(errors.InputError, match=r"^no input named 'z'; the inputs are: x, y$"):
        gs.parse("x + y", x=1.0, y=2.0).input_node("z")


def test_strict_domain_error_and_the_default_domain_warning():
    with pytest.raises(errors.DomainError, match=r"^log\(x\) \(u1\) is nan for x = -1: log is not defined"):
        gs.parse("log(x)", x=-1.0, strict=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = gs.parse("log(x)", x=-1.0)
    assert any(w.category is errors.DomainWarning for w in caught)
    assert np.isnan(g.value)


def test_path_limit_error_gives_the_exact_count():
    with pytest.raises(errors.PathLimitError,
                       match=r"^x\*x\*x\*x has 4 paths back to x, more than the limit of 2"):
        gs.paths(gs.parse("x*x*x*x", x=1.0), "x", limit=2)


def test_write_error_is_an_oserror_with_its_fields():
    error = errors.WriteError(errno.ENOSPC, "No space left on device", "keep.png")
    assert isinstance(error, OSError) and isinstance(error, errors.GraphstepError)
    assert (error.errno, error.filename) == (errno.ENOSPC, "keep.png")
    assert error.strerror == "No space left on device"
    assert str(error) == "cannot write keep.png: No space left on device"
