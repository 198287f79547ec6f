// Host console. The host token is typed into the page and kept in sessionStorage only:
// it never appears in a URL, so a screen share of the address bar leaks nothing.
import { afterLive } from "/static/after.js";
import { buyerBook } from "/static/buyers.js";
import { connectEvents, el, formatPrice, loadTexts, variantLabel } from "/static/live.js";
import { reviewQueue, sellerAccounts } from "/static/review.js";

const TOKEN_KEY = "livestall.hostToken";
const LANG_KEY = "livestall.lang";
const $ = (id) => document.getElementById(id);

const lang = localStorage.getItem(LANG_KEY) ?? "vi";
$("lang").value = lang;
$("lang").addEventListener("change", () => {
  localStorage.setItem(LANG_KEY, $("lang").value);
  location.reload();
});
const { t } = await loadTexts("host", lang);

let pinned = null;
let refreshTimer = null;

async function api(method, path, body = undefined, type = "application/json") {
  // X-Livestall-Lang: the server answers errors in the console's language (docs/errors.md).
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ""}`, "X-Livestall-Lang": lang };
  if (body !== undefined) headers["Content-Type"] = type;
  const payload = body === undefined ? undefined : type === "application/json" ? JSON.stringify(body) : body;
  const response = await fetch(path, { method, headers, body: payload });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(t("bad_token"));
    throw new Error("unauthorised");
  }
  if (!response.ok) {
    let problem = { message: response.statusText, hint: "" };
    try { problem = await response.json(); } catch { /* not JSON */ }
    say(`${problem.message ?? ""} ${problem.hint ?? ""}`.trim());
    throw new Error(problem.code ?? "error");
  }
  return response;
}

function say(text) {
  $("message").textContent = text;
  setTimeout(() => { if ($("message").textContent === text) $("message").textContent = ""; }, 4000);
}

function showLogin(error = "") {
  $("login").hidden = false;
  $("console").hidden = true;
  $("logout").hidden = true;
  $("login-error").textContent = error;
}

// On a phone each table row is a card (host.css): every cell carries its column's name.
function labelCells(table) {
  const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  for (const row of table.tBodies[0]?.rows ?? []) {
    [...row.cells].forEach((cell, index) => { cell.dataset.label = names[index] ?? ""; });
  }
}

for (const id of ["products", "comments", "pending"]) {
  const table = $(id);
  new MutationObserver(() => labelCells(table)).observe(table.tBodies[0], { childList: true });
}

async function showConsole() {
  try {
    await api("GET", "/api/orders?limit=1");
  } catch {
    return;
  }
  $("login").hidden = true;
  $("console").hidden = false;
  $("logout").hidden = false;
  await loadLives();
  await Promise.all([
    loadProducts(), loadOrders(), loadComments(), loadWords(), loadBlocked(), after.loadPayments(), loadHold(), buyers.loadRules(),
    review.load(), sellers.load(),
  ]);
  connectEvents("/ws/overlay", {
    onEvent(event) {
      if (event.type === "pin" || event.type === "snapshot") {
        pinned = event.type === "pin" ? event.sku : event.pinned?.sku ?? null;
      }
      if (["snapshot", "order", "order_update", "stock", "product", "pin"].includes(event.type)) scheduleRefresh();
      if (event.type === "comment" || event.type === "snapshot") scheduleComments();
      if (event.type === "snapshot") loadLives(); // a new live joins the list
      if (event.type === "viewer_blocked") loadBlocked();
      if (["snapshot", "order", "order_update", "capture"].includes(event.type)) scheduleReview();
      if (event.type === "capture") sellers.load();
    },
    onStatus(status) {
      $("socket-state").textContent = t(`socket_${status}`);
      $("socket-state").className = "pill" + (status === "open" ? " is-open" : "");
    },
  });
}

let reviewTimer = null;
function scheduleReview() {
  clearTimeout(reviewTimer);
  reviewTimer = setTimeout(() => review.load(), 300);
}

let commentsTimer = null;
function scheduleComments() {
  clearTimeout(commentsTimer);
  commentsTimer = setTimeout(loadComments, 500);
}

async function loadComments() {
  const intent = $("intent-filter").value;
  const comments = await (await api("GET", `/api/comments?limit=100${intent ? "&intent=" + intent : ""}`)).json();
  $("comments").tBodies[0].replaceChildren(...comments.map((comment) => {
    const row = el("tr", `status-${comment.status}` + (comment.reason ? " has-reason" : ""));
    const note = comment.reason ? t(`reason_${comment.reason.replace(".", "_")}`) : "";
    const items = comment.items.map((i) => `${i.sku}${i.size ? " " + i.size : ""} ×${i.qty}`).join(", ");
    row.append(
      el("td", "", new Date(comment.received_at * 1000).toLocaleTimeString()),
      el("td", "", comment.user_name), el("td", "comment", comment.text),
      el("td", "", `${t(`intent_${comment.intent}`)} ${items}`.trim()), el("td", "rule", ruleText(comment.rule)),
      el("td", "note", note),
    );
    const actions = el("td");
    actions.append(blockButton(comment), sellers.markButton(comment));
    row.append(actions);
    return row;
  }));
}

// Blocking stops a viewer's orders for the rest of the live: it asks first, like every
// destructive action on this page.
function blockButton(source) {
  const node = button(t("block"), async () => {
    if (!confirm(t("confirm_block", { name: source.user_name }))) return;
    await api("POST", `/api/viewers/${source.viewer_id}/block`);
  });
  node.dataset.action = "block";
  return node;
}

// The parser's rule ("keyword+sku;variant-unmatched") in the console's words, part by part.
function ruleText(rule) {
  const word = (part) => {
    const text = t(`rule_${part}`);
    return text === `rule_${part}` ? part : text;
  };
  return rule.split(";").filter(Boolean).map((part) => {
    // "by-alias-kind": the product was found by the shop's word and by its kind
    if (part.startsWith("by-")) return part.slice(3).split("-").map((how) => word(`by-${how}`)).join(", ");
    return part.split("+").length > 1 && word(part) === part ? part.split("+").map(word).join(" + ") : word(part);
  }).join("; ");
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => { loadProducts(); loadOrders(); }, 300);
}

function input(type, value, attrs = {}) {
  const node = document.createElement("input");
  node.type = type;
  node.value = value ?? "";
  for (const [key, val] of Object.entries(attrs)) node.setAttribute(key, val);
  return node;
}

function button(label, onClick) {
  const node = el("button", "", label);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

async function loadProducts() {
  const data = await (await api("GET", "/api/products")).json();
  pinned = data.pinned_sku;
  const rows = data.products.map((product) => {
    const row = el("tr", product.sku === pinned ? "is-pinned" : "");
    row.dataset.sku = product.sku;
    const price = input("number", product.price, { min: "0", step: "any" });
    const sale = input("number", product.sale_price ?? "", { min: "0", step: "any" });
    const limit = input("number", product.limit_per_viewer ?? "", { min: "1" });
    const stockCell = el("td");
    const stockInputs = [];
    if (product.variants.length) {
      for (const variant of product.variants) {
        const line = el("div", "variant-stock");
        const box = input("number", variant.stock, { min: "0" });
        stockInputs.push([variant, box]);
        line.append(el("span", "", variantLabel(variant)), box);
        stockCell.append(line);
      }
    } else {
      const box = input("number", product.stock, { min: "0" });
      stockInputs.push([null, box]);
      stockCell.append(box);
    }
    const save = button(t("save"), async () => {
      const body = { price: price.value, sale_price: sale.value === "" ? null : sale.value };
      if (limit.value !== "") body.limit_per_viewer = Number(limit.value);
      if (product.variants.length) {
        body.variants = stockInputs.map(([v, box]) => ({ size: v.size, color: v.color, stock: Number(box.value) }));
      } else {
        body.stock = Number(stockInputs[0][1].value);
      }
      await api("PATCH", `/api/products/${encodeURIComponent(product.sku)}`, body);
      say(t("saved"));
    });
    const pin = button(product.sku === pinned ? t("pinned") : t("pin"), async () => {
      await api("POST", `/api/products/${encodeURIComponent(product.sku)}/pin`);
    });
    pin.className = "pin";
    const cells = [el("td", "", product.sku), el("td", "", product.name)];
    for (const node of [price, sale]) { const td = el("td"); td.append(node); cells.push(td); }
    cells.push(stockCell);
    const limitCell = el("td"); limitCell.append(limit); cells.push(limitCell);
    const actions = el("td"); actions.append(pin, save); cells.push(actions);
    row.append(...cells);
    return row;
  });
  $("products").tBodies[0].replaceChildren(...rows);
}

// The live whose orders are shown: "" is the current one; earlier lives stay listed with their
// orders (a new live never deletes them).
function liveQuery() {
  return $("live-filter").value ? `&live=${$("live-filter").value}` : "";
}

async function loadLives() {
  const lives = await (await api("GET", "/api/lives")).json();
  const chosen = $("live-filter").value;
  $("live-filter").replaceChildren(...lives.map((live) => {
    const name = (live.title || t("live_untitled", { id: live.id })) + (live.is_current ? ` ${t("live_current")}` : "");
    const option = el("option", "", `${name} · ${new Date(live.started_at * 1000).toLocaleString(lang)}`);
    option.value = live.is_current ? "" : String(live.id);
    return option;
  }));
  $("live-filter").value = lives.some((live) => String(live.id) === chosen) ? chosen : "";
}

// Orders are shown by cart: one head row per buyer's cart (its one code, badge from the buyer
// book, total, state and the after-live actions), then the cart's lines (each with its own
// stock state, cancel and block).
async function loadOrders() {
  const status = $("status-filter").value;
  const isCurrent = !$("live-filter").value;
  const [orders, carts] = await Promise.all([
    api("GET", `/api/orders?limit=5000${status ? "&status=" + status : ""}${liveQuery()}`).then((r) => r.json()),
    api("GET", `/api/carts?${liveQuery().slice(1)}`).then((r) => r.json()),
  ]);
  const byCode = new Map(carts.map((cart) => [cart.code, cart]));
  const groups = new Map();
  for (const order of orders.reverse()) {
    const key = order.code || `#${order.id}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(order);
  }
  const rows = [];
  for (const [code, lines] of groups) {
    const cart = byCode.get(code);
    if (cart) rows.push(cartRow(cart, isCurrent));
    rows.push(...lines.map((order) => lineRow(order, isCurrent)));
  }
  $("orders").tBodies[0].replaceChildren(...rows);
  showReminders(carts);
}

