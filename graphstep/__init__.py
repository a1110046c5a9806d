"""graphstep: backpropagation made visible.

An expression becomes a networkx DAG whose nodes hold values and whose edges hold
local derivatives. A derivative is the sum over paths of the products of the local
derivatives along each path; graphstep computes it that way, by reverse
accumulation and by forward mode, shows that they agree, and draws every step.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x**2)", x=1.5)
>>> round(gs.grad(g, "x"), 3), gs.count_paths(g, "x")
(52.183, 2)

Every public name is loaded on first use (PEP 562): ``import graphstep`` itself loads
nothing, and a script that only computes gradients never loads the drawing layers.
"""

import importlib
import sys
import types

__version__ = "0.1.0"

#: Every public name -> the module that defines it; each module is imported the first
#: time one of its names is used.
_API = {
    **dict.fromkeys(["parse"], "graphstep.build.parse"),
    **dict.fromkeys(["var", "Var", "TRACED", "exp", "log", "ln", "sin", "cos", "tan", "tanh",
                     "sigmoid", "relu", "sqrt", "abs", "square", "sum", "mean", "dot", "max",
                     "min", "softmax", "reshape", "transpose", "stack"], "graphstep.build.trace"),
    **dict.fromkeys(["block"], "graphstep.build.scope"),
    **dict.fromkeys(["function"], "graphstep.build.function"),
    **dict.fromkeys(["graph", "Graph"], "graphstep.graph"),
    **dict.fromkeys(["grad", "adjoints"], "graphstep.algorithms.reverse"),
    **dict.fromkeys(["jacobian"], "graphstep.algorithms.jacobian"),
    **dict.fromkeys(["paths", "path_sum", "count_paths", "Path", "PathList", "edge_matrix",
                     "total_derivatives"], "graphstep.algorithms.paths"),
    **dict.fromkeys(["tangents", "forward_derivative", "forward_grad"], "graphstep.algorithms.forward"),
    **dict.fromkeys(["gradcheck", "GradCheck"], "graphstep.algorithms.gradcheck"),
    **dict.fromkeys(["Jacobian"], "graphstep.ops.jacobians"),
    **dict.fromkeys(["GraphstepError", "ParseError", "ShapeError", "DomainError", "DomainWarning",
                     "PathLimitError", "SizeLimitError", "InputError", "RenderError", "WriteError"],
                    "graphstep.errors"),
    **dict.fromkeys(["steps", "Stepper"], "graphstep.export.stepper"),
    **dict.fromkeys(["Step"], "graphstep.steps.model"),
    **dict.fromkeys(["render"], "graphstep.export.image"),
    **dict.fromkeys(["Style"], "graphstep.render.style"),
    **dict.fromkeys(["focus", "collapse", "View"], "graphstep.views"),
    **dict.fromkeys(["exercise", "Worksheet"], "graphstep.exercises"),
    **dict.fromkeys(["adjoint_sentence", "adjoint_sentences", "backprop_formulas", "Formula"],
                    "graphstep.formulas.backprop"),
    **dict.fromkeys(["backward_graph", "BackwardGraph"], "graphstep.algorithms.backward_graph"),
    **dict.fromkeys(["hessian", "hvp"], "graphstep.algorithms.hessian"),
    **dict.fromkeys(["saved", "memory"], "graphstep.algorithms.memory"),
    **dict.fromkeys(["from_jax"], "graphstep.importers.jax"),
}

_EXPORTED = [name for name in _API if name != "TRACED"]

#: The classes a notebook displays, by module: see :func:`_teach_display`.
_DISPLAYED = {"graphstep.graph": "Graph", "graphstep.steps.model": "Step",
              "graphstep.export.stepper": "Stepper"}


def _repr_mimebundle_(self, include=None, exclude=None):
    """Jupyter's display of a Graph, Step or Stepper (:func:`graphstep.jupyter.mimebundle`);
    the drawing layers load when a notebook first shows one."""
    return importlib.import_module("graphstep.jupyter").repr_mimebundle(self, include, exclude)


def _teach_display() -> None:
    """Give Graph, Step and Stepper, once their modules are loaded, the method Jupyter
    displays them with (they sit below the layers that draw them, so it is attached here)."""
    for module, name in _DISPLAYED.items():
        cls = getattr(sys.modules.get(module), name, None)
        if cls is not None and "_repr_mimebundle_" not in vars(cls):
            cls._repr_mimebundle_ = _repr_mimebundle_


def _traced() -> dict:
    return importlib.import_module("graphstep.build.trace").TRACED


def __getattr__(name: str):
    """``gs.parse``, ``gs.render``, ...: import the name's module the first time it is used.
    Every function of the op table is ``gs.<name>`` too, so an op added to the table
    appears here without an edit."""
    if name == "__all__":
        value = _EXPORTED + [op for op in _traced() if op not in _API]
    elif name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
    elif not name.startswith("__") and name in _traced():
        value = _traced()[name]
    else:
        raise AttributeError(f"module 'graphstep' has no attribute {name!r}")
    _teach_display()
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API) | set(_traced()))


class _Package(types.ModuleType):
    """The ``graphstep`` module: ``gs.graph``, ``gs.render`` and ``gs.steps`` stay the API's
    functions when the import system later loads the modules of the same names
    (``graphstep.graph``, ``graphstep.render``, ``graphstep.steps``) and would bind them here."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, types.ModuleType) and name in _API:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
