"""The Sphinx extension's public name: ``extensions = ["graphstep.sphinxext"]``.

The directive lives in :mod:`graphstep.docs.directive`; this module keeps the name that
users' ``conf.py`` files point to.
"""

from graphstep.docs.directive import (
    GraphstepDirective,
    GraphstepNode,
    GraphstepTransform,
    setup,
    visit_graphstep_html,
)

__all__ = ["GraphstepDirective", "GraphstepNode", "GraphstepTransform", "visit_graphstep_html", "setup"]
