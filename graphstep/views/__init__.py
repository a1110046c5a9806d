"""Views: smaller graphs that keep the mathematics.

A view is an ordinary :class:`~graphstep.graph.Graph` made from another graph's nodes,
so every algorithm, stepper and picture works on it: :func:`focus` keeps the paths from
some inputs to the output, :func:`collapse` draws blocks (``gs.block``, or the layers
and neurons a graph shows by itself) as single nodes carrying total derivatives, and
:func:`choose_view` picks the view a picture draws.

>>> import graphstep as gs
>>> gs.focus(gs.parse("x * sin(y)", x=1.0, y=2.0), "x").inputs
['x']
"""

from graphstep.views import blocks, structure
from graphstep.views.choose import choose_view
from graphstep.views.collapse import collapse
from graphstep.views.focus import focus
from graphstep.views.view import View

__all__ = ["focus", "collapse", "choose_view", "View", "blocks", "structure"]
