// Pure functions for the page's addresses: the task list's query string (read leniently,
// written without defaults, exactly as the server-rendered pages write their links), the
// log-in address that brings a person back, and a debounce for search as you type.

/**
 * @typedef {"created_at" | "-created_at" | "due_date" | "-due_date"
 *   | "priority" | "-priority" | "title" | "-title"} Ordering
 */

/**
 * The task list's query, as `GET /api/tasks` takes it.
 *
 * @typedef {object} ListQuery
 * @property {number} page from 1
 * @property {number} size from 1 to 100
 * @property {string} q search text ("" for none)
 * @property {string} category exact category ("" for any)
 * @property {"" | "true" | "false"} done "" for both
 * @property {Ordering} ordering
 */

/** @type {readonly Ordering[]} */
export const ORDERINGS = [
  "created_at",
  "-created_at",
  "due_date",
  "-due_date",
  "priority",
  "-priority",
  "title",
  "-title",
];

/** @type {Readonly<ListQuery>} */
export const DEFAULT_QUERY = Object.freeze({
  page: 1,
  size: 20,
  q: "",
  category: "",
  done: "",
  ordering: "-created_at",
});

const MAX_SIZE = 100;

/**
 * @param {string | null} value
 * @param {number} max
 * @returns {number | null} the whole number from 1 to `max` that `value` spells, else null
 */
function wholeNumber(value, max) {
  if (value === null || !/^\d+$/.test(value)) return null;
  const number = Number(value);
  return number >= 1 && number <= max ? number : null;
}

/**
 * Read the list's query from a query string. A value the API would refuse falls back to its
 * default, as on the server: an old or hand-edited link still shows the tasks.
 *
 * @param {string | URLSearchParams} search e.g. location.search
 * @returns {ListQuery}
 */
export function readListQuery(search) {
  const params = new URLSearchParams(search);
  const done = params.get("done");
  const ordering = /** @type {Ordering} */ (params.get("ordering"));
  return {
    page: wholeNumber(params.get("page"), Number.MAX_SAFE_INTEGER) ?? DEFAULT_QUERY.page,
    size: wholeNumber(params.get("size"), MAX_SIZE) ?? DEFAULT_QUERY.size,
    q: params.get("q") ?? "",
    category: params.get("category") ?? "",
    done: done === "true" || done === "false" ? done : "",
    ordering: ORDERINGS.includes(ordering) ? ordering : DEFAULT_QUERY.ordering,
  };
}

/**
 * The query string of `query`, defaults left out and the page last: "q=milk&done=true&page=2".
 * The server-rendered pages write the same string (`core/listing.py`).
 *
 * @param {Partial<ListQuery>} query
 * @returns {string} "" for the default list
 */
export function listQueryString(query) {
  const params = new URLSearchParams();
  const full = { ...DEFAULT_QUERY, ...query };
  if (full.size !== DEFAULT_QUERY.size) params.set("size", String(full.size));
  if (full.q) params.set("q", full.q);
  if (full.category) params.set("category", full.category);
  if (full.done) params.set("done", full.done);
  if (full.ordering !== DEFAULT_QUERY.ordering) params.set("ordering", full.ordering);
  if (full.page !== 1) params.set("page", String(full.page));
  return params.toString();
}

/**
 * @param {number} total how many tasks match
 * @param {number} size tasks per page
 * @returns {number} how many pages there are (0 for no tasks)
 */
export function pageCount(total, size) {
  return Math.ceil(total / size);
}

/**
 * @param {string} loginPath the log-in page, e.g. "/accounts/login/"
 * @param {string} next where to come back to, e.g. "/tasks/?q=milk"
 * @returns {string} "/accounts/login/?next=%2Ftasks%2F%3Fq%3Dmilk"
 */
export function logInUrl(loginPath, next) {
  return `${loginPath}?${new URLSearchParams({ next })}`;
}

/**
 * Wrap `fn` so that it runs once, `wait` ms after the last of a burst of calls, with that
 * call's arguments: typing "milk" asks the server once, not four times.
 *
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @param {number} wait milliseconds
 * @returns {((...args: A) => void) & {cancel: () => void}}
 */
export function debounce(fn, wait) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @param {A} args */
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
