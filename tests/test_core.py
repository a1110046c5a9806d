"""The core: graphs, paths, gradients, the seed examples and micrograd's expressions."""

from __future__ import annotations

import math
import warnings

import networkx as nx
import numpy as np
import pytest

import graphstep as gs
from graphstep.algorithms.paths import edge_matrix, total_derivatives
from graphstep.gallery.examples import EXAMPLES
from graphstep.graph import EXPR, FORMULA, LABEL, LOCAL, OP, SHAPE, VALUE

# --- the seed examples -------------------------------------------------------------------


def test_x_exp_x2_has_two_paths_and_the_slides_sum_is_wrong():
    x = 1.5
    g = gs.parse("x * exp(x**2)", x=x)
    paths = list(gs.paths(g, "x"))
    assert len(paths) == 2 == gs.count_paths(g, "x")
    direct, long = paths
    assert [g.label(n) for n in direct.nodes] == ["u3", "x"]
    assert [g.label(n) for n in long.nodes] == ["u3", "u2", "u1", "x"]
    assert direct.product == pytest.approx(math.exp(x * x))
    assert long.factors == pytest.approx((x, math.exp(x * x), 2 * x))
    assert long.product == pytest.approx(2 * x * x * math.exp(x * x))
    closed_form = math.exp(x * x) * (2 * x * x + 1)  # 52.1825..., the product rule
    assert gs.path_sum(g, "x") == pytest.approx(closed_form)
    assert gs.grad(g, "x") == pytest.approx(closed_form)
    assert gs.forward_grad(g, "x") == pytest.approx(closed_form)
    # The slide lists three terms, x·e^{x²}·x twice and e^{x²}, and concludes "= e^{x²}".
    # There are two paths, not three; the long one's factor on x -> u1 is 2x, not x; and
    # the conclusion drops the whole 2x²e^{x²} term:
    slide_term = x * math.exp(x * x) * x
    assert len(paths) != 3
    assert long.product != pytest.approx(slide_term)
    assert gs.path_sum(g, "x") != pytest.approx(math.exp(x * x))


def test_chain_rule_example_has_one_path_with_the_slides_factors():
    x = 0.7
    g = gs.parse("ln(sin(x^3)^2)", x=x)
    (path,) = gs.paths(g, "x")
    u1, u2 = x**3, math.sin(x**3)
    assert path.factors == pytest.approx((1 / u2**2, 2 * u2, math.cos(u1), 3 * x * x))
    assert gs.grad(g, "x") == pytest.approx(6 * x * x * math.cos(x**3) / math.sin(x**3))


def test_partial_derivatives_3x2_2y_plus_7():
    for x, y in [(1.0, 2.0), (-0.5, 3.0), (2.0, -4.0)]:
        g = gs.parse("3*x^2*(2*y+7)", x=x, y=y)
        expected = {"x": 6 * x * (2 * y + 7), "y": 6 * x * x}
        assert gs.grad(g) == pytest.approx(expected)
        assert {k: gs.path_sum(g, k) for k in "xy"} == pytest.approx(expected)


def test_jacobian_of_f_and_g_from_the_slides():
    x, y = 1.5, -2.0
    g = gs.parse("[3*x^2*(2*y + 7), 4*x + y^2]", x=x, y=y)
    full = np.hstack([gs.jacobian(g)[name] for name in g.inputs])
    np.testing.assert_allclose(full, [[6 * x * (2 * y + 7), 6 * x * x], [4, 2 * y]])
    np.testing.assert_allclose(gs.path_sum(g, "x"), [[6 * x * (2 * y + 7)], [4]])
    with pytest.raises(gs.ShapeError, match="scalar output"):
        gs.grad(g)


