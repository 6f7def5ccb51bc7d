// A small client for the project's JSON API, shared by every page script.
//
// It sends and reads JSON, keeps the browser's session cookie, adds the CSRF token (from
// <meta name="csrf-token">) to unsafe requests, and turns the API's error envelope
// {"error": {"code", "message", "fields", "rows"}} into a thrown ApiError. A 401 means the
// session has ended: the browser goes to the log-in page (<meta name="login-url">), which
// brings the person back here afterwards.

import { logInUrl } from "./query.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** An error answer of the API, or a request that never got an answer (status 0). */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, or 0 when the network failed
   * @param {string} code short snake_case word from the envelope, e.g. "validation_error"
   * @param {string} message text a person can read
   * @param {Record<string, string>} [fields] each bad field's name and its message
   * @param {import("./format.js").RowError[]} [rows] each bad row of an uploaded CSV file
   */
  constructor(status, code, message, fields = {}, rows = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.rows = rows;
  }
}

/** @returns {string} the page's CSRF token, or "" when the page has none */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta instanceof HTMLMetaElement ? meta.content : "";
}

/**
 * @typedef {object} ApiOptions
 * @property {string} [method] HTTP method, "GET" by default
 * @property {unknown} [body] sent as JSON; FormData is sent as it is (for file uploads)
 * @property {Record<string, string>} [headers] extra headers
 * @property {AbortSignal} [signal] to cancel the request
 */

/**
 * Call the API and return its parsed JSON (null for an empty answer such as 204).
 *
 * @param {string} path e.g. "/api/tasks/3"
 * @param {ApiOptions} [options]
 * @returns {Promise<any>}
 * @throws {ApiError} for any answer that is not a 2xx, and when the network fails
 */
export async function apiFetch(path, options = {}) {
  const method = (options.method ?? "GET").toUpperCase();
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json", ...options.headers };
  /** @type {BodyInit | undefined} */
  let body;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  if (!SAFE_METHODS.has(method)) {
    headers["X-CSRFToken"] = csrfToken();
  }

  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "network_error", "The server could not be reached.");
  }

  const data = await readJson(response);
  if (response.ok) return data;
  if (response.status === 401) goToLogIn();
  const envelope = data?.error;
  throw new ApiError(
    response.status,
    envelope?.code ?? "http_error",
    envelope?.message ?? `The request failed (HTTP ${response.status}).`,
    envelope?.fields ?? {},
    envelope?.rows ?? [],
  );
}

/** Leave for the log-in page, which sends the person back to this page afterwards. */
function goToLogIn() {
  const meta = document.querySelector('meta[name="login-url"]');
  if (!(meta instanceof HTMLMetaElement)) return;
  window.location.assign(logInUrl(meta.content, window.location.pathname + window.location.search));
}

/**
 * @param {Response} response
 * @returns {Promise<any>} the JSON body, or null when there is none or it is not JSON
 */
async function readJson(response) {
  const type = response.headers.get("Content-Type") ?? "";
  if (response.status === 204 || !type.includes("json")) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}
