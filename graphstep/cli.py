"""The ``graphstep`` command: render, grad, steps, repl and demo.

::

    graphstep render EXPR --at x=1.5 -o graph.svg
    graphstep grad   EXPR --at x=1.5                 # value, gradients, path table, gradcheck
    graphstep steps  EXPR --at x=1.5 --mode paths -o frames/ | player.html | anim.gif
    graphstep repl   EXPR --at x=1.5                 # interactive stepper in the terminal
    graphstep demo   [-o DIR]                        # the seed gallery

Bad input (an expression, a value, a shape, an option out of range, an output path
that cannot be written) exits with status 2 and one line on stderr. A bug in graphstep
exits with status 70 and one line (``internal error: ...``); ``--debug`` prints the
traceback as well. A piped ``repl`` in which some command failed exits with 2. An
interrupt exits with 130. No traceback is ever printed without ``--debug``. Domain
warnings print as one ``warning: ...`` line each. Output files are replaced only when
complete (:mod:`graphstep.export.files`): a failed or interrupted write leaves the old file.

>>> main(["grad", "x*y", "--at", "x=2", "--at", "y=3", "--no-check", "--wrt", "y"])
f = x*y   at x = 2, y = 3
value: 6
<BLANKLINE>
gradient (reverse accumulation):
  ∂f/∂y = 2
<BLANKLINE>
paths from the output back to y: 1
  #  path    factors  factor values  product
  1  u1 ← y  x        2              2
path sum 2 = reverse accumulation 2 (max difference 0)
0
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from graphstep import __version__, backward_commands
from graphstep.algorithms.paths import MAX_TABLE_PATHS
from graphstep.build.inputs import CONSTRUCTORS, parse_at
from graphstep.build.parse import parse
from graphstep.console import internal_error_text, one_line, warnings_as_lines
from graphstep.errors import GraphstepError, InputError
from graphstep.exercises import command as exercise_command
from graphstep.export.files import atomic_write
from graphstep.export.image import render
from graphstep.export.stepper import steps
from graphstep.export.steps_files import (
    StepsOutput,
    check_writable_directory,
    check_writable_file,
    steps_output_kind,
    write_steps,
)
from graphstep.formulas.backprop import backprop_formulas
from graphstep.gallery.site import build_demo
from graphstep.graph import Graph
from graphstep.importers.source import function_graph, is_function_spec
from graphstep.render.style import Style
from graphstep.repl import Repl
from graphstep.report import grad_report
from graphstep.steps.model import MODES
from graphstep.steps.select import step_index

__all__ = ["main", "build_parser", "load_graph", "steps_output_kind", "write_steps", "MODES",
           "EXIT_OK", "EXIT_USAGE", "EXIT_INCOMPLETE", "EXIT_INTERNAL", "EXIT_INTERRUPT"]

EXIT_OK = 0
#: Bad expressions, values, shapes, paths: one line on stderr.
EXIT_USAGE = 2
#: ``demo`` wrote what it could, but some files are missing (or a derivative disagrees).
EXIT_INCOMPLETE = 1
#: A bug in graphstep (an exception it did not expect): one line, or the traceback with --debug.
#: 70 is EX_SOFTWARE of BSD's sysexits.h, "internal software error".
EXIT_INTERNAL = 70
#: Interrupted with Ctrl-C.
EXIT_INTERRUPT = 130
#: Longest frame of a GIF or APNG, milliseconds (graphstep.export.svg.MAX_DURATION).
_MAX_DURATION = 60_000


_FRAME_FORMATS = ("svg", "svgz", "png", "tikz")
_HIDEABLE = ("values", "expressions", "locals", "adjoints", "tangents")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is ONE line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_USAGE)


def _whole_number(low: int, high: int | None = None, what: str = "a whole number"):
    """An argparse ``type``: an int from ``low`` to ``high`` (None: no upper bound)."""
    span = f"from {low:,} to {high:,}" if high is not None else f"{low} or more"

    def convert(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not {what} ({span})") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text[:40]} is out of range: {what} {span}")
        return value

    convert.__name__ = what  # argparse names the type in its messages
    return convert


_AT_HELP = ("give input NAME the value VALUE; repeat for each input (--at x=1.5 --at W=randn(3,2)). "
            "A value is a number, a nested list such as [[1,2],[3,4]], or one of "
            + ", ".join(f"{k}(...)" for k in CONSTRUCTORS) + ". Quote it for the shell.")


def _add_expression(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", metavar="EXPR", nargs="?", default=None,
                        help="the expression, e.g. 'x * exp(x^2)' (^ is power, ln is log); quote it. "
                             "A program names its steps: 'z = w*x + b; a = max(0, z)'. "
                             "Or FILE.py:FUNCTION, a JAX function in your own file (the file is "
                             "imported as Python: it runs), with --at giving each argument")
    parser.add_argument("--at", metavar="NAME=VALUE", action="extend", nargs="+", default=[],
                        help=_AT_HELP)
    parser.add_argument("--seed", type=_whole_number(0, None, "a seed"), default=None,
                        help="seed for randn()/rand() values (default 0, so runs repeat)")
    parser.add_argument("--strict", action="store_true",
                        help="treat a value outside an op's domain (log of a negative number, ...) "
                             "as an error instead of a warning")


def _add_stepping(parser: argparse.ArgumentParser, default_mode: str = "paths") -> None:
    parser.add_argument("--mode", choices=MODES, default=default_mode,
                        help=f"what the steps show (default {default_mode}): forward = values, "
                             "local = edge derivatives, paths = one path per step with the running "
                             "sum, reverse = reverse accumulation node by node, forward-mode = "
                             "tangents for --wrt")
    parser.add_argument("--wrt", metavar="NAME", default=None,
                        help="the input to differentiate with respect to (paths: all inputs in "
                             "turn when omitted; forward-mode: the first input)")


def _add_view(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--focus", metavar="NAMES", default=None,
                        help="draw only the paths from these inputs (comma-separated) to the output; "
                             "everything else is folded into leaves holding its values")
    parser.add_argument("--collapse", metavar="BLOCKS", default=None,
                        help="draw blocks as single nodes whose edges carry the block's total "
                             "derivative: 'blocks' (every top-level block), a depth (2), block names "
                             "(layer1,layer2), or 'none'; a graph too large to draw node by node is "
                             "collapsed by itself")
    parser.add_argument("--expand", metavar="BLOCKS", default=None,
                        help="blocks to open one level (comma-separated)")
    parser.add_argument("--hide-constants", action="store_true",
                        help="write constants inline instead of drawing them as nodes")


def _view_options(args: argparse.Namespace) -> dict:
    """``focus``, ``collapse``, ``expand``, ``hide_constants`` from the command line."""
    collapse = args.collapse
    if collapse is not None and collapse.strip().isdigit():
        collapse = int(collapse)
    return {"focus": args.focus, "collapse": collapse, "expand": args.expand,
            "hide_constants": args.hide_constants}


def _add_style(parser: argparse.ArgumentParser, static: bool = False) -> None:
    parser.add_argument("--direction", choices=("auto", "LR", "BT", "TB", "RL"), default=None,
                        help="layout direction: auto (default: left to right unless the picture "
                             "would be a long strip, then bottom to top), LR inputs on the left, "
                             "BT inputs at the bottom as in the seed documents, TB, RL")
    parser.add_argument("--hide", metavar="WHAT", action="append", default=[], choices=_HIDEABLE,
                        help="an annotation to leave out (repeat for more): " + ", ".join(_HIDEABLE))
    parser.add_argument("--precision", metavar="DIGITS", type=_whole_number(1, 17, "a number of digits"),
                        default=None,
                        help="significant digits of the numbers in the picture, 1 to 17 (default 4)")
    if static:
        parser.add_argument("--grad", action="store_true",
                            help="also write every node's adjoint (gradient) on the plain graph")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``graphstep`` command, with one sub-parser per command.

    Returns
    -------
    argparse.ArgumentParser
        The parser; a usage error makes it write one line on stderr and exit with 2.

    Examples
    --------
    >>> build_parser().parse_args(["grad", "x*y", "--at", "x=2", "y=3"]).at
    ['x=2', 'y=3']
    """
    parser = _Parser(
        prog="graphstep",
        description="Backpropagation made visible: an expression as a graph with local "
                    "derivatives on its edges, derivatives as sums over paths, reverse and "
                    "forward accumulation, every step drawn.",
        epilog="Run 'graphstep COMMAND --help' for a command's options. Exit status: 0 success; "
               "2 bad input (one line on stderr, no traceback), also a piped repl in which a command "
               "failed; 1 demo incomplete; 70 internal error (a bug in graphstep: one line, --debug "
               "prints the traceback); 130 interrupted. Output files are replaced only when complete.",
    )
    parser.add_argument("--version", action="version", version=f"graphstep {__version__}")
    parser.add_argument("--debug", action="store_true", default=False,
                        help="on an error, also print the Python traceback (for bug reports)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    render = commands.add_parser(
        "render", help="draw the graph (SVG, PNG, PDF, DOT by the output's suffix)",
        description="Draw the graph of EXPR: values on the nodes, local derivatives on the edges. "
                    "With --mode and --step, draw that step of a walk through it instead.",
        epilog="example: graphstep render 'x * exp(x^2)' --at x=1.5 -o graph.svg")
    _add_expression(render)
    render.add_argument("-o", "--output", metavar="FILE", required=True,
                        help="where to write; the format comes from the suffix: .svg .png .dot .gv "
                             "(and .pdf where the Graphviz backend can), .tex (a LaTeX document with "
                             "a TikZ picture) or .tikz (the picture alone, for \\input)")
    render.add_argument("--mode", choices=MODES, default=None,
                        help="draw a step of this walk instead of the plain graph")
    render.add_argument("--wrt", metavar="NAME", default=None, help="the input for --mode")
    render.add_argument("--step", metavar="K", default=None,
                        help="which step of --mode to draw: a number from 1, or 'first'/'last' "
                             "(default last)")
    render.add_argument("--backward", action="store_true",
                        help="draw the forward graph beside its backward pass (the adjoint graph; "
                             "--wrt names the input when there are several)")
    render.add_argument("--saved", action="store_true",
                        help="mark the forward values the backward pass caches, with their sizes")
    _add_view(render)
    _add_style(render, static=True)

    backward_commands.add_commands(commands, _add_expression)  # hessian, memory

    grad = commands.add_parser(
        "grad", help="print value, gradients, the table of paths and the gradient check",
        description="Print the value of EXPR, its gradient by reverse accumulation (the "
                    "Jacobian for a tensor output), for each input the table of paths from the "
                    "output back to it with their factors and products, the path sum against "
                    "reverse accumulation, and a check against central finite differences.",
        epilog="example: graphstep grad 'x * exp(x^2)' --at x=1.5")
    _add_expression(grad)
    grad.add_argument("--wrt", metavar="NAME", action="append", default=[],
                      help="report only this input (repeat for more; default: all)")
    grad.add_argument("--max-paths", metavar="N", type=_whole_number(0, None, "a number of paths"),
                      default=MAX_TABLE_PATHS,
                      help=f"list at most N paths per input; past that print their exact count "
                           f"(default {MAX_TABLE_PATHS})")
    grad.add_argument("--no-check", dest="check", action="store_false",
                      help="skip the finite-difference gradient check")
    grad.add_argument("--code", action="store_true",
                      help="print (or with -o write) the gradients as a standalone numpy module "
                           "instead: loss_and_grads() from the derived matrix formulas, and "
                           "check_grads()")
    grad.add_argument("-o", "--output", metavar="FILE", default=None,
                      help="with --code: the .py file to write")

    steps = commands.add_parser(
        "steps", help="step through a computation: frames, an HTML player or a GIF",
        description="Walk through EXPR step by step. Without -o, print every step as text. "
                    "With -o, the output's suffix picks what is written: a directory (a name "
                    "ending in / or without a suffix) gets numbered frames, .html a self-contained "
                    "player, .gif an animated GIF, .apng/.png an animated PNG, .tex Beamer slides "
                    "(one overlay per step; compile with pdflatex).",
        epilog="example: graphstep steps 'x * exp(x^2)' --at x=1.5 --mode paths -o player.html")
    _add_expression(steps)
    _add_stepping(steps)
    steps.add_argument("-o", "--output", metavar="OUT", default=None,
                       help="frames/ (a directory), player.html, anim.gif, anim.apng or slides.tex")
    steps.add_argument("--format", choices=_FRAME_FORMATS, default="svg",
                       help="the frames' format when OUT is a directory (default svg; tikz: one "
                            "TikZ picture per step)")
    steps.add_argument("--duration", metavar="MS", default=None,
                       type=_whole_number(1, _MAX_DURATION, "a number of milliseconds"),
                       help=f"milliseconds per frame of a GIF or APNG, 1 to {_MAX_DURATION} "
                            "(default 1500)")
    _add_view(steps)
    _add_style(steps)

    repl = commands.add_parser(
        "repl", help="step through a computation interactively in the terminal",
        description="An interactive stepper: n/p to move, g N to jump, mode NAME [WRT], paths, "
                    "show, save, help, q. Commands may also be piped on standard input.",
        epilog="example: graphstep repl 'x * exp(x^2)' --at x=1.5 --mode reverse")
    _add_expression(repl)
    _add_stepping(repl)
    repl.add_argument("-o", "--output", metavar="DIR", default=None,
                      help="where 'show' and 'save' write (default: ./graphstep-repl)")

    demo = commands.add_parser(
        "demo", help="build the seed gallery: pictures, players, GIFs and an index page",
        description="Build the gallery of worked examples from the seed documents: for each, a "
                    "static SVG, a step player (HTML) and a GIF, and an index.html linking them "
                    "with the expression, the gradient against the hand-derived closed form, "
                    "and notes.",
        epilog="example: graphstep demo && open graphstep-demo/index.html. Exit status 1 when "
               "some files could not be made (no Graphviz executable, say): the rest is still written.")
    demo.add_argument("-o", "--output", metavar="DIR", default="graphstep-demo",
                      help="the directory to build into (default ./graphstep-demo)")
    demo.add_argument("--only", metavar="NAME", action="extend", nargs="+", default=[],
                      help="build only these examples (names as in graphstep.gallery.examples.EXAMPLES)")
    demo.add_argument("--no-gif", dest="gif", action="store_false", help="skip the GIFs (faster)")
    demo.add_argument("--jobs", "-j", metavar="N", type=_whole_number(1, None, "a number of workers"),
                      default=None, help="worker processes, 1 or more (default: the number of CPUs)")
    exercise_command.add_parser(commands)
    for sub in commands.choices.values():  # --debug after the command works too
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="on an error, also print the Python traceback (for bug reports)")
    return parser


