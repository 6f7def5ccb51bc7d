// The machine-learning module in the pages: on the tasks page the model suggests a category
// as the person types a new task's title and description; on the dashboard it shows the
// model's metrics and the figures of its last training run.
//
// A project without a trained model answers 503: the suggestion then stays quiet for the
// rest of the page's life, and the dashboard says which command trains one.
//
// Hooks the end-to-end tests rely on:
//   #category-suggestion  (tasks page) hidden until there is a suggestion; its button
//                         "Use suggested category: <name>" fills the category field
//   #model-report         (dashboard) aria-busy="true" until the metrics and figures are in;
//                         #model-facts (a <dl>), #model-candidates (a table),
//                         img.model-figure per figure, #model-missing when there is no model

import { ApiError, apiFetch } from "./api.js";
import { debounce } from "./query.js";
import {
  FIGURES,
  candidateRows,
  modelFacts,
  predictionRequest,
  suggestionFor,
} from "./ml-format.js";

const SUGGEST_DELAY_MS = 400;

/**
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {(Node | string)[]} children text children become text nodes, never HTML
 * @returns {HTMLElement}
 */
function el(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/**
 * Suggest a category for the task being written in `form` (fields title, description,
 * category), asking the model at most once per pause in typing.
 *
 * @param {HTMLFormElement} form
 */
export function suggestCategories(form) {
  const title = form.elements.namedItem("title");
  const description = form.elements.namedItem("description");
  const category = form.elements.namedItem("category");
  if (!(title instanceof HTMLInputElement) || !(category instanceof HTMLInputElement)) return;
  const text =
    description instanceof HTMLTextAreaElement || description instanceof HTMLInputElement
      ? description
      : null;

  const button = el("button", { type: "button", class: "button button--small button--quiet" });
  const confidence = el("span");
  const box = el(
    "p",
    { id: "category-suggestion", class: "helptext", "aria-live": "polite" },
    "Suggested: ",
    button,
    " ",
    confidence,
  );
  box.hidden = true;
  category.insertAdjacentElement("afterend", box);

  /** @type {AbortController | null} */
  let inFlight = null;
  let lastAsked = "";
  let modelMissing = false;

  const hide = () => {
    box.hidden = true;
    button.dataset.category = "";
  };

  const ask = async () => {
    const body = predictionRequest(title.value, text?.value ?? "");
    const key = JSON.stringify(body);
    if (body === null) {
      lastAsked = "";
      hide();
      return;
    }
    if (modelMissing || key === lastAsked) return;
    lastAsked = key;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      const prediction = await apiFetch("/api/ml/predict", {
        method: "POST",
        body,
        signal: controller.signal,
      });
      const suggestion = suggestionFor(prediction, category.value);
      if (!suggestion) return hide();
      button.textContent = suggestion.category;
      button.dataset.category = suggestion.category;
      button.setAttribute("aria-label", `Use suggested category: ${suggestion.category}`);
      confidence.textContent = `(${suggestion.confidence} sure)`;
      box.hidden = false;
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") return;
      // No model yet (503): stop asking. Anything else: no suggestion this time.
      if (error instanceof ApiError && error.status === 503) modelMissing = true;
      lastAsked = "";
      hide();
    } finally {
      if (inFlight === controller) inFlight = null;
    }
  };

  const askSoon = debounce(ask, SUGGEST_DELAY_MS);
  title.addEventListener("input", askSoon);
  text?.addEventListener("input", askSoon);
  category.addEventListener("input", () => {
    if (button.dataset.category?.toLowerCase() === category.value.trim().toLowerCase()) hide();
  });
  button.addEventListener("click", () => {
    category.value = button.dataset.category ?? "";
    category.dispatchEvent(new Event("input", { bubbles: true }));
    hide();
    category.focus();
  });
  // After a task is added the form is reset: the next one starts without a suggestion.
  form.addEventListener("reset", () => {
    askSoon.cancel();
    inFlight?.abort();
    lastAsked = "";
    hide();
  });
}

/**
 * @param {HTMLImageElement} image
 * @returns {Promise<void>} once the image is drawn or has failed (never rejects)
 */
function loaded(image) {
  return image.decode().catch(() => undefined);
}

/**
 * Add the model's report to the dashboard: key facts, the candidates' cross-validation
 * scores and the figures of the last training run.
 *
 * @param {Element} dashboard the dashboard's container
 * @returns {Promise<void>} once the report and its figures are in
 */
export async function showModelReport(dashboard) {
  const heading = el("h2", { id: "model-heading" }, "Category model");
  const report = el(
    "section",
    { id: "model-report", class: "card", "aria-labelledby": "model-heading", "aria-busy": "true" },
    heading,
  );
  dashboard.append(report);
  try {
    const info = await apiFetch("/api/ml/model");
    const facts = el("dl", { id: "model-facts", class: "facts" });
    for (const [term, description] of modelFacts(info)) {
      facts.append(el("dt", {}, term), el("dd", {}, description));
    }
    const rows = candidateRows(info).map(({ name, score, chosen }) =>
      el(
        "tr",
        {},
        el("th", { scope: "row" }, chosen ? `${name} (kept)` : name),
        el("td", {}, score),
      ),
    );
    const candidates = el(
      "table",
      { id: "model-candidates", class: "table" },
      el("caption", {}, "Candidates compared by cross-validation on the training split"),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col" }, "Candidate"),
          el("th", { scope: "col" }, "Macro-F1"),
        ),
      ),
      el("tbody", {}, ...rows),
    );
    const images = FIGURES.map(
      ({ name, alt }) =>
        /** @type {HTMLImageElement} */ (
          el("img", {
            class: "model-figure",
            src: `/api/ml/figures/${name}.png`,
            alt,
          })
        ),
    );
    const figures = FIGURES.map(({ caption }, index) =>
      el("figure", { class: "chart" }, images[index], el("figcaption", {}, caption)),
    );
    report.append(facts, candidates, ...figures);
    await Promise.all(images.map(loaded));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // api.js goes to log in
    const message = error instanceof Error ? error.message : String(error);
    report.append(el("p", { id: "model-missing", class: "empty" }, message));
  } finally {
    report.setAttribute("aria-busy", "false");
  }
}
