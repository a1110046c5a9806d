"""``gs.function``: the graph of an ordinary numpy function, read from its source, never run.

The source comes from :mod:`inspect`; Python's :mod:`ast` reads it (the text is never
evaluated, compiled to code or executed, and neither is the function). The statements
become a program (:mod:`graphstep.build.program`): each ``name = expression`` names a
node, ``return`` gives the output, the parameters are the inputs. The expressions are
translated to graphstep's vocabulary, then read by the same reader as
:func:`graphstep.parse`:

- ``np.tanh``, ``numpy.exp``, ``np.log``, ``np.sqrt``, ``np.abs``, ``np.square``,
  ``np.sum(..., axis=0)``, ``np.mean``, ``np.dot``, ``np.transpose``, ``np.reshape``,
  ``np.maximum(0, z)`` (ReLU), ``np.max(a, axis)``, ``np.matmul``, ``np.stack``, ``np.pi``;
- ``x @ W``, ``x ** 2``, ``+ - * /``, unary ``-``, ``.T``, numbers, and the methods
  ``x.sum(axis=0)``, ``.mean()``, ``.dot(W)``, ``.reshape(3, 2)``, ``.max()``, ``.T``;
- ``abs``, ``max``, ``min``, ``sum`` (Python's builtins, when not redefined);
- a name from outside the function (a global or a closure) holding a number or a real
  array: a constant, labelled with that name.

Anything else is a :class:`~graphstep.errors.ParseError` naming the file and line: loops,
conditionals, ``+=``, indexing, calls of other functions (the source of those is not read),
names holding anything but numbers and arrays. ``np`` may be numpy, ``autograd.numpy`` or
``jax.numpy``: the function can be differentiated by those libraries too, unchanged.

>>> import numpy as np
>>> def neuron(w, x, b):
...     z = np.dot(w, x) + b
...     a = np.maximum(0, z)
...     return a
>>> g = function(neuron, w=np.array([1.0, 2.0]), x=np.array([0.5, 0.25]), b=0.5)
>>> [g.label(n) for n in range(len(g))], g.value
(['w', 'x', 'u1', 'b', 'z', 'a'], 1.5)
"""

from __future__ import annotations

import ast
import inspect
import numbers
import sys
import textwrap
from typing import Any

import numpy as np

from graphstep.build import trace
from graphstep.build.naming import give_name
from graphstep.build.parse import CONSTANTS, _Reader
from graphstep.build.program import read_program
from graphstep.build.syntax import Source
from graphstep.errors import InputError, ParseError
from graphstep.graph import Graph
from graphstep.ops.table import FUNCTIONS

__all__ = ["function", "NUMPY_MODULES", "NUMPY_FUNCTIONS"]

#: The modules whose functions ``np.<name>`` may come from.
NUMPY_MODULES = ("numpy", "autograd.numpy", "jax.numpy")
#: numpy's function names and the graphstep functions they are (``maximum`` is ``max``).
NUMPY_FUNCTIONS = {
    **{name: name for name in ("exp", "log", "log1p", "sin", "cos", "tan", "tanh", "sqrt", "abs",
                               "square", "sum", "mean", "dot", "transpose", "reshape", "max", "min",
                               "stack")},
    "absolute": "abs", "maximum": "max", "minimum": "min", "amax": "max", "amin": "min",
}
#: numpy's functions that are operators here.
_NUMPY_OPERATORS = {"matmul": ast.MatMult, "add": ast.Add, "subtract": ast.Sub, "multiply": ast.Mult,
                    "divide": ast.Div, "true_divide": ast.Div, "power": ast.Pow}
#: The methods of an array that are functions here (``x.sum(axis=0)`` is ``sum(x, axis=0)``).
_METHODS = ("sum", "mean", "dot", "reshape", "max", "min", "transpose")
#: Python's builtins that are functions here, when the module does not redefine them.
_BUILTINS = ("abs", "max", "min", "sum")
#: The reductions whose second positional argument is an axis in numpy (elementwise here).
_AXIS_SECOND = ("max", "min")
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.MatMult)
_STATEMENTS = {
    ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
    ast.If: "an if statement", ast.With: "a with statement", ast.AsyncWith: "a with statement",
    ast.Try: "a try statement", ast.FunctionDef: "a nested function", ast.ClassDef: "a class",
    ast.AsyncFunctionDef: "a nested function", ast.Import: "an import", ast.ImportFrom: "an import",
    ast.AugAssign: "an update (+=, *=, ...): a name is defined once; write a new name",
    ast.Assert: "an assert", ast.Raise: "a raise", ast.Global: "global", ast.Nonlocal: "nonlocal",
    ast.Pass: "pass", ast.Delete: "del", ast.Expr: "a statement whose value is not used (a call?)",
}
_EXPRESSIONS = {
    ast.Compare: "a comparison", ast.IfExp: "an if-expression", ast.BoolOp: "and/or",
    ast.Lambda: "a lambda", ast.Subscript: "indexing", ast.ListComp: "a comprehension",
    ast.GeneratorExp: "a comprehension", ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension", ast.Dict: "a dict", ast.Set: "a set", ast.JoinedStr: "text",
    ast.Starred: "a starred argument", ast.NamedExpr: "an assignment (:=)", ast.Await: "await",
    ast.Yield: "yield", ast.YieldFrom: "yield",
}