# --- shared helpers -------------------------------------------------------------------
def load_graph(args: argparse.Namespace) -> Graph:
    """Parse ``args.expression`` at the ``--at`` values.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments with ``expression``, ``at``, ``seed`` and ``strict``.

    Returns
    -------
    Graph
        The expression's graph, evaluated at the values.

    Raises
    ------
    GraphstepError
        For a bad expression or value (a ``DomainError`` with ``--strict``).

    Examples
    --------
    >>> args = build_parser().parse_args(["grad", "x*y", "--at", "x=2", "y=3"])
    >>> load_graph(args).value
    6.0
    """
    values = parse_at(args.at, seed=args.seed)
    if is_function_spec(args.expression):  # model.py:loss, read through JAX
        return function_graph(args.expression, values)
    return parse(args.expression, strict=args.strict, **values)


def _style(args: argparse.Namespace) -> Style:
    """A ``Style`` from ``--direction``, ``--hide``, ``--precision`` and ``--grad``."""
    options: dict[str, Any] = {name: False for name in getattr(args, "hide", [])}
    if getattr(args, "direction", None) is not None:
        options["direction"] = args.direction
    if getattr(args, "precision", None) is not None:
        options["precision"] = args.precision
    if getattr(args, "grad", False):
        options["grad"] = True
    return Style(**options)


