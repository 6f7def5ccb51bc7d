"""The pages. Thin: read the request, call a selector or a service, render or redirect."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ..accounts.models import User
from ..core.errors import NotFound
from ..core.listing import list_query_from, list_query_string, list_url, page_links
from ..tasks import selectors, services
from .forms import TaskFilterForm, TaskForm

DONE_VALUES = {"true": True, "false": False}


def home(request: HttpRequest) -> HttpResponse:
    return redirect("pages:tasks" if request.user.is_authenticated else settings.LOGIN_URL)


@login_required
@require_http_methods(["GET", "POST"])
def tasks(request: HttpRequest) -> HttpResponse:
    """The signed-in user's tasks, one page at a time, and a form that adds one."""
    owner = signed_in_user(request)
    form = TaskForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        task = services.create_task(owner=owner, data=form.validated_task())
        messages.success(request, f"Added “{task.title}”.")
        return redirect("pages:tasks")  # Post/Redirect/Get: a reload does not add it twice
    query = list_query_from(request.GET)
    page = selectors.list_tasks(owner=owner, query=query)
    context = {
        "form": form,
        "filter_form": TaskFilterForm(query),
        "page": page,
        "list_query": list_query_string(query, page=page.page),
        **page_links(reverse("pages:tasks"), query, page),
    }
    return render(request, "pages/tasks.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts per category and the completion rate; `static/js/dashboard.js` fetches and draws
    them from the API.
    """
    return render(request, "pages/dashboard.html")


@login_required
@require_POST
def set_task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    done = DONE_VALUES.get(request.POST.get("done", ""))
    if done is None:
        return HttpResponseBadRequest("`done` must be true or false.")
    with missing_task_is_404():
        services.update_task(owner=signed_in_user(request), task_id=task_id, changes={"done": done})
    return redirect(_back_to_list(request))


@login_required
@require_POST
def delete_task(request: HttpRequest, task_id: int) -> HttpResponse:
    with missing_task_is_404():
        services.delete_task(owner=signed_in_user(request), task_id=task_id)
    messages.success(request, "Task deleted.")
    return redirect(_back_to_list(request))


def signed_in_user(request: HttpRequest) -> User:
    """The user a `login_required` view runs for."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@contextmanager
def missing_task_is_404() -> Iterator[None]:
    """Another user's task is as unknown as a missing one: both are a 404 page."""
    try:
        yield
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _back_to_list(request: HttpRequest) -> str:
    """Where a button on the list returns to: the same list view, rebuilt from valid values
    only, so the redirect can never leave the task page.
    """
    query = list_query_from(QueryDict(request.POST.get("list_query", "")))
    return list_url(reverse("pages:tasks"), query)
