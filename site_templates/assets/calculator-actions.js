// @ts-check
// The result's actions: Copy summary, Print and Download calendar (.ics). The text and the calendar are the
// engine's exports of the result on screen; an action asked for while an answer is on its way waits for it,
// and acts only on a result that is the answer to the inputs in the form.

import { h } from "./dom.js";

const SAID_FOR_MS = 5000;

export class ResultActions {
  /**
   * state: the ResultState; engine(): the engine client in use (it changes on Retry); ready(): whether it is
   * ready; section: the result area (its <details> open for print).
   */
  constructor({ ids, pathway }, { state, engine, ready, section }) {
    this.pathway = pathway;
    this.state = state;
    this.engine = engine;
    this.ready = ready;
    this.section = section;
    /** @type {Record<string, HTMLButtonElement>} */
    this.buttons = {
      copy: /** @type {HTMLButtonElement} */ (document.getElementById(ids.copy)),
      print: /** @type {HTMLButtonElement} */ (document.getElementById(ids.print)),
      ics: /** @type {HTMLButtonElement} */ (document.getElementById(ids.ics)),
    };
    this.status = document.getElementById(ids.action_status);
    this.sayTimer = null;
    this.closedForPrint = [];
    // Window listeners outlive the page's DOM under instant navigation: stop() removes them.
    this.onBeforePrint = () => this.openDetailsForPrint();
    this.onAfterPrint = () => this.restoreDetails();
  }

  start() {
    this.buttons.copy.addEventListener("click", () => this.copySummary());
    this.buttons.print.addEventListener("click", async () => {
      // A provisional answer prints as shown: labelled so, with what it lacks.
      if (this.state.state === "provisional" || (await this.current("print"))) window.print();
    });
    this.buttons.ics.addEventListener("click", () => this.downloadCalendar());
    window.addEventListener("beforeprint", this.onBeforePrint);
    window.addEventListener("afterprint", this.onAfterPrint);
  }

  stop() {
    clearTimeout(this.sayTimer);
    window.removeEventListener("beforeprint", this.onBeforePrint);
    window.removeEventListener("afterprint", this.onAfterPrint);
  }

  /** Enable the actions for a view of the result state; the calendar needs a schedule. */
  update(view) {
    const schedule = view.usable ? view.answer.schedule : null;
    // A provisional answer can be printed as shown; Copy then says what it lacks (the engine makes the summary).
    const provisional = view.state === "provisional";
    const enabled = { copy: view.usable || provisional, print: view.usable || provisional,
      ics: Array.isArray(schedule) && schedule.length > 0 };
    for (const [name, button] of Object.entries(this.buttons)) {
      if (button.disabled === enabled[name]) button.disabled = !enabled[name]; // written only when it changes
    }
  }

  /** Whether the result on screen is the answer to the current inputs (after the one on its way, if any). */
  async current(what) {
    const { table } = this.state.view();
    if (table) {
      this.say(table.engineFailed
        ? `Cannot ${what}: the engine makes it and is not running here. The provisional answer shown lacks `
          + "the findings from the values entered, the dated schedule and why each rule applies; Print prints it as shown."
        : `Cannot ${what} yet: the engine makes it and is still starting. The provisional answer shown lacks the `
          + "findings from the values entered, the dated schedule and why each rule applies.");
      return false;
    }
    if (this.ready() && this.state.state === "pending") await this.state.settled();
    if (this.ready() && this.state.view().current) return true;
    this.say(`Cannot ${what} now: the result is not up to date with the details entered.`);
    return false;
  }

  say(message) {
    this.status.textContent = message;
    clearTimeout(this.sayTimer);
    this.sayTimer = setTimeout(() => {
      this.status.textContent = "";
    }, SAID_FOR_MS);
  }

  /** The engine's export of the result on screen, or null after saying why it could not be made. */
  async exportAs(kind, what) {
    if (!(await this.current(`make the ${what}`))) return null;
    try {
      const answer = await this.engine().request({
        type: "export", kind, result_json: this.state.view().json, stamp: new Date().toISOString(), title: this.pathway.title,
      });
      return answer.text;
    } catch (problem) {
      this.say(`Could not make the ${what}: ${problem.message}`);
      return null;
    }
  }

  async copySummary() {
    const text = await this.exportAs("text", "summary");
    if (text === null) return;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      if (!copyWithSelection(text)) {
        this.say("Could not copy: this browser blocked the clipboard.");
        return;
      }
    }
    this.say("Copied");
  }

  async downloadCalendar() {
    const text = await this.exportAs("ics", "calendar");
    if (text === null) return;
    const url = URL.createObjectURL(new Blob([text], { type: "text/calendar" }));
    const link = h("a", { href: url, download: `${this.pathway.id}-schedule.ics`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    this.say("Calendar downloaded");
  }

  // On paper every part of the result shows: the reader cannot open a <details> there.
  openDetailsForPrint() {
    this.closedForPrint = [...this.section.querySelectorAll("details:not([open])")];
    for (const details of this.closedForPrint) details.open = true;
  }

  restoreDetails() {
    for (const details of this.closedForPrint) details.open = false;
    this.closedForPrint = [];
  }
}

/** The clipboard without the Clipboard API (refused, or an older browser): a selected, hidden text area. */
function copyWithSelection(text) {
  const area = h("textarea", { readonly: true, class: "calculator-copy-buffer", "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}
