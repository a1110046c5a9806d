"""graphstep.mkdocs: the public names of the MkDocs fence re-export graphstep.docs.fence.

graphstep.docs.fence imports no third-party module, so nothing here is skipped.
"""

from __future__ import annotations

import graphstep.mkdocs as mkdocs
from graphstep.docs import fence


def test_public_names_are_the_fence_module_objects():
    assert set(mkdocs.__all__) == {"fence_format", "fence_validator", "split_fence", "CACHE_ENV"}
    for name in mkdocs.__all__:
        assert getattr(mkdocs, name) is getattr(fence, name), name


def test_split_fence_reads_the_options_then_the_expression():
    assert mkdocs.split_fence("at: x=1.5\nmode: reverse\n\nx * exp(x^2)\n") == (
        {"at": "x=1.5", "mode": "reverse"}, "x * exp(x^2)")


def test_fence_validator_accepts_and_copies_the_options():
    options = {}
    assert mkdocs.fence_validator("graphstep", {"output": "svg", "mode": "paths"}, options, {}, None) is True
    assert options == {"output": "svg", "mode": "paths"}
