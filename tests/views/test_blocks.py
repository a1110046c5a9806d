"""Which block each node is drawn in: collapse= by depth or by name, expand=, and the
errors that name the blocks."""

import pytest

import graphstep as gs
from graphstep.views.blocks import block_keys, block_names, dotted, node_scopes


def test_block_keys_by_depth_and_name():
    x = gs.var("x", 1.0)
    with gs.block("net.l1"):
        a = gs.sin(x)
    with gs.block("net"):
        b = a * a
    g = gs.graph(b)
    assert block_names(g.scope(n) for n in range(len(g))) == ["net", "net.l1"]
    assert block_keys(g, 1) == [None, ("net",), ("net",)]
    assert block_keys(g, 2) == [None, ("net", "l1"), ("net",)]
    assert block_keys(g, "net.l1") == [None, ("net", "l1"), None]
    assert block_keys(g, 0) == [None, None, None]
    with pytest.raises(gs.InputError, match="depth"):
        block_keys(g, -1)
    with pytest.raises(gs.InputError, match="expand: no block named 'x'"):
        block_keys(g, 1, expand="x")


def test_scopes_fall_back_to_structure_and_names_are_dotted():
    g = gs.parse("tanh(w * x)", w=1.0, x=2.0)
    assert node_scopes(g)[-1] == ("layer1", "neuron1")
    assert block_keys(g, 2)[-1] == ("layer1", "neuron1")
    assert dotted(("net", "l1")) == "net.l1"
    with pytest.raises(gs.InputError, match="takes block names"):
        block_keys(g, [3])