def test_vector_chain_rule_ln_x2_sin_3x():
    x = 0.8
    g = gs.parse("[ln(x^2), sin(3*x)]", x=x)
    np.testing.assert_allclose(gs.jacobian(g, "x"), [[2 / x], [3 * math.cos(3 * x)]])
    np.testing.assert_allclose(gs.path_sum(g, "x"), [[2 / x], [3 * math.cos(3 * x)]])
    np.testing.assert_allclose(gs.forward_derivative(g, "x"), [2 / x, 3 * math.cos(3 * x)])


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_gallery_example_matches_its_closed_form_three_ways(name):
    example = EXAMPLES[name]
    g = example.graph()
    expected = example.expected(g)
    for input_name, value in expected.items():
        if example.kind == "grad":
            np.testing.assert_allclose(gs.grad(g, input_name), value, rtol=1e-9, atol=1e-12)
        else:
            np.testing.assert_allclose(gs.jacobian(g, input_name), value, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(gs.path_sum(g, input_name), value, rtol=1e-9, atol=1e-12)
    assert gs.gradcheck(g).ok


# --- micrograd's two test expressions, written exactly as in test/test_engine.py ---------


def test_micrograd_sanity_check():
    x = gs.var("x", -4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    g = gs.graph(y)
    assert y.value == -20.0  # PyTorch: -20.0
    assert gs.grad(g, "x") == 46.0  # PyTorch: 46.0
    assert gs.path_sum(g, "x") == pytest.approx(46.0)
    assert gs.forward_grad(g, "x") == pytest.approx(46.0)


def test_micrograd_more_ops():
    a = gs.var("a", -4.0)
    b = gs.var("b", 2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    graph = gs.graph(g)
    tol = 1e-6  # micrograd's own tolerance against PyTorch
    assert abs(g.value - 24.70408163265306) < tol
    grads = gs.grad(graph)
    assert abs(grads["a"] - 138.83381924198252) < tol
    assert abs(grads["b"] - 645.5772594752186) < tol
    for name, expected in (("a", 138.83381924198252), ("b", 645.5772594752186)):
        assert abs(gs.path_sum(graph, name) - expected) < tol
        assert abs(gs.forward_grad(graph, name) - expected) < tol


# --- the graph -------------------------------------------------------------------------


def test_x_times_x_has_two_edges_and_two_paths():
    g = gs.parse("x*x", x=3.0)
    assert isinstance(g.nx, nx.MultiDiGraph)
    assert g.nx.number_of_edges(0, 1) == 2
    assert [p.product for p in gs.paths(g, "x")] == [3.0, 3.0]
    assert gs.grad(g, "x") == 6.0


def test_node_and_edge_attributes():
    g = gs.parse("x * exp(x**2)", x=1.5)
    G = g.nx
    out = G.nodes[g.output]
    assert out[OP] == "mul" and out[LABEL] == "u3" and out[EXPR] == "x * exp(x^2)"
    assert out[VALUE] == pytest.approx(1.5 * math.exp(2.25)) and out[SHAPE] == ()
    assert G.nodes[0][OP] == "input" and G.nodes[1][OP] == "const"
    exp_node = next(n for n, op in G.nodes(data=OP) if op == "exp")
    ((tail, head, key, data),) = [e for e in G.edges(keys=True, data=True) if e[1] == exp_node]
    assert data[FORMULA] == "exp(u1)" and data[LOCAL] == pytest.approx(math.exp(2.25))
    assert G.graph["output"] == g.output and g.inputs == ["x"]
    assert g.value == pytest.approx(1.5 * math.exp(2.25))


def test_same_expression_same_graph_every_time():
    def snapshot():
        g = gs.parse("tanh(a*b + c) * a - sum([a, b, c])", a=0.1, b=0.2, c=0.3)
        return (list(g.nx.nodes(data=LABEL)), list(g.nx.edges(keys=True, data=FORMULA)))

    assert snapshot() == snapshot()


def test_inputs_in_order_of_first_appearance():
    g = gs.parse("sum((t - M @ v)**2)", M=np.ones((3, 2)), v=np.array([1.0, 2.0]), t=np.zeros(3))
    assert g.inputs == ["t", "M", "v"]
    x, y = gs.var("y", 1.0), gs.var("x", 2.0)
    assert gs.graph(y * x).inputs == ["y", "x"]


def test_tensor_edges_carry_jacobians_scalar_edges_floats():
    g = gs.parse("sum(tanh(W @ v))", W=np.ones((3, 2)) * 0.1, v=np.array([1.0, 2.0]))
    kinds = {g.op(h): type(g.local(h, p)).__name__ for t, h, p in g.edges()}
    assert kinds == {"matmul": "MatmulRight", "tanh": "Diagonal", "sum": "Reduction"}
    assert g.edge_formula(3, 0) == "diag(1 - u2²)"
    assert isinstance(gs.parse("x*y", x=1.0, y=2.0).local(2, 0), float)


# --- counting and enumerating paths --------------------------------------------------


def diamonds(n):
    x = gs.var("x", 0.1)
    u = x
    for _ in range(n):
        u = gs.sin(u) + gs.cos(u)
    return x, gs.graph(u)


def test_sixty_diamonds_have_two_to_the_sixty_paths_counted_exactly():
    x, g = diamonds(60)
    count = gs.count_paths(g, "x")  # dynamic programming: no path is enumerated
    assert count == 2**60 and isinstance(count, int)
    assert gs.count_paths(diamonds(70)[1], "x") == 2**70  # past 2**64: Python integers
    with pytest.raises(gs.PathLimitError, match="1,152,921,504,606,846,976 paths"):
        gs.paths(g, "x")


def test_path_sum_equals_reverse_on_small_diamonds():
    x, g = diamonds(8)
    assert gs.count_paths(g, "x") == 256
    assert len(list(gs.paths(g, "x"))) == 256
    assert gs.path_sum(g, "x") == pytest.approx(gs.grad(g, "x"), rel=1e-12)


def test_path_limit_can_be_raised():
    x, g = diamonds(5)
    with pytest.raises(gs.PathLimitError, match="32 paths"):
        gs.paths(g, "x", limit=31)
    assert len(list(gs.paths(g, "x", limit=32))) == 32


def test_hundred_thousand_op_chain_differentiates_without_recursion():
    x = gs.var("x", 0.5)
    y = x
    for _ in range(100_000):
        y = y * 0.99999 + 0.00001
    g = gs.graph(y)
    assert gs.grad(g, "x") == pytest.approx(0.99999**100_000, rel=1e-9)
    assert gs.count_paths(g, "x") == 1
    assert gs.forward_grad(g, "x") == pytest.approx(0.99999**100_000, rel=1e-9)


# --- tracing -------------------------------------------------------------------------


def test_reflected_and_in_place_forms():
    x = gs.var("x", 2.0)
    y = 10.0 / x - 1 + 3 * x + 2**x
    y += 1
    y *= x
    g = gs.graph(y)
    value = (10 / 2 - 1 + 6 + 4 + 1) * 2
    assert g.value == pytest.approx(value)
    derivative = (-10 / 4 + 3 + 4 * math.log(2)) * 2 + (10 / 2 - 1 + 6 + 4 + 1)
    assert gs.grad(g, "x") == pytest.approx(derivative)


def test_traced_functions_match_parsed_ones():
    x = gs.var("x", 0.4)
    traced = gs.graph(gs.log(gs.sin(x**3) ** 2))
    parsed = gs.parse("ln(sin(x^3)^2)", x=0.4)
    assert gs.grad(traced, "x") == pytest.approx(gs.grad(parsed, "x"))
    assert [traced.op(n) for n in range(len(traced))] == [parsed.op(n) for n in range(len(parsed))]


def test_numpy_arrays_on_the_left_defer_to_vars():
    v = gs.var("v", [1.0, 2.0])
    y = gs.sum(np.array([3.0, 4.0]) * v)
    assert gs.grad(gs.graph(y), "v").tolist() == [3.0, 4.0]


def test_duplicate_input_names_are_refused():
    with pytest.raises(gs.InputError, match="two different inputs are named 'x'"):
        gs.graph(gs.var("x", 1.0) + gs.var("x", 2.0))


def test_bad_input_values_are_refused():
    with pytest.raises(gs.InputError, match="not a real number"):
        gs.var("x", 1j)
    with pytest.raises(gs.InputError, match="not an array of real numbers"):
        gs.var("x", ["a", "b"])
    with pytest.raises(gs.InputError, match="not a valid identifier"):
        gs.var("2x", 1.0)


# --- the parser ----------------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('echo hi')", r"attribute access '\.system' is not allowed"),
    ("__import__('os')", "unknown function '__import__'"),
    ("x.__class__", r"attribute access '\.__class__' is not allowed"),
    ("(lambda: 1)()", "a lambda is not allowed"),
    ("[i for i in x]", "a comprehension is not allowed"),
    ("x if x else 1", "an if-expression is not allowed"),
    ("x[0]", "indexing is not allowed"),
    ("x < 1", "a comparison is not allowed"),
    ("import os", "invalid syntax"),
    ("x = 1", "invalid syntax"),
    ("'text'", "is not a real number"),
    ("x % 2", "operator Mod is not supported"),
    ("open('f')", "unknown function 'open'"),
    ("f(x)", "unknown function 'f'"),
    ("sin(x, x)", r"sin\(\) takes 1 argument, got 2"),
    ("sin", "sin is a function"),
    ("z + 1", "unknown name 'z' at column 1; the inputs given are: x"),
    ("x +", "invalid syntax"),
    ("", "empty"),
    ("sum(x, axis=x)", "axis must be a whole number"),
    ("sum(x, keepdims=1)", "takes no keyword 'keepdims'"),
])
def test_parser_refuses_what_is_not_arithmetic(text, message):
    with pytest.raises(gs.ParseError, match=message):
        gs.parse(text, x=1.0)


def test_parse_errors_name_the_column_in_the_users_text():
    with pytest.raises(gs.ParseError, match="unknown name 'zz' at column 9"):
        gs.parse("x^2 + x^zz", x=1.0)


def test_caret_is_power_with_power_precedence():
    g = gs.parse("2*x^3 - -x^2", x=2.0)
    assert g.value == 2 * 8 + 4
    assert gs.parse("x^2^3", x=2.0).value == 2.0 ** 8  # right associative, like **


def test_constants_and_builtin_names():
    g = gs.parse("2*x + 7 + pi - e", x=1.0)
    assert g.value == pytest.approx(9 + math.pi - math.e)
    for text in ("max(0, z)", "max(z, 0)", "relu(z)"):
        g = gs.parse(text, z=2.0)
        assert g.op(g.output) == "relu" and len(g) == 2
    assert gs.parse("ln(x)", x=1.0).op(1) == "log"


def test_limits_on_length_depth_and_size():
    with pytest.raises(gs.ParseError, match="limit is 10,000"):
        gs.parse("x+" * 5000 + "x", x=1.0)
    with pytest.raises(gs.ParseError, match="nesting deeper than 200"):
        gs.parse("(" * 201 + "x" + ")" * 201, x=1.0)
    long_chain = "+".join(["x"] * 4000)  # 7,999 characters, no nesting: fine
    assert gs.grad(gs.parse(long_chain, x=1.0), "x") == 4000.0
    assert gs.parse("(" * 150 + "x" + ")" * 150, x=1.0).value == 1.0


def test_unused_and_reserved_input_names():
    with pytest.raises(gs.InputError, match="y was given a value but does not appear"):
        gs.parse("x + 1", x=1.0, y=2.0)
    with pytest.raises(gs.InputError, match="'exp' is a function or constant name"):
        gs.parse("x", x=1.0, exp=2.0)


def test_shape_errors_name_the_sub_expressions():
    with pytest.raises(gs.ShapeError, match=r"matmul: W \(3x2\) @ v \(3,\): inner dimensions 2 and 3 differ"):
        gs.parse("W @ v", W=np.ones((3, 2)), v=np.ones(3))
    with pytest.raises(gs.ShapeError, match=r"add: a \(3,\) and b \(4,\) cannot be broadcast"):
        gs.parse("sum(a + b)", a=np.ones(3), b=np.ones(4))


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


# --- gradcheck ---------------------------------------------------------------------------


def test_gradcheck_table_and_verdict():
    report = gs.gradcheck(gs.parse("x * exp(x**2)", x=1.5))
    assert report.ok and len(report.rows) == 1
    row = report.rows[0]
    assert row.analytic == pytest.approx(math.exp(2.25) * 5.5)
    assert row.numeric == pytest.approx(row.analytic, rel=1e-7)
    text = str(report)
    assert "analytic" in text and "52.18" in text and "all agree" in text


def test_gradcheck_catches_a_wrong_derivative(monkeypatch):
    from graphstep.ops import table as ops

    wrong = ops.OPS["sin"].__class__(**{**ops.OPS["sin"].__dict__,
                                        "local": (lambda a, out, p: np.sin(a[0]),)})
    monkeypatch.setitem(ops.OPS, "sin", wrong)
    report = gs.gradcheck(gs.parse("sin(x)", x=0.3))
    assert not report.ok and "MISMATCH" in str(report)
    (row,) = report.rows
    assert row.analytic == pytest.approx(math.sin(0.3), rel=1e-12)  # the wrong local derivative
    assert row.numeric == pytest.approx(math.cos(0.3), rel=1e-7)  # differences still see cos


def test_gradcheck_samples_large_inputs():
    report = gs.gradcheck(gs.parse("sum(v**2)", v=np.arange(100.0)), max_elements=10)
    assert report.ok and len(report.rows) == 10 and report.skipped == {"v": 90}
    assert len({row.index for row in report.rows}) == 10  # ten different entries
    for row in report.rows:  # d/dv_i sum(v²) = 2 v_i, and v_i = i
        assert row.input == "v" and row.analytic == pytest.approx(2.0 * row.index[0], abs=1e-12)
        # rounding in a sum of size ~3e5, divided by a step of 1e-6: about 1e-4 at most
        assert row.numeric == pytest.approx(2.0 * row.index[0], rel=1e-6, abs=1e-4)


def test_edge_matrix_powers_count_paths_of_each_length_and_inverse_sums_them():
    x = 0.9
    g = gs.parse("x * exp(x^2)", x=x)
    D = edge_matrix(g)
    out, source = g.output, g.node("x")
    # one path of length 1 (x -> u3) and one of length 3 (x -> u1 -> u2 -> u3)
    assert D[out, source] == pytest.approx(math.exp(x * x))
    assert np.linalg.matrix_power(D, 2)[out, source] == 0.0
    assert np.linalg.matrix_power(D, 3)[out, source] == pytest.approx(2 * x * x * math.exp(x * x))
    assert not np.linalg.matrix_power(D, len(g)).any()  # nilpotent
    T = total_derivatives(g)
    assert T[out, source] == pytest.approx(gs.grad(g, "x"))
