"""graphstep.sphinxext: the public name of the Sphinx extension re-exports graphstep.docs.directive."""

from __future__ import annotations

import pytest

pytest.importorskip("sphinx")

import graphstep  # noqa: E402
import graphstep.sphinxext as sphinxext  # noqa: E402
from graphstep.docs import directive  # noqa: E402


def test_public_names_are_the_directive_module_objects():
    assert set(sphinxext.__all__) == {"GraphstepDirective", "GraphstepNode", "GraphstepTransform",
                                      "visit_graphstep_html", "setup"}
    for name in sphinxext.__all__:
        assert getattr(sphinxext, name) is getattr(directive, name), name


class _RecordingApp:
    """Records what ``setup`` registers, with its arguments."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs))


def test_setup_registers_the_node_directive_and_transform():
    app = _RecordingApp()
    metadata = sphinxext.setup(app)
    assert [name for name, _, _ in app.calls] == ["add_node", "add_directive", "add_directive",
                                                   "add_post_transform"]
    assert app.calls[0][1] == (sphinxext.GraphstepNode,)
    assert app.calls[0][2] == {"html": (sphinxext.visit_graphstep_html, None)}
    assert app.calls[1][1] == ("graphstep", sphinxext.GraphstepDirective)
    assert app.calls[2][1][0] == "graphstep-backward"   # graphstep.docs.backward
    assert app.calls[3][1] == (sphinxext.GraphstepTransform,)
    assert metadata == {"version": graphstep.__version__, "parallel_read_safe": True,
                        "parallel_write_safe": True, "env_version": 1}
