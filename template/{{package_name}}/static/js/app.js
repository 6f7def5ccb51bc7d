// Progressive enhancement of the server-rendered pages. Every form works without this file;
// with it, "Mark done" / "Undo" update the task in place through the API instead of
// reloading the page. If the API call fails, the form is posted the normal way.

import { apiFetch } from "./api.js";

/**
 * Show a task as done or not, and set its form up for the opposite change.
 *
 * @param {HTMLFormElement} form the task's "mark done" form
 * @param {boolean} done
 */
function showDone(form, done) {
  const item = form.closest("[data-task]");
  item?.classList.toggle("task--done", done);
  const status = item?.querySelector("[data-task-status]");
  if (status) status.textContent = done ? "Done" : "To do";
  const label = form.querySelector("[data-toggle-label]");
  if (label) label.textContent = done ? "Undo" : "Mark done";
  const next = form.elements.namedItem("done");
  if (next instanceof HTMLInputElement) next.value = done ? "false" : "true";
}

/** @param {string} text announced by screen readers */
function announce(text) {
  const live = document.querySelector("[data-live-status]");
  if (live) live.textContent = text;
}

/** @param {HTMLFormElement} form */
function enhanceToggle(form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = form.elements.namedItem("done");
    const button = form.querySelector("button");
    if (!(field instanceof HTMLInputElement) || !button) {
      form.submit();
      return;
    }
    button.disabled = true;
    try {
      const task = await apiFetch(`/api/tasks/${form.dataset.taskId}`, {
        method: "PATCH",
        body: { done: field.value === "true" },
      });
      showDone(form, task.done);
      announce(`“${task.title}” is ${task.done ? "done" : "to do again"}.`);
    } catch {
      form.submit(); // the server-rendered way still works, and shows any error itself
    } finally {
      button.disabled = false;
    }
  });
}

for (const form of document.querySelectorAll("form[data-task-toggle]")) {
  if (form instanceof HTMLFormElement) enhanceToggle(form);
}
