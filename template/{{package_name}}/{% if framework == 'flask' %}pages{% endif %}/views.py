"""The pages. Thin: read the request, call a selector or a service, render or redirect."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar, cast
from urllib.parse import parse_qsl

import flask_login
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden

from ..auth.models import User
from ..core.errors import NotFound
from ..core.listing import list_query_from, list_query_string, list_url, page_links
from ..tasks import selectors, services
from .forms import TaskFilterForm, TaskForm

bp = Blueprint("pages", __name__)

DONE_VALUES = {"true": True, "false": False}

View = TypeVar("View", bound=Callable[..., ResponseReturnValue])
# Flask-Login ships no type hints; its decorator returns the view with the same signature.
login_required = cast(Callable[[View], View], flask_login.login_required)


@bp.app_context_processor
def project() -> dict[str, str]:
    """The project's name, for the layout's header and the page titles."""
    return {"project_name": current_app.config["PROJECT_NAME"]}


@bp.app_errorhandler(CSRFError)
def csrf_refused(exc: CSRFError) -> Forbidden:
    """A form posted without a valid CSRF token is a 403, as in Django, not Flask-WTF's 400.

    Only forms meet Flask-WTF's check: the API is exempt and makes its own (`api_auth`).
    """
    return Forbidden(exc.description)


@bp.get("/")
def home() -> ResponseReturnValue:
    return redirect(url_for("pages.tasks" if current_user.is_authenticated else "auth.login"))


@bp.route("/tasks/", methods=["GET", "POST"])
@login_required
def tasks() -> ResponseReturnValue:
    """The signed-in user's tasks, one page at a time, and a form that adds one."""
    owner = signed_in_user()
    form = TaskForm(request.form if request.method == "POST" else None)
    if form.is_valid():
        task = services.create_task(owner=owner, data=form.validated_task())
        flash(f"Added “{task.title}”.", "success")
        return redirect(url_for("pages.tasks"))  # Post/Redirect/Get: a reload does not add it twice
    query = list_query_from(request.args)
    page = selectors.list_tasks(owner=owner, query=query)
    return render_template(
        "pages/tasks.html",
        form=form,
        filter_form=TaskFilterForm(query),
        page=page,
        list_query=list_query_string(query, page=page.page),
        **page_links(url_for("pages.tasks"), query, page),
    )


@bp.get("/dashboard/")
@login_required
def dashboard() -> ResponseReturnValue:
    """Counts per category and the completion rate; `static/js/dashboard.js` fetches and draws
    them from the API.
    """
    return render_template("pages/dashboard.html")


@bp.post("/tasks/<int:task_id>/done/")
@login_required
def set_task_done(task_id: int) -> ResponseReturnValue:
    done = DONE_VALUES.get(request.form.get("done", ""))
    if done is None:
        abort(400, "`done` must be true or false.")
    with missing_task_is_404():
        services.update_task(owner=signed_in_user(), task_id=task_id, changes={"done": done})
    return redirect(_back_to_list())


@bp.post("/tasks/<int:task_id>/delete/")
@login_required
def delete_task(task_id: int) -> ResponseReturnValue:
    with missing_task_is_404():
        services.delete_task(owner=signed_in_user(), task_id=task_id)
    flash("Task deleted.", "success")
    return redirect(_back_to_list())


def signed_in_user() -> User:
    """The user a `login_required` view runs for (the object itself, not Flask-Login's proxy)."""
    user = current_user._get_current_object()
    if not isinstance(user, User):
        abort(403)
    return user


@contextmanager
def missing_task_is_404() -> Iterator[None]:
    """Another user's task is as unknown as a missing one: both are a 404 page."""
    try:
        yield
    except NotFound as exc:
        abort(404, exc.message)


def _back_to_list() -> str:
    """Where a button on the list returns to: the same list view, rebuilt from valid values
    only, so the redirect can never leave the task page.
    """
    query = list_query_from(dict(parse_qsl(request.form.get("list_query", ""))))
    return list_url(url_for("pages.tasks"), query)
