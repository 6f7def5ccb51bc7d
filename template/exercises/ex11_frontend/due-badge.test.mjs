// Exercise 11: run with `node --test exercises/ex11_frontend/`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { badgeElement, dueBadge } from "./due-badge.js";

const TODAY = "2025-03-10";

describe("dueBadge", () => {
  test("says nothing without a due date", () => {
    assert.equal(dueBadge(null, TODAY), null);
    assert.equal(dueBadge("", TODAY), null);
  });

  test("counts the days overdue, singular and plural", () => {
    assert.deepEqual(dueBadge("2025-03-09", TODAY), { text: "Overdue by 1 day", tone: "overdue" });
    assert.deepEqual(dueBadge("2025-02-28", TODAY), { text: "Overdue by 10 days", tone: "overdue" });
  });

  test("names today and tomorrow", () => {
    assert.deepEqual(dueBadge(TODAY, TODAY), { text: "Due today", tone: "today" });
    assert.deepEqual(dueBadge("2025-03-11", TODAY), { text: "Due tomorrow", tone: "soon" });
  });

  test("is soon up to a week ahead, later after", () => {
    assert.deepEqual(dueBadge("2025-03-17", TODAY), { text: "Due in 7 days", tone: "soon" });
    assert.deepEqual(dueBadge("2025-03-18", TODAY), { text: "Due in 8 days", tone: "later" });
  });

  test("counts calendar days across a change of summer time and of month", () => {
    assert.deepEqual(dueBadge("2025-04-01", "2025-03-25"), { text: "Due in 7 days", tone: "soon" });
    assert.deepEqual(dueBadge("2024-12-31", "2025-01-01"), { text: "Overdue by 1 day", tone: "overdue" });
  });

  test("refuses what is no ISO date", () => {
    assert.throws(() => dueBadge("10/03/2025", TODAY), RangeError);
    assert.throws(() => dueBadge("2025-02-30", TODAY), RangeError);
  });
});

// Just enough of a DOM for badgeElement: elements with attributes, classes and text.
const fakeDocument = {
  createElement(tag) {
    const attributes = new Map();
    return {
      tagName: tag.toUpperCase(),
      className: "",
      textContent: "",
      setAttribute(name, value) {
        attributes.set(name, String(value));
      },
      getAttribute(name) {
        return attributes.has(name) ? attributes.get(name) : null;
      },
      set innerHTML(_value) {
        throw new Error("use textContent, not innerHTML");
      },
    };
  },
};

describe("badgeElement", () => {
  test("builds a span with the tone's class, the text and the date as its title", () => {
    const badge = badgeElement(fakeDocument, "2025-03-08", TODAY);

    assert.equal(badge.tagName, "SPAN");
    assert.deepEqual(badge.className.split(" ").sort(), ["due-badge", "due-badge--overdue"]);
    assert.equal(badge.textContent, "Overdue by 2 days");
    assert.equal(badge.getAttribute("title"), "2025-03-08");
  });

  test("builds nothing without a due date", () => {
    assert.equal(badgeElement(fakeDocument, null, TODAY), null);
  });
});