class _Function:
    """The function's source and the names it can see, without running anything."""

    def __init__(self, f: Any):
        if not inspect.isfunction(f):
            raise InputError(f"gs.function needs a Python function (def ...), got {type(f).__name__}")
        self.name = f.__name__
        try:
            lines, start = inspect.getsourcelines(f)
        except (OSError, TypeError) as error:
            raise ParseError(f"cannot read the source of {self.name}: {error} (define it in a file "
                             "or a notebook cell)") from None
        self.file = inspect.getsourcefile(f) or "<unknown file>"
        text = textwrap.dedent("".join(lines))
        self.source = Source("\n" * (start - 1) + text)
        try:
            module = ast.parse(text)
        except SyntaxError as error:  # a lambda cut out of a longer line, for instance
            raise ParseError(f"cannot read the source of {self.name}: {error.msg} (write it with "
                             "def)") from None
        ast.increment_lineno(module, start - 1)
        node = module.body[0] if module.body else None
        if not isinstance(node, ast.FunctionDef):
            raise ParseError(f"cannot read {self.name}: gs.function reads a function written with def")
        self.node = node
        closure = inspect.getclosurevars(f)
        self.outside = {**closure.builtins, **closure.globals, **closure.nonlocals}
        self.shadowed = set(f.__globals__) | set(closure.nonlocals)

    def error(self, node: ast.AST, why: str) -> ParseError:
        return ParseError(f"cannot read {self.name} ({self.file}, {self.source.where(node)}): {why}")

    def parameters(self) -> list[str]:
        arguments = self.node.args
        if arguments.vararg or arguments.kwarg:
            raise self.error(self.node, "*args and **kwargs are not read: name each input")
        return [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]

    def is_numpy(self, name: str) -> bool:
        value = self.outside.get(name)
        if value is None:
            return name in ("np", "numpy") and name not in self.shadowed
        return inspect.ismodule(value) and value.__name__ in NUMPY_MODULES

    def numpy_function(self, name: str) -> str | None:
        """The numpy function a bare name is bound to (``from numpy import tanh``), if any."""
        value = self.outside.get(name)
        for module in NUMPY_MODULES:
            loaded = sys.modules.get(module)
            if value is not None and loaded is not None and getattr(loaded, name, None) is value:
                return name
        return None


def _call(func: str, args: list[ast.AST], keywords: list[ast.keyword], like: ast.AST) -> ast.Call:
    node = ast.Call(ast.copy_location(ast.Name(func), like), args, keywords)
    return ast.copy_location(node, like)


