// @ts-check
// The answer table: the engine's answer for every class of inputs, computed and checked when the site was
// built (engine/answers.py), read here so that a result shows before the engine has started.
//
// Nothing clinical is decided here. The table publishes the engine's partition of the inputs as data (each
// dimension's choices, segments, given / not given, month cuts between two dates); lookup() places the inputs
// in it, walks the table's tree to the class's answer and puts the groups' answers together, as
// engine.answers.lookup does in Python (tests/pyodide/test_answer_table_parity.py holds the two side by side).
// Inputs it cannot place with certainty (a value the engine would reject, a missing answer) get no table
// answer: the page then waits for the engine, which always has the last word.

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const WHOLE = /^[+-]?\d+$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A form value as the engine would read it for ``field``, or undefined when the engine might not accept it. */
function parse(field, raw) {
  if (field.type === "bool") return typeof raw === "boolean" ? raw : undefined;
  if (field.type === "enum") {
    return typeof raw === "string" && (field.choices || []).some((c) => c.value === raw) ? raw : undefined;
  }
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : null;
  if (text === null) return undefined;
  let value;
  if (field.type === "date") {
    const match = ISO_DATE.exec(text);
    if (!match || !realDate(match)) return undefined;
    value = text;
  } else {
    if (!(field.type === "integer" ? WHOLE : DECIMAL).test(text)) return undefined;
    value = Number(text);
    if (!Number.isFinite(value)) return undefined;
  }
  const low = field.min;
  const tooLow = low !== undefined && (field.min_exclusive ? value <= low : value < low);
  const tooHigh = field.max !== undefined && value > field.max;
  return tooLow || tooHigh ? undefined : value;
}

function realDate(match) {
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** engine.fields.RequiredWhen: does the condition hold for the values chosen so far? */
function holds(condition, values) {
  const value = values[condition.field];
  if (condition.given) return value !== undefined && value !== null;
  return condition.in.includes(value);
}

// engine.checks: inputs valid one by one that cannot all be true (a date after another, more than one dose a
// day). The descriptor publishes each check as data; these only mirror the engine's arithmetic.
const DAYS_A_WEEK = 7;
const CHECKS = {
  /** engine.checks.NotAfter: the date ``field`` is not after the date ``other`` (ISO dates sort as text). */
  not_after: (check, values) => values[check.field] <= values[check.other],
  /** engine.checks.AtMostOneADay: ``count`` doses over ``weeks`` from the first to the last, one a day at most. */
  at_most_one_a_day: (check, values) => values[check.count] - 1 <= DAYS_A_WEEK * values[check.weeks],
};

/** The fields a published check names (every key but its kind). */
function checkFields(check) {
  return Object.entries(check).filter(([key]) => key !== "kind").map(([, value]) => value);
}

/**
 * Whether the engine's checks across fields accept ``values``: a check runs only when every field it names has
 * a value, as in engine.validation.check_errors; a kind this page does not know accepts nothing.
 */
function checksAccept(checks, values) {
  return checks.every((check) => {
    if (!checkFields(check).every((key) => values[key] !== undefined)) return true;
    const accepts = CHECKS[check.kind];
    return accepts !== undefined && accepts(check, values);
  });
}

/**
 * The inputs as the engine's validation would leave them (defaults filled in, hidden fields left out), or
 * null when any value might be rejected (one by one, or by a check across fields) or a required answer is
 * missing.
 * @param {Array<object>} fields the descriptor's field specs
 * @param {object} inputs the form's inputs, as collected
 * @param {Array<object>} checks the descriptor's checks across fields
 */
export function validated(fields, inputs, checks) {
  const values = {};
  for (const field of fields) {
    const raw = inputs[field.key];
    const blank = raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "");
    const applies = !field.required_when || holds(field.required_when, values);
    if (blank) {
      if (field.default !== undefined) values[field.key] = field.default;
      else if (field.required || (field.required_when && applies)) return null;
      continue;
    }
    if (!applies) continue; // the engine ignores it (ignored_inputs)
    const value = parse(field, raw);
    if (value === undefined) return null;
    values[field.key] = value;
  }
  return checksAccept(checks, values) ? values : null;
}

// ------------------------------------------------------------ the partition

function contains(segment, value) {
  const aboveLow = segment.min === null || segment.min === undefined
    || (segment.min_closed ? value >= segment.min : value > segment.min);
  const belowHigh = segment.max === null || segment.max === undefined
    || (segment.max_closed ? value <= segment.max : value < segment.max);
  return aboveLow && belowHigh;
}

function isMember(item, value) {
  if (!item.given) return value === undefined;
  if (value === undefined) return false;
  if (item.segment) return typeof value === "number" && contains(item.segment, value);
  if ("value" in item) return value === item.value;
  return true;
}

