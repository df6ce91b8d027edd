// mizan's page: plain JavaScript over the documented JSON API (README, "Serving the TM over HTTP").
// Every text from the TM or a file goes into the page through textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { readOnly: true, token: sessionStorage.getItem("mizan-token") || "" };

// ---------------------------------------------------------------------------------------------
// The API

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** Calls the API; resolves to the parsed JSON (or a Blob with `blob: true`), rejects with an
 *  ApiError carrying the server's own message. */
async function api(method, path, body, { blob = false } = {}) {
  const headers = {};
  let payload;
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  if (state.token && method !== "GET") headers["Authorization"] = "Bearer " + state.token;
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload });
  } catch (e) {
    // A server that refuses a large body may close the connection before the browser has sent
    // it all; the browser then reports a network failure instead of the answer.
    if (payload && payload.length > LIMIT_BYTES) {
      throw new ApiError(413, tooLarge(payload.length));
    }
    throw new ApiError(0, "the server did not answer (" + e.message + ")");
  }
  if (res.ok) return blob ? res.blob() : res.json();
  let message = res.status + " " + res.statusText;
  try {
    const j = await res.json();
    if (j && j.error) message = j.error;
  } catch (_) { /* not JSON: keep the status line */ }
  if (res.status === 401) {
    $("token-form").hidden = false;
    $("token").focus();
  }
  if (res.status === 413) message = tooLarge(payload ? payload.length : 0) + " (the server said: " + message + ")";
  throw new ApiError(res.status, message);
}

/** The server's limit for a JSON body (README: 8 MiB). */
const LIMIT_BYTES = 8 * 1024 * 1024;
function tooLarge(n) {
  return `the request is ${(n / 1048576).toFixed(1)} MB; the server takes at most 8 MiB per request (413): split the file`;
}

function showError(id, err) {
  const box = $(id);
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = err.message || String(err);
  box.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Files: read as UTF-8, refusing what is not text, with a message a person can act on.

async function readTextFile(file) {
  if (file.size === 0) throw new Error(`“${file.name}” is empty: nothing to do`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  // A NUL byte in the first 8 KB: an image, a PDF, a Word file… (no text has one).
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new Error(`“${file.name}” is a binary file, not text: save the article as plain UTF-8 text (.txt)`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (_) {
    throw new Error(`“${file.name}” is not UTF-8 text (invalid byte at offset ${firstBadUtf8(bytes)}): ` +
      "save it as UTF-8 and try again");
  }
}

/** Offset of the first byte that breaks UTF-8 (as `mizan`'s own message gives it). */
function firstBadUtf8(b) {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 0 : (c & 0xe0) === 0xc0 && c >= 0xc2 ? 1 : (c & 0xf0) === 0xe0 ? 2 : (c & 0xf8) === 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return i;
}

/** Wires a file input to fill a textarea; bad files give a message in `errorId` and clear it. */
function fileIntoTextarea(inputId, textareaId, errorId) {
  $(inputId).addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    showError(errorId, null);
    const ta = $(textareaId);
    delete loaded[textareaId];
    ta.placeholder = ta.dataset.placeholder || ta.placeholder;
    try {
      const text = await readTextFile(file);
      ta.dataset.name = file.name;
      if (text.length > SHOWN_CHARS) {
        // A big file is kept aside, not put in the text box (a box of megabytes is unusable).
        loaded[textareaId] = text;
        ta.dataset.placeholder = ta.placeholder;
        ta.value = "";
        ta.placeholder = `“${file.name}” loaded (${(file.size / 1048576).toFixed(1)} MB)`;
      } else {
        ta.value = text;
      }
    } catch (e) {
      ta.value = "";
      delete ta.dataset.name;
      showError(errorId, e);
    }
  });
  $(textareaId).addEventListener("input", () => { delete loaded[textareaId]; });
}

/** Texts of files too big to show, by text box id. */
const loaded = {};
const SHOWN_CHARS = 1 << 20;
/** What a text box holds: its text, or the big file loaded into it. */
function docText(id) { return loaded[id] !== undefined ? loaded[id] : $(id).value; }

// ---------------------------------------------------------------------------------------------
// Small DOM helpers

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}
const arBlock = (tag, cls) => el(tag, { class: cls, dir: "rtl", lang: "ar" });
const enBlock = (tag, cls) => el(tag, { class: cls, dir: "ltr", lang: "en" });

