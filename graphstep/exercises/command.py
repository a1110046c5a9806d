"""``graphstep exercise``: worksheets and answer keys for a class, one pair per student.

::

    graphstep exercise 'x * exp(x^2)' --at 'x=rand()' --students 30 --seed 7 -o sheets/
    graphstep exercise --random --ops 'sin,exp,*,+' --depth 3 --seed 1 -o sheets/

Student ``k`` (from 1) draws the ``rand``/``randn`` values of ``--at`` from
``numpy.random.default_rng([seed, k])``, rounded to 4 decimals: the same seed gives the
same sheets, and each student their own numbers. ``rand()`` and ``randn()`` without dimensions draw one
number (a scalar input). ``--random`` draws the expression from ``--seed`` (the same
for the whole class) and each student's input values in ``[0.2, 2.0]`` (one decimal,
redrawn until every op is in its domain). Each sheet ``sheet-01.html`` gets its key
``key-01.html`` (``--format pdf``: ``sheet-01.pdf`` and ``key-01.pdf``).

>>> import tempfile
>>> out = tempfile.mkdtemp()
>>> args = build(["x*y", "--at", "x=rand()", "--at", "y=2", "--students", "2", "-o", out])
>>> [p.name for p in run(args)]
['sheet-1.html', 'key-1.html', 'sheet-2.html', 'key-2.html']
"""

from __future__ import annotations

import argparse
import errno
import re
from pathlib import Path
from typing import Any

import numpy as np

from graphstep.build.inputs import DEFAULT_SEED, parse_assignment
from graphstep.build.parse import parse
from graphstep.errors import GraphstepError, InputError, WriteError
from graphstep.exercises.model import CATEGORIES, DEFAULT_TOLERANCE, LEVELS
from graphstep.exercises.random_expr import DEFAULT_OPS, MAX_DEPTH, random_graph
from graphstep.exercises.worksheet import Worksheet, exercise
from graphstep.graph import Graph

__all__ = ["add_parser", "run", "build", "student_values", "MAX_STUDENTS", "FORMATS"]

#: Most sheets one command writes.
MAX_STUDENTS = 500
#: The sheet formats (the key is written in the same one; ``html`` keys are HTML pages).
FORMATS = ("html", "pdf", "svg", "png")
_SCALAR = re.compile(r"^\s*([^\W\d]\w*)\s*=\s*(rand|randn)\(\s*\)\s*$")
_DRAWS = 200


def _count(low: int, high: int, what: str):
    def convert(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not {what} ({low} to {high})") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text[:40]} is out of range: {what} from {low} to {high}")
        return value

    convert.__name__ = what
    return convert


