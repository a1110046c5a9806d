"""Values and derivatives out of their domain (graphstep.domain): warnings and strict errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from support import quiet_grad

import graphstep as gs
from graphstep.cli import main

# --- domain problems -------------------------------------------------------------------


def test_domain_problems_warn_with_the_node_or_raise_when_strict():
    with pytest.warns(gs.DomainWarning, match=r"ln\(x - 1\) \(u2\) is nan for u1 = -0.5"):
        g = gs.parse("ln(x - 1)", x=0.5)
    assert math.isnan(g.value)
    with pytest.raises(gs.DomainError, match=r"sqrt\(x\)"):
        gs.parse("sqrt(x)", x=-1.0, strict=True)
    with pytest.raises(gs.DomainError, match=r"1/x \(u1\) is inf for 1 = 1, x = 0"):
        gs.parse("1/x", x=0.0, strict=True)
    x = gs.var("x", -2.0)
    with pytest.raises(gs.DomainError):
        gs.graph(gs.log(x), strict=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gs.parse("ln(x)", x=2.0)  # no warning inside the domain




# --- derivatives out of their domain --------------------------------------------------------
@pytest.mark.parametrize("text", ["sqrt(x)", "x^0.5"])
def test_an_infinite_derivative_warns_naming_node_and_edge_or_raises_when_strict(text):
    g = gs.parse(text, x=0.0)
    with pytest.warns(gs.DomainWarning, match=r"\(u1\) with respect to x on edge x → u1 is inf"):
        assert gs.grad(g) == {"x": np.inf}  # d sqrt(x)/dx = 1/(2 sqrt(x)) -> inf at 0
    with pytest.warns(gs.DomainWarning, match="edge x → u1"):
        gs.forward_derivative(g, "x")
    strict = gs.parse(text, x=0.0, strict=True)
    with pytest.raises(gs.DomainError, match=r"edge x → u1 is inf for x = 0"):
        gs.grad(strict)
    with pytest.raises(gs.DomainError):
        gs.jacobian(strict, "x")


def test_a_finite_gradient_through_a_nan_value_warns_too():
    with pytest.warns(gs.DomainWarning):
        g = gs.parse("log(x)", x=-1.0)
    with pytest.warns(gs.DomainWarning, match=r"log\(x\) \(u1\) is nan for x = -1.*derivative on x → u1"):
        assert gs.grad(g) == {"x": -1.0}


def test_tensor_derivative_warning_and_quiet_numpy():
    g = gs.parse("sum(sqrt(v))", v=[0.0, 4.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gradient = gs.grad(g, "v")
    assert gradient[0] == np.inf and gradient[1] == 0.25
    assert [type(w.message) for w in caught] == [gs.DomainWarning]
    assert "on edge v → u1 is inf" in str(caught[0].message)


def test_an_overflowing_literal_warns_and_strict_raises(capsys):
    with pytest.warns(gs.DomainWarning, match=r"the constant 1e999 is inf"):
        gs.parse("x*1e999", x=1.0)
    with pytest.raises(gs.DomainError, match="1e999"):
        gs.parse("x*1e999", x=1.0, strict=True)
    assert main(["grad", "x*1e999", "--at", "x=1", "--strict"]) == 2
    assert "1e999" in capsys.readouterr().err


def test_no_numpy_runtime_warning_leaks_only_domain_warnings():
    cases = [("exp(x)*0", dict(x=1000.0)), ("x*1e308*10", dict(x=1.0)), ("mean(v)", dict(v=np.zeros(0))),
             ("sum(exp(v))", dict(v=np.array([1000.0, 1.0]))), ("sum(sqrt(v)*2)", dict(v=np.zeros(3))),
             ("x^y", dict(x=0.0, y=-1.0))]
    for text, values in cases:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            g = gs.parse(text, **values)
            gs.grad(g)
            gs.gradcheck(g)
            for name in g.inputs:
                gs.path_sum(g, name)
                gs.forward_grad(g, name)
        assert caught and {type(w.message) for w in caught} == {gs.DomainWarning}, text


def test_ordinary_points_stay_silent():
    for text in ("x^2 + x^0", "(x - 3)^2", "max(x, y)", "log(x)*sqrt(x)"):
        g = gs.parse(text, **{n: 2.0 for n in ("x", "y") if n in text})
        quiet_grad(g)
    quiet_grad(gs.parse("x^2", x=-1.0))  # d/d(exponent) is nan there, but the exponent is a constant