function debounce(fn, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

// ---------------------------------------------------------------------------------------------
// Views

function selectTab(name) {
  for (const v of ["search", "align", "leverage"]) {
    $("tab-" + v).setAttribute("aria-selected", String(v === name));
    $("view-" + v).hidden = v !== name;
  }
  location.hash = name;
}

async function loadHealth() {
  try {
    const h = await api("GET", "/api/health");
    state.readOnly = h.read_only;
    const info = $("server-info");
    info.textContent = "";
    if (h.read_only) info.append(el("span", { class: "badge", text: "read-only" }));
    // The unit count costs the server a pass over the TM: asked for once, not on every probe.
    api("GET", "/api/stats")
      .then((st) => info.prepend(`${st.units} units`))
      .catch(() => {});
  } catch (e) {
    $("server-info").textContent = "server: " + e.message;
  }
  for (const w of document.querySelectorAll(".writer, .writer-only")) w.hidden = state.readOnly;
}

// ---------------------------------------------------------------------------------------------
// Search

let searchSeq = 0;

async function runSearch() {
  const q = $("query").value.trim();
  const seq = ++searchSeq;
  showError("search-error", null);
  $("add-source").value = q;
  if (!q) { $("matches").replaceChildren(); $("match-summary").textContent = ""; return; }
  try {
    const min = $("min").value;
    const res = await api("GET", `/api/match?q=${encodeURIComponent(q)}&min=${min}&top=5`);
    // Explanations of each match, fetched together: the marks need the token diff.
    const explained = await Promise.all(res.matches.map((m) =>
      api("GET", `/api/explain?q=${encodeURIComponent(q)}&id=${m.id}`).catch(() => null)));
    if (seq !== searchSeq) return; // an older answer arriving after a newer query
    $("match-summary").textContent = res.matches.length
      ? `${res.matches.length} match${res.matches.length > 1 ? "es" : ""} ≥ ${min}`
      : `no match ≥ ${min}`;
    $("matches").replaceChildren(...res.matches.map((m, i) => matchCard(m, explained[i])));
  } catch (e) {
    if (seq === searchSeq) showError("search-error", e);
  }
}

function matchCard(m, ex) {
  const card = el("li", { class: "card", "data-id": m.id });
  const score = el("span", { class: "score" + (m.score >= 100 ? " exact" : m.score < 85 ? " low" : ""), text: m.score.toFixed(1) });
  const copy = el("button", { type: "button", class: "copy", text: "Copy", title: "Copy the suggestion" });
  copy.addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(m.suggestion); copy.textContent = "Copied"; }
    catch (_) { copy.textContent = "Copy failed"; }
    setTimeout(() => { copy.textContent = "Copy"; }, 1500);
  });
  const meta = el("div", { class: "meta" }, score,
    el("span", { class: "status-" + m.status, text: m.status }),
    el("span", { class: "origin", text: "origin: " + m.origin }),
    el("span", { class: "unit-id", text: "#" + m.id }),
    el("span", { class: "spacer" }), copy);

  const source = arBlock("div", "source");
  if (ex) {
    for (const p of ex.source_parts) {
      source.append(p.kind === "space" || p.kind === "equal" ? p.text
        : el(p.kind === "inserted" ? "ins" : "span", { class: "diff-" + p.kind, title: partTitle(p.kind), text: p.text }));
    }
  } else source.textContent = m.source;

  const target = enBlock("div", "target");
  if (ex) {
    for (const p of ex.suggestion_parts) {
      target.append(p.kind === "substituted"
        ? el("mark", { class: "sub-num", title: "number taken from your text", text: p.text }) : p.text);
    }
  } else target.textContent = m.suggestion;
  card.append(meta, source, target);

  if (!state.readOnly) {
    const edit = el("button", { type: "button", class: "edit", text: "Edit target" });
    edit.addEventListener("click", () => editBox(card, m, target));
    meta.append(edit);
  }
  return card;
}

function partTitle(kind) {
  return {
    different: "a different word than in your text", deleted: "not in your text",
    inserted: "in your text, missing here", number: "another number (substituted in the suggestion)",
    clitic: "the same word with another clitic", orthography: "spelled differently (hamza, tashkeel…)",
    tag: "another inline tag",
  }[kind] || kind;
}

