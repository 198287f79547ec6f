// The buyer book in the host console: the badge beside each cart ("2 lần hoàn hàng", "mới",
// "khách quen · 5 đơn") and the buyer's card one click away (history across lives, the seller's
// flags deposit / blocked, a note). Everything a buyer wrote is set with textContent only.
import { el, formatPrice } from "/static/live.js";

const $ = (id) => document.getElementById(id);

export function buyerBook({ api, say, t, button, lang, refresh }) {
  function badge(cart) {
    const info = cart.badge;
    if (!info || cart.is_test) return null;
    const text = {
      new: t("badge_new"),
      regular: t("badge_regular", { n: info.carts }),
      returned: t("badge_returned", { n: info.returned }),
      blocked: t("badge_blocked"),
    }[info.kind] ?? info.kind;
    const node = el("span", `buyer-badge is-${info.kind}`, text);
    node.dataset.badge = info.kind;
    const wrap = el("span", "buyer-badges");
    wrap.append(node);
    if (info.deposit) wrap.append(el("span", "buyer-badge is-deposit", t("badge_deposit")));
    return wrap;
  }

  function line(label, value) {
    const row = el("div", "card-line");
    const shown = el("span", "card-value", value);
    shown.dir = "auto"; // a Vietnamese address stays in its own order on an Arabic page
    row.append(el("span", "card-label", label), shown);
    return row;
  }

  async function open(buyerId) {
    const data = await (await api("GET", `/api/buyers/id/${buyerId}`)).json();
    const box = $("buyer-card-body");
    const money = (amount, currency = "VND") => formatPrice(amount, currency, lang);
    const stats = t("card_stats", {
      carts: data.carts, lives: data.lives, delivered: data.delivered, returned: data.returned,
      cancelled: data.cancelled_lines, owed: money(data.owed),
    });
    const history = el("ul", "card-history");
    for (const cart of [...data.history].reverse().slice(0, 20)) {
      const item = el("li", `status-${cart.state}`);
      const code = el("bdi", "", cart.code);
      item.append(code, ` · ${t(`status_${cart.state}`)} · ${money(cart.total, cart.currency)}`);
      history.append(item);
    }
    const deposit = document.createElement("input");
    deposit.type = "checkbox";
    deposit.checked = data.flags.includes("deposit");
    deposit.id = "card-deposit";
    const blocked = document.createElement("input");
    blocked.type = "checkbox";
    blocked.checked = data.flags.includes("blocked");
    blocked.id = "card-blocked";
    const note = document.createElement("textarea");
    note.value = data.note;
    note.maxLength = 2000;
    note.rows = 3;
    note.id = "card-note";
    note.placeholder = t("card_note");
    const flags = el("div", "card-flags");
    for (const [input, key] of [[deposit, "flag_deposit"], [blocked, "flag_blocked"]]) {
      const label = el("label");
      label.append(input, " ", t(key));
      flags.append(label);
    }
    const save = button(t("save"), async () => {
      if (blocked.checked && !data.flags.includes("blocked")
          && !confirm(t("confirm_block_buyer", { name: data.names[0] ?? "" }))) return;
      await api("PATCH", `/api/buyers/${data.buyer_id}`, {
        deposit: deposit.checked, blocked: blocked.checked, note: note.value,
      });
      say(t("saved"));
      $("buyer-card").close();
      refresh();
    });
    save.dataset.action = "card-save";
    const title = el("h3");
    title.append(el("bdi", "", data.names.join(" · ") || `#${data.buyer_id}`));
    const same = el("div", "card-same");
    for (const other of data.same_phone) {
      const row = el("div", "card-line");
      const merge = button(t("merge"), async () => {
        if (!confirm(t("confirm_merge", { other: other.user_name, name: data.names[0] ?? "" }))) return;
        await api("POST", `/api/buyers/${data.buyer_id}/merge`, { other: other.buyer_id });
        say(t("saved"));
        open(data.buyer_id);
        refresh();
      });
      merge.dataset.action = "card-merge";
      const who = el("bdi", "", other.user_name);
      row.append(el("span", "card-label", t("card_same_phone")), who, merge);
      same.append(row);
    }
    box.replaceChildren(
      title,
      line(t("card_accounts"), data.accounts.map((a) => `${a.platform}: ${a.user_name}`).join(", ")),
      line(t("card_phones"), data.phones.join(", ") || "—"),
      line(t("card_addresses"), data.addresses.join(" | ") || "—"),
      same,
      el("p", "card-stats", stats),
      history, flags, note, save,
    );
    $("buyer-card").dataset.buyer = String(data.buyer_id);
    $("buyer-card").showModal();
  }

  function cardButton(cart) {
    if (cart.buyer_id === null || cart.buyer_id === undefined) return null;
    const node = button(t("buyer_card"), () => open(cart.buyer_id));
    node.dataset.action = "buyer-card";
    return node;
  }

  async function loadRules() {
    const rules = await (await api("GET", "/api/buyers/rules")).json();
    $("rule-deposit").value = rules.deposit_after_returned;
    $("rule-block").value = rules.block_after_returned;
  }

  $("rules-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await api("PUT", "/api/buyers/rules", {
      deposit_after_returned: Number($("rule-deposit").value || 0),
      block_after_returned: Number($("rule-block").value || 0),
    });
    say(t("saved"));
    loadRules();
  });
  $("buyer-card-close").addEventListener("click", () => $("buyer-card").close());
  $("import-buyers").addEventListener("change", async () => {
    const file = $("import-buyers").files[0];
    if (!file) return;
    const report = await (await api("POST", "/api/buyers.csv", await file.text(), "text/csv")).json();
    $("import-buyers").value = "";
    say(t("imported_book", { rows: report.rows, created: report.created, updated: report.updated }));
    refresh();
  });

  return { badge, cardButton, open, loadRules };
}