def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text[:40]}: the relative tolerance is between 0 and 1")
    return value


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the ``exercise`` command to the ``graphstep`` command's sub-parsers.

    Parameters
    ----------
    commands : argparse sub-parsers action
        What ``ArgumentParser.add_subparsers`` returned.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> build(["x", "--at", "x=1", "--level", "2"]).level
    2
    """
    parser = commands.add_parser(
        "exercise", help="worksheets with blanks, checked in the browser, and answer keys",
        description="Make a worksheet from EXPR: the hidden quantities are numbered blanks on the "
                    "picture and questions below it. The HTML sheet checks each answer in the browser "
                    "and can show the step that computes it (practice, not exams: the answers are in "
                    "the file; --no-answers leaves them out). Each sheet gets an answer key with the "
                    "worked steps. With --students N, each student gets their own rand()/randn() "
                    "values, drawn reproducibly from --seed and the student's number.",
        epilog="example: graphstep exercise 'x * exp(x^2)' --at 'x=rand()' --students 30 --seed 7 -o sheets/")
    parser.add_argument("expression", metavar="EXPR", nargs="?", default=None,
                        help="the expression (or a program); leave out with --random")
    parser.add_argument("--at", metavar="NAME=VALUE", action="extend", nargs="+", default=[],
                        help="an input's value, as for render (rand() and randn() draw one number "
                             "per student; rand(3) a vector)")
    parser.add_argument("--seed", metavar="N", type=_count(0, 2**63 - 1, "a seed"), default=None,
                        help="seed of the students' values and of --random (default 0)")
    parser.add_argument("--strict", action="store_true", help="a value outside an op's domain is an error")
    parser.add_argument("--students", metavar="N", default=1,
                        type=_count(1, MAX_STUDENTS, "a number of students"),
                        help=f"how many sheets, each with its own values (1 to {MAX_STUDENTS}, default 1)")
    parser.add_argument("--level", metavar="1..3", type=_count(1, 3, "a level"), default=None,
                        help="what is hidden: 1 values; 2 and local derivatives; 3 and adjoints, paths "
                             "and path sums (default: --hide, or level 3)")
    parser.add_argument("--hide", metavar="WHAT", action="append", default=[],
                        help=f"hide a category ({', '.join(CATEGORIES)}) or a node's value by its "
                             "label (u2); repeat for more")
    parser.add_argument("--no-answers", dest="answers", action="store_false",
                        help="an HTML sheet without the answers and without checking (use the key)")
    parser.add_argument("--tolerance", metavar="REL", type=_tolerance, default=DEFAULT_TOLERANCE,
                        help=f"relative tolerance of the checks (default {DEFAULT_TOLERANCE:g})")
    parser.add_argument("--format", choices=FORMATS, default="html",
                        help="the sheets' and keys' format (default html)")
    parser.add_argument("-o", "--output", metavar="DIR", default="graphstep-exercise",
                        help="the folder to write into (default ./graphstep-exercise)")
    parser.add_argument("--random", action="store_true", help="a fresh random expression from --ops")
    parser.add_argument("--ops", metavar="OPS", default=",".join(DEFAULT_OPS),
                        help=f"with --random: ops of the table to use (default {','.join(DEFAULT_OPS)})")
    parser.add_argument("--depth", metavar="N", type=_count(1, MAX_DEPTH, "a depth"), default=3,
                        help=f"with --random: levels of ops, 1 to {MAX_DEPTH} (default 3)")
    return parser


def build(argv: list[str]) -> argparse.Namespace:
    """The arguments of ``graphstep exercise`` read alone (for tests and examples).

    Parameters
    ----------
    argv : list of str
        The arguments after ``exercise``.

    Returns
    -------
    argparse.Namespace

    Examples
    --------
    >>> build(["x", "--students", "3"]).students
    3
    """
    root = argparse.ArgumentParser(prog="graphstep")
    add_parser(root.add_subparsers(dest="command"))
    return root.parse_args(["exercise", *argv])


def student_values(items: list[str], seed: int | None, student: int) -> dict[str, Any]:
    """The ``--at`` values of student ``student`` (from 1): random ones drawn from
    ``default_rng([seed, student])`` and rounded to 4 decimals (as the sheet prints them);
    ``rand()``/``randn()`` draw one number.

    Parameters
    ----------
    items : list of str
        ``NAME=VALUE`` texts.
    seed : int or None
        The class's seed (None: 0).
    student : int

    Returns
    -------
    dict

    Raises
    ------
    InputError
        For a bad value.

    Examples
    --------
    >>> a, b = student_values(["x=rand()"], 7, 1), student_values(["x=rand()"], 7, 2)
    >>> a == student_values(["x=rand()"], 7, 1), a != b, 0 <= a["x"] < 1
    (True, True, True)
    """
    rng = np.random.default_rng([DEFAULT_SEED if seed is None else seed, student])
    values: dict[str, Any] = {}
    for item in items:
        scalar = _SCALAR.match(item)
        if scalar:
            name, kind = scalar.groups()
            draw = rng.random() if kind == "rand" else rng.standard_normal()
            values[name] = round(float(draw), 4)
        else:
            name, value = parse_assignment(item, rng=rng)
            values[name] = np.round(value, 4) if "rand" in item else value  # numbers a sheet can print
    return values


def _random_values(text: str, g: Graph, seed: int, student: int) -> Graph:
    rng = np.random.default_rng([seed, student])
    for _ in range(_DRAWS):
        values = {name: round(float(rng.uniform(0.2, 2.0)), 1) for name in g.inputs}
        try:
            return parse(text, strict=True, **values)
        except GraphstepError:
            continue
    raise InputError(f"no in-domain values for {text} for student {student}; try another --seed")


def _hide(args: argparse.Namespace) -> list:
    hide = list(LEVELS[args.level]) if args.level is not None else []
    hide += [item for item in args.hide if item not in hide]
    return hide or list(LEVELS[3])


def _sheets(args: argparse.Namespace) -> list[Worksheet]:
    seed = DEFAULT_SEED if args.seed is None else args.seed
    hide = _hide(args)
    if args.random:
        if args.expression is not None or args.at:
            raise InputError("--random draws the expression and its values: leave out EXPR and --at")
        text, drawn = random_graph(args.ops, args.depth, seed)
        graphs = [_random_values(text, drawn, seed, k) for k in range(1, args.students + 1)]
    else:
        if args.expression is None:
            raise InputError("give an expression, e.g. graphstep exercise 'x * exp(x^2)' --at x=1.5, "
                             "or --random")
        graphs = [parse(args.expression, strict=args.strict, **student_values(args.at, seed, k))
                  for k in range(1, args.students + 1)]
    return [exercise(g, hide=hide, tolerance=args.tolerance) for g in graphs]


def run(args: argparse.Namespace) -> list[Path]:
    """Write every student's sheet and key into ``args.output``; the files written.

    Parameters
    ----------
    args : argparse.Namespace
        As :func:`add_parser` reads them.

    Returns
    -------
    list of Path
        Sheet then key, student by student.

    Raises
    ------
    GraphstepError
        For a bad expression, value, option or output folder.

    Examples
    --------
    >>> import tempfile
    >>> args = build(["--random", "--seed", "1", "--level", "1", "-o", tempfile.mkdtemp()])
    >>> [p.name for p in run(args)]
    ['sheet.html', 'key.html']
    """
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise WriteError(errno.ENOTDIR, "it is a file, and sheets need a folder", str(folder))
    sheets = _sheets(args)
    digits = len(str(len(sheets)))
    written: list[Path] = []
    for k, ws in enumerate(sheets, start=1):
        tag = f"-{k:0{digits}d}" if len(sheets) > 1 else ""
        written += ws.save(folder / f"sheet{tag}.{args.format}", answers=args.answers)
        written += ws.answer_key(folder / f"key{tag}.{args.format}")
    return written