function editBox(card, m, targetEl) {
  if (card.querySelector(".edit-box")) return;
  const ta = el("textarea", { dir: "ltr", lang: "en", rows: "2" });
  ta.value = m.target;
  const msg = el("span", { class: "result", role: "status" });
  const save = el("button", { type: "button", text: "Save" });
  const cancel = el("button", { type: "button", text: "Cancel" });
  const box = el("div", { class: "edit-box" }, ta, save, cancel, msg);
  cancel.addEventListener("click", () => box.remove());
  save.addEventListener("click", async () => {
    try {
      await api("PUT", `/api/units/${m.id}`, { target: ta.value, author: $("add-author").value || undefined });
      m.target = ta.value;
      targetEl.textContent = ta.value;
      box.remove();
      runSearch();
    } catch (e) {
      msg.className = "result bad";
      msg.textContent = e.message;
    }
  });
  card.append(box);
  ta.focus();
}

async function addUnit(ev) {
  ev.preventDefault();
  const out = $("add-result");
  out.className = "result";
  try {
    const r = await api("POST", "/api/units", {
      source: $("add-source").value, target: $("add-target").value,
      author: $("add-author").value || undefined,
    });
    out.textContent = `${r.outcome} (#${r.id})`;
    $("add-target").value = "";
    loadHealth();
    runSearch();
  } catch (e) {
    out.className = "result bad";
    out.textContent = e.message;
  }
}

// Concordance ------------------------------------------------------------------------------

let concSeq = 0;

async function runConcordance() {
  const term = $("term").value.trim();
  const seq = ++concSeq;
  showError("search-error", null);
  const body = $("hits").tBodies[0];
  if (!term) { body.replaceChildren(); $("hit-count").textContent = ""; return; }
  try {
    const limit = 200;
    const hits = await api("GET", `/api/concordance?term=${encodeURIComponent(term)}&target=${$("term-target").checked}&limit=${limit}`);
    if (seq !== concSeq) return;
    $("hit-count").textContent = `${hits.length}${hits.length === limit ? "+" : ""} hit${hits.length === 1 ? "" : "s"}`;
    const re = termPattern(term);
    body.replaceChildren(...hits.map((h) => {
      const ar = arBlock("td", "source"); highlight(ar, h.source, re);
      const en = enBlock("td", "target"); highlight(en, h.target, re);
      return el("tr", { "data-id": h.id }, ar, en);
    }));
  } catch (e) {
    if (seq === concSeq) showError("search-error", e);
  }
}

// The server matches with Arabic normalization (tashkeel, tatweel, alef/hamza forms, ى/ي, ة/ه);
// the marks follow the same rules so the term is found where the server found it.
const MARKS = "[\\u064B-\\u065F\\u0670\\u0640]*";
const FOLD = { "ا": "[اأإآٱ]", "أ": "[اأإآٱ]", "إ": "[اأإآٱ]", "آ": "[اأإآٱ]", "ٱ": "[اأإآٱ]",
  "ي": "[يى]", "ى": "[يى]", "ة": "[ةه]", "ه": "[ةه]" };
function termPattern(term) {
  const chars = [...term.replace(/[\u064B-\u065F\u0670\u0640]/g, "")];
  const src = chars.map((c) => FOLD[c] || c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(MARKS);
  try { return new RegExp(src, "giu"); } catch (_) { return null; }
}
function highlight(node, text, re) {
  if (!re) { node.textContent = text; return; }
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (!m[0]) continue;
    node.append(text.slice(at, m.index), el("mark", { class: "term", text: m[0] }));
    at = m.index + m[0].length;
  }
  node.append(text.slice(at));
}

// ---------------------------------------------------------------------------------------------
// Alignment review

const review = { ar: [], en: [], links: [], sel: 0 };

async function runAlign(ev) {
  ev.preventDefault();
  showError("align-error", null);
  $("accept-result").textContent = "";
  const ar = docText("ar-text"), en = docText("en-text");
  if (!ar.trim() || !en.trim()) {
    showError("align-error", new Error("give both the Arabic article and its English translation (a file or pasted text)"));
    return;
  }
  $("align-go").disabled = true;
  try {
    const r = await api("POST", "/api/align", { ar, en });
    review.ar = r.ar.map((s) => s.text);
    review.en = r.en.map((s) => s.text);
    review.links = r.links.map((l) => ({ ar: l.ar_ids.slice(), en: l.en_ids.slice(), confidence: l.confidence,
      edited: false, accepted: true }));
    review.sel = Math.max(0, review.links.findIndex((l) => l.confidence < 0.5));
    if (!$("align-doc").value) $("align-doc").value = $("ar-text").dataset.name || "";
    $("align-review").hidden = false;
    drawLinks();
    $("links").focus();
  } catch (e) {
    $("align-review").hidden = true;
    showError("align-error", e);
  } finally {
    $("align-go").disabled = false;
  }
}

