"""Framework-agnostic core: domain rules, errors, schemas, CSV and pagination.

Nothing in this package imports the web framework, so both flavours share it unchanged.
"""
