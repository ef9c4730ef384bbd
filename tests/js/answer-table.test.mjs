// The page's classifier (site_templates/assets/answer-table.js) over a small table written here in the format
// engine/answers.py publishes. tests/pyodide/test_answer_table_parity.py holds it against the engine's own
// lookup over the real tables; these tests name each rule of the walk.
import assert from "node:assert/strict";
import { test } from "node:test";

import { comparable, lookup, validated } from "../../site_templates/assets/answer-table.js";

const FIELDS = [
  { key: "adult", type: "bool", required: true },
  { key: "level", type: "number", required: true, min: 0, min_exclusive: true, max: 5000 },
  { key: "doses", type: "integer", default: 1, min: 0 },
  { key: "cause", type: "enum", required: false, choices: [{ value: "diet" }, { value: "other" }],
    required_when: { field: "adult", in: [true] } },
  { key: "last_dose", type: "date", required: false },
  { key: "today", type: "date", required: false },
];

// The descriptor's parts the page reads: its fields and its checks across fields (engine/checks.py).
const CHECKS = [{ kind: "not_after", field: "last_dose", other: "today" }];
const PATHWAY = { inputs: FIELDS, checks: CHECKS };

const TABLE = {
  format: 3, pathway: "toy", engine_version: "0.0.0",
  // How the groups' answers combine, as engine.exploration.MERGE publishes it.
  merge: { from_core: ["in_scope", "scope_note", "regimen"], in_rule_order: ["cautions", "monitoring", "findings"] },
  rules: ["out-of-scope", "regimen-low", "regimen-high", "diet-caution", "overdue", "low-finding"],
  // The rules a regimen cites are stored once and cited by number.
  regimens: [{ dose: "low" }, { dose: "high", rules: [0] }],
  regimen_rules: [{ id: "regimen-high", title: "High" }],
  items: [{ id: "diet-caution", text: "Diet" }, { id: "overdue", text: "Overdue" }],
  notes: ["Adults only"],
  groups: [
    {
      core: true,
      dimensions: [
        { fields: ["adult"], kind: "bool", classes: [{ given: true, value: true }, { given: true, value: false }] },
        { fields: ["level"], kind: "segments", classes: [
          { given: true, segment: { min: null, min_closed: false, max: 200, max_closed: false } },
          { given: true, segment: { min: 200, min_closed: true, max: null, max_closed: false } }] },
        { fields: ["cause"], kind: "choice", applies: { field: "adult", in: [true] },
          classes: [{ given: true, value: "diet" }, { given: true, value: "other" }] },
      ],
      // adult → level → cause (cause applies to adults only), as shared nodes: a child of 0 or more is an answer
      // number, else nodes[-1 - child]. As a nested tree: [[[0, 1], [2, 3]], [4, 4]].
      root: -5,
      nodes: [[0, 1], [2, 3], [-1, -2], [4, 4], [-3, -4]],
      answers: [
        [1, -1, 1, [0], [], ["low-finding"]],
        [1, -1, 1, [], [], ["low-finding"]],
        [1, -1, 0, [0], [], []],
        [1, -1, 0, [], [], []],
        [0, 0, -1, [], [], []],
      ],
    },
    {
      core: false,
      dimensions: [{ fields: ["last_dose", "today"], kind: "months_between", cuts: [3],
        classes: [{ given: false }, { given: true, cuts_passed: 0 }, { given: true, cuts_passed: 1 }] }],
      root: -1,
      nodes: [[0, 0, 1]],
      answers: [[[], [], []], [[], [1], []]],
    },
  ],
};

test("inputs as the engine's validation leaves them: defaults, text read as numbers, hidden answers left out", () => {
  assert.deepEqual(validated(FIELDS, { adult: false, level: " 150 ", cause: "diet" }, CHECKS), { adult: false, level: 150, doses: 1 });
  assert.deepEqual(validated(FIELDS, { adult: true, level: "2e2", cause: "diet" }, CHECKS), null, "the engine reads no exponent");
});

test("anything the engine might reject or that is missing gets no table answer", () => {
  for (const inputs of [
    { level: "150", cause: "diet" },                           // a required answer missing
    { adult: true, level: "150" },                             // required when adult
    { adult: true, level: "0", cause: "diet" },                // at the exclusive minimum
    { adult: true, level: "5001", cause: "diet" },             // above the maximum
    { adult: true, level: "abc", cause: "diet" },
    { adult: true, level: "150", cause: "surgery" },           // not a choice
    { adult: "yes", level: "150", cause: "diet" },             // not a bool
    { adult: true, level: "150", cause: "diet", doses: "1.5" }, // not whole
    { adult: true, level: "150", cause: "diet", last_dose: "2025-02-30" }, // no such day
    { adult: true, level: "150", cause: "diet", last_dose: "2025-03-02", today: "2025-03-01" }, // a check refuses it
  ]) {
    assert.equal(lookup(TABLE, PATHWAY, inputs), null, JSON.stringify(inputs));
  }
});

