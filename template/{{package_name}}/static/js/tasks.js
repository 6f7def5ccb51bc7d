// The tasks page: the list from `GET /api/tasks`, created, edited, marked done and deleted
// without a reload; filters and search as you type; pagination; CSV import and export.
// The server-rendered page works without this file; with it, the list inside #task-results
// is replaced by the API's answer and every action goes through the API.
//
// Hooks the end-to-end tests rely on (ids, names and accessible names):
//   #error-region      role="alert": an error that belongs to no field
//   #status-message    role="status": what the last action did ("Added “Milk”.")
//   #task-form         create form; fields title, description, category, priority, due_date
//   #filter-form       fields q (search as you type), category, done, ordering
//   #task-results      the list's container; aria-busy="true" while loading
//   #task-list         li[data-task-id] per task, buttons named "Edit: <title>",
//                      "Mark done: <title>" or "Undo: <title>", "Delete: <title>"
//                      (an edit form inside the li: fields title, category, priority,
//                      due_date, buttons "Save" and "Cancel"; Enter saves, Escape cancels)
//   #task-empty        the empty state (hidden when there are tasks)
//   #pagination        "Previous" / "Next" links and "Page X of Y" (hidden for one page)
//   #confirm-delete    the <dialog> that confirms a deletion: "Delete task" / "Cancel"
//   #import-form       field file; #import-status (role="status"); #import-errors (a table)
//   a#export-link      the CSV download
// Field errors from the API appear as `ul.errorlist#<control id>_error` before the control,
// which gets aria-invalid="true".

import { ApiError, apiFetch } from "./api.js";
import {
  countLabel,
  fieldMessages,
  formatDate,
  priorityLabel,
  sortRowErrors,
} from "./format.js";
import { debounce, listQueryString, pageCount, readListQuery } from "./query.js";

const SEARCH_DELAY_MS = 300;
const PRIORITIES = ["low", "normal", "high"];

/**
 * A task as the API sends it.
 *
 * @typedef {object} Task
 * @property {number} id
 * @property {string} title
 * @property {string} description
 * @property {string} category
 * @property {"low" | "normal" | "high"} priority
 * @property {boolean} done
 * @property {string | null} due_date
 */

/**
 * @typedef {object} TaskPage
 * @property {Task[]} items
 * @property {number} total
 * @property {number} page
 * @property {number} size
 */

// Small DOM helpers

/**
 * Create an element. Text children become text nodes, so data is never parsed as HTML.
 *
 * @param {string} tag
 * @param {Record<string, string | boolean>} [attrs] `true` writes the attribute alone
 * @param {(Node | string)[]} children
 * @returns {HTMLElement}
 */
function el(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) element.setAttribute(name, "");
    else if (value !== false) element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/**
 * @template {Element} T
 * @param {string} selector
 * @param {new () => T} type
 * @param {ParentNode} [root]
 * @returns {T}
 */
function find(selector, type, root = document) {
  const found = root.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`tasks.js: ${selector} is missing`);
  return found;
}

/** @param {string} text */
function showStatus(text) {
  find("#error-region", HTMLElement).textContent = "";
  find("#status-message", HTMLElement).textContent = text;
}

/**
 * Show an error in the general region, unless the session ended (api.js is leaving for the
 * log-in page) or the request was cancelled by a newer one.
 *
 * @param {unknown} error
 */
function showError(error) {
  if (error instanceof DOMException && error.name === "AbortError") return;
  if (error instanceof ApiError && error.status === 401) return;
  const message = error instanceof Error ? error.message : "Something went wrong.";
  find("#status-message", HTMLElement).textContent = "";
  find("#error-region", HTMLElement).textContent = message;
}

/**
 * Show messages next to a form's fields (and clear the old ones), as the server-rendered
 * forms do: a `ul.errorlist` before the control, which is marked invalid and described by it.
 *
 * @param {HTMLFormElement} form
 * @param {Record<string, string>} fields field name → message
 */
