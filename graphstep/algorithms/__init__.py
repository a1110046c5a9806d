"""Pure functions of a Graph: reverse and forward accumulation, Jacobians, path sums, gradient checks."""
