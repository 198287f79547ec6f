// After the live, in the host console: cart states, where a cart ships and its one message, the
// shop's bank, statement import and the payments to decide, packing slips and the carrier
// export. A cart is one buyer's lines in one live (one code, one parcel): every action here is
// the cart's. Everything the buyer or the bank sent is written with textContent only.
import { el } from "/static/live.js";

// The moves server/orders/states.py allows from each state (the server checks again).
const NEXT = {
  accepted: ["confirmed", "paid", "cod", "cancelled"],
  confirmed: ["paid", "cod", "cancelled"],
  paid: ["packed", "cancelled"],
  cod: ["paid", "packed", "cancelled"],
  packed: ["shipped", "cancelled"],
  shipped: ["delivered", "returned"],
  delivered: ["returned"],
  waitlisted: ["cancelled"],
};

const $ = (id) => document.getElementById(id);

export function afterLive({ api, say, t, token, button, refresh, liveQuery }) {
  async function download(path, name) {
    const blob = await (await api("GET", path)).blob();
    const link = el("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  function stateControl(cart) {
    const choices = NEXT[cart.state] ?? [];
    if (!choices.length) return null;
    const select = el("select");
    select.dataset.action = "cart-state";
    select.append(el("option", "", t("move_to")));
    for (const state of choices) {
      const option = el("option", "", t(`status_${state}`));
      option.value = state;
      select.append(option);
    }
    select.addEventListener("change", async () => {
      if (!select.value) return;
      if (select.value === "cancelled" && !confirm(t("confirm_cancel_cart", { code: cart.code, buyer: cart.user_name, lines: cart.lines.length }))) {
        select.selectedIndex = 0;
        return;
      }
      await api("POST", `/api/carts/${encodeURIComponent(cart.code)}/state`, { state: select.value });
      refresh();
    });
    return select;
  }

  function buyerControl(cart) {
    const box = el("details");
    box.append(el("summary", "", t("ship_to")));
    const fields = {};
    for (const [key, value] of [["buyer_name", cart.buyer_name ?? cart.user_name], ["phone", cart.phone], ["address", cart.address]]) {
      const field = document.createElement(key === "address" ? "textarea" : "input");
      field.value = value ?? "";
      field.placeholder = t(key);
      fields[key] = field;
      box.append(field);
    }
    box.append(button(t("save"), async () => {
      await api("PUT", `/api/carts/${encodeURIComponent(cart.code)}/buyer`, {
        buyer_name: fields.buyer_name.value, phone: fields.phone.value, address: fields.address.value,
      });
      say(t("saved"));
    }));
    return box;
  }

  function messageButton(cart) {
    const node = button(t("copy_message"), async () => {
      const lang = $("message-lang").value;
      const data = await (await api("GET", `/api/carts/${encodeURIComponent(cart.code)}/message?lang=${lang}`)).json();
      try {
        await navigator.clipboard.writeText(data.text);
        say(t("copied"));
      } catch {
        say(data.text);
      }
    });
    node.dataset.action = "copy-message";
    return node;
  }

  // The cart's actions: move it (every line it counts moves with it), its one message, its
  // page, where its parcel ships.
  function cartActions(cart) {
    const nodes = [];
    const move = stateControl(cart);
    if (move) nodes.push(move);
    if (cart.state !== "cancelled" && cart.state !== "waitlisted" && !cart.is_test) {
      nodes.push(messageButton(cart));
      const page = el("a", "", t("buyer_page"));
      page.href = `/o/${encodeURIComponent(cart.public_id)}`;
      page.target = "_blank";
      page.rel = "noreferrer";
      nodes.push(page, buyerControl(cart));
    }
    return nodes;
  }

  async function loadPayee() {
    const payee = await (await api("GET", "/api/payments/settings")).json();
    $("payee-bank").value = payee.bin;
    $("payee-account").value = payee.account;
    $("payee-name").value = payee.name;
    $("payee-state").textContent = payee.bin ? `${payee.bank} · ${payee.account}` : t("no_bank");
    $("sepay-state").textContent = payee.has_sepay_key ? t("sepay_on") : t("sepay_off");
  }

  async function loadPending() {
    const pending = await (await api("GET", "/api/payments/pending")).json();
    $("pending").tBodies[0].replaceChildren(...pending.map((txn) => {
      const row = el("tr");
      const codes = el("input");
      codes.value = txn.order_codes.join(" ");
      row.append(
        el("td", "", txn.posted), el("td", "", `${txn.amount} ${txn.currency}`), el("td", "comment", txn.memo),
        el("td", "", t(`match_${txn.outcome}`, { codes: txn.order_codes.join(" + ") })),
      );
      const actions = el("td");
      actions.append(codes, button(t("accept"), async () => {
        const orderCodes = codes.value.split(/[\s,]+/).filter(Boolean);
        await api("POST", "/api/payments/decide", { id: txn.id, action: "accept", order_codes: orderCodes });
        loadPending();
        refresh();
      }), button(t("ignore"), async () => {
        if (!confirm(t("confirm_ignore", { amount: `${txn.amount} ${txn.currency}` }))) return;
        await api("POST", "/api/payments/decide", { id: txn.id, action: "ignore" });
        loadPending();
      }));
      row.append(actions);
      return row;
    }));
  }

  $("payee-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { bank: $("payee-bank").value, account: $("payee-account").value, name: $("payee-name").value };
    if ($("sepay-key").value) body.sepay_api_key = $("sepay-key").value;
    await api("PUT", "/api/payments/settings", body);
    $("sepay-key").value = "";
    say(t("saved"));
    loadPayee();
  });
  $("statement-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = $("statement-file").files[0];
    if (!file) return;
    const response = await fetch(`/api/payments/statement?filename=${encodeURIComponent(file.name)}`, {
      method: "POST", headers: { Authorization: `Bearer ${token()}`, "X-Livestall-Lang": document.documentElement.lang }, body: file,
    });
    const report = await response.json();
    if (!response.ok) {
      say(`${report.message ?? ""} ${report.hint ?? ""}`.trim());
      return;
    }
    say(t("imported", { paid: report.paid.length, pending: report.pending, seen: report.already_seen }));
    loadPending();
    refresh();
  });
  // Slips and carrier files follow the live chosen above the orders (earlier lives included).
  $("slips-a6").addEventListener("click", () => download(`/api/slips.pdf?paper=a6${liveQuery()}`, "slips-a6.pdf"));
  $("slips-a5").addEventListener("click", () => download(`/api/slips.pdf?paper=a5${liveQuery()}`, "slips-a5.pdf"));
  $("export-ghn").addEventListener("click", () => download(`/api/carriers/ghn.csv?${liveQuery().slice(1)}`, "ghn-orders.csv"));
  $("export-plain").addEventListener("click", () => download(`/api/carriers/plain.csv?${liveQuery().slice(1)}`, "shipping.csv"));

  return { cartActions, loadPayments: () => Promise.all([loadPayee(), loadPending()]) };
}
