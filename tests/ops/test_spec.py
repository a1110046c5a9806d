"""graphstep.ops.spec: OpSpec, Kind, Param, the INPUT/CONST leaves and the text helpers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from graphstep.ops.spec import ATOM, CONST, INPUT, Kind, Leaf, OpSpec, Param, as_value, power_text
from graphstep.ops.table import OPS


def test_leaves_are_their_public_strings():
    assert INPUT == "input" and CONST == "const"
    assert str(INPUT) == "input" and f"{CONST}" == "const" and repr(INPUT) == "'input'"
    assert hash(INPUT) == hash("input") and {"input": 1}[INPUT] == 1
    assert Leaf("const") is CONST and isinstance(INPUT, str)


def test_kind_and_param():
    assert Kind.ELEMENTWISE.value == "elementwise" and Kind("structural") is Kind.STRUCTURAL
    p = Param(name="axis", positional=True)
    assert (p.keyword, p.positional, p.required, p.default) == (True, True, False, None)
    assert p == Param(name="axis", positional=True) and hash(p) == hash(Param(name="axis", positional=True))
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "shape"
    with pytest.raises(TypeError):
        Param("axis")  # keyword-only


def test_a_user_entry_computes_and_writes():
    spec = OpSpec(name="twice", kind=Kind.ELEMENTWISE, arity=1, names=("twice",),
                  forward=lambda args, params: 2 * args[0],
                  local=(lambda args, out, params: 2.0,), formula=(lambda *_: "2",), text="twice({0})")
    assert spec.elementwise and spec.forward((3.5,), {}) == 7.0
    assert spec.local[0]((3.5,), 7.0, {}) == 2.0
    assert spec.write(["x + y"], [1], None) == "twice(x + y)"  # a call needs no parentheses
    assert spec.precedence == 5 and spec.params == () and not spec.variadic


def test_write_parenthesises_by_precedence_and_appends_params():
    assert OPS["sub"].write(["a", "b - c"], [ATOM, 1], None) == "a - (b - c)"
    assert OPS["sub"].write(["a - b", "c"], [1, ATOM], None) == "a - b - c"
    assert OPS["mul"].write(["a + b", "c"], [1, ATOM], None) == "(a + b)*c"
    assert OPS["sum"].write(["v"], [ATOM], {"axis": 0}) == "sum(v, axis=0)"
    assert OPS["sum"].write(["v"], [ATOM], {}) == "sum(v)"
    assert OPS["stack"].write(["a + b", "c"], [1, ATOM], None) == "[a + b, c]"  # a list: no parentheses


def test_kinds_of_the_table_and_adjoint_rule():
    assert OPS["exp"].elementwise and OPS["exp"].kind is Kind.ELEMENTWISE
    assert not OPS["matmul"].elementwise and OPS["matmul"].kind is Kind.STRUCTURAL
    assert OPS["stack"].adjoint_rule(7) is OPS["stack"].adjoint_rule(0)
    assert OPS["mul"].adjoint_rule(1) is OPS["mul"].adjoint[1]


def test_as_value_and_power_text():
    assert as_value(np.float32(2.5)) == 2.5 and type(as_value(np.float32(2.5))) is float
    assert type(as_value(np.array(3))) is float
    ints = np.array([1, 2])
    assert as_value(ints).dtype == np.float64 and as_value(ints).tolist() == [1.0, 2.0]
    floats = np.array([1.0, 2.0])
    assert as_value(floats) is floats
    assert [power_text("x", 2.0), power_text("u1", 3), power_text("x", -2), power_text("x", 0.5),
            power_text("x", 1), power_text("x", 12), power_text("x", "y")] == [
        "x²", "u1³", "x⁻²", "x^0.5", "x", "x^12", "x^(y)"]