function showFieldErrors(form, fields) {
  for (const list of form.querySelectorAll(".errorlist")) list.remove();
  for (const control of form.querySelectorAll("[name]")) {
    if (!(control instanceof HTMLElement) || !control.id) continue;
    control.dataset.describedby ??= control.getAttribute("aria-describedby") ?? "";
    const message = fields[control.getAttribute("name") ?? ""];
    const describedBy = control.dataset.describedby;
    if (message) {
      const errorId = `${control.id}_error`;
      control.before(el("ul", { class: "errorlist", id: errorId }, el("li", {}, message)));
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", `${describedBy} ${errorId}`.trim());
    } else {
      control.removeAttribute("aria-invalid");
      if (describedBy) control.setAttribute("aria-describedby", describedBy);
      else control.removeAttribute("aria-describedby");
    }
  }
}

/**
 * Show an API error on a form: per field where the form has the field, else in the alert.
 *
 * @param {HTMLFormElement} form
 * @param {unknown} error
 */
function showFormError(form, error) {
  if (!(error instanceof ApiError) || error.status === 401) {
    showError(error);
    return;
  }
  const names = [...form.elements].map((control) => control.getAttribute("name") ?? "");
  const { fields, general } = fieldMessages(error, names);
  showFieldErrors(form, fields);
  if (general) showError(new Error(general));
  else showStatus("");
  const firstInvalid = form.querySelector('[aria-invalid="true"]');
  if (firstInvalid instanceof HTMLElement) firstInvalid.focus();
}

/**
 * The values of a task form as the API takes them: an empty optional field is left out (it
 * takes its default) on create, and an empty due date clears it on edit.
 *
 * @param {HTMLFormElement} form
 * @param {{forUpdate: boolean}} options
 * @returns {Record<string, string | null>}
 */
function taskData(form, { forUpdate }) {
  /** @type {Record<string, string | null>} */
  const data = {};
  for (const [name, value] of new FormData(form)) {
    if (name === "csrfmiddlewaretoken" || name === "csrf_token" || typeof value !== "string") {
      continue;
    }
    if (value !== "" || name === "title") data[name] = value;
    else if (forUpdate) data[name] = name === "due_date" ? null : "";
  }
  return data;
}

// Rendering the list

/**
 * @param {string} label visible text
 * @param {string} title the task's title, read after the label by screen readers
 * @param {string} action what tasks.js does on a click
 * @param {string} [extraClass]
 */
function actionButton(label, title, action, extraClass = "") {
  return el(
    "button",
    { type: "button", class: `button button--small ${extraClass}`.trim(), "data-action": action },
    label,
    el("span", { class: "visually-hidden" }, `: ${title}`),
  );
}

/**
 * @param {Task} task
 * @returns {HTMLElement} the task's list item, with its Edit, Mark done and Delete buttons
 */
function taskItem(task) {
  const meta = el(
    "p",
    { class: "task__meta" },
    el("span", { class: "task__status" }, task.done ? "Done" : "To do"),
    el("span", { class: `badge badge--${task.priority}` }, priorityLabel(task.priority)),
  );
  if (task.category) meta.append(el("span", { class: "badge" }, task.category));
  if (task.due_date) {
    meta.append(
      el("span", {}, "Due ", el("time", { datetime: task.due_date }, formatDate(task.due_date))),
    );
  }
  const body = el("div", { class: "task__body" }, el("p", { class: "task__title" }, task.title));
  if (task.description) body.append(el("p", { class: "task__description" }, task.description));
  body.append(meta);
  return el(
    "li",
    { class: task.done ? "task task--done" : "task", "data-task-id": String(task.id) },
    body,
    el(
      "div",
      { class: "task__actions" },
      actionButton("Edit", task.title, "edit", "button--quiet"),
      actionButton(task.done ? "Undo" : "Mark done", task.title, "toggle"),
      actionButton("Delete", task.title, "delete", "button--danger"),
    ),
  );
}

