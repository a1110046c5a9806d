"""The ``hessian`` and ``memory`` commands: their arguments and the text they print.

:mod:`graphstep.cli` reads the expression and calls these; the mathematics is in
:mod:`graphstep.algorithms.hessian` and :mod:`graphstep.algorithms.memory`.

>>> import graphstep as gs
>>> print(hessian_text(gs.parse("x^2 * y", x=3.0, y=2.0), []))
Hessian of x^2 * y in x, y (2x2):
[[4. 6.]
 [6. 0.]]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

import numpy as np

from graphstep.algorithms.hessian import hessian
from graphstep.algorithms.memory import memory, saved
from graphstep.graph import Graph

__all__ = ["add_commands", "hessian_text", "memory_text"]


def add_commands(commands: argparse._SubParsersAction,
                 add_expression: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``hessian`` and ``memory`` to the command's subparsers.

    Parameters
    ----------
    commands : argparse._SubParsersAction
    add_expression : callable
        Adds EXPR, ``--at`` and ``--seed`` (the CLI's own helper).

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_commands(parser.add_subparsers(dest="command"), lambda p: p.add_argument("expression"))
    >>> parser.parse_args(["memory", "sin(x)", "--recompute", "u1"]).recompute
    ['u1']
    """
    command = commands.add_parser(
        "hessian", help="print the Hessian, from differentiating the backward pass",
        description="Print the Hessian of a scalar EXPR: the Jacobian of its backward graph "
                    "(rows and columns run over the entries of the inputs named, in order).",
        epilog="example: graphstep hessian 'x^2 * y + sin(x*y)' --at x=0.8 --at y=-0.4")
    add_expression(command)
    command.add_argument("--wrt", metavar="NAME", action="append", default=[],
                         help="an input (repeat for more; default: all)")
    command = commands.add_parser(
        "memory", help="print what the backward pass caches and the peak memory of each mode",
        description="List the forward values the backward pass reads (with their sizes), and "
                    "the peak memory of reverse mode against forward mode; --recompute drops "
                    "a value after the forward pass and computes it again when needed.",
        epilog="example: graphstep memory 'sin(sin(sin(x)))' --at x=0.5 --recompute u2")
    add_expression(command)
    command.add_argument("--recompute", metavar="LABEL", action="append", default=[],
                         help="a value to recompute instead of caching (repeat for more)")


def hessian_text(g: Graph, wrt: Sequence[str]) -> str:
    """The Hessian in the inputs ``wrt`` (all when empty), as ``graphstep hessian`` prints it.

    Parameters
    ----------
    g : Graph
    wrt : sequence of str

    Returns
    -------
    str
    """
    names = list(wrt) or g.inputs
    matrix = hessian(g, names)
    with np.printoptions(precision=6, suppress=True, linewidth=100):
        return (f"Hessian of {g.expr(g.output)} in {', '.join(names)} "
                f"({matrix.shape[0]}x{matrix.shape[1]}):\n{matrix}")


def memory_text(g: Graph, recompute: Sequence[str]) -> str:
    """The cached values and the memory report, as ``graphstep memory`` prints them.

    Parameters
    ----------
    g : Graph
    recompute : sequence of str

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> print(memory_text(gs.parse("exp(x)", x=0.0), []).splitlines()[-2])
    reverse mode: peak 16 B (one pass; 8 B of values cached for the backward pass)
    """
    return f"{saved(g)!r}\n\n{memory(g, recompute=list(recompute))!r}"
