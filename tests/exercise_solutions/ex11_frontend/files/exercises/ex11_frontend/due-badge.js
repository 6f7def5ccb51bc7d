// A badge for a task's due date: what it says and how it looks.

const DAY_MS = 86_400_000;
const SOON_DAYS = 7;

/** Days since the epoch of an ISO date, whatever the time zone; RangeError if it is none. */
function dayNumber(isoDate) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`not an ISO date: ${isoDate}`);
  const [year, month, day] = match.slice(1).map(Number);
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RangeError(`no such day: ${isoDate}`);
  }
  return time / DAY_MS;
}

/**
 * What the badge of a due date says, relative to today; both are ISO dates ("2025-03-01").
 * Returns null when there is no due date (null or ""), else { text, tone }:
 *   overdue by n days → { text: "Overdue by 1 day" / "Overdue by n days", tone: "overdue" }
 *   today             → { text: "Due today", tone: "today" }
 *   tomorrow          → { text: "Due tomorrow", tone: "soon" }
 *   in 2 to 7 days    → { text: "Due in n days", tone: "soon" }
 *   later             → { text: "Due in n days", tone: "later" }
 * A date that is not a valid ISO date throws a RangeError.
 */
export function dueBadge(dueDate, today) {
  if (!dueDate) return null;
  const days = dayNumber(dueDate) - dayNumber(today);
  if (days < 0) {
    const late = -days;
    return { text: `Overdue by ${late} ${late === 1 ? "day" : "days"}`, tone: "overdue" };
  }
  if (days === 0) return { text: "Due today", tone: "today" };
  if (days === 1) return { text: "Due tomorrow", tone: "soon" };
  return { text: `Due in ${days} days`, tone: days <= SOON_DAYS ? "soon" : "later" };
}

/**
 * A <span> built with `document`: class "due-badge due-badge--<tone>", the text as its
 * textContent, and a `title` attribute holding the due date; null when there is no due date.
 */
export function badgeElement(document, dueDate, today) {
  const badge = dueBadge(dueDate, today);
  if (badge === null) return null;
  const element = document.createElement("span");
  element.className = `due-badge due-badge--${badge.tone}`;
  element.textContent = badge.text;
  element.setAttribute("title", dueDate);
  return element;
}
