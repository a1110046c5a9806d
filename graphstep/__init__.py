"""graphstep: backpropagation made visible.

An expression becomes a networkx DAG whose nodes hold values and whose edges hold
local derivatives. A derivative is the sum over paths of the products of the local
derivatives along each path; graphstep computes it that way, by reverse
accumulation and by forward mode, shows that they agree, and draws every step.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x**2)", x=1.5)
>>> round(gs.grad(g, "x"), 3), gs.count_paths(g, "x")
(52.183, 2)
"""

import importlib

from graphstep.algorithms.forward import forward_derivative, forward_grad, tangents
from graphstep.algorithms.gradcheck import GradCheck, gradcheck
from graphstep.algorithms.jacobian import jacobian
from graphstep.algorithms.paths import (
    Path,
    PathList,
    count_paths,
    edge_matrix,
    path_sum,
    paths,
    total_derivatives,
)
from graphstep.algorithms.reverse import adjoints, grad
from graphstep.build.function import function
from graphstep.build.parse import parse
from graphstep.build.scope import block
from graphstep.build.trace import (
    TRACED,
    Var,
    abs,
    cos,
    dot,
    exp,
    ln,
    log,
    max,
    mean,
    min,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    sqrt,
    square,
    stack,
    sum,
    tan,
    tanh,
    transpose,
    var,
)
from graphstep.errors import (
    DomainError,
    DomainWarning,
    GraphstepError,
    InputError,
    ParseError,
    PathLimitError,
    RenderError,
    ShapeError,
    SizeLimitError,
    WriteError,
)
from graphstep.export.image import render
from graphstep.export.stepper import Stepper, steps
from graphstep.formulas.backprop import Formula, adjoint_sentence, adjoint_sentences, backprop_formulas
from graphstep.graph import Graph, graph
from graphstep.jupyter import repr_mimebundle
from graphstep.ops.jacobians import Jacobian
from graphstep.render.style import Style
from graphstep.steps.model import Step
from graphstep.views import View, collapse, focus

# Jupyter's display: Graph and Step sit below the layer that draws them, so the method is
# attached here, once, where every layer is loaded.
Graph._repr_mimebundle_ = repr_mimebundle
Step._repr_mimebundle_ = repr_mimebundle
Stepper._repr_mimebundle_ = repr_mimebundle

__version__ = "0.1.0"

__all__ = [
    "parse", "var", "graph", "Graph", "Var", "block", "function",
    "grad", "jacobian", "adjoints", "paths", "path_sum", "count_paths", "Path", "PathList",
    "edge_matrix", "total_derivatives",
    "tangents", "forward_derivative", "forward_grad", "gradcheck", "GradCheck", "Jacobian",
    "exp", "log", "ln", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "abs",
    "square", "sum", "mean", "dot", "max", "min", "softmax", "reshape", "transpose", "stack",
    "GraphstepError", "ParseError", "ShapeError", "DomainError", "DomainWarning",
    "PathLimitError", "SizeLimitError", "InputError", "RenderError", "WriteError",
    "steps", "Stepper", "Step", "render", "Style",
    "focus", "collapse", "View",
    "exercise", "Worksheet",
    "adjoint_sentence", "adjoint_sentences", "backprop_formulas", "Formula",
    "backward_graph", "BackwardGraph", "hessian", "hvp", "saved", "memory",
    "from_jax",
]

#: Parts of the API loaded on first use, so ``import graphstep`` stays quick: name -> module.
_LAZY = {
    "backward_graph": "graphstep.algorithms.backward_graph",
    "BackwardGraph": "graphstep.algorithms.backward_graph",
    "hessian": "graphstep.algorithms.hessian",
    "hvp": "graphstep.algorithms.hessian",
    "memory": "graphstep.algorithms.memory",
    "saved": "graphstep.algorithms.memory",
    "exercise": "graphstep.exercises",
    "Worksheet": "graphstep.exercises",
    "from_jax": "graphstep.importers.jax",
}


def __getattr__(name: str):
    """``gs.exercise``, ``gs.from_jax``... : import their module the first time they are used."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'graphstep' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


# Every function of the op table is gs.<name>: an op added to the table appears here too.
globals().update({name: fn for name, fn in TRACED.items() if name not in globals()})
__all__ += [name for name in TRACED if name not in __all__]
