// OBS overlay: pinned product card, comment feed (orders highlighted), a toast per order.
import { connectEvents, el, formatPrice, loadTexts, params, variantLabel } from "/static/live.js";

const LAYOUTS = ["landscape", "portrait"];
const THEMES = ["dark", "light", "brand"];
const FEED_SIZE = 8;
const TOAST_MS = 4500;

const query = params();
const layout = LAYOUTS.includes(query.get("layout")) ? query.get("layout") : "landscape";
const theme = THEMES.includes(query.get("theme")) ? query.get("theme") : "dark";
const showFeed = query.get("feed") !== "0";
document.body.className = `layout-${layout} theme-${theme}`;

const state = { sessionId: null, products: new Map(), pinned: null, countdownEndsAt: null };
const { lang, t } = await loadTexts("overlay", query.get("lang") ?? "vi");
const $ = (id) => document.getElementById(id);

function renderCard() {
  const card = $("card");
  const product = state.pinned ? state.products.get(state.pinned) : null;
  if (!product) {
    card.hidden = true;
    card.dataset.sku = "";
    return;
  }
  card.hidden = false;
  card.dataset.sku = product.sku;
  const photo = $("card-photo");
  if (product.photo_url) {
    if (photo.getAttribute("src") !== product.photo_url) photo.src = product.photo_url;
    photo.hidden = false;
  } else {
    photo.hidden = true;
  }
  $("card-sku").textContent = product.sku;
  $("card-name").textContent = product.name;
  const onSale = product.sale_price !== null && product.sale_price !== undefined;
  $("card-price").textContent = formatPrice(onSale ? product.sale_price : product.price, product.currency, lang);
  $("card-old-price").textContent = onSale ? formatPrice(product.price, product.currency, lang) : "";
  const stock = $("card-stock");
  stock.textContent = product.stock > 0 ? t("stock_left", { n: product.stock }) : t("sold_out");
  stock.className = "stock" + (product.stock === 0 ? " is-out" : product.stock <= 5 ? " is-low" : "");
  const variants = $("card-variants");
  variants.replaceChildren(
    ...product.variants.map((v) =>
      el("span", "variant" + (v.stock === 0 ? " is-out" : ""), `${variantLabel(v)} · ${v.stock}`),
    ),
  );
  // With variants, "chốt A12" alone cannot be booked (which size?): show a full example.
  const first = product.variants.find((v) => v.stock > 0) ?? product.variants[0];
  const variant = first ? (first.size ? ` size ${first.size}` : ` ${first.color}`) : "";
  $("card-how").textContent = t("how_to_order", { sku: `${product.sku}${variant}` });
}

function addComment(event) {
  if (!showFeed) return;
  const isOrder = event.intent === "order";
  const row = el("div", "comment" + (isOrder ? " is-order" : ""));
  row.dataset.viewer = String(event.viewer_id);
  row.dataset.seq = String(event.seq);
  if (isOrder) row.append(el("span", "badge", t("order_badge")));
  row.append(el("span", "user", event.user_name), el("span", "text", event.text));
  const feed = $("feed");
  feed.append(row);
  while (feed.children.length > FEED_SIZE) feed.firstElementChild.remove();
}

function toast(event) {
  const item = variantLabel(event);
  const what = `${event.sku}${item ? " " + item : ""} ×${event.qty}`;
  const key = event.status === "waitlisted" ? "toast_waitlisted" : "toast_order";
  const node = el("div", "toast" + (event.status === "waitlisted" ? " is-waitlisted" : ""),
    t(key, { name: event.user_name, item: what, position: event.waitlist_position ?? "" }));
  node.dataset.order = String(event.id);
  $("toasts").append(node);
  setTimeout(() => node.remove(), TOAST_MS);
  while ($("toasts").children.length > 3) $("toasts").firstElementChild.remove();
}

function setCountdown(data) {
  state.countdownEndsAt = data && data.seconds_left ? Date.now() + data.seconds_left * 1000 : null;
  $("countdown-label").textContent = data?.label || t("countdown");
  tick();
}

function tick() {
  const box = $("countdown");
  if (state.countdownEndsAt === null) {
    box.hidden = true;
    return;
  }
  const left = Math.max(0, Math.round((state.countdownEndsAt - Date.now()) / 1000));
  box.hidden = false;
  const mm = String(Math.floor(left / 60)).padStart(2, "0");
  const ss = String(left % 60).padStart(2, "0");
  $("countdown-time").textContent = `${mm}:${ss}`;
  if (left === 0) state.countdownEndsAt = null;
}
setInterval(tick, 250);

function applyStock(event) {
  const product = state.products.get(event.sku);
  if (!product) return;
  product.stock = event.stock;
  product.variants = event.variants;
}

const handlers = {
  snapshot(event) {
    // The state now plus the recent feed events: on first load, after a new live (the server
    // closes the socket; we reconnect) and after a drop too long to replay. The feed is rebuilt
    // from `recent`; its orders are not new, so they raise no toast. OBS never needs a reload.
    if (state.sessionId !== null && state.sessionId !== event.session_id) {
      $("toasts").replaceChildren();
    }
    $("feed").replaceChildren();
    for (const past of event.recent ?? []) {
      if (past.type === "comment") addComment(past);
      else if (past.type === "viewer_blocked") handlers.viewer_blocked(past);
    }
    state.sessionId = event.session_id;
    state.products = new Map(event.products.map((p) => [p.sku, p]));
    state.pinned = event.pinned ? event.pinned.sku : null;
    setCountdown(event.countdown);
  },
  pin(event) {
    if (event.product) state.products.set(event.product.sku, event.product);
    state.pinned = event.sku;
  },
  product(event) {
    state.products.set(event.sku, event.product);
  },
  stock: applyStock,
  comment: addComment,
  order: toast,
  order_update(event) {
    if (event.status === "accepted") toast(event);
  },
  countdown: setCountdown,
  viewer_blocked(event) {
    for (const row of document.querySelectorAll(`#feed .comment`)) {
      if (row.dataset.viewer === String(event.viewer_id)) row.remove();
    }
  },
};

connectEvents("/ws/overlay", {
  onEvent(event) {
    const handle = handlers[event.type];
    if (handle) handle(event);
    renderCard();
    document.body.dataset.seq = String(event.seq);
  },
  onStatus(status) {
    document.body.dataset.socket = status;
  },
});
