"""Settings modules: `base` is the one the project runs with; `testing` adjusts it for pytest."""