function linkClass(l) {
  const cls = ["link"];
  if (!l.ar.length || !l.en.length) cls.push("one-sided");
  if (l.edited) cls.push("edited");
  else if (l.confidence < 0.5) cls.push("low");
  else if (l.confidence < 0.8) cls.push("mid");
  if (!l.accepted) cls.push("left-out");
  return cls.join(" ");
}

function drawLinks() {
  const box = $("links");
  const rows = review.links.map((l, i) => {
    const ar = arBlock("div", "side ar-side");
    for (const id of l.ar) ar.append(el("bdi", { class: "sent", "data-ar": id }, el("span", { class: "num", text: String(id + 1) }), review.ar[id]));
    const en = enBlock("div", "side en-side");
    for (const id of l.en) en.append(el("bdi", { class: "sent", "data-en": id }, el("span", { class: "num", text: String(id + 1) }), review.en[id]));
    const conf = el("div", { class: "conf" }, el("b", { text: `${l.ar.length}-${l.en.length}` }),
      l.edited ? "edited" : l.confidence.toFixed(2));
    const row = el("div", { class: linkClass(l) + (i === review.sel ? " selected" : ""), "data-index": i, role: "option",
      "aria-selected": String(i === review.sel) }, ar, conf, en);
    row.addEventListener("click", () => { review.sel = i; drawLinks(); });
    return row;
  });
  box.replaceChildren(...rows);
  const sel = box.children[review.sel];
  if (sel) sel.scrollIntoView({ block: "nearest" });
  const low = review.links.filter((l) => !l.edited && l.confidence < 0.5 && l.ar.length && l.en.length).length;
  const stored = review.links.filter((l) => l.accepted && l.ar.length && l.en.length).length;
  $("align-summary").textContent = `${review.ar.length} Arabic and ${review.en.length} English sentences, ` +
    `${review.links.length} links (${low} of low confidence); accepting stores ${stored} pairs as reviewed units`;
}

/** The link operations. Each keeps the invariants by construction (every sentence in exactly
 *  one link, links in order); the server checks them again on accept. */
const ops = {
  merge() {
    const i = review.sel, a = review.links[i], b = review.links[i + 1];
    if (!b) return;
    review.links.splice(i, 2, touched({ ar: a.ar.concat(b.ar), en: a.en.concat(b.en) }));
  },
  split() {
    const i = review.sel, l = review.links[i];
    if (l.ar.length <= 1 && l.en.length <= 1) return;
    review.links.splice(i, 1, touched({ ar: l.ar.slice(0, 1), en: l.en.slice(0, 1) }),
      touched({ ar: l.ar.slice(1), en: l.en.slice(1) }));
    dropEmpty();
  },
  up(side) {
    const i = review.sel, l = review.links[i], prev = review.links[i - 1];
    if (!prev || !l[side].length) return;
    prev[side].push(l[side].shift());
    review.links[i - 1] = touched(prev);
    review.links[i] = touched(l);
    if (dropEmpty() && review.sel > 0) review.sel--;
  },
  down(side) {
    const i = review.sel, l = review.links[i], next = review.links[i + 1];
    if (!next || !l[side].length) return;
    next[side].unshift(l[side].pop());
    review.links[i + 1] = touched(next);
    review.links[i] = touched(l);
    dropEmpty();
  },
  detach() {
    const i = review.sel, l = review.links[i];
    if (!l.ar.length || !l.en.length) return;
    const singles = l.ar.map((id) => touched({ ar: [id], en: [] }))
      .concat(l.en.map((id) => touched({ ar: [], en: [id] })));
    review.links.splice(i, 1, ...singles);
  },
  skip() {
    const l = review.links[review.sel];
    l.accepted = !l.accepted;
  },
};
function touched(l) { return { ar: l.ar, en: l.en, confidence: 0, edited: true, accepted: l.accepted !== false }; }
function dropEmpty() {
  const before = review.links.length;
  review.links = review.links.filter((l) => l.ar.length || l.en.length);
  review.sel = Math.min(review.sel, review.links.length - 1);
  return review.links.length !== before;
}
function apply(op, arg) {
  if (!review.links.length) return;
  ops[op](arg);
  drawLinks();
}

