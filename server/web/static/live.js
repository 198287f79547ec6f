// Shared by the overlay, host and viewer pages: texts, prices, safe DOM building, live events.
// Every piece of viewer text goes through textContent, never parsed as HTML.

export function params() {
  return new URLSearchParams(location.search);
}

export async function loadTexts(page, lang) {
  const response = await fetch(`/static/i18n/${page}.json`);
  const all = await response.json();
  const chosen = all[lang] ? lang : "vi";
  document.documentElement.lang = chosen;
  document.documentElement.dir = chosen === "ar" ? "rtl" : "ltr";
  const texts = all[chosen];
  if (texts.page_title) document.title = texts.page_title;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = texts[node.dataset.i18n] ?? node.dataset.i18n;
  }
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = texts[node.dataset.i18nPlaceholder] ?? "";
  }
  return { lang: chosen, t: (key, values = {}) => fill(texts[key] ?? key, values) };
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

const LOCALES = { vi: "vi-VN", en: "en-US", ar: "ar" };

export function formatPrice(amount, currency, lang) {
  try {
    return new Intl.NumberFormat(LOCALES[lang] ?? "vi-VN", {
      style: "currency",
      currency,
      maximumFractionDigits: currency === "VND" ? 0 : 2,
    }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

export function el(tag, className = "", text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null && text !== undefined) node.textContent = String(text);
  return node;
}

export function variantLabel(item) {
  return [item.size, item.color].filter(Boolean).join(" / ");
}

// Connects to a websocket stream and keeps the newest seq; on a drop it reconnects with
// ?since=<seq> so every event after the last one seen comes back from storage (after a long
// drop the server sends a snapshot with the recent events instead: pages rebuild from it).
export function connectEvents(path, { onEvent, onReply = () => {}, onStatus = () => {} }) {
  let lastSeq = null;
  let sessionId = null;
  let socket = null;
  let delay = 500;
  let closedByUs = false;
  const query = new URLSearchParams(path.split("?")[1] ?? "");
  const base = path.split("?")[0];

  function open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const q = new URLSearchParams(query);
    q.set("batch", "1");
    if (lastSeq !== null) q.set("since", String(lastSeq));
    if (lastSeq !== null && sessionId !== null) q.set("session", String(sessionId));
    const qs = q.toString();
    socket = new WebSocket(`${scheme}://${location.host}${base}${qs ? "?" + qs : ""}`);
    socket.onopen = () => {
      delay = 500;
      onStatus("open");
    };
    socket.onmessage = (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      for (const event of Array.isArray(data) ? data : [data]) {
        if (typeof event.seq === "number") {
          if (event.type === "snapshot") sessionId = event.session_id;
          else if (lastSeq !== null && event.seq <= lastSeq) continue;
          lastSeq = event.seq;
          onEvent(event);
        } else {
          onReply(event);
        }
      }
    };
    socket.onclose = () => {
      onStatus("closed");
      if (closedByUs) return;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 8000);
    };
  }
  open();
  return {
    send(data) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(data));
        return true;
      }
      return false;
    },
    close() {
      closedByUs = true;
      socket?.close();
    },
    get lastSeq() {
      return lastSeq;
    },
  };
}
