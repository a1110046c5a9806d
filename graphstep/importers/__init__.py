"""Importers: a function written in a framework (JAX) read as a graphstep graph.

One table per framework maps its primitives to the op table
(:mod:`graphstep.importers.jax_table`); :mod:`graphstep.importers.nodes` makes the nodes
every framework needs beyond the table (``where``, ``stop_gradient``, opaque ones).
"""