// "Nhắc thanh toán": carts whose hold is running out, each with its reminder ready to copy.
// The list follows the clock, so it is redrawn every few seconds while a hold is running.
let reminderTimer = null;
function showReminders(carts) {
  const due = carts.filter((cart) => cart.remind);
  $("reminders-box").hidden = due.length === 0;
  $("reminders").replaceChildren(...due.map((cart) => {
    const item = el("li");
    item.dataset.cart = cart.code;
    const until = new Date(cart.hold_until * 1000).toLocaleTimeString(lang);
    item.append(
      el("strong", "", cart.code), " ", cart.buyer_name || cart.user_name, " · ",
      formatPrice(cart.left_to_pay, cart.currency, lang), " · ", t("hold_until", { time: until }), " ",
      copyButton(cart, "reminder", t("copy_reminder")),
    );
    return item;
  }));
  clearTimeout(reminderTimer);
  if (carts.some((cart) => cart.hold_until)) reminderTimer = setTimeout(scheduleRefresh, 3000);
}

function copyButton(cart, kind, label) {
  const node = button(label, async () => {
    const data = await (await api("GET", `/api/carts/${encodeURIComponent(cart.code)}/message?kind=${kind}&lang=${$("message-lang").value}`)).json();
    try {
      await navigator.clipboard.writeText(data.text);
      say(t("copied"));
    } catch {
      say(data.text);
    }
  });
  node.dataset.action = `copy-${kind}`;
  return node;
}

