"""graphstep.docs.backward: the ``graphstep-backward`` directive's pictures."""

from __future__ import annotations

import pytest

import graphstep as gs
from graphstep.docs.backward import BackwardDirective, backward_svg
from graphstep.docs.directive import setup


@pytest.mark.backend
def test_the_pictures_the_options_ask_for(dot_backend):
    both = backward_svg("x * exp(x^2)", {"at": "x=1.5"}, prefix="p-")
    assert both.startswith("<svg role=\"img\"") and "x̄" in both and "saved" not in both
    assert 'id="p-' in both
    saved = backward_svg("x * exp(x^2)", {"at": "x=1.5", "saved": None})
    assert "saved · 8 B" in saved and "x̄" not in saved
    alone = backward_svg("x^2 * y", {"at": "x=2, y=3", "wrt": "y", "alone": None, "direction": "tb"})
    assert "ȳ" in alone and "forward pass" not in alone  # the graph alone, no frames


def test_bad_input_is_a_graphstep_error_and_the_directive_is_registered():
    with pytest.raises(gs.GraphstepError):
        backward_svg("x *", {"at": "x=1"})
    with pytest.raises(gs.InputError, match="name the input"):
        backward_svg("x * y", {"at": "x=1, y=2"})
    calls = []

    class App:
        def __getattr__(self, name):
            return lambda *args, **kwargs: calls.append((name, args))

    setup(App())
    assert ("add_directive", ("graphstep-backward", BackwardDirective)) in calls
    assert {"at", "wrt", "saved", "backward", "alone", "caption"} <= set(BackwardDirective.option_spec)
