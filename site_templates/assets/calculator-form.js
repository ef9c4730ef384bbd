// @ts-check
// The calculator's form: reads the inputs as the engine gets them, shows or hides fields by the descriptor's
// required_when, shows units chosen in a sibling select, puts the engine's errors beside their fields, and
// moves the focus to the first error when the user asks for the result (Enter). It decides nothing clinical.
//
// The controls are those form.html.j2 renders from the field specs: a text, date or select input, a checkbox
// (a bool with a default), or a Yes/No radio group (a bool without one: an unanswered question is left out,
// so the engine reports it as required instead of reading it as "no").

import { CARRY } from "./calculator-result.js";
import { el, patch } from "./dom.js";

/**
 * A control of the form: an input, or a select, read through what the two share (type, value, validity, focus).
 * @typedef {HTMLInputElement} Control
 */

export class CalculatorForm {
  constructor(form, { pathway, ids }) {
    this.form = form;
    this.ids = ids;
    this.fields = new Map(pathway.inputs.map((field) => [field.key, field]));
    this.summary = document.getElementById(ids.form_errors); // errors with no field shown to put them by
    this.touched = new Set();
    this.localProblems = new Map(); // found while reading the inputs, before the engine sees them
    this.focusOnAnswer = false; // the user asked for the result (Enter): focus the first error it reports
  }

  /**
   * handlers.changed(): after every edit; handlers.left(control): focus left a control;
   * handlers.submitted(): the user asked for the result.
   */
  listen(handlers) {
    this.form.addEventListener("input", () => {
      this.focusOnAnswer = false; // typing again: focus stays where the user is typing
      this.refresh();
      handlers.changed();
    });
    this.form.addEventListener("change", (event) => {
      this.touch(event.target);
      this.refresh();
      handlers.changed();
    });
    this.form.addEventListener("focusout", (event) => {
      this.touch(event.target);
      handlers.left(event.target);
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit(handlers);
    });
    // The form has several text fields and no submit button, so Enter would not submit it by itself. Enter on
    // a checkbox or a radio is left to the browser: there it is no request for the result.
    this.form.addEventListener("keydown", (event) => {
      const target = event.target;
      if (event.key !== "Enter" || event.isComposing || !(target instanceof HTMLInputElement)) return;
      if (target.type === "checkbox" || target.type === "radio") return;
      event.preventDefault();
      this.submit(handlers);
    });
    this.prefill();
    this.carryIn();
    this.refresh();
  }

  /** A date the descriptor prefills with today (the engine reads no clock): today's local date, if empty. */
  prefill() {
    const now = new Date();
    const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0"))
      .join("-");
    for (const field of this.fields.values()) {
      const [control] = this.controls(field.key);
      if (field.prefill === "today" && control && !control.value) control.value = today;
    }
  }

  /**
   * Answers carried from another calculator in the address's fragment (``#carry=<JSON>``, never sent in a
   * request): set on this form's fields of the same key, then the fragment is dropped from the address so
   * that the answers are not kept in the history. Anything unreadable is ignored.
   */
  carryIn() {
    const hash = window.location.hash;
    if (!hash.startsWith(`#${CARRY}`)) return;
    history.replaceState(history.state, "", window.location.pathname + window.location.search);
    let carried;
    try {
      carried = JSON.parse(decodeURIComponent(hash.slice(CARRY.length + 1)));
    } catch {
      return;
    }
    if (!carried || typeof carried !== "object") return;
    for (const [key, value] of Object.entries(carried)) {
      if (!this.fields.has(key)) continue;
      const controls = this.controls(key);
      for (const control of controls) {
        if (control.type === "radio") control.checked = control.value === String(value);
        else if (control.type === "checkbox") control.checked = value === true;
        else control.value = String(value);
      }
    }
  }

  /** The user asked for the result: every error shows (required ones too) once the answer comes. */
  submit(handlers) {
    for (const key of this.fields.keys()) {
      if (!this.isHidden(key)) this.touched.add(key);
    }
    handlers.submitted();
  }

  touch(control) {
    if (control && control.name && this.fields.has(control.name)) this.touched.add(control.name);
  }

  /** Fields shown by their conditions and units by their selects; both are redone on every keystroke, so only
   * what changes is written (an attribute or text written again, even unchanged, costs the page a new layout). */
  refresh() {
    this.applyRequiredWhen();
    this.showUnits();
  }

  // ------------------------------------------------------------ controls

  /**
   * The controls of a field: one, or the radios of a radio group.
   * @param {string} key
   * @returns {Control[]}
   */
  controls(key) {
    const named = this.form.elements.namedItem(key);
    if (named instanceof RadioNodeList) return /** @type {Control[]} */ ([...named]);
    return named instanceof Element ? [/** @type {Control} */ (named)] : [];
  }

  /** Where the focus goes for a field: its control, or a radio group's checked radio (else its first). */
  focusTarget(key) {
    const controls = this.controls(key);
    return controls.find((control) => control.type === "radio" && control.checked) || controls[0] || null;
  }

