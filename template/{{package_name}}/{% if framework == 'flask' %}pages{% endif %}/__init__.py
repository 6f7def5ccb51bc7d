"""Server-rendered pages: the home redirect and the task page (forms that work without JS)."""
