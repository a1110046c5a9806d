"""Sphinx configuration for the graphstep documentation (``make docs``)."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))  # the graphstep package of this checkout

import graphstep  # noqa: E402

project = "graphstep"
author = "graphstep developers"
copyright = "graphstep developers"
release = version = graphstep.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax 3 copied into the output: math drawn with no network
    "graphstep.sphinxext",
    "gsdocs",
]

root_doc = "index"
exclude_patterns = ["_build", "images"]  # docs/images holds pictures, not pages
templates_path = []
html_static_path = ["_static"]
html_css_files = ["graphstep-docs.css"]

html_theme = "furo"
html_title = f"graphstep {release}"
numfig = True
numfig_format = {"figure": "Figure %s"}

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_ivar = True  # Attributes sections as fields: no second description of an attribute autodoc lists
nitpicky = False
