// A badge for a task's due date: what it says and how it looks.

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
  throw new Error("not implemented: dueBadge");
}

/**
 * A <span> built with `document`: class "due-badge due-badge--<tone>", the text as its
 * textContent, and a `title` attribute holding the due date; null when there is no due date.
 */
export function badgeElement(document, dueDate, today) {
  throw new Error("not implemented: badgeElement");
}