/**
 * @param {Task} task
 * @returns {HTMLFormElement} the form that edits `task` in place of its list item's content
 */
function editForm(task) {
  const id = (/** @type {string} */ name) => `edit-${task.id}-${name}`;
  /**
   * @param {string} name
   * @param {string} label
   * @param {HTMLElement} control
   */
  const field = (name, label, control) => {
    control.id = id(name);
    control.setAttribute("name", name);
    return el("div", {}, el("label", { for: id(name) }, `${label}:`), control);
  };
  const priority = el("select");
  for (const value of PRIORITIES) {
    const option = el("option", { value }, value.charAt(0).toUpperCase() + value.slice(1));
    if (value === task.priority) option.setAttribute("selected", "");
    priority.append(option);
  }
  const form = el(
    "form",
    { class: "form form--edit", "aria-label": `Edit “${task.title}”` },
    field("title", "Title", el("input", { value: task.title, required: true, maxlength: "200" })),
    field("category", "Category", el("input", { value: task.category, maxlength: "50" })),
    field("priority", "Priority", priority),
    field("due_date", "Due date", el("input", { type: "date", value: task.due_date ?? "" })),
    el(
      "div",
      { class: "form__actions" },
      el("button", { type: "submit", class: "button button--small" }, "Save"),
      el(
        "button",
        { type: "button", class: "button button--small button--quiet", "data-action": "cancel" },
        "Cancel",
      ),
    ),
  );
  return /** @type {HTMLFormElement} */ (form);
}

// The page