  focus(key) {
    const target = this.focusTarget(key);
    if (target) target.focus();
    return Boolean(target);
  }

  label(key) {
    return this.fields.get(key)?.label || key;
  }

  wrapper(key) {
    return this.form.querySelector(`[data-field="${CSS.escape(key)}"]`);
  }

  isHidden(key) {
    const wrapper = this.wrapper(key);
    return Boolean(wrapper && wrapper.closest("[hidden]"));
  }

  /** Whether a field is on the form and shown: its errors go beside it. */
  shows(key) {
    return Boolean(key) && this.fields.has(key) && !this.isHidden(key);
  }

  /** A field's value as text, as required_when conditions name it ("" when empty, unanswered or hidden). */
  rawValue(key) {
    const controls = this.controls(key);
    if (!controls.length || this.isHidden(key)) return "";
    const [control] = controls;
    if (control.type === "radio") return controls.find((radio) => radio.checked)?.value ?? "";
    if (control.type === "checkbox") return String(control.checked);
    return control.value;
  }

  /** Show a field only when its required_when condition holds (in document order, so chains work). */
  applyRequiredWhen() {
    for (const wrapper of this.form.querySelectorAll("[data-required-when]")) {
      let condition;
      try {
        condition = JSON.parse(wrapper.dataset.requiredWhen);
      } catch {
        continue;
      }
      // "Required when X is given": shown once X has an answer; else when X has one of the values named.
      const value = this.rawValue(condition.field);
      const hidden = condition.given ? value.trim() === "" : !condition.in.map(String).includes(value);
      if (wrapper.hidden !== hidden) wrapper.hidden = hidden;
    }
  }

  /** A unit taken from a sibling select is shown beside its input. */
  showUnits() {
    for (const unit of this.form.querySelectorAll("[data-unit-from]")) {
      const [select] = /** @type {HTMLSelectElement[]} */ (/** @type {unknown} */ (this.controls(unit.dataset.unitFrom)));
      const chosen = select && select.selectedOptions && select.selectedOptions[0];
      if (chosen && unit.textContent !== chosen.textContent) unit.textContent = chosen.textContent;
    }
  }

  /** The inputs as the engine gets them: typed text stays text (the engine validates it); unanswered is left out. */
  collectInputs() {
    const inputs = {};
    this.localProblems = new Map();
    for (const field of this.fields.values()) {
      const controls = this.controls(field.key);
      if (!controls.length || this.isHidden(field.key)) continue;
      const [control] = controls;
      if (control.type === "radio") {
        const chosen = controls.find((radio) => radio.checked);
        if (chosen) inputs[field.key] = field.type === "bool" ? chosen.value === "true" : chosen.value;
      } else if (control.type === "checkbox") {
        inputs[field.key] = control.checked;
      } else if (control.value.trim() !== "") {
        inputs[field.key] = control.value;
      } else if (control.validity && control.validity.badInput) {
        // A half-typed date reads as empty; say so rather than silently leaving it out.
        this.localProblems.set(field.key, "This date is incomplete, so it is left out: enter day, month and year.");
      }
    }
    return inputs;
  }

  // ------------------------------------------------------------ errors

  /**
   * Field errors of ``answer`` (null: none) beside their fields; errors without a field (or without a shown
   * one) above the form. A "required" error of a field not touched yet is left to the result's list of what
   * to enter. Only what changed is written: nothing unchanged is announced again or laid out again.
   */
  showErrors(answer) {
    const general = [];
    const beside = new Map(answer ? this.localProblems : []);
    for (const error of answer && !answer.ok && Array.isArray(answer.errors) ? answer.errors : []) {
      const key = error.field;
      if (!this.shows(key) || !this.errorElement(key)) general.push(error.message);
      else if (error.code === "required" && !this.touched.has(key)) continue;
      else beside.set(key, beside.has(key) ? `${beside.get(key)} ${error.message}` : error.message);
    }
    for (const key of this.fields.keys()) {
      const element = this.errorElement(key);
      const message = beside.get(key);
      if (element && element.textContent !== (message || "")) element.textContent = message || "";
      if (element && element.hidden !== !message) element.hidden = !message;
      for (const control of this.controls(key)) {
        if (!message) control.removeAttribute("aria-invalid");
        else if (control.getAttribute("aria-invalid") !== "true") control.setAttribute("aria-invalid", "true");
      }
    }
    if (this.summary.hidden !== (general.length === 0)) this.summary.hidden = general.length === 0;
    patch(this.summary, general.map((message) => el("p", {}, message)));
  }

  errorElement(key) {
    return document.getElementById(this.ids.field.error + key);
  }

  /** Focus the first field showing an error, else the summary above the form when it has one. */
  focusFirstError(answer) {
    this.focusOnAnswer = false;
    if (!answer) return;
    this.showErrors(answer);
    const invalid = this.form.querySelector('[aria-invalid="true"]');
    if (invalid) {
      (this.focusTarget(invalid.name) || invalid).focus();
    } else if (!this.summary.hidden) {
      this.summary.tabIndex = -1;
      this.summary.focus();
    }
  }
}
