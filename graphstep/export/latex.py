r"""Unicode math text as LaTeX: the one translation the TikZ and Beamer writers share.

graphstep writes its pictures' texts in Unicode math (``∂u₃/∂x = 2·x``, ``W₁ᵀ ⊗ I₄``,
``ū₃``, ``4×5``). :func:`math_latex` turns such a formula into LaTeX math (for
``pdflatex``, with only ``amsmath``), :func:`text_latex` a sentence that mixes words and
formulas into LaTeX text with inline math, and :func:`escape` plain text.

>>> math_latex("∂u₃/∂x = 2·x")
'\\partial u_{3}/\\partial x = 2\\cdot x'
>>> math_latex("W₁ᵀ ⊗ I₄"), math_latex("ū₃"), math_latex("diag(1 - u₂²)")
('W_{1}^{\\top} \\otimes I_{4}', '\\bar{u}_{3}', '\\mathrm{diag}(1 - u_{2}^{2})')
>>> text_latex("ū3 = ū4 · 1ᵀ, 4×1 like u3.")
'$\\bar{u}_{3} = \\bar{u}_{4} \\cdot 1^{\\top}$, $4\\times 1$ like $u_{3}$.'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["math_latex", "text_latex", "escape", "FUNCTION_NAMES"]

#: Function names LaTeX knows as operators (``\sin``); other words are set upright (``\mathrm``).
FUNCTION_NAMES = frozenset({"sin", "cos", "tan", "exp", "log", "ln", "tanh", "max", "min", "det"})

_GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda",
    "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma",
    "τ": r"\tau", "φ": r"\varphi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma",
    "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma",
    "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
}
_SYMBOLS = {
    "∂": r"\partial ", "⊙": r"\odot ", "⊗": r"\otimes ", "·": r"\cdot ", "×": r"\times ",
    "−": "-", "≥": r"\geq ", "≤": r"\leq ", "≠": r"\neq ", "≈": r"\approx ", "…": r"\dots ",
    "→": r"\to ", "←": r"\leftarrow ", "∑": r"\sum ", "√": r"\surd ", "∞": r"\infty ",
    "∈": r"\in ", "ᵀ": r"^{\top}", "⊤": r"\top ", "∘": r"\circ ", "±": r"\pm ",
    "{": r"\{", "}": r"\}", "%": r"\%", "#": r"\#", "&": r"\&", "$": r"\$", "~": r"\sim ",
    "@": r"\,", "_": r"\_", "\\": r"\backslash ", "^": r"\wedge ", "|": r"\mid ", "'": "'", "\u00a0": " ",
    **{k: v + " " for k, v in _GREEK.items()},
}
_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉ₓ", "0123456789x")
_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters, not × or ÷
_TOKEN = re.compile(
    rf"(?P<name>[{_LETTERS}]+[\u0300-\u036f]*)(?P<index>(?:_?[0-9]+|[₀-₉ₓ]+)(?:[_,][0-9]+|,?[₀-₉]+)*)?"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)(?P<ones>[₀-₉][₀-₉ₓ]*)?"
    r"|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)", re.S)
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}", "—": "---", "–": "--", "’": "'",
    "‘": "`", "“": "``", "”": "''", "\u00a0": "~",
}
# characters that make a word of a sentence a formula
_MATHY = re.compile(r"[∂⊙⊗·×≥≤≠≈→←∑√∞∈ᵀ⊤∘±<>|^_₀-₉⁰-⁹⁻\u0300-\u036fα-ωΓ-Ω]|[A-Za-z][0-9]|ū|x̄")
_OPERATOR = re.compile(r"[=+\-·⊙⊗×/<>≥≤≈←→]+")
_NEUTRAL = re.compile(r"[A-Za-z]|-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?")
_TRAILING = re.compile(r"[.,:;!?]+$")


def _name(name: str, index: str | None) -> str:
    """A (possibly barred) name with its index: ``ū`` ``3`` -> ``\\bar{u}_{3}``."""
    decomposed = unicodedata.normalize("NFD", name)
    bar = "\u0304" in decomposed or "\u0305" in decomposed
    hat = "\u0302" in decomposed
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if len(base) == 1:
        body = base
    elif base in FUNCTION_NAMES:
        body = "\\" + base
    else:
        body = r"\mathrm{" + base + "}"
    if bar:
        body = r"\bar{" + body + "}"
    elif hat:
        body = r"\hat{" + body + "}"
    if index:
        digits = index.translate(_SUB).lstrip("_").replace("_", ",")
        body += "_{" + digits + "}"
    return body


def math_latex(text: str) -> str:
    r"""A formula in Unicode math as LaTeX math (without ``$``).

    Names take their index as a subscript (``u12``, ``u₁₂`` and ``I_4`` alike), bars
    become ``\bar``, superscript digits and ``ᵀ`` exponents, ``1₄`` the all-ones
    ``\mathbf{1}_{4}``, words of several letters are set upright; a space between two
    words stays a space.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> math_latex("u12 = sigmoid(u₃)"), math_latex("20×20 diagonal")
    ('u_{12} = \\mathrm{sigmoid}(u_{3})', '20\\times 20\\ \\mathrm{diagonal}')
    >>> math_latex("1₄ₓ₂ and x̄"), math_latex("x⁻¹ ≥ 0")
    ('\\mathbf{1}_{4x2}\\ \\mathrm{and}\\ \\bar{x}', 'x^{-1} \\geq 0')
    """
    out: list[str] = []
    tokens = list(_TOKEN.finditer(text.replace("<-", "←").replace("->", "→")))
    for k, m in enumerate(tokens):
        if m.group("name") is not None:
            out.append(_name(m.group("name"), m.group("index")))
        elif m.group("number") is not None:
            ones = m.group("ones")
            if ones and m.group("number") == "1":
                out.append(r"\mathbf{1}_{" + ones.translate(_SUB) + "}")
            else:
                out.append(m.group("number") + ("_{" + ones.translate(_SUB) + "}" if ones else ""))
        elif m.group("sup") is not None:
            out.append("^{" + m.group("sup").translate(_SUPER) + "}")
        elif m.group("space") is not None:
            before = tokens[k - 1] if k else None
            after = tokens[k + 1] if k + 1 < len(tokens) else None
            words = [t for t in (before, after) if t is not None
                     and (t.group("name") is not None or t.group("number") is not None)]
            wide = [t for t in words if t.group("name") is not None and len(t.group("name")) > 1]
            out.append(r"\ " if len(words) == 2 and wide else " ")
        else:
            out.append(_symbol(m.group("other")))
    return re.sub(r"(\\[A-Za-z]+) +", r"\1 ", "".join(out)).rstrip()


def _symbol(char: str) -> str:
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    if char.isascii():
        return char
    return r"\text{?}"


def escape(text: str) -> str:
    r"""Plain text with LaTeX's special characters escaped (``50%`` -> ``50\%``).

    Characters a pdflatex text font lacks (``<``, ``>``, math symbols) are set as math.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> escape("a_b & 50% {x} — <y>")
    'a\\_b \\& 50\\% \\{x\\} --- $<$y$>$'
    """
    out = []
    for char in text:
        if char in _TEXT_SPECIALS:
            out.append(_TEXT_SPECIALS[char])
        elif char in "<>|" or char in _SYMBOLS:
            out.append("$" + _SYMBOLS.get(char, char).strip() + "$")
        elif char.isascii() or unicodedata.category(char).startswith("L"):
            out.append(char)
        else:
            out.append("?")
    return "".join(out)


def text_latex(text: str) -> str:
    r"""A sentence of words and formulas as LaTeX text with inline math.

    Each whitespace-separated word that looks like math (an indexed name ``u3``, a
    barred one ``ū3``, a symbol ``⊙``, ``ᵀ``) is set as math, and so are the operators
    between two such words, so ``ū3 = ū4 · 1ᵀ`` becomes one formula; trailing
    punctuation stays text.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> text_latex("Path 1 of 2: u3 <- x, product 1.5")
    'Path 1 of 2: $u_{3} \\leftarrow x$, product 1.5'
    >>> text_latex("∂u4/∂u2 = 4×5 array, every entry 1")
    '$\\partial u_{4}/\\partial u_{2} = 4\\times 5$ array, every entry 1'
    """
    parts = re.split(r"(\s+)", text)
    out: list[str] = []
    run: list[str] = []  # the words of the formula being collected
    pending: list[str] = []  # operators and spaces that join it to the next formula word

    def close() -> None:
        if run:
            out.append("$" + math_latex("".join(run)) + "$")
            run.clear()
        for item in pending:
            out.append(" " if item.isspace() else escape(item))
        pending.clear()

    for part in parts:
        if not part:
            continue
        if part.isspace():
            (pending if run else out).append(" " if run else part)
            continue
        trail = _TRAILING.search(part)
        word = part[:trail.start()] if trail else part
        joins = run and (any(p.strip() for p in pending) or _OPERATOR.fullmatch(run[-1]))
        if word and (_MATHY.search(word) or (joins and _NEUTRAL.fullmatch(word))):
            run.extend(pending)
            pending.clear()
            run.append(word)
            if trail:
                close()
                out.append(escape(trail.group()))
            continue
        if run and not trail and _OPERATOR.fullmatch(part):
            pending.append(part)
            continue
        close()
        out.append(escape(part))
    close()
    return "".join(out).rstrip()
