// Livestall web studio, go-live tab: the live's comment sources the server runs itself.
// Connect the Facebook Page once (its token stays on this computer), pick one of its lives, add
// TikTok / YouTube / Twitch / SSN / a recorded file, and watch each source's health. A source
// silent while others talk, or one that dropped, shows a notice and beeps once.
// Loaded after studio.js: uses its $, el, t, api, guard and notify.
"use strict";

const SOURCES_POLL_MS = 2000;
const SOURCE_PLACEHOLDERS = {
  tiktok: "@shop", youtube: "https://www.youtube.com/watch?v=…", twitch: "channel",
  ssn: "session", file: "/path/chat.jsonl",
};
let sourcesTimer = null;
let sourcesState = { sources: [], pages: [], silence_s: 60 };
let alertedKeys = new Set();
let reconcileBody = null;
let audioContext = null;
let pageLives = []; // the connected Page's current lives, as last asked
let livesShown = false; // they are listed once by themselves, after that on request

function sourceName(source) {
  if (source.kind === "facebook") {
    const page = sourcesState.pages.find((p) => p.page_id === source.page_id);
    return `Facebook · ${page ? page.name : source.page_id} · ${source.target}`;
  }
  if (source.kind === "file") return `${t("source_kind_file")} · ${source.target.split("/").pop()}`;
  return `${t(`source_kind_${source.kind}`)} · ${source.target}`;
}

function clockTime(epochS) {
  return new Date(epochS * 1000).toLocaleTimeString(document.documentElement.lang);
}

function stateLabel(source) {
  return t(`source_state_${source.state}`, { n: source.reconnects });
}

function sourceRow(source) {
  const item = el("li", { className: `source state-${source.state}${source.alert ? " has-alert" : ""}` });
  item.dataset.source = source.id;
  item.dataset.state = source.state;
  const head = el("div", { className: "source-head" });
  head.append(el("span", { className: "source-dot", "aria-hidden": "true" }));
  head.append(el("strong", { className: "source-name", dir: "auto" }, sourceName(source)));
  head.append(el("span", { className: "source-state" }, stateLabel(source)));
  item.append(head);
  const facts = [t("source_comments", { n: source.comments })];
  if (source.last_comment_at) facts.push(t("source_last", { time: clockTime(source.last_comment_at) }));
  if (source.backfilled) facts.push(t("source_backfilled", { n: source.backfilled }));
  if (source.gaps_unfilled) facts.push(t("source_gaps", { n: source.gaps_unfilled }));
  item.append(el("p", { className: "source-facts" }, facts.join(" · ")));
  // When the unfilled windows were, newest last: where to look for missed comments.
  const holes = source.gaps.filter((gap) => gap.end !== null && !gap.is_refilled).slice(-3);
  if (holes.length) {
    const windows = holes.map((gap) => `${clockTime(gap.start)}–${clockTime(gap.end)}`).join(", ");
    item.append(el("p", { className: "source-reason source-gaps" }, t("source_gap_windows", { windows })));
  }
  const why = source.alert_text || source.reason_text;
  if (why) item.append(el("p", { className: "source-reason" }, why));
  const actions = el("div", { className: "row source-actions" });
  const running = ["connecting", "live", "reconnecting"].includes(source.state);
  const toggle = el("button", { type: "button", className: "small" }, t(running ? "source_stop" : "source_start"));
  toggle.addEventListener("click", guard(async () => {
    await api("POST", `/studio/api/live/sources/${source.id}/${running ? "stop" : "start"}`);
    await loadSources();
  }));
  const remove = el("button", { type: "button", className: "small" }, t("delete"));
  remove.addEventListener("click", guard(async () => {
    await api("DELETE", `/studio/api/live/sources/${source.id}`);
    await loadSources();
  }));
  actions.append(toggle, remove);
  if (source.kind === "facebook") {
    const check = el("button", { type: "button", className: "small" }, t("reconcile_check"));
    check.addEventListener("click", guard(() => runReconcile({ spec: source.spec })));
    actions.append(check);
  }
  item.append(actions);
  return item;
}

function beep() {
  try {
    audioContext = audioContext || new AudioContext();
    const tone = audioContext.createOscillator();
    const gain = audioContext.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audioContext.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audioContext.currentTime + 0.4);
    tone.connect(gain).connect(audioContext.destination);
    tone.start();
    tone.stop(audioContext.currentTime + 0.4);
  } catch (error) { /* no sound device: the notice is still shown */ }
}

function showAlerts(sources) {
  const alerting = sources.filter((source) => source.alert);
  const box = $("sources-alert");
  box.hidden = !alerting.length;
  box.replaceChildren(...alerting.map((source) => el("p", {}, t(`source_alert_${source.alert}`, { name: sourceName(source) }))));
  const keys = new Set(alerting.map((source) => `${source.id}:${source.alert}:${source.reconnects}`));
  if ([...keys].some((key) => !alertedKeys.has(key))) beep();
  alertedKeys = keys;
}

