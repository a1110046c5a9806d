"""Walks through a graph: frozen steps, one builder per mode, the terminal table, step selection."""
