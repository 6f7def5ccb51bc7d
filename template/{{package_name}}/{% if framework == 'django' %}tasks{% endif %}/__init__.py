"""The sample domain: a personal task list (models, selectors, services, API)."""
