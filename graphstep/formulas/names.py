"""How the formulas write names: adjoints (``G_u1`` or ``ū1``) and labels in LaTeX.

>>> adjoint_name("u1"), adjoint_name("u1", "bar"), latex_name("W1")
('G_u1', 'ū1', 'W_{1}')
"""

from __future__ import annotations

from graphstep.errors import InputError
from graphstep.text import overline

__all__ = ["NOTATIONS", "check_notation", "adjoint_name", "latex_name"]

#: How adjoints are written in text: ``"G"`` (``G_u1``, the seeds' notation) or ``"bar"`` (``ū1``).
NOTATIONS = ("G", "bar")

def check_notation(notation: str) -> str:
    """Return ``notation`` if it is one of :data:`NOTATIONS`, else raise an InputError.

    Parameters
    ----------
    notation : str
        ``"G"`` or ``"bar"``.

    Returns
    -------
    str
        ``notation`` itself.

    Raises
    ------
    InputError
        For any other value.

    Examples
    --------
    >>> check_notation("bar")
    'bar'
    """
    if notation not in NOTATIONS:
        raise InputError(f"notation must be 'G' (G_u1) or 'bar' (ū1), got {notation!r}")
    return notation

def adjoint_name(label: str, notation: str = "G") -> str:
    """The adjoint of ``label`` as text: ``G_u1``, or ``ū1`` in ``notation="bar"``.

    Parameters
    ----------
    label : str
        A node's label.
    notation : {"G", "bar"}

    Returns
    -------
    str

    Examples
    --------
    >>> adjoint_name("W1"), adjoint_name("u1", "bar")
    ('G_W1', 'ū1')
    """
    return f"G_{label}" if notation == "G" else overline(label)

_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}

def latex_name(name: str) -> str:
    r"""A label in LaTeX: ``W1`` -> ``W_{1}``, ``u12`` -> ``u_{12}``, ``theta`` -> ``\theta``.

    Parameters
    ----------
    name : str
        A node's label or a number.

    Returns
    -------
    str

    Examples
    --------
    >>> latex_name("W1"), latex_name("b_out"), latex_name("th"), latex_name("2")
    ('W_{1}', 'b_{\\mathit{out}}', '\\mathit{th}', '2')
    """
    try:
        float(name)
        return name
    except ValueError:
        pass
    if not name.replace("_", "").isalnum():
        return r"\text{" + name.replace("\\", "").replace("{", "").replace("}", "") + "}"
    if "_" in name:
        base, _, sub = name.partition("_")
        return f"{latex_name(base)}_{{{latex_name(sub)}}}" if base else latex_name(sub)
    stem = name.rstrip("0123456789")
    digits = name[len(stem):]
    if stem in _GREEK:
        stem_tex = "\\" + stem
    elif len(stem) <= 1:
        stem_tex = stem
    else:
        stem_tex = r"\mathit{" + stem + "}"
    if digits and stem:
        return f"{stem_tex}_{{{digits}}}"
    return stem_tex or digits
