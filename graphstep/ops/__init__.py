"""The op table: every fact about every op in one entry, and structured Jacobians (the bottom layer)."""
