"""Pictures without processes: (Graph, Step, Style) -> Graphviz DOT."""
