"""Documentation glue: the Sphinx directive, the MkDocs fence and the figure code they share."""
