# The notes exercise's solution: its files are copied already; register them, then let the
# framework write the migration, as a student would. Run in the project's root with PACKAGE,
# FRAMEWORK and SOLUTIONS (this folder's parent) set.
set -eu
edit() { uv run python "$SOLUTIONS/edit.py" "$@"; }
edit tests/api/test_openapi.py '    "/api/tasks/{task_id}": {"get", "patch", "delete"},' '    "/api/tasks/{task_id}": {"get", "patch", "delete"},
    "/api/notes": {"get", "post"},
    "/api/notes/{note_id}": {"get", "patch", "delete"},'
if [ "$FRAMEWORK" = django ]; then
    edit config/settings/base.py "    \"$PACKAGE.pages\",
" "    \"$PACKAGE.pages\",
    \"$PACKAGE.notes\",
"
    edit config/api.py '    "tasks.api": "/tasks",' '    "tasks.api": "/tasks",
    "notes.api": "/notes",'
    uv run python manage.py makemigrations notes
else
    edit "$PACKAGE/api/__init__.py" '"jobs", "ml")' '"jobs", "ml", "notes")'
    uv run flask --app "$PACKAGE.app" db upgrade
    uv run flask --app "$PACKAGE.app" db migrate --message "notes"
fi