function alignKeys(ev) {
  if (ev.target.closest("input, textarea, select")) return;
  if ($("view-align").hidden || $("align-review").hidden) return;
  const k = ev.key;
  const act = {
    ArrowDown: () => { review.sel = Math.min(review.links.length - 1, review.sel + 1); drawLinks(); },
    ArrowUp: () => { review.sel = Math.max(0, review.sel - 1); drawLinks(); },
    j: () => act.ArrowDown(), k: () => act.ArrowUp(),
    m: () => apply("merge"), s: () => apply("split"), x: () => apply("detach"), " ": () => apply("skip"),
    u: () => apply("up", "en"), d: () => apply("down", "en"), U: () => apply("up", "ar"), D: () => apply("down", "ar"),
  }[k];
  if (act && !ev.ctrlKey && !ev.metaKey && !ev.altKey) { ev.preventDefault(); act(); }
}

async function acceptAlignment(ev) {
  ev.preventDefault();
  const out = $("accept-result");
  out.className = "result";
  out.textContent = "";
  try {
    const r = await api("POST", "/api/align/accept", {
      ar: review.ar, en: review.en,
      links: review.links.map((l) => ({ ar_ids: l.ar, en_ids: l.en, accepted: l.accepted,
        ...(l.edited ? {} : { confidence: l.confidence }) })),
      document: $("align-doc").value || undefined,
      author: $("align-author").value || undefined,
    });
    out.textContent = `stored ${r.stored} new units (origin align, reviewed)` +
      (r.marked_reviewed ? `, ${r.marked_reviewed} already stored now reviewed` : "") +
      (r.duplicates ? `, ${r.duplicates} already stored` : "") +
      (r.not_accepted ? `, ${r.not_accepted} left out` : "");
    loadHealth();
  } catch (e) {
    out.className = "result bad";
    out.textContent = e.message;
  }
}

// ---------------------------------------------------------------------------------------------
// Leverage report

async function runAnalyze(ev) {
  ev.preventDefault();
  showError("leverage-error", null);
  $("dl-result").textContent = "";
  const text = docText("lev-text");
  if (!text.trim()) {
    showError("leverage-error", new Error("give an article: a file or pasted text"));
    $("leverage-report").hidden = true;
    return;
  }
  $("analyze-go").disabled = true;
  try {
    const name = $("lev-text").dataset.name || "article.txt";
    const a = await api("POST", "/api/analyze", { documents: [{ name, text }] });
    drawReport(a.total);
    $("leverage-report").hidden = false;
  } catch (e) {
    $("leverage-report").hidden = true;
    showError("leverage-error", e);
  } finally {
    $("analyze-go").disabled = false;
  }
}

function drawReport(total) {
  const rep = total.bands.find((b) => b.band === "repetitions");
  $("lev-summary").textContent = `${total.segments} segments, ${total.words} words` +
    (rep ? `; ${rep.segments} repeated segments (${rep.words} words)` : "");
  $("bands").tBodies[0].replaceChildren(...total.bands.map((b) =>
    el("tr", { class: b.band, "data-band": b.band },
      el("td", { text: bandLabel(b.band) }), el("td", { class: "segments", text: String(b.segments) }),
      el("td", { class: "words", text: String(b.words) }), el("td", { text: String(b.characters) }))));
  $("chart").replaceChildren(barChart(total.bands));
}

function bandLabel(b) {
  return { context: "context (101%)", exact: "exact (100%)", new: "new", repetitions: "repetitions" }[b] || b + "%";
}

/** Two bars per band (segments, words), each scaled to its own maximum, with the counts
 *  written on them: hand-drawn SVG, no library. */
