// How the calculator writes values (site_templates/assets/format.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { formatDate, formatValue, plural } from "../../site_templates/assets/format.js";

test("dates in the British style, with the weekday when asked, whatever the device's time zone", () => {
  assert.equal(formatDate("2025-01-31"), "31 Jan 2025");
  assert.equal(formatDate("2025-01-31", true), "Fri, 31 Jan 2025");
  assert.equal(formatDate("2024-02-29"), "29 Feb 2024");
  assert.equal(formatDate("not a date"), "not a date");
  assert.equal(formatDate("2025-1-31"), "2025-1-31");
});

test("plurals", () => {
  assert.equal(plural(1, "rule"), "rule");
  assert.equal(plural("1", "rule"), "rule");
  assert.equal(plural(0, "rule"), "rules");
  assert.equal(plural(12, "month"), "months");
});

test("a value as the form asked for it", () => {
  const inputs = { serum_b12: "453", serum_b12_unit: "pmol/L" };
  assert.equal(formatValue({ type: "bool" }, true, inputs), "Yes");
  assert.equal(formatValue({ type: "bool" }, false, inputs), "No");
  const cause = { type: "enum", choices: [{ value: "unknown", label: "Not known" }] };
  assert.equal(formatValue(cause, "unknown", inputs), "Not known");
  assert.equal(formatValue(cause, "other", inputs), "other");
  assert.equal(formatValue({ type: "date" }, "2025-01-31", inputs), "31 Jan 2025");
  assert.equal(formatValue({ type: "number", unit: "weeks" }, 4, inputs), "4 weeks");
  assert.equal(formatValue({ type: "number", unit_field: "serum_b12_unit" }, "453", inputs), "453 pmol/L");
  assert.equal(formatValue({ type: "integer" }, 4, inputs), "4");
  assert.equal(formatValue(undefined, 7, inputs), "7");
});
