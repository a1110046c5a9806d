"""``graphstep repl``: step through a computation interactively in the terminal.

Commands (one per line; piped standard input works the same, without prompts)::

    n [K], next        forward one step (or K)      p [K], prev   back one step (or K)
    g N, goto N        jump to step N (1-based; first, last, -1 = last)
    . , l, step        print the current step again  list          every step's title
    mode NAME [WRT]    switch mode (forward, local, paths, reverse, forward-mode)
    wrt NAME           the input to differentiate with respect to
    paths [NAME]       the table of paths, factors and products, and their sum
    grad               value, gradients and the tables of paths
    show [FILE|png]    write the current step's picture and print where
    save [OUT]         write the player and all frames (or OUT: dir/, .html, .gif, .apng)
    help [CMD], ?      this list                     q, quit, exit  leave (Ctrl-D too)

>>> import io, graphstep as gs
>>> out = io.StringIO()
>>> repl = Repl(gs.parse("x * exp(x^2)", x=1.5), mode="paths", stdout=out, stderr=out)
>>> repl.run(io.StringIO("paths\\nq\\n"))
0
>>> "42.6948" in out.getvalue()
True

Piped commands that fail still run the rest, but the exit status is then
:data:`FAILED` (2), so a script notices; an interactive session always exits 0.

>>> Repl(gs.parse("2*x", x=1.0), stdout=out, stderr=out).run(io.StringIO("n\\nfly\\nq\\n"))
2
"""

from __future__ import annotations

import shlex
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from graphstep.console import internal_error_text, one_line
from graphstep.errors import GraphstepError, InputError
from graphstep.export.stepper import steps
from graphstep.graph import Graph
from graphstep.repl_commands import ALIASES, HELP, ReplCommands
from graphstep.report import inputs_text
from graphstep.steps.model import MODES

__all__ = ["Repl", "COMMANDS", "HELP", "FAILED", "DEFAULT_DIRECTORY"]

#: Exit status of a piped (non-interactive) session in which some command failed.
FAILED = 2
#: Where ``show`` and ``save`` write by default, in the working directory.
DEFAULT_DIRECTORY = "graphstep-repl"

#: Every command word the REPL understands (aliases included).
COMMANDS = tuple(ALIASES)