test("the walk: a choice, a segment boundary, a dimension that does not apply", () => {
  const low = lookup(TABLE, PATHWAY, { adult: true, level: "199.9", cause: "diet" });
  assert.deepEqual(low, { in_scope: true, scope_note: null, regimen: { dose: "high", rules: [{ id: "regimen-high", title: "High" }] },
    cautions: [{ id: "diet-caution", text: "Diet" }], monitoring: [], findings: ["low-finding"] });
  assert.deepEqual(lookup(TABLE, PATHWAY, { adult: true, level: "200", cause: "other" }).regimen, { dose: "low" });
  const child = lookup(TABLE, PATHWAY, { adult: false, level: "200", cause: "diet" });
  assert.deepEqual([child.in_scope, child.scope_note, child.regimen], [false, "Adults only", null]);
});

test("months between two dates, by calendar month (a day the month lacks falls to its last day)", () => {
  const overdue = (last, today) => lookup(TABLE, PATHWAY, { adult: true, level: "300", cause: "other", last_dose: last, today })
    .monitoring.map((item) => item.id);
  assert.deepEqual(overdue("2025-01-31", "2025-04-30"), []);          // exactly 3 months: not more
  assert.deepEqual(overdue("2025-01-31", "2025-05-01"), ["overdue"]);
  assert.deepEqual(overdue("2024-11-30", "2025-02-28"), []);
  assert.deepEqual(overdue("2024-11-30", "2025-03-01"), ["overdue"]);
  assert.deepEqual(lookup(TABLE, PATHWAY, { adult: true, level: "300", cause: "other", last_dose: "2025-01-31" }).monitoring, []);
});

test("the groups' answers put together in rule order", () => {
  const answer = lookup(TABLE, PATHWAY, { adult: true, level: "300", cause: "diet", last_dose: "2024-01-01", today: "2025-01-01" });
  assert.deepEqual(answer.cautions.map((item) => item.id), ["diet-caution"]);
  assert.deepEqual(answer.monitoring.map((item) => item.id), ["overdue"]);
});

test("comparable: the parts the table gives, with keys in any order", () => {
  const engine = { ok: true, in_scope: true, regimen: { b: 2, a: 1 }, cautions: [], monitoring: [], findings: ["x"], trace: [] };
  const table = { in_scope: true, scope_note: null, regimen: { a: 1, b: 2 }, cautions: [], monitoring: [], findings: [] };
  assert.equal(comparable(engine), comparable(table));
  assert.notEqual(comparable({ ...engine, regimen: { a: 1, b: 3 } }), comparable(table));
});

test("the checks across fields, as the engine publishes them: a date not after another, at most one dose a day", () => {
  const values = { adult: true, level: 150, doses: 1, cause: "diet" };
  assert.notEqual(validated(FIELDS, { ...values, last_dose: "2025-03-01", today: "2025-03-01" }, CHECKS), null);
  assert.equal(validated(FIELDS, { ...values, last_dose: "2025-03-02", today: "2025-03-01" }, CHECKS), null);
  // A check runs only when every field it names has a value.
  assert.notEqual(validated(FIELDS, { ...values, last_dose: "2025-03-02" }, CHECKS), null);
  const course = [{ key: "count", type: "integer", required: true, min: 1 }, { key: "weeks", type: "number", required: true }];
  const daily = [{ kind: "at_most_one_a_day", count: "count", weeks: "weeks" }];
  assert.notEqual(validated(course, { count: "8", weeks: "1" }, daily), null); // day 0 to day 7: 8 doses
  assert.equal(validated(course, { count: "9", weeks: "1" }, daily), null);
  // A kind this page does not know accepts nothing: no answer rather than a wrong one.
  assert.equal(validated(course, { count: "2", weeks: "1" }, [{ kind: "new-kind", count: "count" }]), null);
});

test("a damaged table gives no answer and never throws", () => {
  const inputs = { adult: true, level: "150", cause: "diet" };
  const damaged = [
    { ...TABLE, groups: [{ ...TABLE.groups[0], nodes: undefined }, TABLE.groups[1]] },
    { ...TABLE, groups: [{ ...TABLE.groups[0], nodes: [[0.5, 1], [2, 3], [-1, -2], [4, 4], [-3, -4]] }, TABLE.groups[1]] },
    { ...TABLE, groups: [{ ...TABLE.groups[0], nodes: [[9, 9], [2, 3], [-1, -2], [4, 4], [-3, -4]] }, TABLE.groups[1]] },
    { ...TABLE, regimens: [] },
  ];
  assert.notEqual(lookup(TABLE, PATHWAY, inputs), null);
  for (const table of damaged) assert.equal(lookup(table, PATHWAY, inputs), null);
});
