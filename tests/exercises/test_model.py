"""graphstep.exercises.model: the questions of a sheet and their true values.

The answers are checked against independent computations: gs.grad and gs.adjoints,
each edge's local derivative, gs.paths' products, central differences and HIPS autograd.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as autograd_grad
from support import assert_close, numeric_jacobian

import graphstep as gs
from graphstep.exercises.model import (
    CATEGORIES,
    LEVELS,
    MAX_ENTRIES,
    MAX_QUESTIONS,
    Walks,
    hidden_items,
    is_close,
    questions,
    shown_categories,
    walks_for,
)


@pytest.fixture
def g():
    return gs.parse("x * exp(x^2)", x=1.5)


def test_adjoint_answers_are_the_adjoints_and_the_gradient(g):
    asked = questions(g, "adjoints")
    adjoints = gs.adjoints(g)
    for q in asked:
        assert q.kind == "adjoint" and q.slot[0] == "adjoint"
        assert_close(q.answer, adjoints[q.slot[1]])
    x_bar = asked[-1]
    assert x_bar.text == "x̄ = ∂u₃/∂x = ?"
    # independent: HIPS autograd on the same function, and the closed form (1 + 2x²) e^{x²}
    assert_close(x_bar.answer, autograd_grad(lambda x: x * anp.exp(x**2))(1.5))
    assert_close(x_bar.answer, (1 + 2 * 1.5**2) * np.exp(1.5**2))


def test_value_answers_are_the_node_values(g):
    asked = questions(g, "values")
    assert [q.text for q in asked] == ["u₁ = ?", "u₂ = ?", "u₃ = ?"]
    assert [q.answer for q in asked] == pytest.approx([2.25, np.exp(2.25), 1.5 * np.exp(2.25)])
    assert all(q.mode == "forward" for q in asked)


def test_local_answers_are_the_edge_derivatives(g):
    asked = questions(g, "locals")
    assert len(asked) == 4  # the edge leaving the constant 2 carries no gradient
    for q in asked:
        _, tail, head, pos = q.slot
        assert_close(q.answer, g.local(head, pos))
    by_text = {q.text: q.answer for q in asked}
    assert by_text["∂u₁/∂x = ?"] == pytest.approx(3.0)  # d(x²)/dx at 1.5
    assert by_text["∂u₃/∂u₂ = ?"] == pytest.approx(1.5)


def test_path_answers_are_the_path_products_and_sums(g):
    asked = questions(g, "paths")
    products = [p.product for p in gs.paths(g, "x")]
    assert [q.kind for q in asked] == ["path", "path", "sum"]
    assert [q.answer for q in asked[:2]] == pytest.approx(products)
    assert asked[2].answer == pytest.approx(gs.path_sum(g, "x"))
    assert asked[2].answer == pytest.approx(numeric_jacobian(g, "x")[0, 0], rel=1e-6)
    assert asked[1].text == "the product along path 2 to x (u₃ ← x) = ?"


def test_parallel_edges_are_told_apart():
    g = gs.parse("exp(x*x)", x=0.5)
    texts = [q.text for q in questions(g, ["locals", "paths"])]
    assert "∂u₁/∂x (edge into argument 1 of u₁) = ?" in texts
    assert "∂u₁/∂x (edge into argument 2 of u₁) = ?" in texts
    assert len(set(texts)) == len(texts)


def test_levels_hide_more_and_more(g):
    kinds = {level: {q.kind for q in questions(g, level)} for level in LEVELS}
    assert kinds[1] == {"value"}
    assert kinds[2] == {"value", "local"}
    assert kinds[3] == {"value", "local", "adjoint", "path", "sum"}
    numbers = [q.number for q in questions(g, 3)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_specific_items(g):
    asked = questions(g, ["u2", ("adjoint", "x"), ("local", "u1", "u2"), ("path", "x", 1)])
    assert [q.kind for q in asked] == ["value", "local", "adjoint", "path"]
    assert asked[0].answer == pytest.approx(np.exp(2.25))
    assert asked[2].answer == pytest.approx(gs.grad(g, "x"))


def test_categories_may_be_singular_and_mixed(g):
    assert [q.kind for q in questions(g, ["value", ("adjoint", "x")])] == ["value"] * 3 + ["adjoint"]
    assert questions(g, "adjoint") == questions(g, "adjoints")


@pytest.mark.parametrize("hide, message", [
    ("zz", "no node is named 'zz'"),
    (("value", "x"), "an input's value is given"),
    (("local", "u2", "x"), "no edge from u2 to x"),
    (("path", "x", 3), "there is no path 3 to x"),
    (("path", "w", 1), "'w' is not an input"),
    (("tangent", "x"), "neither a category"),
    (4, "level 4 does not exist"),
    (True, "hide must be"),
])
def test_bad_items_name_what_is_wrong(g, hide, message):
    with pytest.raises(gs.InputError, match=message):
        questions(g, [hide] if isinstance(hide, tuple) else hide)


@pytest.mark.parametrize("tolerance", [0, -1e-3, 1, float("nan"), "1e-3", True])
def test_bad_tolerance(g, tolerance):
    with pytest.raises(gs.InputError, match="tolerance"):
        questions(g, "values", tolerance=tolerance)


def test_not_a_graph():
    with pytest.raises(gs.InputError, match="needs a Graph or a stepper, got str"):
        questions("x*x", "values")


def test_small_tensors_are_asked_entry_by_entry():
    x = np.array([0.5, -1.0, 2.0])
    g = gs.parse("sum(x*x)", x=x)
    asked = questions(g, "adjoints")
    entries = [q for q in asked if q.slot == ("adjoint", 0)]
    assert [q.entry for q in entries] == [(0,), (1,), (2,)]
    assert [q.text for q in entries][0] == "x̄[0] = ∂u₂/∂x[0] = ?"
    assert [q.answer for q in entries] == pytest.approx(2 * x)
    assert [q.answer for q in entries] == pytest.approx(gs.grad(g, "x"))
    # structured Jacobians (diagonal, reduction) are not asked as locals: nothing to ask
    with pytest.raises(gs.InputError, match="nothing to ask"):
        questions(g, "locals")


def test_large_tensors_are_left_out_or_refused():
    g = gs.parse("sum(x*x) + y*y", x=np.arange(MAX_ENTRIES + 1.0), y=2.0)
    values = questions(g, "values")
    assert all(q.entry is None for q in values)  # only the scalar nodes
    with pytest.raises(gs.InputError, match="a 5 quantity|at most 4 entries"):
        questions(g, ["u1"])


def test_too_many_questions():
    text = " + ".join(f"sin(x{k})" for k in range(MAX_QUESTIONS))
    g = gs.parse(text, **{f"x{k}": 0.1 * k for k in range(MAX_QUESTIONS)})
    with pytest.raises(gs.InputError, match="too many for one sheet"):
        questions(g, "values")


def test_a_paths_stepper_limits_the_paths_to_its_input():
    g = gs.parse("x*y + y", x=2.0, y=3.0)
    assert {q.slot[1] for q in questions(g, "paths")} == {"x", "y"}
    stepper = gs.steps(g, "paths", wrt="y")
    assert {q.slot[1] for q in questions(stepper, "paths")} == {"y"}
    assert walks_for(stepper).wrt == "y"


def test_each_question_links_to_the_step_that_computes_it(g):
    walks = Walks(g)
    for q in questions(g, 3, walks=walks):
        step = walks(q.mode)[q.step]
        assert step.text and q.worked
        if q.kind in ("value", "adjoint"):
            assert step.focus_nodes[0] == q.slot[1]
        if q.kind == "local":
            assert tuple(step.focus_edges[0]) == q.slot[1:]


def test_is_close_and_check():
    assert is_close(9.488, 9.4877358) and is_close(9.49, 9.4877358) and not is_close(9.5, 9.4877358)
    assert is_close(0.0, 0.0) and not is_close(1e-6, 0.0)
    assert is_close(-52.18, -52.1826, 1e-3) and not is_close(52.18, -52.1826, 1e-3)
    q = questions(gs.parse("exp(x)", x=1.0), "values", tolerance=1e-2)[0]
    assert q.check(2.7) and not q.check(2.6) and q.tolerance == 1e-2


def test_shown_categories():
    assert shown_categories(hidden_items(1)) == {"values"}
    assert shown_categories(hidden_items(2)) == {"values", "locals"}
    assert shown_categories(["paths"]) == {"values", "locals"}  # the sums would give paths away
    assert shown_categories([("adjoint", "x")]) == {"values", "locals", "adjoints"}
    assert set(CATEGORIES) == {"values", "locals", "adjoints", "paths"}


def test_nodes_of_constants_only_are_not_asked():
    g = gs.parse("sum(x * 2)", x=np.array([1.0, 2.0]))  # the constant 2 is broadcast to x's shape
    ops = {g.op(q.slot[1]) for q in questions(g, "values")}
    assert "broadcast" not in ops and ops == {"mul", "sum"}


def test_a_tensor_output_asks_values_and_locals_only():
    g = gs.parse("x * exp(x^2)", x=np.array([0.5, 1.0]))
    kinds = {q.kind for q in questions(g, 3)}
    assert kinds == {"value"}  # the locals are diagonal Jacobians, adjoints need a scalar output
    assert [q.answer for q in questions(g, 3)][-2:] == pytest.approx(g.value)
    with pytest.raises(gs.InputError, match="need a scalar output"):
        questions(g, [("adjoint", "x")])


def test_one_item_tuple_is_one_item(g):
    assert [q.text for q in questions(g, ("adjoint", "x"))] == ["x̄ = ∂u₃/∂x = ?"]
