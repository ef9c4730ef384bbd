// @ts-check
// DOM helpers of the calculator's modules: elements built from data (strings are always text, never markup),
// and an in-place update of a subtree from a description of it, so that an answer which changes one sentence
// changes one text node instead of rebuilding the result.

/** An element with attributes and children; strings become text nodes, never markup. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/**
 * A description of an element for patch(). Two attributes are not rendered:
 * - key: names the element among its siblings (a block, an item's id), so that it is kept and moved, not
 *   rebuilt, when siblings come and go;
 * - memo: a string standing for everything the element shows; an element already showing the same memo is
 *   left as it is, subtree and all.
 */
export function el(tag, attributes = {}, ...children) {
  const { key = null, memo = null, ...rest } = attributes;
  return { tag, key, memo, attributes: rest, children: flatten(children) };
}

function flatten(children) {
  const flat = [];
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    flat.push(typeof child === "object" ? child : String(child));
  }
  return flat;
}

// What patch() last applied to an element it manages: its key, memo and attributes. Attributes it never set
// (a <details> the reader opened, the page's own markup) are left alone.
const APPLIED = Symbol("patched");

/**
 * Make ``parent``'s children those described, changing only what differs: el() descriptions, strings, and
 * nodes (placed as they are: the page's own markup, kept among described siblings).
 */
export function patch(parent, children) {
  const wanted = flatten(children);
  const keyed = new Map();
  for (const node of parent.children) {
    const applied = node[APPLIED];
    if (applied && applied.key !== null) keyed.set(applied.key, node);
  }
  let cursor = parent.firstChild;
  for (const want of wanted) {
    let node;
    if (typeof want === "string") {
      node = cursor && cursor.nodeType === Node.TEXT_NODE ? cursor : document.createTextNode(want);
      if (node.nodeValue !== want) node.nodeValue = want;
    } else if (want instanceof Node) {
      node = want;
    } else {
      node = want.key === null ? null : keyed.get(want.key);
      keyed.delete(want.key);
      // An element at this place that patch() did not make (the page's markup) or made without a key is reused.
      const reusable = cursor && cursor.nodeType === Node.ELEMENT_NODE && !(cursor[APPLIED] && cursor[APPLIED].key !== null);
      if (!node && reusable) node = cursor;
      node = node && node.localName === want.tag ? update(node, want) : update(document.createElement(want.tag), want);
    }
    if (node === cursor) cursor = cursor.nextSibling;
    else parent.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

function update(node, want) {
  const applied = node[APPLIED] || { memo: null, attributes: {} };
  node[APPLIED] = applied;
  applied.key = want.key;
  if (want.memo !== null && applied.memo === want.memo) return node;
  const attributes = {};
  for (const [name, value] of Object.entries(want.attributes)) {
    if (value !== null && value !== undefined && value !== false) attributes[name] = value === true ? "" : String(value);
  }
  for (const name of Object.keys(applied.attributes)) {
    if (!(name in attributes)) node.removeAttribute(name);
  }
  for (const [name, value] of Object.entries(attributes)) {
    if (node.getAttribute(name) !== value) node.setAttribute(name, value);
  }
  applied.attributes = attributes;
  patch(node, want.children);
  applied.memo = want.memo;
  return node;
}
