"""Framework-agnostic core: domain rules, errors, schemas, CSV and pagination.

Nothing in this package imports the web framework: services, the API, the pages and the jobs
all build on it, and its tests (tests/core/) need no app and no database.
"""
