// Host console: the comment sources the server runs (server/services/sources.py).
// Header: one chip per source (state, comments). A source silent while others talk, one that
// dropped or stopped on an error, turns its chip red and beeps once (WebAudio). A chip opens
// a panel with each source's reason and gaps, and the after-live check for missed comments
// (reconcile: list them, then take them in comment order). Texts: /static/i18n/sources.json.
// The host token is read from sessionStorage, where host.js keeps it; it never goes in a URL.
const TOKEN_KEY = "livestall.hostToken";
const POLL_MS = 3000;
const box = document.getElementById("sources-health");
const lang = localStorage.getItem("livestall.lang") ?? "vi";
let texts = {};
let alerted = new Set();
let audio = null;
let panel = null;
let reconcileBody = null;
let latest = [];

function t(key, values = {}) {
  const template = texts[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function node(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

function clock(epochS) {
  return new Date(epochS * 1000).toLocaleTimeString(lang);
}

function kindName(source) {
  return source.kind === "facebook" ? "Facebook" : t(`kind_${source.kind}`);
}

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ""}`, "X-Livestall-Lang": lang };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error([data?.message, data?.hint].filter(Boolean).join(" — ") || response.statusText);
  return data;
}

function chip(source) {
  const button = node("button", `source-chip state-${source.state}${source.alert ? " has-alert" : ""}`);
  button.type = "button";
  button.dataset.source = source.id;
  button.dataset.state = source.state;
  const name = node("bdi", "", kindName(source));
  const state = node("span", "", ` ${t(`state_${source.state}`, { n: source.reconnects })} · ${t("comments", { n: source.comments })}`);
  button.append(name, state);
  if (source.alert) button.append(node("strong", "", ` ${t(`alert_${source.alert}`)}`));
  button.title = [source.spec, source.alert_text || source.reason_text].filter(Boolean).join(" — ");
  button.addEventListener("click", () => togglePanel(true));
  return button;
}

function beep() {
  try {
    audio = audio ?? new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  } catch { /* no sound device: the chip still turns red */ }
}

function sourceLine(source) {
  const item = node("li", `state-${source.state}`);
  item.append(node("strong", "", `${kindName(source)} · `), node("bdi", "", source.target));
  const facts = [t(`state_${source.state}`, { n: source.reconnects }), t("comments", { n: source.comments })];
  if (source.last_comment_at) facts.push(t("last", { time: clock(source.last_comment_at) }));
  if (source.backfilled) facts.push(t("backfilled", { n: source.backfilled }));
  item.append(node("span", "", ` — ${facts.join(" · ")}`));
  const why = source.alert_text || source.reason_text;
  if (why) item.append(node("div", "source-why", why));
  const holes = source.gaps.filter((gap) => gap.end !== null && !gap.is_refilled).slice(-3);
  if (holes.length) {
    item.append(node("div", "source-why", t("gaps", { windows: holes.map((g) => `${clock(g.start)}–${clock(g.end)}`).join(", ") })));
  }
  if (source.kind === "facebook") {
    const check = node("button", "", t("reconcile_check"));
    check.type = "button";
    check.addEventListener("click", () => reconcile({ spec: source.spec }));
    item.append(check);
  }
  return item;
}

function buildPanel() {
  panel = node("section", "sources-panel");
  panel.id = "sources-panel";
  panel.hidden = true;
  const head = node("h2", "", t("label"));
  const close = node("button", "", t("close"));
  close.type = "button";
  close.addEventListener("click", () => togglePanel(false));
  const list = node("ul", "sources-lines");
  list.id = "sources-lines";
  const help = node("p", "muted", t("reconcile_help"));
  const paste = node("textarea");
  paste.id = "sources-paste";
  paste.rows = 3;
  paste.setAttribute("aria-label", t("reconcile_title"));
  const compare = node("button", "", t("reconcile_compare"));
  compare.type = "button";
  compare.addEventListener("click", () => reconcile({ text: paste.value }));
  const take = node("button", "", t("reconcile_take"));
  take.type = "button";
  take.id = "sources-take";
  take.hidden = true;
  take.addEventListener("click", takeMissing);
  const summary = node("p", "", "");
  summary.id = "sources-summary";
  summary.setAttribute("role", "status");
  const table = node("table");
  table.id = "sources-missing";
  table.hidden = true;
  const headRow = node("tr");
  for (const key of ["time", "buyer", "comment", "would_order"]) headRow.append(node("th", "", t(key)));
  table.append(node("thead"), node("tbody"));
  table.tHead.append(headRow);
  panel.append(head, list, node("h3", "", t("reconcile_title")), help, paste, compare, take, summary, table, close);
  document.getElementById("console")?.prepend(panel);
}

function togglePanel(isOpen) {
  if (!panel) buildPanel();
  panel.hidden = !isOpen;
  if (isOpen) {
    document.getElementById("sources-lines").replaceChildren(...latest.map(sourceLine));
    panel.scrollIntoView({ block: "start" });
  }
}

function wouldOrder(row) {
  if (!row.items.length) return t("no_order");
  return row.items.map((i) => [i.sku, i.size, i.color, `x${i.qty}`].filter(Boolean).join(" ")).join(", ");
}

async function reconcile(body) {
  const summary = document.getElementById("sources-summary");
  try {
    reconcileBody = body;
    const report = await call("POST", "/api/sources/reconcile", body);
    summary.textContent = t("reconcile_summary", { total: report.platform_total, ingested: report.ingested, missing: report.missing.length });
    const table = document.getElementById("sources-missing");
    table.hidden = !report.missing.length;
    document.getElementById("sources-take").hidden = !report.missing.some((row) => row.intent === "order");
    table.tBodies[0].replaceChildren(...report.missing.map((row) => {
      const line = node("tr");
      for (const value of [row.ts ? clock(row.ts) : "—", row.user_name, row.text, wouldOrder(row)]) line.append(node("td", "", value));
      return line;
    }));
  } catch (error) {
    summary.textContent = error.message;
  }
}

async function takeMissing() {
  if (!reconcileBody) return;
  try {
    const taken = await call("POST", "/api/sources/reconcile/take", reconcileBody);
    await reconcile(reconcileBody);
    document.getElementById("sources-summary").textContent += ` ${t("reconcile_taken", { n: taken.taken, orders: taken.orders })}`;
  } catch (error) {
    document.getElementById("sources-summary").textContent = error.message;
  }
}

async function refresh() {
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    box.hidden = true;
    return;
  }
  let answer;
  try {
    answer = await call("GET", `/api/sources?lang=${lang}`);
  } catch {
    box.hidden = true;
    return;
  }
  latest = answer.sources;
  box.hidden = latest.length === 0;
  box.replaceChildren(...latest.map(chip));
  if (panel && !panel.hidden) document.getElementById("sources-lines").replaceChildren(...latest.map(sourceLine));
  const now = new Set(latest.filter((s) => s.alert).map((s) => `${s.id}:${s.alert}:${s.reconnects}`));
  if ([...now].some((key) => !alerted.has(key))) beep();
  alerted = now;
}

async function start() {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = "/static/sources.css";
  document.head.append(link);
  const all = await (await fetch("/static/i18n/sources.json")).json();
  texts = all[lang] ?? all.vi;
  box.setAttribute("aria-label", t("label"));
  document.addEventListener("click", () => audio?.resume(), { once: true });
  const loop = async () => {
    try { await refresh(); } catch { /* the server restarts: try again next time */ }
    setTimeout(loop, POLL_MS);
  };
  loop();
}

if (box) start();
