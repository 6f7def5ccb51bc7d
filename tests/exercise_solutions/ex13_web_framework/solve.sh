# The due-soon exercise's solution: its files are copied already; register the route.
set -eu
edit() { uv run python "$SOLUTIONS/edit.py" "$@"; }
edit tests/api/test_openapi.py '    "/api/tasks/{task_id}": {"get", "patch", "delete"},' '    "/api/tasks/{task_id}": {"get", "patch", "delete"},
    "/api/tasks/due-soon": {"get"},'
if [ "$FRAMEWORK" = django ]; then
    edit config/api.py '    "tasks.import_api": "/tasks",' '    "tasks.import_api": "/tasks",
    "tasks.due_soon_api": "/tasks",'
else
    edit "$PACKAGE/api/__init__.py" '"tasks", "task_import",' '"tasks", "due_soon", "task_import",'
fi
