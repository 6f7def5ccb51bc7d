"""The project's package: the apps, the shared core and the front-end's static files."""
