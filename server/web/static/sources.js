// Host console header: the health of the comment sources the server runs (server/services/sources.py).
// One chip per source (state, comments); a source silent while others talk, or one that dropped,
// turns its chip red, says why, and beeps once (WebAudio). Texts: /static/i18n/sources.json.
// The host token is read from sessionStorage, where host.js keeps it; it never goes in a URL.
const TOKEN_KEY = "livestall.hostToken";
const POLL_MS = 3000;
const box = document.getElementById("sources-health");
const lang = localStorage.getItem("livestall.lang") ?? "vi";
let texts = {};
let alerted = new Set();
let audio = null;

function t(key, values = {}) {
  const template = texts[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function chip(source) {
  const node = document.createElement("span");
  node.className = `source-chip state-${source.state}${source.alert ? " has-alert" : ""}`;
  node.dataset.source = source.id;
  node.dataset.state = source.state;
  const name = document.createElement("bdi");
  name.textContent = source.kind === "facebook" ? "Facebook" : t(`kind_${source.kind}`);
  const state = document.createElement("span");
  state.textContent = ` ${t(`state_${source.state}`, { n: source.reconnects })} · ${t("comments", { n: source.comments })}`;
  node.append(name, state);
  const why = source.alert_text || source.reason_text;
  node.title = [source.spec, why].filter(Boolean).join(" — ");
  if (source.alert) {
    const alert = document.createElement("strong");
    alert.textContent = ` ${t(`alert_${source.alert}`)}`;
    node.append(alert);
  }
  return node;
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

async function refresh() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    box.hidden = true;
    return;
  }
  const response = await fetch(`/api/sources?lang=${lang}`, {
    headers: { Authorization: `Bearer ${token}`, "X-Livestall-Lang": lang },
  });
  if (!response.ok) {
    box.hidden = true;
    return;
  }
  const { sources } = await response.json();
  box.hidden = sources.length === 0;
  box.replaceChildren(...sources.map(chip));
  const now = new Set(sources.filter((s) => s.alert).map((s) => `${s.id}:${s.alert}:${s.reconnects}`));
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
