"""Test set-up shared by the whole suite: the layout backends and the hypothesis profiles.

Backends. A test marked ``@pytest.mark.backend`` runs a layout program (a picture, frames,
a player, a GIF, the demo, a Sphinx or MkDocs build...). It runs once per executable
present, ``[system]`` (Graphviz's ``dot``) and ``[pure]`` (graphviz-pure, installed with
graphstep), each forced through ``GRAPHSTEP_DOT`` for the test and the processes it
starts; its ``dot_backend`` fixture says which. ``GRAPHSTEP_DOT=graphviz-pure pytest``
(or a path to a ``dot``) runs the suite with that one backend only. A test that is not
marked and still runs a layout program fails and says to mark it, so no picture test
can silently use just one backend.

Fixtures. ``xexp`` and ``g`` are the slides' example x·exp(x²) at x = 1.5, the graph
most picture and step tests draw.

Hypothesis. The ``graphstep`` profile (the default: ``make test``, CI) is derandomized,
keeps no example database and has no deadline, so every run is the same run.
``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) draws fresh random examples, 20 times as many
as each test asks for.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

import graphstep as gs
from graphstep import backend

# tests/support.py: helpers the test files share (``from support import check_four_ways``).
sys.path.insert(0, str(Path(__file__).resolve().parent))

# -- hypothesis profiles -------------------------------------------------------------------

#: How many times more examples each hypothesis test draws under the fuzz profile.
FUZZ_FACTOR = 20

settings.register_profile("graphstep", derandomize=True, database=None, deadline=None,
                          print_blob=True)
settings.register_profile("fuzz", derandomize=False, database=None, deadline=None,
                          max_examples=100 * FUZZ_FACTOR, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "graphstep")
settings.load_profile(PROFILE)


def pytest_collection_modifyitems(config, items):
    """Under the fuzz profile, scale every test's own ``max_examples`` by FUZZ_FACTOR.

    Tests state the examples a routine run needs with ``@settings(max_examples=...)``,
    which a profile cannot override; the fuzz run multiplies it here instead.
    """
    if PROFILE != "fuzz":
        return
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is not None and getattr(test, "is_hypothesis_test", False):
            test._hypothesis_internal_use_settings = settings(
                own, max_examples=own.max_examples * FUZZ_FACTOR, derandomize=False)


# -- layout backends -----------------------------------------------------------------------


def _backend_id(kind: str, path: str) -> str:
    if kind == "graphviz-pure" or Path(path).name.startswith("graphviz-pure"):
        return "pure"
    return "system"


def layout_backends() -> dict[str, str]:
    """``{"system": path, "pure": path}`` for the executables present, in that order.

    With ``GRAPHSTEP_DOT`` set in the environment, only the executable it names.
    """
    found = backend.available_backends()
    if os.environ.get(backend.ENV_VAR, "").strip():
        found = [entry for entry in found if entry[0] == "env"]
    chosen: dict[str, str] = {}
    for kind, path in found:
        chosen.setdefault(_backend_id(kind, path), path)
    return chosen


BACKENDS = layout_backends()


def pytest_report_header(config):
    if not BACKENDS:
        return "graphstep layout backends: none found (tests marked `backend` are skipped)"
    shown = ", ".join(f"{name} ({path})" for name, path in BACKENDS.items())
    missing = "" if "system" in BACKENDS else "; no system dot: rendering tests run with graphviz-pure only"
    return f"graphstep layout backends: {shown}{missing}; hypothesis profile: {PROFILE}"


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("backend") is None:
        return
    if BACKENDS:
        metafunc.parametrize("dot_backend", list(BACKENDS), indirect=True)
    else:
        metafunc.parametrize("dot_backend", [pytest.param(None, marks=pytest.mark.skip(
            reason="no Graphviz executable (system dot or graphviz-pure) is installed"))], indirect=True)


def _guarded(run_dot):
    def unmarked(*args, **kwargs):
        try:
            backend.find_executable()
        except backend.RenderError:  # no executable: nothing would run, the test sees the error
            return run_dot(*args, **kwargs)
        pytest.fail("this test runs a layout program: mark it @pytest.mark.backend so that it runs "
                    "once with every backend present", pytrace=False)
    return unmarked


@pytest.fixture(autouse=True)
def dot_backend(request, monkeypatch):
    """``"system"`` or ``"pure"``: the executable a ``backend`` test runs with (None otherwise)."""
    name = getattr(request, "param", None)
    if name is None:
        if isinstance(request.node, pytest.Function):
            monkeypatch.setattr(backend, "run_dot", _guarded(backend.run_dot))
        return None
    monkeypatch.setenv(backend.ENV_VAR, BACKENDS[name])
    return name


# -- shared graphs -------------------------------------------------------------------------


@pytest.fixture
def xexp():
    """The slides' example ``x * exp(x^2)`` at x = 1.5 (the picture and export tests)."""
    return gs.parse("x * exp(x^2)", x=1.5)


@pytest.fixture
def g():
    """The same graph for the step tests: x=0, 2=1, u1=2, u2=3, u3=4."""
    return gs.parse("x * exp(x^2)", x=1.5)
