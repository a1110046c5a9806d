"""Building graphs: tracing Python, reading expression text, coercing input values."""
