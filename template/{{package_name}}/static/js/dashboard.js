// The dashboard: `GET /api/tasks/stats` drawn as a completion rate and a bar chart of tasks
// per category, in plain SVG. The table under the chart holds the same numbers as text, for
// screen readers and for anyone who prefers to read them.
//
// Hooks the end-to-end tests rely on:
//   #dashboard         the page's figures; aria-busy="true" until the stats are shown
//   #completion-rate   the completion rate as a percentage, e.g. "67%"
//   #completion-meter  a <meter> from 0 to 1; #completion-detail "2 of 3 tasks are done."
//   #dashboard-chart   the <svg>: one g.chart__row (rect.chart__bar + two text) per category
//   #stats-table       tbody: one row per category (name, count, share)
//   #dashboard-empty   shown instead of the chart when there are no tasks
//   #error-region      role="alert": the stats could not be loaded

import { ApiError, apiFetch } from "./api.js";
import { chartBars, chartLayout, countLabel, formatRate, truncate } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const LABEL_PIXELS_PER_CHARACTER = 8; // about, at the chart's 14px font

/**
 * @typedef {object} TaskStats
 * @property {number} total
 * @property {number} done
 * @property {number} completion_rate a fraction from 0 to 1
 * @property {Record<string, number>} by_category
 */

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @param {string} [text]
 * @returns {SVGElement}
 */
function svg(tag, attrs, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** @param {import("./format.js").Bar} bar */
const position = ({ x, y, width, height }) => ({ x, y, width, height });

/**
 * Draw the bars at the chart's present width (one SVG unit to a CSS pixel).
 *
 * @param {SVGSVGElement} chart
 * @param {Record<string, number>} byCategory
 */
function drawChart(chart, byCategory) {
  const layout = chartLayout(chart.clientWidth || chart.parentElement?.clientWidth || 600);
  const { bars, width, height } = chartBars(byCategory, layout);
  const labelCharacters = Math.floor((layout.labelWidth - 10) / LABEL_PIXELS_PER_CHARACTER);
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  chart.setAttribute("height", String(height));
  chart.replaceChildren(
    ...bars.map((bar) => {
      const middle = bar.y + bar.height / 2;
      const row = svg("g", { class: "chart__row" });
      row.append(
        svg("title", {}, `${bar.label}: ${countLabel(bar.count, "task")}`),
        svg(
          "text",
          { class: "chart__label", x: layout.labelWidth - 10, y: middle },
          truncate(bar.label, labelCharacters),
        ),
        svg("rect", { class: "chart__bar", ...position(bar) }),
        svg(
          "text",
          { class: "chart__value", x: bar.x + bar.width + 8, y: middle },
          String(bar.count),
        ),
      );
      return row;
    }),
  );
}

/**
 * @param {HTMLTableElement} table
 * @param {TaskStats} stats
 */
function fillTable(table, stats) {
  const rows = chartBars(stats.by_category).bars.map((bar) => {
    const row = document.createElement("tr");
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = bar.label;
    row.append(name);
    const share = formatRate(stats.total ? bar.count / stats.total : 0);
    for (const text of [String(bar.count), share]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  table.tBodies[0]?.replaceChildren(...rows);
}

/** @param {TaskStats} stats */
function show(stats) {
  const find = (/** @type {string} */ selector) => document.querySelector(selector);
  const rate = find("#completion-rate");
  const meter = find("#completion-meter");
  const detail = find("#completion-detail");
  const chart = find("#dashboard-chart");
  const figure = find("#chart-figure");
  const table = find("#stats-table");
  const empty = find("#dashboard-empty");

  if (rate) rate.textContent = formatRate(stats.completion_rate);
  if (meter instanceof HTMLMeterElement) meter.value = stats.completion_rate;
  if (detail) detail.textContent = `${stats.done} of ${countLabel(stats.total, "task")} are done.`;
  const hasTasks = stats.total > 0;
  if (empty instanceof HTMLElement) empty.hidden = hasTasks;
  if (figure instanceof HTMLElement) figure.hidden = !hasTasks;
  if (table instanceof HTMLTableElement) {
    table.hidden = !hasTasks;
    fillTable(table, stats);
  }
  if (chart instanceof SVGSVGElement) {
    drawChart(chart, stats.by_category);
    // Redraw when the width changes (a turned phone, a resized window), once per frame at most.
    let lastWidth = chart.clientWidth;
    new ResizeObserver(() => {
      if (chart.clientWidth === lastWidth) return;
      lastWidth = chart.clientWidth;
      requestAnimationFrame(() => drawChart(chart, stats.by_category));
    }).observe(chart);
  }
}

async function startDashboard() {
  const root = document.querySelector("#dashboard");
  try {
    show(await apiFetch("/api/tasks/stats"));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // api.js goes to log in
    const region = document.querySelector("#error-region");
    if (region) region.textContent = error instanceof Error ? error.message : String(error);
  } finally {
    root?.setAttribute("aria-busy", "false");
  }
}

if (document.querySelector("#dashboard")) startDashboard();