function barChart(bands) {
  const NS = "http://www.w3.org/2000/svg";
  const s = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const W = 760, rowH = 34, left = 130, barMax = 260, gap = 40;
  const H = bands.length * rowH + 30;
  const svg = s("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": "Segments and words per match band" });
  const maxSeg = Math.max(1, ...bands.map((b) => b.segments));
  const maxWords = Math.max(1, ...bands.map((b) => b.words));
  svg.append(s("text", { x: left, y: 14, "font-weight": "bold" }, "segments"),
    s("text", { x: left + barMax + gap, y: 14, "font-weight": "bold" }, "words"));
  bands.forEach((b, i) => {
    const y = 24 + i * rowH;
    const g = s("g", { class: "band", "data-band": b.band, "data-segments": b.segments, "data-words": b.words });
    g.append(s("text", { x: 0, y: y + 16 }, bandLabel(b.band)),
      s("line", { class: "axis", x1: left, y1: y, x2: left, y2: y + 24 }),
      s("rect", { class: "bar-seg", x: left, y: y + 2, height: 20, width: (barMax * b.segments) / maxSeg }),
      s("text", { class: "count-seg", x: left + (barMax * b.segments) / maxSeg + 4, y: y + 16 }, String(b.segments)),
      s("line", { class: "axis", x1: left + barMax + gap, y1: y, x2: left + barMax + gap, y2: y + 24 }),
      s("rect", { class: "bar-words", x: left + barMax + gap, y: y + 2, height: 20, width: (barMax * b.words) / maxWords }),
      s("text", { class: "count-words", x: left + barMax + gap + (barMax * b.words) / maxWords + 4, y: y + 16 }, String(b.words)));
    svg.append(g);
  });
  return svg;
}

async function download(ev) {
  const format = ev.target.dataset.format;
  const out = $("dl-result");
  out.className = "result";
  out.textContent = "";
  try {
    const name = $("lev-text").dataset.name || "article.txt";
    const blob = await api("POST", `/api/pretranslate?format=${format}`, { text: docText("lev-text"), name }, { blob: true });
    const stem = name.replace(/\.txt$/, "");
    const a = el("a", { href: URL.createObjectURL(blob), download: `${stem}.${format === "xliff" ? "xlf" : format}` });
    document.body.append(a);
    a.click();
    a.remove();
    out.textContent = `${format.toUpperCase()} ready (${blob.size} bytes)`;
  } catch (e) {
    out.className = "result bad";
    out.textContent = e.message;
  }
}

// ---------------------------------------------------------------------------------------------

function init() {
  for (const v of ["search", "align", "leverage"]) $("tab-" + v).addEventListener("click", () => selectTab(v));
  const first = location.hash.slice(1);
  selectTab(["search", "align", "leverage"].includes(first) ? first : "search");

  $("token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.token = $("token").value.trim();
    sessionStorage.setItem("mizan-token", state.token);
    $("token-form").hidden = true;
  });

  const search = debounce(runSearch, 250);
  $("query").addEventListener("input", search);
  $("min").addEventListener("change", runSearch);
  $("add-form").addEventListener("submit", addUnit);
  for (const [tab, pane] of [["sub-matches", "pane-matches"], ["sub-concordance", "pane-concordance"]]) {
    $(tab).addEventListener("click", () => {
      for (const [t, p] of [["sub-matches", "pane-matches"], ["sub-concordance", "pane-concordance"]]) {
        $(t).setAttribute("aria-selected", String(t === tab));
        $(p).hidden = p !== pane;
      }
    });
  }
  const conc = debounce(runConcordance, 250);
  $("term").addEventListener("input", conc);
  $("term-target").addEventListener("change", runConcordance);

  fileIntoTextarea("ar-file", "ar-text", "align-error");
  fileIntoTextarea("en-file", "en-text", "align-error");
  fileIntoTextarea("lev-file", "lev-text", "leverage-error");
  $("align-form").addEventListener("submit", runAlign);
  $("accept-form").addEventListener("submit", acceptAlignment);
  const buttons = { "op-merge": ["merge"], "op-split": ["split"], "op-en-up": ["up", "en"], "op-en-down": ["down", "en"],
    "op-ar-up": ["up", "ar"], "op-ar-down": ["down", "ar"], "op-detach": ["detach"], "op-skip": ["skip"] };
  for (const [id, [op, arg]] of Object.entries(buttons)) $(id).addEventListener("click", () => apply(op, arg));
  document.addEventListener("keydown", alignKeys);

  $("leverage-form").addEventListener("submit", runAnalyze);
  for (const b of document.querySelectorAll(".downloads button")) b.addEventListener("click", download);

  loadHealth();
}

document.addEventListener("DOMContentLoaded", init);
