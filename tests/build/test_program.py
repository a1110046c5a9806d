"""Programs: named steps in gs.parse, their labels, their rules (graphstep/build/program.py)."""

from __future__ import annotations

import numpy as np
import pytest
from support import assert_close

import graphstep as gs

NEURON = "z = w*x + b\na = max(0, z)\nC = (a - y)^2"
NEURON_VALUES = {"w": 2.0, "x": 1.5, "b": -0.5, "y": 1.0}


def _labels(g):
    return [g.label(n) for n in range(len(g))]


def test_program_names_label_their_nodes_and_the_rest_are_u1_u2():
    g = gs.parse(NEURON, **NEURON_VALUES)
    assert _labels(g) == ["w", "x", "u1", "b", "z", "a", "y", "u2", "2", "C"]
    z = 2.0 * 1.5 - 0.5
    assert g.value == (z - 1.0) ** 2
    # dC/dw = 2(a - y)·[z > 0]·x, by hand
    assert gs.grad(g, "w") == 2 * (z - 1.0) * 1.5
    assert g.expr(g.output) == "(a - y)^2" and g.expr(4) == "w*x + b" and g.expr(5) == "max(0, z)"


def test_semicolons_and_line_breaks_are_the_same_program():
    a = gs.parse("z = w*x + b; a = max(0, z); C = (a - y)^2", **NEURON_VALUES)
    b = gs.parse(NEURON + "\n", **NEURON_VALUES)
    assert _labels(a) == _labels(b) and a.value == b.value
    assert gs.grad(a) == gs.grad(b)


def test_a_final_bare_expression_is_the_output():
    g = gs.parse("h = tanh(x)\nh*h", x=0.5)
    assert _labels(g) == ["x", "h", "u1"]
    assert_close(g.value, np.tanh(0.5) ** 2, 1e-15, 0)
    assert_close(gs.grad(g, "x"), 2 * np.tanh(0.5) * (1 - np.tanh(0.5) ** 2), 1e-14, 0)


def test_the_issue_example_is_no_longer_an_error():
    g = gs.parse("h = tanh(x); y = h*h", x=0.3)
    assert _labels(g) == ["x", "h", "y"]


def test_names_reach_the_edge_formulas_and_the_step_captions():
    g = gs.parse(NEURON, **NEURON_VALUES)
    a, C = 5, 9
    assert g.label(a) == "a" and g.label(C) == "C"
    formulas = {(g.label(e.tail), g.label(e.head)): g.edge_formula(e.head, e.pos) for e in g.edges()}
    assert formulas[("z", "a")] == "[z > 0]" and formulas[("u1", "z")] == "1"
    texts = [step.text for step in gs.steps(g, mode="reverse").steps]
    assert texts[0].startswith("C̄ = 1: the output's adjoint is ∂C/∂C = 1")
    assert "ā = ū2 · 1 = 3 · 1 = 3" in texts
    assert any(text.startswith("z̄ = ā · [z > 0] = 3 · 1 = 3") for text in texts)
    assert "w̄ = ∂C/∂w = 4.5" in texts[-1]


def test_a_name_assigned_twice_is_an_error_with_both_places():
    with pytest.raises(gs.ParseError, match=r"a is assigned twice, at line 1, column 1 and at line 2, "
                                            r"column 1"):
        gs.parse("a = 2*x\na = a + 1", x=1.0)


def test_a_name_used_before_its_assignment_is_an_error():
    with pytest.raises(gs.ParseError, match=r"z is used at line 1, column 5 before it is assigned at "
                                            r"line 2, column 1"):
        gs.parse("a = z*2\nz = x + 1", x=1.0)


@pytest.mark.parametrize("text, values, message", [
    ("x = 2; y = x*3", {"x": 1.0}, "x is an input"),
    ("exp = x*2; y = exp", {"x": 1.0}, "'exp' cannot name a value"),
    ("pi = 3", {}, "'pi' cannot name a value"),
    ("a = x*2\nx*3\nb = a", {"x": 1.0}, r"'x\*3' at line 2, column 1 is not assigned a name"),
    ("a = x*2; b = x*3", {"x": 1.0}, "a is assigned at column 1 but the output b does not use it"),
    ("z += 1", {}, "'\\+=' changes a value; a program defines each name once"),
    ("a = b = x", {"x": 1.0}, "'=' assigns a name only at the start of a statement"),
    ("a = ", {}, "nothing after '='"),
    ("def = x", {"x": 1.0}, "'def' cannot be assigned"),
    ("a = x +\n  1", {"x": 1.0}, "the line ends with '\\+'; a line break ends a statement"),
    ("a = q*2", {"x": 1.0}, "unknown name 'q'"),
    ("a = x*2; b = c", {"x": 1.0}, "the names assigned before: a"),
])
def test_program_errors_name_the_place(text, values, message):
    with pytest.raises(gs.ParseError, match=message):
        gs.parse(text, **values)


def test_an_alias_is_the_same_node_and_keeps_its_first_name():
    g = gs.parse("h = x\ny = h*3", x=2.0)
    assert _labels(g) == ["x", "3", "y"] and g.value == 6.0
    g = gs.parse("z = 2*x\nh = z\nC = h*h", x=1.0)
    assert _labels(g) == ["2", "x", "z", "C"] and gs.grad(g, "x") == 8.0


def test_a_named_constant_is_labelled_by_its_name():
    g = gs.parse("k = 3\ny = k*x", x=2.0)
    assert _labels(g) == ["k", "x", "y"] and g.expr(g.output) == "k*x"
    assert gs.grad(g, "x") == 3.0 and g.inputs == ["x"]


def test_dotted_names_go_to_a_block_and_keep_the_full_label():
    g = gs.parse("layer1.z = W @ x\nlayer1.h = tanh(layer1.z)\nC = sum(layer1.h.T)",
                 W=np.eye(2), x=np.array([0.1, 0.2]))
    labels = _labels(g)
    assert "layer1.z" in labels and "layer1.h" in labels
    for n in range(len(g)):
        expected = ("layer1",) if labels[n] in ("layer1.z", "layer1.h") else ()
        if g.op(n) == "input" or labels[n] == "C":
            assert g.scope(n) == (), labels[n]
        elif labels[n] in ("layer1.z", "layer1.h"):
            assert g.scope(n) == expected
    assert_close(gs.grad(g, "x"), 1 - np.tanh([0.1, 0.2]) ** 2, 1e-14, 0)


def test_size_limits_hold_for_the_whole_program():
    long = "; ".join(f"a{k} = x*{k}" for k in range(900)) + "; y = " + " + ".join(f"a{k}" for k in range(900))
    with pytest.raises(gs.ParseError, match="characters long; the limit is 10,000"):
        gs.parse(long, x=1.0)


def test_a_program_gives_the_same_gradients_as_the_one_expression():
    values = {"X": np.arange(6.0).reshape(3, 2) / 6, "W": np.array([[0.5, -1.0], [0.25, 2.0]]),
              "y": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])}
    program = gs.parse("Z = X @ W\nA = sigmoid(Z)\nL = mean((A - y)^2)", **values)
    single = gs.parse("mean((sigmoid(X @ W) - y)^2)", **values)
    for name in values:
        assert_close(gs.grad(program, name), gs.grad(single, name), 1e-14, 0)
    assert gs.gradcheck(program).ok
