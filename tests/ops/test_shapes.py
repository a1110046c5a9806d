"""graphstep.ops.shapes: each structural op's shape rule and the ShapeError naming the shapes."""

from __future__ import annotations

import numpy as np
import pytest

from graphstep.errors import ShapeError
from graphstep.ops.shapes import (
    broadcast_shape,
    matmul_shape,
    reduce_shape,
    reduced_axes,
    reshape_shape,
    softmax_shape,
    stack_shape,
    transpose_shape,
)


@pytest.mark.parametrize("a, b", [((2, 3), (3, 4)), ((2, 3), (3,)), ((3,), (3, 2)), ((3,), (3,))])
def test_matmul_shape_is_numpys(a, b):
    assert matmul_shape((a, b), {}, ("A", "B")) == np.matmul(np.ones(a), np.ones(b)).shape


def test_matmul_shape_errors_name_both_sides():
    with pytest.raises(ShapeError) as caught:
        matmul_shape(((2, 3), (2,)), {}, ("A", "x"))
    assert str(caught.value) == "matmul: A (2x3) @ x (2,): inner dimensions 3 and 2 differ"
    with pytest.raises(ShapeError) as caught:
        matmul_shape(((), (3,)), {}, ("s", "v"))
    assert str(caught.value) == ("matmul: s (scalar) @ v (3,): both sides must be vectors or matrices; "
                                 "use * for scalars")


def test_reductions_match_numpy_and_name_bad_axes():
    x = np.ones((2, 3, 4))
    for axis in [None, 0, 1, -1, (0, 2)]:
        assert reduce_shape("sum")(((2, 3, 4),), {"axis": axis}, ("X",)) == np.sum(x, axis=axis).shape
        assert reduce_shape("mean")(((2, 3, 4),), {"axis": axis}, ("X",)) == np.mean(x, axis=axis).shape
    assert reduced_axes((2, 3), None) == (0, 1) and reduced_axes((2, 3), -1) == (1,)
    with pytest.raises(ShapeError, match=r"^sum: X has shape 2x3: axis 2 is out of range$"):
        reduce_shape("sum")(((2, 3),), {"axis": 2}, ("X",))
    with pytest.raises(ShapeError,
                       match=r"^max: X has shape 0x3: the max of no numbers along axis 0 is not defined$"):
        reduce_shape("max")(((0, 3),), {"axis": 0}, ("X",))


def test_reshape_and_stack():
    assert reshape_shape(((2, 3),), {"shape": (3, -1)}, ("X",)) == (3, 2)
    assert reshape_shape(((2, 3),), {"shape": (6,)}, ("X",)) == (6,)
    with pytest.raises(ShapeError,
                       match=r"^reshape: X \(2x3\) holds 6 numbers and cannot be read as shape \(4, -1\)"):
        reshape_shape(((2, 3),), {"shape": (4, -1)}, ("X",))
    assert stack_shape(((2,), (2,), (2,)), {}, ("a", "b", "c")) == (3, 2)
    assert stack_shape(((), ()), {}, ("a", "b")) == (2,)
    with pytest.raises(ShapeError, match=r"^stack: a \(3,\) and b \(2,\) must have the same shape$"):
        stack_shape(((3,), (2,)), {}, ("a", "b"))


def test_softmax_transpose_broadcast():
    assert softmax_shape(((2, 3),), {}, ("X",)) == (2, 3) and softmax_shape(((4,),), {}, ("v",)) == (4,)
    with pytest.raises(ShapeError, match=r"^softmax: x is a scalar; softmax needs a vector or matrix$"):
        softmax_shape(((),), {}, ("x",))
    assert transpose_shape(((2, 3),), {}, ("X",)) == (3, 2) and transpose_shape(((4,),), {}, ("v",)) == (4,)
    assert broadcast_shape(((3,),), {"shape": (2, 3)}, ("v",)) == (2, 3)
