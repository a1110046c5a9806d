"""gs.saved and gs.memory: what the backward pass reads, and the bytes held over the schedule,
against numbers worked out by hand (float64: 8 bytes an entry)."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs


def _chain(n, x=0.5):
    v = gs.var("x", x)
    for _ in range(n):
        v = gs.sin(v)
    return gs.graph(v)


def test_saved_values_of_each_kind_of_rule():
    g = gs.parse("sum(exp(a) * b + tanh(a) + a)", a=np.ones(3), b=np.ones(3))
    s = gs.saved(g)
    by_label = {v.label: v for v in s}
    exp = next(n for n in range(len(g)) if g.op(n) == "exp")
    tanh = next(n for n in range(len(g)) if g.op(n) == "tanh")
    # the product reads both factors; exp and tanh read their own outputs; sums read nothing
    assert set(by_label) == {"b", g.label(exp), g.label(tanh)}
    assert by_label["b"].kind == "input" and by_label[g.label(exp)].kind == "value"
    assert s.total == 3 * 24 and s.cached == 2 * 24
    assert by_label[g.label(tanh)].readers == (f"{g.label(tanh)} → a",)
    assert s.of(exp).nbytes == 24 and s.of(0) is None
    assert "total 72 B" in repr(s)


def test_saved_follows_wrt():
    g = gs.parse("sin(x) * y", x=0.2, y=3.0)
    assert sorted(v.label for v in gs.saved(g)) == ["u1", "x", "y"]
    assert [v.label for v in gs.saved(g, "y")] == ["u1"]   # ȳ = sin(x): x's rules are not run


@pytest.mark.parametrize("n", [3, 4, 10])
def test_a_chain_caches_every_value_reverse_grows_forward_does_not(n):
    # at the first backward step u1 .. u(n-1) are held, plus the adjoints of u(n) and u(n-1)
    m = gs.memory(_chain(n))
    assert m.reverse_peak == 8 * (n - 1) + 16
    assert m.forward_peak == 32     # a value and its tangent, two at a time
    assert m.saved_bytes == 8 * (n - 1) and m.forward_passes == 1


def test_checkpointing_a_chain_trades_memory_for_forward_work():
    g = _chain(4)
    light = gs.memory(g, recompute=["u2"])
    # u2 dropped after step 3, recomputed (from u1, kept anyway) at the backward step of u3
    assert (light.baseline_peak, light.reverse_peak, light.extra_ops) == (40, 32, 1)
    assert light.saved_by_recompute == 8 and light.saved_bytes == 16
    assert light.recompute == ("u2",)
    assert "1 extra forward op" in repr(light)
    # recomputing the output's argument: read at the first backward step, nothing saved
    assert gs.memory(g, recompute=["u3"]).reverse_peak == 40


def test_a_two_layer_network_by_hand():
    g = gs.parse("sum(tanh(W2 @ tanh(W1 @ x)))", W1=np.ones((3, 2)), W2=np.ones((2, 3)),
                 x=np.ones(2))
    # u1 = W1 x (24 B), u2 = tanh (24), u3 = W2 u2 (16), u4 = tanh (16), u5 = sum (8)
    m = gs.memory(g)
    steps = dict(m.reverse_timeline)
    assert steps["forward u2"] == 48 and steps["forward u4"] == 56
    # backward of u4: u2, u4 cached, ū4 and ū3 = 24 + 16 + 16 + 16
    assert steps["backward u4"] == 72 and steps["backward u1"] == 24
    assert m.reverse_peak == 72 and m.forward_peak == 96 and m.forward_passes == 14
    assert m.saved_bytes == 40  # u2 (read by W2's rule and by tanh's) and u4
    # recomputing u2 keeps u1 alive until then: 24 more bytes at the backward step of u3
    worse = gs.memory(g, recompute=["u2"])
    assert worse.reverse_peak == 88 and worse.saved_by_recompute == -16 and worse.saved_bytes == 16
    both = gs.memory(g, recompute=["u1", "u2"])
    assert both.extra_ops == 2 and both.reverse_peak == 88


def test_errors_name_the_values():
    g = _chain(2)
    with pytest.raises(gs.InputError, match="x is an input"):
        gs.memory(g, recompute=["x"])
    with pytest.raises(gs.InputError, match="the values are u1, u2"):
        gs.memory(g, recompute=["u9"])