function startTasksPage() {
  const results = find("#task-results", HTMLElement);
  const list = find("#task-list", HTMLUListElement);
  const empty = find("#task-empty", HTMLElement);
  const pagination = find("#pagination", HTMLElement);
  const count = find("#task-count", HTMLElement);
  const heading = find("#list-heading", HTMLElement);
  const taskForm = find("#task-form", HTMLFormElement);
  const filterForm = find("#filter-form", HTMLFormElement);
  const dialog = find("#confirm-delete", HTMLDialogElement);

  let query = readListQuery(window.location.search);
  /** @type {Map<number, Task>} the tasks on show, by id */
  const shown = new Map();
  /** @type {AbortController | null} */
  let loading = null;

  /** @param {TaskPage} page */
  function render(page) {
    shown.clear();
    for (const task of page.items) shown.set(task.id, task);
    list.replaceChildren(...page.items.map(taskItem));
    count.textContent = `(${page.total})`;

    const filtered = Boolean(query.q || query.category || query.done);
    empty.hidden = page.items.length > 0;
    if (page.total > 0) {
      empty.replaceChildren(
        "There are no tasks on this page. ",
        el("a", { href: "?", "data-page": "1" }, "Go to the first page"),
        ".",
      );
    } else if (filtered) {
      empty.replaceChildren(
        "No task matches. ",
        el("a", { href: "?", "data-clear-filters": true }, "Show all tasks"),
        ".",
      );
    } else {
      empty.textContent = "No tasks yet: add the first one above.";
    }

    const pages = pageCount(page.total, page.size);
    pagination.hidden = pages <= 1 && page.page === 1;
    /** @param {number} number @param {string} rel @param {string} label */
    const link = (number, rel, label) => {
      const href = `?${listQueryString({ ...query, page: number })}`;
      return el("a", { href, rel, "data-page": String(number) }, label);
    };
    pagination.replaceChildren(
      ...(page.page > 1 ? [link(page.page - 1, "prev", "Previous")] : []),
      el("span", {}, `Page ${page.page} of ${Math.max(pages, 1)}`),
      ...(page.page < pages ? [link(page.page + 1, "next", "Next")] : []),
    );
  }

  /** Fetch the list for `query` and show it; a newer load cancels an older one. */
  async function load() {
    loading?.abort();
    const controller = new AbortController();
    loading = controller;
    results.setAttribute("aria-busy", "true");
    const search = listQueryString(query);
    window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
    try {
      render(await apiFetch(`/api/tasks?${search}`, { signal: controller.signal }));
    } catch (error) {
      showError(error);
    } finally {
      if (loading === controller) {
        loading = null;
        results.setAttribute("aria-busy", "false");
      }
    }
  }

  /** Read the filter form into the query and load its first page. */
  function applyFilters() {
    const data = new FormData(filterForm);
    query = readListQuery(
      new URLSearchParams({ ...Object.fromEntries(data), size: String(query.size) }),
    );
    return load();
  }
  const applyFiltersSoon = debounce(applyFilters, SEARCH_DELAY_MS);

  filterForm.addEventListener("input", (event) => {
    if (event.target instanceof HTMLInputElement) applyFiltersSoon();
  });
  filterForm.addEventListener("change", (event) => {
    if (!(event.target instanceof HTMLSelectElement)) return;
    // A search still waiting for its pause would reload the older query after this one.
    applyFiltersSoon.cancel();
    applyFilters();
  });
  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFiltersSoon.cancel();
    applyFilters();
  });

  results.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const pageLink = target?.closest("a[data-page]");
    if (pageLink instanceof HTMLElement) {
      event.preventDefault();
      query = { ...query, page: Number(pageLink.dataset.page) };
      load().then(() => heading.focus());
      return;
    }
    if (target?.closest("a[data-clear-filters]")) {
      event.preventDefault();
      filterForm.reset();
      for (const input of filterForm.querySelectorAll("input")) input.value = "";
      applyFilters();
      return;
    }
    const button = target?.closest("button[data-action]");
    const item = button?.closest("li[data-task-id]");
    if (!(button instanceof HTMLButtonElement) || !(item instanceof HTMLLIElement)) return;
    const task = shown.get(Number(item.dataset.taskId));
    if (!task) return;
    const action = button.dataset.action;
    if (action === "edit") startEditing(item, task);
    else if (action === "toggle") toggleDone(item, task, button);
    else if (action === "delete") confirmDelete(task);
  });

  /**
   * Put `task`'s list item in place of `item`, and focus one of its buttons.
   *
   * @param {HTMLElement} item
   * @param {Task} task
   * @param {string} focusAction "edit" or "toggle"
   */
  function replaceItem(item, task, focusAction) {
    shown.set(task.id, task);
    const fresh = taskItem(task);
    item.replaceWith(fresh);
    fresh.querySelector(`[data-action="${focusAction}"]`)?.focus();
  }

  /** @param {HTMLLIElement} item @param {Task} task @param {HTMLButtonElement} button */
  async function toggleDone(item, task, button) {
    button.disabled = true;
    try {
      const changed = await apiFetch(`/api/tasks/${task.id}`, {
        method: "PATCH",
        body: { done: !task.done },
      });
      replaceItem(item, changed, "toggle");
      showStatus(`“${changed.title}” is ${changed.done ? "done" : "to do again"}.`);
    } catch (error) {
      button.disabled = false;
      showError(error);
    }
  }

  /** @param {HTMLLIElement} item @param {Task} task */
  function startEditing(item, task) {
    const form = editForm(task);
    const cancel = () => replaceItem(item, task, "edit");
    item.replaceChildren(form);
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        cancel();
      }
    });
    form.querySelector('[data-action="cancel"]')?.addEventListener("click", cancel);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const changed = await apiFetch(`/api/tasks/${task.id}`, {
          method: "PATCH",
          body: taskData(form, { forUpdate: true }),
        });
        replaceItem(item, changed, "edit");
        showStatus(`Saved “${changed.title}”.`);
      } catch (error) {
        showFormError(form, error);
      }
    });
    form.querySelector("input")?.focus();
  }

  /** @param {Task} task */
  function confirmDelete(task) {
    const text = find("#confirm-delete-text", HTMLElement);
    text.textContent = `“${task.title}” will be gone for good.`;
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      () => {
        if (dialog.returnValue === "delete") deleteTask(task);
        else list.querySelector(`[data-task-id="${task.id}"] [data-action="delete"]`)?.focus();
      },
      { once: true },
    );
    dialog.showModal();
  }

  /** @param {Task} task */
  async function deleteTask(task) {
    try {
      await apiFetch(`/api/tasks/${task.id}`, { method: "DELETE" });
      if (shown.size === 1 && query.page > 1) query = { ...query, page: query.page - 1 };
      await load();
      showStatus(`Deleted “${task.title}”.`);
      heading.focus();
    } catch (error) {
      showError(error);
    }
  }

  taskForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = taskForm.querySelector('button[type="submit"]');
    if (button instanceof HTMLButtonElement) button.disabled = true;
    try {
      const task = await apiFetch("/api/tasks", {
        method: "POST",
        body: taskData(taskForm, { forUpdate: false }),
      });
      taskForm.reset();
      showFieldErrors(taskForm, {});
      query = { ...query, page: 1 };
      await load();
      showStatus(`Added “${task.title}”.`);
      taskForm.querySelector("input")?.focus();
    } catch (error) {
      showFormError(taskForm, error);
    } finally {
      if (button instanceof HTMLButtonElement) button.disabled = false;
    }
  });

  startImport(load);
  load();
}

