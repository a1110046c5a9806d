"""The ``graphstep`` package: every public name loads its module on first use (PEP 562)."""

import subprocess
import sys

import pytest

import graphstep as gs


def _fresh(code: str) -> str:
    """Run ``code`` in a fresh interpreter and return what it printed."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_import_graphstep_loads_no_module_of_its_own_and_not_numpy():
    loaded = _fresh("import sys, graphstep\n"
                    "print(sorted(m for m in sys.modules if m.startswith(('graphstep.', 'numpy'))))")
    assert loaded == "[]"


def test_computing_a_gradient_never_loads_the_drawing_layers():
    code = ("import sys, graphstep as gs\n"
            "g = gs.parse('x * exp(x**2)', x=1.5)\n"
            "print(round(gs.grad(g, 'x'), 6))\n"
            "print(sorted(m for m in sys.modules if m.startswith(('graphstep.export', 'graphstep.render',"
            " 'graphviz', 'networkx', 'PIL'))))")
    grad, drawing = _fresh(code).splitlines()
    assert float(grad) == pytest.approx(52.182547, abs=1e-6)  # (1 + 2x²) exp(x²) at 1.5
    assert drawing == "[]"


def test_the_functions_named_like_modules_stay_functions():
    code = ("import graphstep as gs\n"
            "r, g, s = gs.render, gs.graph, gs.steps\n"
            "import graphstep.render.dot, graphstep.graph, graphstep.steps.model, graphstep.render.backward\n"
            "print(gs.render is r, gs.graph is g, gs.steps is s, callable(gs.render), r.__module__)")
    assert _fresh(code) == "True True True True graphstep.export.image"


def test_module_names_are_functions_even_when_their_modules_load_first():
    code = ("import graphstep.render.dot, graphstep.steps.model, graphstep.graph\n"
            "import graphstep as gs\n"
            "print(gs.render.__module__, gs.steps.__module__, gs.graph.__module__)")
    assert _fresh(code) == "graphstep.export.image graphstep.export.stepper graphstep.graph"


def test_a_graph_displays_in_a_notebook_without_importing_anything_else():
    code = ("import graphstep as gs\n"
            "g = gs.parse('sin(x)', x=0.5)\n"
            "s = gs.steps(g, 'reverse')\n"
            "print(sorted(g._repr_mimebundle_(include=['text/plain'])), "
            "sorted(s._repr_mimebundle_(include=['text/plain'])), "
            "sorted(s.current._repr_mimebundle_(include=['text/plain'])))")
    assert _fresh(code) == "['text/plain'] ['text/plain'] ['text/plain']"


def test_star_import_and_dir_offer_every_name_and_every_op_of_the_table():
    from graphstep.build.trace import TRACED

    for name in ["parse", "grad", "render", "steps", "Style", "from_jax", "Worksheet", *TRACED]:
        assert name in gs.__all__ and name in dir(gs)
    assert "TRACED" not in gs.__all__
    code = ("from graphstep import *\n"
            "from graphstep.build.trace import TRACED\n"
            "print(all(globals()[op] is fn for op, fn in TRACED.items()), parse.__module__, "
            "Worksheet.__module__)")
    assert _fresh(code) == "True graphstep.build.parse graphstep.exercises.worksheet"


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="no attribute 'gradient'"):
        gs.gradient  # noqa: B018
    with pytest.raises(ImportError):
        from graphstep import gradient  # noqa: F401