def _pick_step(stepper: Any, which: str) -> None:
    total = len(stepper)
    try:
        index = step_index(which, total)
    except ValueError:
        raise InputError(f"--step {which!r}: expected a number from 1 to {total}, first or "
                         "last") from None
    except IndexError:
        raise InputError(f"--step {which}: this walk has steps 1 to {total}") from None
    stepper.goto(index)


# --- the commands ----------------------------------------------------------------------
def _say(args: argparse.Namespace, text: object) -> None:
    """Print ``text`` after the warnings recorded so far, so a terminal shows them in order."""
    flush = getattr(args, "flush_warnings", None)
    if flush is not None:
        flush()
    print(text)


def _cmd_render(args: argparse.Namespace) -> int:
    if args.backward or args.saved:
        if args.mode is not None or args.step is not None:
            raise InputError("--backward and --saved draw the graph: leave out --mode and --step")
        g = load_graph(args)
        written = render(g, check_writable_file(args.output), style=_style(args),
                         backward=(args.wrt or True) if args.backward else False, saved=args.saved)
        _say(args, f"wrote {written}")
        return EXIT_OK
    if args.mode is None and (args.step is not None or args.wrt is not None):
        raise InputError("--step and --wrt pick a step of a walk: give --mode too (e.g. --mode paths)")
    output = check_writable_file(args.output)
    g = load_graph(args)
    style = _style(args)
    target: Any = g
    view = _view_options(args)
    if args.mode is not None:
        target = steps(g, mode=args.mode, wrt=args.wrt, **view)
        _pick_step(target, args.step or "last")
        view = {}
    written = render(target, output, style=style, **view)
    _say(args, f"wrote {written}")
    return EXIT_OK


