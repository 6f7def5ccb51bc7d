// Pure functions that turn the API's data into what the pages show: dates, rates, labels,
// per-field error messages and the geometry of the dashboard's bar chart.
// No DOM and no fetch here, so `node --test tests/js/` can test every function.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * An ISO date as the server-rendered list writes it: "2030-01-31" → "31 Jan 2030".
 *
 * @param {string | null | undefined} iso a date as the API sends it, or null
 * @returns {string} "" when there is no date or it is not an ISO date
 */
export function formatDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  if (!match) return "";
  const [, year, month, day] = match;
  const name = MONTHS[Number(month) - 1];
  return name ? `${Number(day)} ${name} ${year}` : "";
}

/**
 * A completion rate as a whole percentage: 0.6667 → "67%".
 *
 * @param {number} rate a fraction from 0 to 1
 * @returns {string}
 */
export function formatRate(rate) {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(rate) ? rate : 0));
  return `${Math.round(clamped * 100)}%`;
}

/**
 * @param {number} count
 * @param {string} singular e.g. "task"
 * @param {string} [plural] e.g. "tasks" (singular + "s" when left out)
 * @returns {string} "1 task", "3 tasks", "0 tasks"
 */
export function countLabel(count, singular, plural = `${singular}s`) {
  return `${count} ${count === 1 ? singular : plural}`;
}

/**
 * @param {string} category a task's category; "" means none
 * @returns {string} the category, or "No category" for ""
 */
export function categoryLabel(category) {
  return category === "" ? "No category" : category;
}

/**
 * @param {string} priority "low", "normal" or "high"
 * @returns {string} "High priority"
 */
export function priorityLabel(priority) {
  return `${priority.charAt(0).toUpperCase()}${priority.slice(1)} priority`;
}

/**
 * @param {string} text
 * @param {number} max longest result, ellipsis included
 * @returns {string} `text`, shortened with "…" when it is longer than `max`
 */
export function truncate(text, max) {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * @typedef {object} ErrorLike
 * @property {string} message
 * @property {Record<string, string>} [fields] the envelope's `fields`
 */

/**
 * Split an API error into the messages a form can show next to its fields and one general
 * message for the rest (a field the form does not have, or an error without fields).
 *
 * @param {ErrorLike} error an ApiError, or the envelope's `error` object
 * @param {Iterable<string>} formFields names of the form's controls
 * @returns {{fields: Record<string, string>, general: string | null}}
 */
export function fieldMessages(error, formFields) {
  const known = new Set(formFields);
  /** @type {Record<string, string>} */
  const fields = {};
  const others = [];
  for (const [name, message] of Object.entries(error.fields ?? {})) {
    if (known.has(name)) fields[name] = message;
    else others.push(message);
  }
  if (Object.keys(fields).length === 0) return { fields, general: error.message };
  return { fields, general: others.length ? others.join(" ") : null };
}

/**
 * @typedef {object} RowError
 * @property {number} row the line of the CSV file (the header is line 1)
 * @property {string} field the column, or "" for the whole row
 * @property {string} message
 */

/**
 * @param {RowError[]} rows the envelope's `rows`
 * @returns {RowError[]} sorted by line, then by column, as a reader scans the file
 */
export function sortRowErrors(rows) {
  return [...rows].sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
}

/**
 * @typedef {object} ChartLayout
 * @property {number} width the drawing's width in SVG units
 * @property {number} labelWidth room for the category names on the left
 * @property {number} valueWidth room for the counts on the right
 * @property {number} rowHeight one bar's row
 * @property {number} barHeight one bar, centred in its row
 */

/** @type {ChartLayout} */
export const CHART_LAYOUT = {
  width: 600,
  labelWidth: 170,
  valueWidth: 50,
  rowHeight: 36,
  barHeight: 22,
};

/**
 * The layout for a chart `width` pixels wide: the labels take up to 35% of it (170 at most),
 * so the bars keep room on a phone.
 *
 * @param {number} width
 * @returns {ChartLayout}
 */
export function chartLayout(width) {
  const fitted = Math.max(200, Math.round(width));
  return {
    ...CHART_LAYOUT,
    width: fitted,
    labelWidth: Math.min(CHART_LAYOUT.labelWidth, Math.round(fitted * 0.35)),
  };
}

/**
 * @typedef {object} Bar
 * @property {string} label the category as shown ("No category" for "")
 * @property {number} count
 * @property {number} x
 * @property {number} y
 * @property {number} width
 * @property {number} height
 */

/**
 * A horizontal bar chart of tasks per category, biggest first (ties by name): where each
 * bar goes, in SVG units. The longest bar fills the room between the labels and the counts.
 *
 * @param {Record<string, number>} byCategory the stats' `by_category`
 * @param {ChartLayout} [layout]
 * @returns {{bars: Bar[], width: number, height: number}}
 */
export function chartBars(byCategory, layout = CHART_LAYOUT) {
  const entries = Object.entries(byCategory).sort(
    ([nameA, countA], [nameB, countB]) => countB - countA || nameA.localeCompare(nameB),
  );
  const largest = Math.max(1, ...entries.map(([, count]) => count));
  const room = layout.width - layout.labelWidth - layout.valueWidth;
  const bars = entries.map(([category, count], index) => ({
    label: categoryLabel(category),
    count,
    x: layout.labelWidth,
    y: index * layout.rowHeight + (layout.rowHeight - layout.barHeight) / 2,
    width: count > 0 ? Math.max(2, Math.round((count / largest) * room)) : 0,
    height: layout.barHeight,
  }));
  return { bars, width: layout.width, height: entries.length * layout.rowHeight };
}