/**
 * The CSV upload: `POST /api/tasks/import`; on success the list reloads, on bad rows a table
 * says which line and column is wrong (and nothing was imported).
 *
 * @param {() => Promise<void>} reloadList
 */
function startImport(reloadList) {
  const form = find("#import-form", HTMLFormElement);
  const status = find("#import-status", HTMLElement);
  const errors = find("#import-errors", HTMLElement);
  form.hidden = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    errors.replaceChildren();
    showFieldErrors(form, {});
    status.classList.remove("import-status--error");
    status.textContent = "Importing…";
    try {
      const result = await apiFetch("/api/tasks/import", {
        method: "POST",
        body: new FormData(form),
      });
      form.reset();
      status.textContent = `Imported ${countLabel(result.created, "task")}.`;
      await reloadList();
    } catch (error) {
      status.classList.add("import-status--error");
      if (error instanceof ApiError && error.rows.length > 0) {
        const problems = countLabel(error.rows.length, "problem");
        status.textContent = `Nothing was imported: ${problems} in the file.`;
        errors.replaceChildren(rowErrorTable(error.rows));
      } else if (error instanceof ApiError && error.status !== 401) {
        const { fields, general } = fieldMessages(error, ["file"]);
        showFieldErrors(form, fields);
        status.textContent = `Nothing was imported: ${general ?? fields.file}`;
      } else {
        status.textContent = "";
        showError(error);
      }
    } finally {
      if (button) button.disabled = false;
    }
  });
}

/**
 * @param {import("./format.js").RowError[]} rows
 * @returns {HTMLElement} a table of the file's bad rows: line, column, message
 */
function rowErrorTable(rows) {
  const header = el(
    "tr",
    {},
    el("th", { scope: "col" }, "Line"),
    el("th", { scope: "col" }, "Column"),
    el("th", { scope: "col" }, "Problem"),
  );
  const body = sortRowErrors(rows).map((row) =>
    el(
      "tr",
      {},
      el("td", {}, String(row.row)),
      el("td", {}, row.field || "(whole row)"),
      el("td", {}, row.message),
    ),
  );
  return el(
    "table",
    { class: "table table--errors" },
    el("caption", {}, "Rows that could not be imported"),
    el("thead", {}, header),
    el("tbody", {}, ...body),
  );
}

if (document.querySelector("#task-results")) startTasksPage();
