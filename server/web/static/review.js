// "Cần xác nhận": orders placed on the parser's guess. Each one already holds its place and its
// stock; the seller confirms it, fixes it (and may teach the live the buyer's words for the
// product), or rejects it (stock back). Every viewer text goes through textContent.
import { el, variantLabel } from "/static/live.js";

const $ = (id) => document.getElementById(id);
const SKIPPED_KEY = "livestall.review.skipped";

// A label, then a value written in any direction (a Vietnamese address on an Arabic page).
function labelled(label, value) {
  const node = el("span", "", `${label}: `);
  node.append(isolated(el("bdi", "", value)));
  return node;
}

function isolated(node) {
  node.dir = "auto";
  return node;
}

export function reviewQueue({ api, say, t, button, ruleText }) {
  let products = [];

  async function load() {
    const [orders, unplaced, aliases, catalog] = await Promise.all([
      api("GET", "/api/orders?review=1&limit=500").then((r) => r.json()),
      api("GET", "/api/review/unplaced").then((r) => r.json()),
      api("GET", "/api/aliases").then((r) => r.json()),
      api("GET", "/api/products").then((r) => r.json()),
    ]);
    products = catalog.products;
    const waiting = unplaced.filter((comment) => !skipped.has(comment.comment_ref));
    const total = orders.length + waiting.length;
    $("review-count").textContent = total ? String(total) : "";
    $("review-count").hidden = !total;
    $("review-empty").hidden = total > 0;
    showUnplaced(waiting);
    // A card already shown is kept as it is: a fix the seller is typing survives the refresh
    // that every new order or update brings.
    const shown = new Map([...$("review-list").children].map((node) => [node.dataset.order, node]));
    $("review-list").replaceChildren(...orders.map((order) => shown.get(String(order.id)) ?? card(order)));
    $("learned").replaceChildren(...aliases.map(learnedItem));
    $("learned-box").hidden = !aliases.length;
  }

  function card(order) {
    const item = el("li", "review-card");
    item.dataset.order = String(order.id);
    const head = el("p", "review-head");
    head.append(el("strong", "", order.user_name), " · ",
      el("span", "", new Date(order.created_at * 1000).toLocaleTimeString(document.documentElement.lang)));
    const said = el("blockquote", "review-comment", order.comment_text);
    said.dir = "auto"; // the buyer's words keep their own direction on an Arabic page
    const guess = el("p", "review-guess");
    const what = [order.product_name, variantLabel(order), `×${order.qty}`].filter(Boolean).join(" · ");
    const named = el("bdi", "", `${order.sku} ${what}`);
    guess.append(el("span", "", t("review_guess")), " ", isolated(named));
    if (order.status === "waitlisted") guess.append(" ", el("span", "badge", t("status_waitlisted")));
    const why = el("p", "rule", `${t("rule")}: ${ruleText(order.rule)}`);
    const contact = el("p", "review-contact");
    if (order.address) contact.append(labelled(t("address"), order.address));
    if (order.phone) contact.append(labelled(t("phone"), order.phone));
    const actions = el("p", "review-actions");
    const ok = button(t("review_confirm"), () => resolve(order, { action: "confirm" }));
    ok.dataset.action = "review-confirm";
    ok.className = "primary";
    const fix = button(t("review_fix"), () => { form.hidden = !form.hidden; });
    fix.dataset.action = "review-fix";
    const reject = button(t("review_reject"), async () => {
      if (!confirm(t("review_confirm_reject", { buyer: order.user_name }))) return;
      await resolve(order, { action: "reject" });
    });
    reject.dataset.action = "review-reject";
    actions.append(ok, fix, reject);
    const form = fixForm(order);
    form.hidden = true;
    item.append(head, said, guess, ...(contact.childNodes.length ? [contact] : []), why, actions, form);
    return item;
  }

  // Order comments that made no order (which size? which product?): the seller picks the line
  // and it is placed for that buyer. "Bỏ qua" hides one on this screen only.
  const skipped = new Set(JSON.parse(sessionStorage.getItem(SKIPPED_KEY) ?? "[]"));

  function showUnplaced(comments) {
    let box = $("unplaced-list");
    if (!box) {
      box = el("ul", "review-list");
      box.id = "unplaced-list";
      $("review-list").after(box);
    }
    const shown = new Map([...box.children].map((node) => [node.dataset.comment, node]));
    box.replaceChildren(...comments.map((comment) => shown.get(String(comment.comment_ref)) ?? unplacedCard(comment)));
  }

  function unplacedCard(comment) {
    const item = el("li", "review-card is-unplaced");
    item.dataset.comment = String(comment.comment_ref);
    const head = el("p", "review-head");
    head.append(el("strong", "", comment.user_name), " · ",
      el("span", "", new Date(comment.received_at * 1000).toLocaleTimeString(document.documentElement.lang)));
    const said = el("blockquote", "review-comment", comment.text);
    said.dir = "auto";
    const why = el("p", "review-guess");
    why.append(el("strong", "", t("unplaced_title")), " · ", t(`reason_${(comment.reason ?? "").replace(".", "_")}`));
    const first = comment.items[0] ?? {};
    const guess = { sku: first.sku ?? products[0]?.sku, size: first.size, color: first.color, qty: first.qty ?? 1 };
    const form = fixForm(guess, (items, phrase) => place(comment, items, phrase));
    const actions = el("p", "review-actions");
    const skip = button(t("unplaced_skip"), () => {
      skipped.add(comment.comment_ref);
      sessionStorage.setItem(SKIPPED_KEY, JSON.stringify([...skipped]));
      item.remove();
    });
    skip.dataset.action = "unplaced-skip";
    actions.append(skip);
    item.append(head, said, why, form, actions);
    return item;
  }

  async function place(comment, items, phrase) {
    const done = await (await api("POST", `/api/review/unplaced/${comment.comment_ref}`, { items, remember_alias: phrase })).json();
    say(done.alias ? t("review_learned", { phrase: done.alias.phrase, sku: done.alias.sku }) : t("saved"));
    $("unplaced-list")?.querySelector(`[data-comment='${comment.comment_ref}']`)?.remove();
    await load();
  }

  function fixForm(order, submit = null) {
    const form = el("form", "review-fix");
    const product = el("select");
    product.name = "sku";
    for (const p of products) {
      const option = el("option", "", `${p.sku} · ${p.name}`);
      option.value = p.sku;
      product.append(option);
    }
    product.value = order.sku;
    const variant = el("select");
    variant.name = "variant";
    const fillVariants = () => {
      const chosen = products.find((p) => p.sku === product.value);
      const lines = chosen?.variants ?? [];
      variant.replaceChildren(...lines.map((v, index) => {
        const option = el("option", "", `${variantLabel(v)} (${t("stock")}: ${v.stock})`);
        option.value = String(index);
        return option;
      }));
      variant.hidden = !lines.length;
      const same = lines.findIndex((v) => v.size === order.size && v.color === order.color);
      if (same >= 0) variant.value = String(same);
    };
    product.addEventListener("change", fillVariants);
    fillVariants();
    const qty = el("input");
    Object.assign(qty, { type: "number", min: "1", max: "999", value: String(order.qty), name: "qty" });
    const phrase = el("input");
    Object.assign(phrase, { type: "text", maxLength: 100, name: "phrase", placeholder: t("review_phrase_placeholder") });
    const phraseLabel = el("label", "review-phrase");
    phraseLabel.append(el("span", "", t("review_phrase")), phrase);
    const save = el("button", "primary", t(submit ? "unplaced_place" : "review_save_fix"));
    save.type = "submit";
    save.dataset.action = "review-save-fix";
    form.append(product, variant, qty, phraseLabel, save);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = products.find((p) => p.sku === product.value);
      const line = chosen?.variants?.[Number(variant.value)];
      const items = [{ sku: product.value, qty: Number(qty.value) || 1, size: line?.size ?? null, color: line?.color ?? null }];
      const taught = phrase.value.trim() || null;
      if (submit) await submit(items, taught);
      else await resolve(order, { action: "fix", items, remember_alias: taught });
    });
    return form;
  }

  async function resolve(order, body) {
    const done = await (await api("POST", `/api/orders/${order.id}/resolve`, body)).json();
    if (done.alias) say(t("review_learned", { phrase: done.alias.phrase, sku: done.alias.sku }));
    else say(t("saved"));
    await load();
  }

  function learnedItem(alias) {
    const item = el("li");
    item.append(el("strong", "", `“${alias.phrase}”`), ` → ${alias.sku} `);
    if (alias.is_saved) {
      item.append(el("span", "badge", t("learned_saved")));
    } else {
      const save = button(t("learned_save"), async () => {
        await api("POST", `/api/aliases/${alias.id}/save`);
        say(t("saved"));
        await load();
      });
      save.dataset.action = "alias-save";
      item.append(save);
    }
    return item;
  }

  return { load };
}

// The seller's own accounts: the host's and staff's comments are shown, never booked.
export function sellerAccounts({ api, say, t, button }) {
  async function load() {
    const accounts = await (await api("GET", "/api/sellers")).json();
    $("sellers").replaceChildren(...accounts.map((account) => {
      const item = el("li", "", `${account.user_name || account.user_id} (${account.platform}) `);
      item.append(button(t("seller_remove"), async () => {
        await api("DELETE", `/api/sellers/${account.id}`);
        await load();
      }));
      return item;
    }));
    $("sellers-empty").hidden = accounts.length > 0;
  }

  function markButton(comment) {
    const node = button(t("seller_mark"), async () => {
      if (!confirm(t("seller_confirm", { name: comment.user_name }))) return;
      await api("POST", "/api/sellers", { viewer_id: comment.viewer_id });
      say(t("seller_marked", { name: comment.user_name }));
      await load();
    });
    node.dataset.action = "seller-mark";
    return node;
  }

  return { load, markButton };
}
