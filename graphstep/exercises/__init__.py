"""Exercises: hide part of a graph, let the student fill it in, check it.

:func:`exercise` makes a :class:`Worksheet` (an HTML sheet checked in the browser,
printable pages, an answer key); :func:`random_expression` makes a fresh expression
from the op table. The ``graphstep exercise`` command writes a sheet and a key per
student.

>>> import graphstep as gs
>>> ws = gs.exercise(gs.parse("x * exp(x^2)", x=1.5), hide="adjoints")
>>> [q.text for q in ws.questions]
['ū₂ = ∂u₃/∂u₂ = ?', 'ū₁ = ∂u₃/∂u₁ = ?', 'x̄ = ∂u₃/∂x = ?']
"""

from graphstep.exercises.model import Question
from graphstep.exercises.worksheet import Worksheet, exercise

__all__ = ["exercise", "Worksheet", "Question"]