function renderSources() {
  const { sources, pages } = sourcesState;
  $("sources-list").replaceChildren(...sources.map(sourceRow));
  $("sources-empty").hidden = sources.length > 0;
  const page = pages[0];
  $("fb-connected").hidden = !page;
  $("fb-form").hidden = Boolean(page);
  $("fb-lives").hidden = !page;
  if (page) $("fb-page-name").textContent = t("fb_connected_as", { name: page.name || page.page_id });
  if (!page) pageLives = [];
  renderLives();
  showAlerts(sources);
}

async function loadSources() {
  sourcesState = await api("GET", "/studio/api/live/sources");
  renderSources();
  if (sourcesState.pages.length && !livesShown) {
    livesShown = true;
    await findLives();
  }
}

function pollSources() {
  clearTimeout(sourcesTimer);
  if ($("panel-live").hidden) return;
  loadSources().catch(() => {}).finally(() => { sourcesTimer = setTimeout(pollSources, SOURCES_POLL_MS); });
}

async function connectPage(event) {
  event.preventDefault();
  const page = await api("POST", "/studio/api/live/sources/facebook/pages", {
    page_id: $("fb-page-id").value.trim(), token: $("fb-token").value.trim(),
  });
  $("fb-token").value = ""; // the token lives on the server now, never in the page
  notify(t("fb_connected_as", { name: page.name || page.page_id }));
  livesShown = false;
  await loadSources();
}

async function findLives() {
  const page = sourcesState.pages[0];
  if (!page) return;
  pageLives = await api("GET", `/studio/api/live/sources/facebook/pages/${page.page_id}/lives`);
  renderLives();
}

function renderLives() {
  $("fb-lives-empty").hidden = pageLives.length > 0 || !sourcesState.pages.length;
  $("fb-lives-list").replaceChildren(...pageLives.map((live) => {
    const item = el("li");
    const started = live.started_at ? ` · ${clockTime(live.started_at)}` : "";
    item.append(el("span", {}, `${live.title || live.video_id}${started} `));
    const isAdded = sourcesState.sources.some((source) => source.spec === live.spec);
    const take = el("button", { type: "button", className: "primary small" }, t(isAdded ? "fb_live_added" : "fb_use_live"));
    take.disabled = isAdded;
    take.addEventListener("click", guard(async () => {
      await api("POST", "/studio/api/live/sources", { spec: live.spec });
      await loadSources();
    }));
    item.append(take);
    return item;
  }));
}

async function disconnectPage() {
  const page = sourcesState.pages[0];
  if (!page || !confirm(t("fb_disconnect_confirm"))) return;
  await api("DELETE", `/studio/api/live/sources/facebook/pages/${page.page_id}`);
  pageLives = [];
  livesShown = false;
  await loadSources();
}

async function addSource(event) {
  event.preventDefault();
  const kind = $("source-kind").value;
  await api("POST", "/studio/api/live/sources", { spec: `${kind}:${$("source-target").value.trim()}` });
  $("source-target").value = "";
  await loadSources();
}

function itemsText(row) {
  if (!row.items.length) return t("reconcile_no_order");
  return row.items.map((item) => [item.sku, item.size, item.color, `x${item.qty}`].filter(Boolean).join(" ")).join(", ");
}

async function runReconcile(body) {
  reconcileBody = body;
  const report = await api("POST", "/studio/api/live/sources/reconcile", body);
  $("reconcile-summary").textContent = t("reconcile_summary", {
    total: report.platform_total, ingested: report.ingested, missing: report.missing.length,
  });
  $("reconcile-table").hidden = !report.missing.length;
  $("reconcile-take").hidden = !report.missing.some((row) => row.intent === "order");
  $("reconcile-table").tBodies[0].replaceChildren(...report.missing.map((row) => {
    const line = el("tr");
    const when = row.ts ? clockTime(row.ts) : "—";
    for (const value of [when, row.user_name, row.text, itemsText(row)]) line.append(el("td", {}, value));
    return line;
  }));
  $("reconcile").open = true;
}

async function takeMissing() {
  if (!reconcileBody) return;
  const taken = await api("POST", "/studio/api/live/sources/reconcile/take", reconcileBody);
  notify(t("reconcile_taken", { n: taken.taken, orders: taken.orders }));
  await runReconcile(reconcileBody);
}

function setUpSources() {
  $("fb-form").addEventListener("submit", guard(connectPage));
  $("fb-find").addEventListener("click", guard(findLives));
  $("fb-disconnect").addEventListener("click", guard(disconnectPage));
  $("source-form").addEventListener("submit", guard(addSource));
  $("source-kind").addEventListener("change", () => {
    $("source-target").placeholder = SOURCE_PLACEHOLDERS[$("source-kind").value] || "";
  });
  $("source-target").placeholder = SOURCE_PLACEHOLDERS[$("source-kind").value];
  $("reconcile-paste").addEventListener("click", guard(() => runReconcile({ text: $("reconcile-text").value })));
  $("reconcile-take").addEventListener("click", guard(takeMissing));
  document.addEventListener("click", () => { if (audioContext) audioContext.resume(); }, { once: true });
  // The tab shows: poll while it is open. The language changes: draw again in it.
  new MutationObserver(() => { if (!$("panel-live").hidden) pollSources(); })
    .observe($("panel-live"), { attributes: true, attributeFilter: ["hidden"] });
  new MutationObserver(() => renderSources())
    .observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  if (!$("panel-live").hidden) pollSources();
}

setUpSources();