/** engine.dates.add_months: a day the month lacks falls to its last day. */
function addMonths(iso, months) {
  const [year, month, day] = iso.split("-").map(Number);
  const index = month - 1 + months;
  const targetYear = year + Math.floor(index / 12);
  const targetMonth = ((index % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return Date.UTC(targetYear, targetMonth, Math.min(day, lastDay));
}

function position(dimension, values) {
  if (dimension.kind === "months_between") {
    const [start, end] = dimension.fields.map((key) => values[key]);
    if (start === undefined || end === undefined) return dimension.classes.findIndex((item) => !item.given);
    const endTime = Date.parse(`${end}T00:00:00Z`);
    const passed = dimension.cuts.filter((cut) => addMonths(start, cut) < endTime).length;
    return dimension.classes.findIndex((item) => item.cuts_passed === passed);
  }
  const value = values[dimension.fields[0]];
  return dimension.classes.findIndex((item) => isMember(item, value));
}

/** engine.rule_groups.InputSpace.classify then the tree's leaf: the group's answer number, or null. */
//
// The tree is stored as shared nodes (engine.answers._tree): a child is an answer number when it is 0 or more,
// else the node group.nodes[-1 - child].
function groupLeaf(group, values) {
  let child = group.root;
  const chosen = {};
  for (const dimension of group.dimensions) {
    if (dimension.applies && !holds(dimension.applies, chosen)) continue;
    const index = position(dimension, values);
    const node = child < 0 && Array.isArray(group.nodes) ? group.nodes[-1 - child] : undefined;
    if (index < 0 || !Array.isArray(node) || !Number.isInteger(node[index])) return null;
    child = node[index];
    for (const key of dimension.fields) if (key in values) chosen[key] = values[key];
  }
  return Number.isInteger(child) && child >= 0 && child < group.answers.length ? child : null;
}

/** The regimen numbered ``number`` with the rules it cites (stored once, in table.regimen_rules), or null. */
function regimenOf(table, number) {
  if (number < 0) return null;
  const regimen = table.regimens[number];
  if (!regimen.rules) return regimen;
  return { ...regimen, rules: regimen.rules.map((/** @type {number} */ rule) => table.regimen_rules[rule]) };
}

function groupAnswer(table, group, leaf) {
  let row = group.answers[leaf];
  const answer = {};
  if (group.core) {
    const [inScope, note, regimen, ...rest] = row;
    Object.assign(answer, {
      in_scope: Boolean(inScope),
      scope_note: note < 0 ? null : table.notes[note],
      regimen: regimenOf(table, regimen),
    });
    row = rest;
  }
  const [cautions, monitoring, findings] = row;
  return {
    ...answer,
    cautions: cautions.map((n) => table.items[n]),
    monitoring: monitoring.map((n) => table.items[n]),
    findings: [...findings],
  };
}

/**
 * The groups' answers put together as the table says (table.merge, published from engine.exploration.MERGE and
 * read the same way by engine.exploration.merge): the parts the core group decides, taken from it, and every
 * group's items in rule order.
 */
function merge(table, parts) {
  const order = new Map(table.rules.map((id, index) => [id, index]));
  const rank = (item) => order.get(typeof item === "string" ? item : item.id);
  const merged = {};
  for (const part of parts) for (const key of table.merge.from_core) if (key in part) merged[key] = part[key];
  for (const kind of table.merge.in_rule_order) {
    merged[kind] = parts.flatMap((part) => part[kind]).sort((a, b) => rank(a) - rank(b));
  }
  return merged;
}

/**
 * The table's answer for the form's inputs (as collected, before the engine read them), or null.
 * @param {object} table the answer table (engine.answers.answer_table)
 * @param {{inputs: Array<object>, checks: Array<object>}} pathway the pathway's descriptor: fields and checks
 * @param {object} inputs the form's inputs
 */
export function lookup(table, pathway, inputs) {
  const values = validated(pathway.inputs, inputs, pathway.checks);
  if (!values) return null;
  try {
    const parts = [];
    for (const group of table.groups) {
      const leaf = groupLeaf(group, values);
      if (leaf === null) return null;
      parts.push(groupAnswer(table, group, leaf));
    }
    return merge(table, parts);
  } catch {
    return null; // a damaged table gives no answer: the page waits for the engine, and never breaks on it
  }
}

/** JSON with every object's keys sorted: the engine's answer and the table may list keys in another order. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What of the engine's answer the table also gives, to compare: scope, regimen, cautions, monitoring. */
export function comparable(answer) {
  return canonical({
    in_scope: answer.in_scope,
    scope_note: answer.scope_note ?? null,
    regimen: answer.regimen ?? null,
    cautions: answer.cautions || [],
    monitoring: answer.monitoring || [],
  });
}

/** Fetch the table (the service worker keeps it for offline use); null when it cannot be had or read. */
export async function loadTable(url, pathwayId, engineVersion) {
  try {
    const response = await fetch(url);
    if (!response.ok) return null;
    const table = await response.json();
    // A table of another build would be another engine's answers, and one without ``merge`` or ``regimen_rules``
    // an older format (engine.answers.FORMAT):
    // never show them.
    if (table.pathway !== pathwayId || (engineVersion && table.engine_version !== engineVersion)) return null;
    if (table.format !== 3 || !table.merge || !Array.isArray(table.regimen_rules)) return null;
    return table;
  } catch {
    return null;
  }
}
