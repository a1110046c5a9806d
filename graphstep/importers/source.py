"""``module.py:function`` on the command line: the user's own JAX function, read through JAX.

``graphstep render model.py:loss --at x=1.5`` imports ``model.py`` as Python (it is the
user's own code: importing it runs it, as ``python model.py`` would, minus its
``if __name__ == "__main__":`` part), takes the function ``loss`` and reads it with
:func:`~graphstep.importers.jax.from_jax` at the ``--at`` values, matched to its
arguments by name.

>>> is_function_spec("model.py:loss"), is_function_spec("x * exp(x)")
(True, False)
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from graphstep.errors import InputError
from graphstep.graph import Graph
from graphstep.importers.jax import from_jax

__all__ = ["is_function_spec", "load_function", "function_graph"]

_SPEC = re.compile(r"^\s*(?P<file>[^\s:][^:]*\.py):(?P<name>[A-Za-z_]\w*)\s*$")


def is_function_spec(text: str | None) -> bool:
    """Whether ``text`` names a function in a Python file (``path/to/model.py:loss``).

    Parameters
    ----------
    text : str or None

    Returns
    -------
    bool

    Examples
    --------
    >>> is_function_spec("nets/mlp.py:loss"), is_function_spec("x.py")
    (True, False)
    """
    return bool(text) and _SPEC.match(text) is not None


def load_function(spec: str) -> Callable:
    """Import the file of ``spec`` (``model.py:loss``) as a module and return the function.

    Parameters
    ----------
    spec : str

    Returns
    -------
    callable

    Raises
    ------
    InputError
        When the file does not exist, fails to import (the message gives the error) or
        has no such function.

    Examples
    --------
    >>> load_function("no/such/file.py:f")
    Traceback (most recent call last):
    ...
    graphstep.errors.InputError: no/such/file.py: no such file
    """
    match = _SPEC.match(spec)
    if match is None:
        raise InputError(f"{spec!r}: expected FILE.py:FUNCTION, for example model.py:loss")
    path, name = Path(match["file"]), match["name"]
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    module_name = f"graphstep_user_{abs(hash(str(path.resolve())))}"
    loader_spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(loader_spec)
    sys.path.insert(0, str(path.resolve().parent))  # the file's own imports of its neighbours
    try:
        loader_spec.loader.exec_module(module)
    except Exception as error:  # the user's file failed: one line, its reason
        raise InputError(f"{path}: importing it failed: {type(error).__name__}: "
                         f"{str(error).splitlines()[0] if str(error) else ''}") from error
    finally:
        sys.path.remove(str(path.resolve().parent))
    function = getattr(module, name, None)
    if not callable(function):
        found = sorted(k for k, v in vars(module).items()
                       if inspect.isfunction(v) and not k.startswith("_"))
        raise InputError(f"{path} has no function {name!r}; its functions: {', '.join(found)}")
    return function


def function_graph(spec: str, values: dict[str, Any]) -> Graph:
    """The graph of the function ``spec`` at ``values``, given by argument name.

    Parameters
    ----------
    spec : str
        ``FILE.py:FUNCTION``.
    values : dict
        A value for each positional argument of the function (keyword defaults are used
        when a name is missing).

    Returns
    -------
    Graph

    Raises
    ------
    InputError
        For an argument with no value, a value for no argument, or a problem loading.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "m.py"), "w") as file:
    ...     _ = file.write("import jax.numpy as jnp\\ndef f(x, y):\\n    return jnp.sin(x) * y\\n")
    >>> g = function_graph(os.path.join(folder, "m.py") + ":f", {"x": 0.0, "y": 2.0})
    >>> g.inputs, g.value
    (['x', 'y'], 0.0)
    """
    function = load_function(spec)
    parameters = [p for p in inspect.signature(function).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    args, names = [], []
    for p in parameters:
        if p.name in values:  # a nested list is an array here (for JAX it would be a pytree)
            value = values[p.name]
            args.append(np.asarray(value, dtype=float) if isinstance(value, list) else value)
            names.append(p.name)
        elif p.default is p.empty:
            raise InputError(f"{spec}: argument {p.name!r} has no value; give it with "
                             f"--at {p.name}=...")
        else:
            break
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise InputError(f"{spec}: --at {', '.join(unknown)}: not arguments of the function "
                         f"(it takes {', '.join(p.name for p in parameters)})")
    return from_jax(function, *args, argnames=names)
