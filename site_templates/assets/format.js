// @ts-check
// How the calculator writes values for a reader: dates, plurals, and an input as the form asked for it. Pure
// functions of their arguments (the date formats are made once, when first needed: a formatter takes far longer
// to make than to use, and a schedule has a dozen dates).

/**
 * @typedef {{key?: string, type: string, unit?: string | null, unit_field?: string | null,
 *   choices?: {value: string, label: string}[]}} FieldSpec
 */

/** @type {Map<boolean, Intl.DateTimeFormat>} */
const dateFormats = new Map();

/**
 * An ISO date (YYYY-MM-DD) as "31 Jan 2025" (with the weekday: "Fri, 31 Jan 2025"); anything else as it is.
 * @param {unknown} iso @param {boolean} [withWeekday]
 * @returns {string}
 */
export function formatDate(iso, withWeekday = false) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso));
  if (!match) return String(iso);
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  let format = dateFormats.get(withWeekday);
  if (!format) {
    /** @type {Intl.DateTimeFormatOptions} */
    const options = { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };
    if (withWeekday) options.weekday = "short";
    format = new Intl.DateTimeFormat("en-GB", options);
    dateFormats.set(withWeekday, format);
  }
  return format.format(day);
}

/**
 * ``unit``, with an "s" unless ``value`` is one: plural(3, "rule") is "rules".
 * @param {unknown} value @param {string} unit
 */
export function plural(value, unit) {
  return `${unit}${Number(value) === 1 ? "" : "s"}`;
}

/**
 * An input's value as the form asked for it: Yes or No, a choice's label, a date, or the value with its unit
 * (its own, or the one chosen in its sibling unit field, read from ``inputs``).
 * @param {FieldSpec | undefined} field @param {unknown} value @param {Record<string, unknown>} inputs
 * @returns {string}
 */
export function formatValue(field, value, inputs) {
  if (!field) return String(value);
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (field.type === "enum") {
    const choice = (field.choices || []).find((c) => c.value === value);
    return choice ? choice.label : String(value);
  }
  if (field.type === "date") return formatDate(value);
  const unit = field.unit || (field.unit_field && inputs[field.unit_field]) || "";
  return unit ? `${value} ${unit}` : String(value);
}
