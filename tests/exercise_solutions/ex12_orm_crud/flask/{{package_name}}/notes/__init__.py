"""Notes: a user's short texts, apart from tasks."""