def _cmd_hessian(args: argparse.Namespace) -> int:
    _say(args, backward_commands.hessian_text(load_graph(args), args.wrt))
    return EXIT_OK


def _cmd_memory(args: argparse.Namespace) -> int:
    _say(args, backward_commands.memory_text(load_graph(args), args.recompute))
    return EXIT_OK


def _cmd_grad(args: argparse.Namespace) -> int:
    if args.output is not None and not args.code:
        raise InputError("-o writes the numpy code of --code: add --code")
    if args.code:
        output = check_writable_file(args.output) if args.output is not None else None
        source = backprop_formulas(load_graph(args)).to_python()
        if output is None:
            _say(args, source.rstrip())
        else:
            _say(args, f"wrote {atomic_write(output, source)}")
        return EXIT_OK
    g = load_graph(args)
    _say(args, grad_report(g, wrt=args.wrt or None, max_paths=args.max_paths, check=args.check))
    return EXIT_OK


def _cmd_steps(args: argparse.Namespace) -> int:
    if args.output is not None:
        if steps_output_kind(args.output) is StepsOutput.FRAMES:
            check_writable_directory(Path(args.output))
        else:
            check_writable_file(args.output)
    g = load_graph(args)
    stepper = steps(g, mode=args.mode, wrt=args.wrt, **_view_options(args))
    if args.output is None:
        for k, step in enumerate(stepper):
            _say(args, f"{'' if k == 0 else chr(10)}[step {k + 1} of {len(stepper)}]")
            _say(args, step)
        return EXIT_OK
    written = write_steps(stepper, args.output, fmt=args.format, style=_style(args),
                          duration=args.duration)
    if steps_output_kind(args.output) is StepsOutput.FRAMES:
        _say(args, f"wrote {len(written)} frames to {args.output}")
    else:
        _say(args, f"wrote {written[0]} ({len(stepper)} step{'s' * (len(stepper) != 1)})")
    return EXIT_OK


