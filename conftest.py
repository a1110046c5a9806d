"""Collection without the docs extra: with only ``.[test]`` installed, the doctests of the
Sphinx and MkDocs glue are skipped instead of failing to import."""

import importlib.util

collect_ignore = []
if importlib.util.find_spec("sphinx") is None or importlib.util.find_spec("docutils") is None:
    collect_ignore += ["graphstep/sphinxext.py", "graphstep/docs/directive.py"]
if importlib.util.find_spec("markdown") is None:
    collect_ignore += ["graphstep/mkdocs.py", "graphstep/docs/fence.py"]
