// Drives Debian's Firefox ESR for the Python browser tests (tests/browser/drivers.py, FirefoxDriver).
//
// puppeteer-core talks WebDriver BiDi to /usr/bin/firefox-esr (no browser download). Protocol: one JSON
// command per line on stdin, {"id", "command", ...arguments}; one JSON answer per line on stdout,
// {"id", "value"} or {"id", "error"}. Commands run one at a time, in order. Nothing else is written to
// stdout; puppeteer's own diagnostics go to stderr.
import readline from "node:readline";
import puppeteer from "puppeteer-core";

let browser = null;
let page = null;
const errors = []; // console errors and uncaught page errors, as text
const requests = []; // URLs of the requests the page made (BiDi network events of its browsing context)
// Leaving a page while its service worker still streams responses to it (the engine worker loading the runtime
// in the background) makes Firefox report each cancelled response as this page error: the same event as
// Chromium's net::ERR_ABORTED, which conftest.py's PageLog leaves out too. Only around a navigation.
const ABORTED = /A ServiceWorker intercepted the request and encountered an unexpected error/;
const NAVIGATION_GRACE_MS = 2000;
let navigating = false;
let lastNavigation = 0;
const aroundNavigation = () => navigating || Date.now() - lastNavigation < NAVIGATION_GRACE_MS;
const navigated = () => { lastNavigation = Date.now(); };

/** A function given as source text, made a function here so puppeteer can call it in the page. */
function functionFrom(source) {
  // Node's own Function constructor, not the page's: the page's CSP forbids eval, and puppeteer sends
  // the function's source through script.callFunction, which the page's CSP does not govern.
  return new Function(`return (${source});`)();
}

const commands = {
  async launch({ executablePath, prefs, width, height, probe }) {
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath,
      headless: true,
      extraPrefsFirefox: prefs,
      defaultViewport: { width, height },
      // A Pyodide boot on a busy 2-core machine takes tens of seconds; callers time out first.
      protocolTimeout: 600_000,
    });
    [page] = await browser.pages();
    page ||= await browser.newPage();
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const location = message.location() || {};
      errors.push(`console error: ${message.text()} (${location.url || ""}:${location.lineNumber ?? ""})`);
    });
    page.on("pageerror", (error) => {
      const text = error && error.message ? error.message : String(error);
      if (ABORTED.test(text) && aroundNavigation()) return;
      errors.push(`page error: ${text}`);
    });
    page.on("framenavigated", navigated);
    page.on("request", (request) => requests.push(request.url()));
    // The in-page probe of drivers.py, in every new document before its own scripts.
    await page.evaluateOnNewDocument(functionFrom(probe));
    return browser.version();
  },
  async goto({ url, ms }) {
    navigating = true;
    try {
      await page.goto(url, { waitUntil: "load", timeout: ms });
    } finally {
      navigating = false;
      navigated();
    }
    return page.url();
  },
  async reload({ ms }) {
    navigating = true;
    try {
      await page.reload({ waitUntil: "load", timeout: ms });
    } finally {
      navigating = false;
      navigated();
    }
    return page.url();
  },
  async url() {
    return page.url();
  },
  async evaluate({ source, args }) {
    const value = await page.evaluate(functionFrom(source), ...args);
    return value === undefined ? null : value;
  },
  async press({ key }) {
    await page.keyboard.press(key);
    return null;
  },
  async type({ text }) {
    await page.keyboard.type(text);
    return null;
  },
  async click({ selector }) {
    await page.click(selector);
    return null;
  },
  async log() {
    return { errors: errors.splice(0), requests: requests.splice(0) };
  },
  async close() {
    if (browser) await browser.close();
    browser = null;
    return null;
  },
};

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on("line", (line) => {
  queue = queue.then(async () => {
    let message;
    try {
      message = JSON.parse(line);
      const run = commands[message.command];
      if (!run) throw new Error(`unknown command ${message.command}`);
      const value = await run(message);
      process.stdout.write(JSON.stringify({ id: message.id, value }) + "\n");
    } catch (error) {
      const id = message ? message.id : null;
      process.stdout.write(JSON.stringify({ id, error: String((error && error.stack) || error) }) + "\n");
    }
  });
});
lines.on("close", async () => {
  await queue;
  if (browser) await browser.close().catch(() => {});
  process.exit(0);
});