class _Translator:
    """numpy's spelling to graphstep's, node by node, without recursion."""

    def __init__(self, fn: _Function):
        self.fn = fn

    def numpy_call(self, node: ast.Call, name: str, args: list[ast.AST]) -> ast.AST:
        if name in _NUMPY_OPERATORS:
            if len(args) != 2 or node.keywords:
                raise self.fn.error(node, f"np.{name} takes two arguments here")
            return ast.copy_location(ast.BinOp(args[0], _NUMPY_OPERATORS[name](), args[1]), node)
        if name == "negative" and len(args) == 1:
            return ast.copy_location(ast.UnaryOp(ast.USub(), args[0]), node)
        if name not in NUMPY_FUNCTIONS:
            known = ", ".join(sorted({*NUMPY_FUNCTIONS, *_NUMPY_OPERATORS}))
            raise self.fn.error(node, f"np.{name} is not one of the functions graphstep reads: {known}")
        return self.function_call(node, NUMPY_FUNCTIONS[name], args, list(node.keywords),
                                  numpy_axis=name in ("max", "min", "amax", "amin"))

    def function_call(self, node: ast.Call, name: str, args: list[ast.AST],
                      keywords: list[ast.keyword], numpy_axis: bool = False) -> ast.Call:
        if numpy_axis and len(args) == 2:  # np.max(a, 1): the 1 is an axis
            keywords = [ast.copy_location(ast.keyword("axis", args[1]), args[1]), *keywords]
            args = args[:1]
        for keyword in keywords:
            if keyword.arg != "axis":
                raise self.fn.error(node, f"the keyword {keyword.arg}= is not read (only axis=)")
        return _call(name, args, keywords, node)

    def method_call(self, node: ast.Call, owner: ast.AST, name: str) -> ast.Call:
        args = list(node.args)
        if name == "reshape" and len(args) > 1:
            args = [ast.copy_location(ast.Tuple(args), args[0])]
        if name == "transpose":
            if args:
                raise self.fn.error(node, ".transpose() with axes is not read; use .T")
            return _call("transpose", [owner], [], node)
        return self.function_call(node, name, [owner, *args], list(node.keywords),
                                  numpy_axis=name in _AXIS_SECOND)

    def call(self, node: ast.Call) -> ast.AST:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and self.fn.is_numpy(func.value.id):
            return self.numpy_call(node, func.attr, list(node.args))
        if isinstance(func, ast.Attribute) and func.attr in _METHODS:
            return self.method_call(node, func.value, func.attr)
        if isinstance(func, ast.Name):
            name = func.id
            if name in _BUILTINS and name not in self.fn.shadowed:
                return self.function_call(node, name, list(node.args), list(node.keywords))
            bound = self.fn.numpy_function(name)
            if bound is not None:
                return self.numpy_call(node, bound, list(node.args))
            raise self.fn.error(node, f"{name}(...) calls a function graphstep does not read (it "
                                      "never runs code); write its steps here with np.<function>")
        raise self.fn.error(node, f"{ast.unparse(func)}(...) is not one of the calls graphstep reads "
                                  f"(np.<function>, or the methods {', '.join(_METHODS)})")

    def translate(self, tree: ast.AST) -> ast.AST:
        """The translated copy of ``tree`` (an expression); checks every node on the way."""
        holder = ast.Expression(tree)
        stack: list[ast.AST] = [holder]
        while stack:
            node = stack.pop()
            for field, value in ast.iter_fields(node):
                children = value if isinstance(value, list) else [value]
                for k, child in enumerate(children):
                    if not isinstance(child, ast.AST) or isinstance(child, (ast.operator, ast.unaryop,
                                                                            ast.expr_context)):
                        continue
                    new = self.node(child)
                    if new is not child:
                        if isinstance(value, list):
                            value[k] = new
                        else:
                            setattr(node, field, new)
                    stack.append(new)
        return holder.body

    def node(self, node: ast.AST) -> ast.AST:
        """``node`` translated one level (its children come next), or an error."""
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.keyword):
            return node
        if type(node) in _EXPRESSIONS:
            raise self.fn.error(node, f"{_EXPRESSIONS[type(node)]} is not read; graphstep reads "
                                      "arithmetic, numpy's functions and .T")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise self.fn.error(node, f"{node.value!r} is not a real number")
            return node
        if isinstance(node, ast.BinOp) and not isinstance(node.op, _OPERATORS):
            raise self.fn.error(node, f"the operator {type(node.op).__name__} is not read; use + - * / "
                                      "** @")
        if isinstance(node, ast.UnaryOp) and not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise self.fn.error(node, "only unary + and - are read")
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and self.fn.is_numpy(node.value.id):
                if node.attr in CONSTANTS:
                    return ast.copy_location(ast.Name(node.attr), node)
                raise self.fn.error(node, f"np.{node.attr} is not read (np.pi and np.e are)")
            if node.attr != "T":
                raise self.fn.error(node, f".{node.attr} is not read; only .T (the transpose) is")
        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Attribute, ast.Name, ast.List, ast.Tuple)):
            return node
        raise self.fn.error(node, f"{type(node).__name__} is not read")


def _body(fn: _Function) -> list[ast.stmt]:
    """The statements as a program: assignments, then the returned expression."""
    statements = list(fn.node.body)
    if statements and isinstance(statements[0], ast.Expr) and isinstance(statements[0].value, ast.Constant) \
            and isinstance(statements[0].value.value, str):
        statements = statements[1:]  # the docstring
    if not statements or not isinstance(statements[-1], ast.Return):
        raise fn.error(statements[-1] if statements else fn.node,
                       "the function must end with return (its output)")
    program: list[ast.stmt] = []
    for statement in statements:
        if isinstance(statement, ast.Return):
            if statement is not statements[-1]:
                raise fn.error(statement, "return before the end: only one return, the last line")
            if statement.value is None or isinstance(statement.value, ast.Tuple):
                raise fn.error(statement, "return one value (graphstep draws one output)")
            program.append(ast.copy_location(ast.Expr(statement.value), statement))
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if len(targets) != 1 or not isinstance(targets[0], ast.Name) or statement.value is None:
                raise fn.error(statement, "assign one name at a time (no unpacking, no a = b = ...)")
            program.append(ast.copy_location(ast.Assign(targets, statement.value), statement))
        else:
            raise fn.error(statement, f"{_STATEMENTS.get(type(statement), type(statement).__name__)} "
                                      "is not read; graphstep reads assignments and one return")
    return program


