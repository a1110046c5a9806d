"""Helpers the tests share: closeness with a readable message, central differences of a
graph, the four-way derivative check, a quiet grad, DOT lines and a ladder graph.

``tests/conftest.py`` puts this folder on ``sys.path``; test files import ``support``.
"""

import warnings

import numpy as np

import graphstep as gs


def assert_close(actual, expected, rtol=1e-6, atol=1e-7):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=rtol, atol=atol)

def numeric_jacobian(g, name, eps=1e-6):
    """Central differences of the graph's forward pass: ``(output.size, input.size)``."""
    x = np.array(g.value_of(g.node(name)), dtype=float)
    out_size = int(np.prod(g.shape_of(g.output)))
    columns = []
    for index in np.ndindex(x.shape):
        step = eps * max(1.0, abs(float(x[index])))
        plus, minus = x.copy(), x.copy()
        plus[index] += step
        minus[index] -= step
        f_plus = g.evaluate({name: plus if x.shape else float(plus)})
        f_minus = g.evaluate({name: minus if x.shape else float(minus)})
        columns.append(np.ravel((np.asarray(f_plus) - np.asarray(f_minus)) / (2 * step)))
    return np.array(columns).reshape(-1, out_size).T

def check_four_ways(g, rtol=1e-5, atol=1e-6):
    """Path sum = reverse = forward mode = central differences, for every input."""
    out_shape = g.shape_of(g.output)
    out_size = int(np.prod(out_shape))
    for name in g.inputs:
        in_shape = g.shape_of(g.node(name))
        numeric = numeric_jacobian(g, name)
        if out_shape == ():
            reverse = gs.grad(g, name)
            assert np.shape(reverse) == in_shape, name
            assert_close(np.ravel(reverse), numeric.ravel(), rtol, atol)
            assert_close(gs.path_sum(g, name), reverse, 1e-10, 1e-12)
            forward = gs.forward_grad(g, name)
            assert np.shape(forward) == in_shape
            assert_close(forward, reverse, 1e-10, 1e-12)
        else:
            J = gs.jacobian(g, name)
            assert J.shape == (out_size, int(np.prod(in_shape)))
            assert_close(J, numeric, rtol, atol)
            assert_close(gs.path_sum(g, name), J, 1e-10, 1e-12)
            # forward mode column by column, reverse mode row by row
            eye_in = np.eye(int(np.prod(in_shape)))
            forward = np.column_stack([
                np.ravel(gs.tangents(g, name, e.reshape(in_shape) if in_shape else float(e[0]))[g.output])
                for e in eye_in])
            assert_close(forward, J, 1e-10, 1e-12)
            eye_out = np.eye(out_size)
            node = g.node(name)
            rows = []
            for e in eye_out:
                adjoint = gs.adjoints(g, e.reshape(out_shape))[node]
                rows.append(np.zeros(eye_in.shape[0]) if adjoint is None else np.ravel(adjoint))
            assert_close(np.array(rows), J, 1e-10, 1e-12)

def quiet_grad(g, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning of any kind at these points
        return gs.grad(g, *args)

def node_line(dot: str, node: int) -> str:
    (line,) = [ln for ln in dot.splitlines() if ln.strip().startswith(f"n{node} [")]
    return line

def ladder(rungs: int):
    previous, current = gs.var("a", 0.9), gs.var("b", 0.7)
    for _ in range(rungs):
        previous, current = current, gs.sin(current) * previous
    return gs.graph(current)
