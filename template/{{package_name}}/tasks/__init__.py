"""The sample domain: a personal task list (models, reads in selectors, writes in services)."""
