"""Typed request and response bodies of the HTTP API (pydantic v2), one module per area.

The API validates requests with these models and generates its OpenAPI document from them,
so the contract (DESIGN: the HTTP API) is written once, in types: `tasks` (tasks, their list,
statistics and import), `accounts` (sign-up and tokens), `errors` (the one error envelope),
`health`; `fields` holds the field types they share.
"""