class Repl(ReplCommands):
    """An interactive stepper over graph ``g``; :meth:`run` reads commands until ``q``/EOF.

    Parameters
    ----------
    g : Graph
        The graph to step through.
    mode : str, optional
        The first walk's mode (``paths`` by default; see :func:`graphstep.steps`).
    wrt : str, optional
        The input to differentiate with respect to.
    directory : str or Path, optional
        Where ``show`` and ``save`` write (default: :data:`DEFAULT_DIRECTORY` in the
        working directory, made on first use, where a student finds the files again).
    stdout, stderr : file-like, optional
        Where output and the one-line error messages go (default: ``sys.stdout`` and
        ``sys.stderr``).
    debug : bool, optional
        Print the traceback of an internal error too.
    flush_warnings : callable, optional
        Called before every line the session writes. The ``graphstep`` command passes
        the function that writes the warnings recorded so far as one line each
        (:func:`graphstep.console.warnings_as_lines`), so they come out in order.

    Raises
    ------
    InputError
        For an unknown mode or input.

    Examples
    --------
    >>> import io, graphstep as gs
    >>> out = io.StringIO()
    >>> Repl(gs.parse("2*x", x=1.0), mode="reverse", stdout=out).run(io.StringIO("g last\\nq\\n"))
    0
    >>> [line for line in out.getvalue().splitlines() if line.startswith("[step")]
    ['[step 1 of 3 (reverse)]', '[step 3 of 3 (reverse)]']
    """

    def __init__(self, g: Graph, mode: str = "paths", wrt: str | None = None,
                 directory: str | Path | None = None, stdout: IO[str] | None = None,
                 stderr: IO[str] | None = None, debug: bool = False,
                 flush_warnings: Callable[[], None] | None = None):
        self.graph = g
        self.debug = debug
        self._flush_warnings = flush_warnings
        #: How many commands have failed (each printed one ``error:`` line).
        self.failures = 0
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self._directory = Path(directory) if directory is not None else None
        self.stepper = self._make_stepper(mode, wrt)

    # --- the stepper -------------------------------------------------------------------
    def _make_stepper(self, mode: str, wrt: str | None) -> Any:
        if mode not in MODES:
            raise InputError(f"unknown mode {mode!r}; the modes are: {', '.join(MODES)}")
        if wrt is not None:
            self.graph.input_node(wrt)  # an InputError naming the inputs
        return steps(self.graph, mode=mode, wrt=wrt)

    @property
    def directory(self) -> Path:
        """Where ``show`` and ``save`` write; created on first use.

        Returns
        -------
        Path

        Examples
        --------
        >>> import graphstep as gs, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> Repl(gs.parse("2*x", x=1.0), directory=folder).directory == Path(folder)
        True
        """
        if self._directory is None:
            self._directory = Path.cwd() / DEFAULT_DIRECTORY
        self._directory.mkdir(parents=True, exist_ok=True)
        return self._directory

    def _where(self) -> str:
        s = self.stepper
        wrt = f", wrt {s.wrt}" if getattr(s, "wrt", None) else ""
        return f"step {s.index + 1} of {len(s)} ({s.mode}{wrt})"

    # --- output --------------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        r"""Write ``text`` and a new line to ``stdout``.

        Parameters
        ----------
        text : str
            One or more lines (a line break is added).

        Examples
        --------
        >>> import io, graphstep as gs
        >>> session = Repl(gs.parse("2*x", x=1.0), stdout=io.StringIO(), stderr=io.StringIO())
        >>> session.say("hello"); session.stdout.getvalue()
        'hello\n'
        """
        self._warnings()
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def complain(self, text: str) -> None:
        r"""Write ``error: TEXT`` on one line to ``stderr`` and count a failure.

        Parameters
        ----------
        text : str
            The message.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> session = Repl(gs.parse("2*x", x=1.0), stdout=io.StringIO(), stderr=io.StringIO())
        >>> session.complain("bad"); session.stderr.getvalue()
        'error: bad\n'
        """
        self._warnings()
        self.failures += 1
        self.stderr.write("error: " + one_line(text) + "\n")
        self.stderr.flush()

    def show_current(self) -> None:
        """Print where the walk is and the current step."""
        self.say(f"[{self._where()}]")
        self.say(str(self.stepper.current))

    def banner(self) -> None:
        """Print the expression, the walk's length, the commands and the current step."""
        g = self.graph
        at = inputs_text(g)
        self.say(f"graphstep repl: {g.expr(g.output)}" + (f" at {at}" if at else ""))
        count = len(self.stepper)
        self.say(f"{count} step{'s' * (count != 1)} in mode {self.stepper.mode}; commands: n, p, g N, "
                 "mode NAME [WRT], paths, show, save, help, q")
        self.show_current()

    # --- the loop ------------------------------------------------------------------------
    def run(self, stdin: IO[str] | None = None) -> int:
        """Read and run commands until ``q`` or end of input; the exit status.

        Parameters
        ----------
        stdin : file-like, optional
            Where commands come from (default ``sys.stdin``). At a terminal the session
            prompts, edits lines with readline and takes Enter as ``next``.

        Returns
        -------
        int
            0, or :data:`FAILED` when standard input is not a terminal and a command failed.

        Examples
        --------
        >>> import io, graphstep as gs
        >>> Repl(gs.parse("2*x", x=1.0), stdout=io.StringIO(), stderr=io.StringIO()).run(
        ...     io.StringIO("fly\\nq\\n"))
        2
        """
        stdin = stdin if stdin is not None else sys.stdin
        interactive = _isatty(stdin) and stdin is sys.stdin
        if interactive:
            _setup_readline(self._complete)
        self.banner()
        while True:
            if interactive:
                try:
                    line = input("graphstep> ")
                except EOFError:
                    self.say()
                    return self._status(interactive)
                except KeyboardInterrupt:
                    self.say("^C (q or Ctrl-D leaves)")
                    continue
                if not line.strip():
                    line = "next"  # Enter steps forward, as in a debugger
            else:
                line = stdin.readline()
                if not line:
                    return self._status(interactive)
            try:
                if not self.execute(line):
                    return self._status(interactive)
            except KeyboardInterrupt:
                if not interactive:
                    raise
                self.say("interrupted")

    def _status(self, interactive: bool) -> int:
        return FAILED if self.failures and not interactive else 0

    def execute(self, line: str) -> bool:
        """Run one command line; False when it asks to quit. Errors print one line.

        Parameters
        ----------
        line : str
            A command and its arguments (``#`` starts a comment).

        Returns
        -------
        bool
            False for ``q``/``quit``/``exit``, else True (also when the command failed).

        Examples
        --------
        >>> import io, graphstep as gs
        >>> err = io.StringIO()
        >>> Repl(gs.parse("2*x", x=1.0), stdout=io.StringIO(), stderr=err).execute("g 9")
        True
        >>> err.getvalue()
        'error: goto 9: there are steps 1 to 2\\n'
        """
        try:
            words = shlex.split(line, comments=True)
        except ValueError as error:
            self.complain(f"cannot read {line.strip()!r}: {error}")
            return True
        if not words:
            return True
        word, rest = words[0].lower(), words[1:]
        name = ALIASES.get(word)
        if name is None:
            self.complain(f"unknown command {word!r}; type help for the list")
            return True
        if name == "quit":
            return False
        handler: Callable[[list[str]], None] = getattr(self, f"do_{name}")
        try:
            handler(rest)
        except GraphstepError as error:
            self.complain(str(error))
        except OSError as error:
            where = f" {error.filename}" if error.filename is not None else ""
            self.complain(f"cannot write{where}: {error.strerror or error}")
        except Exception as error:  # a bug: say so in one line and keep the session
            if self.debug:
                traceback.print_exc(file=self.stderr)
            self.complain(internal_error_text(error))
        self._warnings()
        return True

    def _warnings(self) -> None:
        if self._flush_warnings is not None:
            self._flush_warnings()

    # --- line editing --------------------------------------------------------------------
    def _complete(self, text: str, state: int) -> str | None:
        import readline

        line = readline.get_line_buffer()
        words = line.split()
        if len(words) <= 1 and not line.endswith(" "):
            options = [w for w in ALIASES if len(w) > 1]
        elif words[0] in ("mode", "m") and (len(words) == 1 or (len(words) == 2 and not line.endswith(" "))):
            options = list(MODES)
        else:
            options = list(self.graph.inputs) + ["svg", "png", "first", "last"]
        matches = [w + " " for w in options if w.startswith(text)]
        return matches[state] if state < len(matches) else None


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _setup_readline(completer: Callable[[str, int], str | None]) -> None:
    """Line editing and completion for ``input()`` where the platform has readline."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return
    readline.set_completer(completer)
    readline.set_completer_delims(" \t")
    if "libedit" in (readline.__doc__ or ""):  # pragma: no cover - macOS
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
