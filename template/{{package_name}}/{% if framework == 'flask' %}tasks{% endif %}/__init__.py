"""The sample domain: a personal task list (models, selectors for reads, services for writes)."""