// 90 -> "90s", 1800 -> "30m", 7200 -> "2h": the way the seller types it (and `--hold` takes it).
function holdText(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

async function loadHold() {
  const hold = await (await api("GET", "/api/carts/hold")).json();
  $("hold-state").textContent = hold.seconds ? t("hold_on", { time: holdText(hold.seconds) }) : t("hold_off");
  if (document.activeElement !== $("hold-input")) $("hold-input").value = hold.seconds ? holdText(hold.seconds) : "0";
}

function cartRow(cart, isCurrent) {
  const row = el("tr", `cart-head status-${cart.state}`);
  row.dataset.cart = cart.code;
  const codeCell = el("td", "cart-code");
  codeCell.append(el("strong", "", cart.code));
  const buyerCell = el("td", "cart-buyer");
  buyerCell.append(el("span", "", cart.buyer_name || cart.user_name));
  const badge = buyers.badge(cart);
  if (badge) buyerCell.append(" ", badge);
  const card = buyers.cardButton(cart);
  if (card) buyerCell.append(" ", card);
  const counted = cart.lines.filter((line) => !["waitlisted", "cancelled"].includes(line.state));
  const money = el("td", "cart-total");
  money.colSpan = 3;
  money.append(
    el("span", "", t("cart_lines", { n: counted.length })), " · ",
    el("strong", "", formatPrice(cart.total, cart.currency, lang)),
  );
  if (Number(cart.received) > 0) {
    money.append(" · ", el("span", "muted", t("left_to_pay", { amount: formatPrice(cart.left_to_pay, cart.currency, lang) })));
  }
  const statusCell = el("td", "status", t(`status_${cart.state}`));
  if (cart.is_test) statusCell.append(" ", el("span", "badge", t("test_badge")));
  if (cart.hold_until) {
    statusCell.append(el("div", "muted hold-until", t("hold_until", { time: new Date(cart.hold_until * 1000).toLocaleTimeString(lang) })));
  }
  if (cart.released) {
    const note = el("div", "released", t("released_lines", { n: cart.released }));
    note.append(" ", copyButton(cart, "released", t("copy_released")));
    statusCell.append(note);
  }
  const actions = el("td", "cart-actions");
  if (cart.state === "accepted" && isCurrent) {
    const confirmButton = button(t("confirm"), () => api("POST", `/api/carts/${encodeURIComponent(cart.code)}/state`, { state: "confirmed" }));
    confirmButton.dataset.action = "cart-confirm";
    actions.append(confirmButton);
  }
  actions.append(...after.cartActions(cart));
  row.append(
    codeCell, el("td", "", new Date(cart.created_at * 1000).toLocaleTimeString()), buyerCell, money, statusCell,
    el("td", "", cart.phone ?? ""), el("td", "muted", cart.address ?? ""), actions,
  );
  return row;
}

function lineRow(order, isCurrent) {
  const row = el("tr", `cart-line status-${order.status}`);
  row.dataset.order = String(order.id);
  row.dataset.cartCode = order.code;
  const time = new Date(order.created_at * 1000).toLocaleTimeString();
  const statusText = t(`status_${order.status}`) + (order.waitlist_position ? ` #${order.waitlist_position}` : "");
  const statusCell = el("td", "status", statusText);
  if (order.is_test) {
    row.classList.add("is-test");
    statusCell.append(" ", el("span", "badge", t("test_badge")));
  }
  row.append(
    el("td", "line-mark", "↳"), el("td", "", time), el("td", "", order.user_name), el("td", "", order.sku),
    el("td", "", variantLabel(order)), el("td", "", order.qty), statusCell,
    el("td", "", order.phone ?? ""), el("td", "comment", order.comment_text),
  );
  const actions = el("td");
  if (order.status !== "cancelled" && isCurrent) {
    const cancel = button(t("cancel"), async () => {
      if (!confirm(t("confirm_cancel", { code: order.code || order.id, buyer: order.user_name }))) return;
      await api("POST", `/api/orders/${order.id}/cancel`);
    });
    cancel.dataset.action = "cancel";
    actions.append(cancel);
  }
  actions.append(blockButton(order));
  row.append(actions);
  return row;
}

async function loadWords() {
  const data = await (await api("GET", "/api/moderation/words")).json();
  $("words").value = data.words.join("\n");
}

async function loadBlocked() {
  const viewers = await (await api("GET", "/api/viewers/blocked")).json();
  $("blocked").replaceChildren(...viewers.map((viewer) => {
    const item = el("li", "", `${viewer.user_name} (${viewer.platform}) `);
    item.append(button(t("unblock"), async () => {
      await api("POST", `/api/viewers/${viewer.id}/unblock`);
      loadBlocked();
    }));
    return item;
  }));
}

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("token").value = "";
  showConsole();
});
$("logout").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});
$("unpin").addEventListener("click", () => api("DELETE", "/api/pin"));
$("hold-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await api("PUT", "/api/carts/hold", { hold: $("hold-input").value.trim() || "0" });
  say(t("saved"));
  $("hold-input").blur();
  loadHold();
  scheduleRefresh();
});
$("status-filter").addEventListener("change", loadOrders);
$("live-filter").addEventListener("change", loadOrders);
$("intent-filter").addEventListener("change", loadComments);
$("countdown-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await api("POST", "/api/countdown", { seconds: Number($("countdown-seconds").value), label: $("countdown-label").value });
});
$("countdown-clear").addEventListener("click", () => {
  if (confirm(t("confirm_clear_countdown"))) api("POST", "/api/countdown", { seconds: 0 });
});
$("words-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await api("PUT", "/api/moderation/words", { words: $("words").value.split("\n") });
  say(t("saved"));
  loadWords();
});
async function downloadCsv(path, name) {
  const blob = await (await api("GET", path)).blob();
  const link = el("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
$("export").addEventListener("click", () => downloadCsv(`/api/orders.csv?${liveQuery().slice(1)}`, "orders.csv"));
$("export-carts").addEventListener("click", () => downloadCsv(`/api/carts.csv?${liveQuery().slice(1)}`, "carts.csv"));
$("export-buyers").addEventListener("click", () => downloadCsv("/api/buyers.csv", "buyers.csv"));

const after = afterLive({
  api, say, t, button, token: () => sessionStorage.getItem(TOKEN_KEY) ?? "", refresh: scheduleRefresh, liveQuery,
});
const review = reviewQueue({ api, say, t, button, ruleText });
const buyers = buyerBook({ api, say, t, button, lang, refresh: scheduleRefresh });
const sellers = sellerAccounts({ api, say, t, button });

if (sessionStorage.getItem(TOKEN_KEY)) showConsole(); else showLogin();