def _outside_names(fn: _Function, program: list[ast.stmt], parameters: list[str],
                   reader: _Reader) -> None:
    """The names read from outside the function: numbers and arrays become named constants."""
    local = set(parameters) | {s.targets[0].id for s in program if isinstance(s, ast.Assign)}
    for statement in program:
        for node in ast.walk(statement.value):  # translated already: shallow enough to walk
            if not isinstance(node, ast.Name) or node.id in local or node.id in reader.names:
                continue
            name = node.id
            if name in CONSTANTS or name in FUNCTIONS:
                continue
            if name not in fn.outside:
                raise fn.error(node, f"{name} is not defined (not a parameter, an assigned name or a "
                                     "global)")
            value = fn.outside[name]
            if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray)):
                raise fn.error(node, f"{name} is a {type(value).__name__} from outside the function; "
                                     "graphstep reads only numbers and arrays from there")
            try:
                reader.names[name] = give_name(trace.const(value), name)
            except InputError as error:
                raise fn.error(node, str(error)) from None


def function(f: Any, /, *, strict: bool = False, **values: Any) -> Graph:
    """The :class:`~graphstep.graph.Graph` of the numpy function ``f`` at ``values``, read from its source.

    ``f`` is never called: its source is read (see the module docstring for what it may
    contain). Assigned names label their nodes, parameters are the inputs, ``return``
    gives the output.

    Parameters
    ----------
    f : function
        A function written with ``def``, using numpy (or autograd.numpy, jax.numpy).
    strict : bool
        As for :func:`graphstep.parse`: domain problems raise instead of warning.
    **values
        A value for every parameter of ``f``.

    Returns
    -------
    Graph

    Raises
    ------
    ParseError
        What the source contains that graphstep does not read, naming the file and line.
    InputError
        A parameter without a value, or a value for no parameter.
    ShapeError
        Shapes that do not fit.

    Examples
    --------
    >>> import numpy as np
    >>> import graphstep as gs
    >>> def layer(x, W):
    ...     h = np.tanh(x @ W)
    ...     return np.sum(h ** 2)
    >>> g = gs.function(layer, x=np.ones(2), W=np.zeros((2, 3)))
    >>> g.value, [g.label(n) for n in range(len(g))]
    (0.0, ['x', 'W', 'u1', 'h', '2', 'u2', 'u3', 'u4'])
    >>> gs.function(layer, x=np.ones(2))
    Traceback (most recent call last):
    ...
    graphstep.errors.InputError: layer needs a value for its parameter W (give W=...)
    """
    fn = _Function(f)
    parameters = fn.parameters()
    missing = [p for p in parameters if p not in values]
    if missing:
        raise InputError(f"{fn.name} needs a value for its parameter{'s' * (len(missing) > 1)} "
                         f"{', '.join(missing)} (give {'=..., '.join(missing)}=...)")
    extra = [name for name in values if name not in parameters]
    if extra:
        what = "is not a parameter" if len(extra) == 1 else "are not parameters"
        raise InputError(f"{', '.join(extra)} {what} of {fn.name}; its parameters are: "
                         f"{', '.join(parameters) or 'none'}")
    for name in parameters:
        if name in FUNCTIONS or name in CONSTANTS:
            raise InputError(f"the parameter {name!r} of {fn.name} is a function or constant name; "
                             "call it something else")
    program = _body(fn)
    translator = _Translator(fn)
    for statement in program:
        statement.value = translator.translate(statement.value)
    reader = _Reader(fn.source, values)
    _outside_names(fn, program, parameters, reader)
    output = read_program(ast.Module(program, []), fn.source, reader)
    unused = [name for name in parameters if name not in reader.inputs]
    if unused:
        raise InputError(f"the parameter{'s' * (len(unused) > 1)} {', '.join(unused)} of {fn.name} "
                         f"{'is' if len(unused) == 1 else 'are'} not used by its output")
    return Graph(output, strict=strict)

