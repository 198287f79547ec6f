// Viewer page for sellers who stream on their own site: product card, chat, comment box.
import { connectEvents, el, formatPrice, loadTexts, params, variantLabel } from "/static/live.js";

const NAME_KEY = "livestall.viewerName";
const UID_KEY = "livestall.viewerId";
const FEED_SIZE = 50;
const $ = (id) => document.getElementById(id);
const { lang, t } = await loadTexts("viewer", params().get("lang") ?? navigator.language.slice(0, 2));

let uid = localStorage.getItem(UID_KEY);
if (!uid) {
  uid = crypto.randomUUID().replaceAll("-", "");
  localStorage.setItem(UID_KEY, uid);
}
const products = new Map();
let pinned = null;
let stream = null;

function renderCard() {
  const product = pinned ? products.get(pinned) : null;
  $("card").hidden = !product;
  $("nothing-pinned").hidden = Boolean(product);
  if (!product) return;
  $("card-photo").hidden = !product.photo_url;
  if (product.photo_url && $("card-photo").getAttribute("src") !== product.photo_url) $("card-photo").src = product.photo_url;
  $("card-sku").textContent = product.sku;
  $("card-name").textContent = product.name;
  const onSale = product.sale_price !== null;
  $("card-price").textContent = formatPrice(onSale ? product.sale_price : product.price, product.currency, lang);
  $("card-old-price").textContent = onSale ? formatPrice(product.price, product.currency, lang) : "";
  $("card-stock").textContent = product.stock > 0 ? t("stock_left", { n: product.stock }) : t("sold_out");
  $("card-variants").textContent = product.variants.map((v) => `${variantLabel(v)}: ${v.stock}`).join(" · ");
}

function addComment(event) {
  const row = el("div", "comment" + (event.intent === "order" ? " is-order" : ""));
  row.append(el("span", "user", event.user_name), el("span", "text", event.text));
  $("feed").append(row);
  while ($("feed").children.length > FEED_SIZE) $("feed").firstElementChild.remove();
  $("feed").scrollTop = $("feed").scrollHeight;
}

function onEvent(event) {
  if (event.type === "snapshot") {
    // First load, a new live, or a drop too long to replay: the feed is rebuilt from `recent`.
    $("feed").replaceChildren();
    for (const past of event.recent ?? []) if (past.type === "comment") addComment(past);
    products.clear();
    for (const product of event.products) products.set(product.sku, product);
    pinned = event.pinned?.sku ?? null;
  } else if (event.type === "pin") {
    if (event.product) products.set(event.sku, event.product);
    pinned = event.sku;
  } else if (event.type === "product") {
    products.set(event.sku, event.product);
  } else if (event.type === "stock" && products.has(event.sku)) {
    Object.assign(products.get(event.sku), { stock: event.stock, variants: event.variants });
  } else if (event.type === "comment") {
    addComment(event);
  }
  renderCard();
}

function onReply(reply) {
  if (reply.type === "error") {
    $("reply").textContent = t(`error_${reply.code}`);
  } else if (reply.type === "ack" && reply.order) {
    const key = reply.order.status === "waitlisted" ? "ack_waitlisted" : "ack_order";
    $("reply").textContent = t(key, { id: reply.order.id, position: reply.order.waitlist_position ?? "" });
  } else if (reply.type === "ack") {
    $("reply").textContent = reply.status === "rejected" ? t("ack_rejected") : "";
  }
}

function join(name) {
  stream?.close();
  const query = new URLSearchParams({ uid });
  if (name) query.set("name", name);
  stream = connectEvents(`/ws/viewer?${query}`, { onEvent, onReply });
  $("name-form").hidden = Boolean(name);
  $("comment-form").hidden = !name;
}

$("name-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const name = $("name").value.trim();
  if (!name) return;
  localStorage.setItem(NAME_KEY, name);
  join(name);
});
$("comment-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  if (stream.send({ type: "comment", text, id: crypto.randomUUID() })) $("text").value = "";
});

join(localStorage.getItem(NAME_KEY) ?? "");