def _cmd_repl(args: argparse.Namespace) -> int:
    g = load_graph(args)
    repl = Repl(g, mode=args.mode, wrt=args.wrt, directory=args.output, debug=args.debug,
                flush_warnings=getattr(args, "flush_warnings", None))
    return repl.run()


def _cmd_demo(args: argparse.Namespace) -> int:
    result = build_demo(args.output, only=args.only or None, gif=args.gif, jobs=args.jobs,
                        log=lambda line: _say(args, line))
    return EXIT_OK if result.ok else EXIT_INCOMPLETE


def _cmd_exercise(args: argparse.Namespace) -> int:
    written = exercise_command.run(args)
    _say(args, f"wrote {len(written)} files ({args.students} sheet{'s' * (args.students != 1)} and "
               f"their keys) to {args.output}")
    return EXIT_OK


_COMMANDS = {"hessian": _cmd_hessian, "memory": _cmd_memory,
             "exercise": _cmd_exercise, "render": _cmd_render, "grad": _cmd_grad, "steps": _cmd_steps,
             "repl": _cmd_repl, "demo": _cmd_demo}


# --- entry point ------------------------------------------------------------------------
def _expression_last(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--at x=1 y=2 EXPR``: the expression was taken as one more value; take it back."""
    if not hasattr(args, "expression") or args.expression is not None or getattr(args, "random", False):
        return
    if args.at and not re.match(r"\s*[^\W\d]\w*\s*=", args.at[-1]):
        args.expression = args.at.pop()
        return
    commands = {name: sub for action in parser._actions
                if isinstance(action, argparse._SubParsersAction) for name, sub in action.choices.items()}
    commands[args.command].error("the following arguments are required: EXPR")


def _os_error_text(error: OSError) -> str:
    where = error.filename if error.filename is not None else ""
    reason = error.strerror or str(error)
    return f"cannot write {where}: {reason}" if where else f"cannot write: {reason}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``graphstep`` command with ``argv``; the exit status.

    Never raises and never prints a traceback (except with ``--debug``): bad input is one
    line and status 2, an unexpected exception one ``internal error`` line and status 70.
    Warnings print as one ``warning: ...`` line each on stderr; no process-wide state
    (warning filters, ``warnings.showwarning``) is changed after it returns.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        :data:`EXIT_OK`, :data:`EXIT_USAGE`, :data:`EXIT_INCOMPLETE`, :data:`EXIT_INTERNAL`
        or :data:`EXIT_INTERRUPT`.

    Examples
    --------
    >>> main(["grad", "2*x", "--at", "x=oops"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        _expression_last(parser, args)
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPT
    except Exception as error:  # argparse itself failed: still no traceback without --debug
        return _internal_error("graphstep", error, debug="--debug" in (argv or sys.argv[1:]))
    name = f"graphstep {args.command}"
    try:
        with warnings_as_lines() as flush:  # each warning one line, shown before what follows it
            args.flush_warnings = flush
            return _COMMANDS[args.command](args)
    except GraphstepError as error:
        _debug_traceback(args.debug)
        sys.stderr.write(f"{name}: error: {one_line(error)}\n")
        return EXIT_USAGE
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            _quiet_broken_pipe()
            return EXIT_OK
        _debug_traceback(args.debug)
        sys.stderr.write(f"{name}: error: {one_line(_os_error_text(error))}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write(f"{name}: interrupted\n")
        return EXIT_INTERRUPT
    except Exception as error:
        return _internal_error(name, error, debug=args.debug)


def _internal_error(name: str, error: BaseException, debug: bool) -> int:
    _debug_traceback(debug)
    sys.stderr.write(f"{name}: {internal_error_text(error)}\n")
    return EXIT_INTERNAL


def _debug_traceback(debug: bool) -> None:
    if debug:
        traceback.print_exc(file=sys.stderr)


def _quiet_broken_pipe() -> None:
    # stdout's reader went away (| head): point stdout at devnull so the exit flush is quiet
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
