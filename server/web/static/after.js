// After the live, in the host console: order states, buyer details and message, the shop's
// bank, statement import and the payments to decide, packing slips and the carrier export.
// Everything the buyer or the bank sent is written with textContent only.
import { el } from "/static/live.js";

// The moves server/orders/states.py allows from each state (the server checks again).
const NEXT = {
  accepted: ["confirmed", "paid", "cod", "cancelled"],
  confirmed: ["paid", "cod", "cancelled"],
  paid: ["packed", "cancelled"],
  cod: ["paid", "packed", "cancelled"],
  packed: ["shipped", "cancelled"],
  shipped: ["delivered"],
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

  function stateControl(order) {
    const choices = NEXT[order.status] ?? [];
    if (!choices.length) return null;
    const select = el("select");
    select.append(el("option", "", t("move_to")));
    for (const state of choices) {
      const option = el("option", "", t(`status_${state}`));
      option.value = state;
      select.append(option);
    }
    select.addEventListener("change", async () => {
      if (!select.value) return;
      if (select.value === "cancelled" && !confirm(t("confirm_cancel", { code: order.code || order.id, buyer: order.user_name }))) {
        select.selectedIndex = 0;
        return;
      }
      await api("POST", `/api/orders/${order.id}/state`, { state: select.value });
      refresh();
    });
    return select;
  }

  function buyerControl(order) {
    const box = el("details");
    box.append(el("summary", "", t("ship_to")));
    const fields = {};
    for (const [key, value] of [["buyer_name", order.buyer_name ?? order.user_name], ["phone", order.phone], ["address", order.address]]) {
      const field = document.createElement(key === "address" ? "textarea" : "input");
      field.value = value ?? "";
      field.placeholder = t(key);
      fields[key] = field;
      box.append(field);
    }
    box.append(button(t("save"), async () => {
      await api("PUT", `/api/orders/${order.id}/buyer`, {
        buyer_name: fields.buyer_name.value, phone: fields.phone.value, address: fields.address.value,
      });
      say(t("saved"));
    }));
    return box;
  }

  function messageButton(order) {
    return button(t("copy_message"), async () => {
      const lang = $("message-lang").value;
      const data = await (await api("GET", `/api/orders/${order.id}/message?lang=${lang}`)).json();
      try {
        await navigator.clipboard.writeText(data.text);
        say(t("copied"));
      } catch {
        say(data.text);
      }
    });
  }

  function orderActions(order) {
    const nodes = [];
    const move = stateControl(order);
    if (move) nodes.push(move);
    if (order.status !== "cancelled" && order.status !== "waitlisted") {
      nodes.push(messageButton(order));
      const page = el("a", "", t("buyer_page"));
      page.href = `/o/${encodeURIComponent(order.public_id)}`;
      page.target = "_blank";
      page.rel = "noreferrer";
      nodes.push(page, buyerControl(order));
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

  return { orderActions, loadPayments: () => Promise.all([loadPayee(), loadPending()]) };
}
