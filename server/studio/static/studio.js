// Livestall web studio: products, photos, clips, post kits and go-live on one page.
// Plain JS, no framework, no CDN. Everything shown from the server goes through textContent.
"use strict";

const $ = (id) => document.getElementById(id);
const LANGS = ["vi", "en", "ar"];
let strings = {};
let products = [];

function t(key, values) {
  let text = strings[key] || key;
  for (const [name, value] of Object.entries(values || {})) text = text.replace(`{${name}}`, value);
  return text;
}

// A text of the catalogue, or `fallback` (a name the server sent) when the catalogue has none.
function tOr(key, fallback) {
  return strings[key] || fallback;
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

// --- language ---------------------------------------------------------------------------

async function setLanguage(lang) {
  if (!LANGS.includes(lang)) lang = "vi";
  const response = await fetch(`/studio/static/i18n/${lang}.json`);
  strings = await response.json();
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
  document.title = t("page_title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  }
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const node of document.querySelectorAll("[data-i18n-alt]")) node.alt = t(node.dataset.i18nAlt);
  $("lang").value = lang;
  localStorage.setItem("livestall.lang", lang);
  renderProducts();
  renderPhotos();
}

// --- server calls -----------------------------------------------------------------------

async function api(method, url, body) {
  // X-Livestall-Lang: the server answers errors in the page's language (docs/errors.md).
  const options = { method, headers: { "X-Livestall": "studio", "X-Livestall-Lang": document.documentElement.lang || "vi" } };
  if (body instanceof FormData) options.body = body;
  else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  const data = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    const error = new Error(errorText(data));
    error.data = data;
    throw error;
  }
  return data;
}

function errorText(data) {
  if (!data) return t("error_generic");
  return [data.message, data.hint].filter(Boolean).join(" — ") || t("error_generic");
}

function notify(text, isError) {
  const box = $("toast");
  box.textContent = text;
  box.classList.toggle("is-error", Boolean(isError));
  box.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { box.hidden = true; }, isError ? 8000 : 3000);
}

function guard(work) {
  return async (event) => {
    try { await work(event); } catch (error) { notify(error.message, true); }
  };
}

// A job's progress over Server-Sent Events; the job id is kept so a reload finds it again.
function followJob(job, slot, onUpdate) {
  localStorage.setItem(`livestall.job.${slot}`, job.id);
  return new Promise((resolve) => {
    const source = new EventSource(`/studio/api/jobs/${job.id}/events?lang=${document.documentElement.lang}`);
    source.onmessage = (message) => {
      const current = JSON.parse(message.data);
      onUpdate(current);
      if (["done", "failed", "cancelled"].includes(current.status)) {
        source.close();
        if (current.status === "failed") notify(errorText(current.error), true);
        resolve(current);
      }
    };
    // A stream ends every 20 s and the browser reconnects by itself; give up only when it can't.
    source.onerror = () => { if (source.readyState === EventSource.CLOSED) resolve(null); };
  });
}

function showProgress(bar, job) {
  bar.hidden = ["done", "failed", "cancelled"].includes(job.status);
  bar.max = Math.max(job.total, 1);
  bar.value = job.done;
}

async function resumeJob(slot, handler) {
  const id = localStorage.getItem(`livestall.job.${slot}`);
  if (!id) return;
  try { handler(await api("GET", `/studio/api/jobs/${id}`)); } catch (error) {
    localStorage.removeItem(`livestall.job.${slot}`);
  }
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (error) {
    const area = el("textarea", { "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  notify(t("copied"));
}

// --- products ---------------------------------------------------------------------------

const FIELDS = ["sku", "name", "price", "sale_price", "currency", "stock", "variants"];
const WORD_FIELDS = ["aliases", "unit", "size_chart"];
const FIELD_LABELS = {
  sku: "col_sku", name: "col_name", price: "col_price", sale_price: "col_sale",
  currency: "col_currency", stock: "col_stock", variants: "col_variants",
};

async function loadProducts() {
  products = (await api("GET", "/studio/api/products")).products;
  renderProducts();
  fillProductChecks("clip-products", "clip");
  fillProductChecks("post-products", "post");
  fillPhotoProducts();
  await loadStockCheck(); // the catalog's stock is shown beside what the live has left
}

function renderProducts() {
  const body = document.querySelector("#products tbody");
  if (!body) return;
  body.replaceChildren(...products.map((p) => productRow(p, false)));
}

function productRow(product, isNew) {
  const row = el("tr");
  row.dataset.sku = product.sku;
  const photoCell = el("td");
  if (product.photo_url) {
    photoCell.append(el("img", { src: product.photo_url, alt: product.name, className: "thumb" }));
  }
  if (!isNew) {
    const id = `photo-${product.sku}`;
    const label = el("label", { for: id, className: "button small" }, t("change_photo"));
    const input = el("input", { type: "file", id, accept: "image/*", className: "visually-hidden" });
    input.addEventListener("change", guard(async () => {
      const form = new FormData();
      form.append("file", input.files[0]);
      await api("POST", `/studio/api/products/${encodeURIComponent(product.sku)}/photo`, form);
      await loadProducts();
      notify(t("saved"));
    }));
    photoCell.append(label, input);
  }
  row.append(photoCell);
  for (const field of FIELDS) {
    const cell = el("td");
    const id = `${isNew ? "new" : product.sku}-${field}`;
    const input = el("input", { id, name: field, "aria-label": t(FIELD_LABELS[field]) });
    if (field === "price" || field === "sale_price" || field === "stock") input.inputMode = "decimal";
    input.value = product[field] === undefined ? "" : String(product[field]);
    const error = el("span", { id: `${id}-error`, className: "field-error", role: "alert" });
    input.setAttribute("aria-describedby", error.id);
    cell.append(input, error);
    if (field === "variants") {
      input.hidden = true; // the text the server reads; the chips below write it
      cell.insertBefore(variantEditor(input, id), error);
    }
    row.append(cell);
  }
  // The words buyers use for it (read by the live's order parser): stacked in one cell.
  // Folded by default (the table stays narrow): the summary shows the words already given.
  const words = el("td", { className: "words" });
  const fold = el("details");
  const given = WORD_FIELDS.map((field) => product[field]).filter(Boolean).join(" · ");
  fold.append(el("summary", {}, given || t("words_add")));
  for (const field of WORD_FIELDS) {
    const id = `${isNew ? "new" : product.sku}-${field}`;
    const input = el("input", { id, name: field, "aria-label": t(`col_${field}`), placeholder: t(`${field}_placeholder`) });
    input.value = product[field] ?? "";
    const error = el("span", { id: `${id}-error`, className: "field-error", role: "alert" });
    input.setAttribute("aria-describedby", error.id);
    input.addEventListener("invalid", () => { fold.open = true; });
    const label = el("label", { for: id, className: "word-label" }, t(`col_${field}`));
    fold.append(label, input, error);
  }
  words.append(fold);
  row.append(words);
  const actions = el("td", { className: "actions" });
  const save = el("button", { type: "button", className: "small primary" }, t(isNew ? "add" : "save"));
  save.addEventListener("click", guard(() => saveProduct(row, product, isNew)));
  actions.append(save);
  if (!isNew) {
    const remove = el("button", { type: "button", className: "small" }, t("delete"));
    remove.addEventListener("click", guard(async () => {
      if (!confirm(t("confirm_delete", { sku: product.sku }))) return;
      await api("DELETE", `/studio/api/products/${encodeURIComponent(product.sku)}`);
      await loadProducts();
    }));
    actions.append(remove);
  }
  row.append(actions);
  return row;
}

// Variants as chips a thumb can edit (size, colour, stock, remove), kept in the row's
// `variants` text ("M/trắng:40; L/trắng:20"), which is what the server checks and stores.
function parseVariantText(text) {
  return text.split(";").map((part) => part.trim()).filter(Boolean).map((part) => {
    const at = part.lastIndexOf(":");
    const label = at >= 0 ? part.slice(0, at) : part;
    const slash = label.indexOf("/");
    return {
      size: (slash >= 0 ? label.slice(0, slash) : label).trim(),
      color: slash >= 0 ? label.slice(slash + 1).trim() : "",
      stock: at >= 0 ? part.slice(at + 1).trim() : "",
    };
  });
}

function variantText(lines) {
  return lines.filter((v) => v.size || v.color)
    .map((v) => `${v.size}${v.color ? "/" + v.color : ""}:${v.stock === "" ? 0 : v.stock}`).join("; ");
}

function variantEditor(input, id) {
  const box = el("div", { className: "variant-chips" });
  let lines = parseVariantText(input.value);
  const write = () => { input.value = variantText(lines); };
  const render = () => {
    box.replaceChildren(...lines.map((line, index) => {
      const chip = el("div", { className: "variant-chip" });
      const fields = [["size", "variant_size", "text"], ["color", "variant_color", "text"], ["stock", "variant_stock", "number"]];
      for (const [key, label, type] of fields) {
        const box2 = el("input", { type, name: `${id}-${key}-${index}`, "aria-label": t(label), placeholder: t(label) });
        if (type === "number") Object.assign(box2, { min: "0", inputMode: "numeric" });
        box2.value = line[key];
        box2.addEventListener("input", () => { line[key] = box2.value.trim(); write(); });
        chip.append(box2);
      }
      const remove = el("button", { type: "button", className: "small", "aria-label": t("variant_remove") }, "×");
      remove.addEventListener("click", () => { lines.splice(index, 1); write(); render(); });
      chip.append(remove);
      return chip;
    }));
    const add = el("button", { type: "button", className: "small add-variant" }, t("variant_add"));
    add.addEventListener("click", () => {
      lines.push({ size: "", color: "", stock: "" });
      render();
      box.querySelector(".variant-chip:last-of-type input")?.focus();
    });
    box.append(add);
  };
  input.addEventListener("change", () => { lines = parseVariantText(input.value); render(); });
  render();
  return box;
}

async function saveProduct(row, product, isNew) {
  const body = { description: product.description || "" };
  for (const field of [...FIELDS, ...WORD_FIELDS]) body[field] = row.querySelector(`[name=${field}]`).value;
  for (const node of row.querySelectorAll(".field-error")) node.textContent = "";
  for (const node of row.querySelectorAll("input")) node.removeAttribute("aria-invalid");
  // Checked first (answers 200 either way), so a typo is shown beside its field, not as an error.
  const check = await api("POST", "/studio/api/products/check", { ...body, original_sku: isNew ? "" : product.sku });
  const fields = Object.entries(check.fields);
  for (const [field, message] of fields) {
    const input = row.querySelector(`[name=${field}]`);
    if (!input) continue;
    const fold = input.closest("details");
    if (fold) fold.open = true;
    input.setAttribute("aria-invalid", "true");
    row.querySelector(`#${CSS.escape(input.id)}-error`).textContent = message;
  }
  if (fields.length) {
    row.querySelector("[aria-invalid=true]")?.focus();
    return;
  }
  if (isNew) await api("POST", "/studio/api/products", body);
  else await api("PUT", `/studio/api/products/${encodeURIComponent(product.sku)}`, body);
  notify(t("saved"));
  await loadProducts();
}

function fillProductChecks(containerId, prefix) {
  const box = $(containerId);
  const checked = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
  box.replaceChildren(...products.map((p, index) => {
    const id = `${prefix}-sku-${p.sku}`;
    const input = el("input", { type: "checkbox", id, value: p.sku });
    input.checked = checked.size ? checked.has(p.sku) : index === 0;
    const label = el("label", { for: id }, `${p.sku} — ${p.name}`);
    const wrap = el("span", { className: "check" });
    wrap.append(input, label);
    return wrap;
  }));
}

function checkedValues(containerId) {
  return [...$(containerId).querySelectorAll("input:checked")].map((i) => i.value);
}

// --- catalog import: a preview first, nothing written until the seller confirms -----------

const IMPORT_FIELDS = {
  name: "col_name", price: "col_price", sale_price: "col_sale", currency: "col_currency",
  stock: "col_stock", variants: "col_variants", photos: "col_photo", description: "col_description",
};
let importFile = null;
let importPlan = null;

async function previewImport() {
  const mode = document.querySelector("input[name=import-mode]:checked").value;
  const form = new FormData();
  form.append("file", importFile);
  $("import-error").textContent = "";
  $("import-summary").replaceChildren();
  importPlan = null;
  showImportButtons();
  try {
    importPlan = await api("POST", `/studio/api/products/import/preview?mode=${mode}`, form);
  } catch (error) {
    $("import-error").textContent = error.message;
    return;
  }
  renderImportPlan(importPlan);
  showImportButtons();
}

function importList(titleKey, items, line) {
  const box = el("section", { className: "import-group" });
  box.append(el("h4", {}, t(titleKey, { count: items.length })));
  const list = el("ul");
  for (const item of items) list.append(el("li", {}, line(item)));
  box.append(list);
  return box;
}

function renderImportPlan(plan) {
  const parts = [];
  const brief = (p) => `${p.sku} — ${p.name} — ${p.price}`;
  if (plan.added.length) parts.push(importList("import_added", plan.added, brief));
  if (plan.changed.length) {
    parts.push(importList("import_changed", plan.changed, (p) => {
      const changes = p.changes.map((c) =>
        `${t(IMPORT_FIELDS[c.field] || c.field)}: ${c.before || "—"} → ${c.after || "—"}`);
      return `${p.sku} — ${p.name}: ${changes.join("; ")}`;
    }));
  }
  if (plan.kept.length) parts.push(importList("import_kept", plan.kept, brief));
  if (plan.removed.length) parts.push(importList("import_removed", plan.removed, brief));
  if (plan.unchanged) parts.push(el("p", { className: "help" }, t("import_unchanged", { count: plan.unchanged })));
  if (plan.ignored_columns.length) {
    parts.push(el("p", { className: "help" }, t("import_ignored", { columns: plan.ignored_columns.join(", ") })));
  }
  if (!plan.added.length && !plan.changed.length && !plan.removed.length) {
    parts.push(el("p", {}, t("import_nothing")));
  }
  $("import-summary").replaceChildren(...parts);
}

function showImportButtons() {
  const plan = importPlan;
  const isReplace = Boolean(plan && plan.mode === "replace");
  const removing = plan ? plan.removed.length : 0;
  $("import-replace-ok-wrap").hidden = !removing;
  $("import-replace-ok-text").textContent = t("import_replace_ok", { count: removing });
  const hasChanges = Boolean(plan && (plan.added.length || plan.changed.length || removing));
  $("import-confirm").textContent = t(isReplace ? "import_confirm_replace" : "import_confirm");
  $("import-confirm").disabled = !hasChanges || (removing > 0 && !$("import-replace-ok").checked);
}

async function confirmImport() {
  const plan = importPlan;
  const form = new FormData();
  form.append("file", importFile);
  const query = new URLSearchParams({ mode: plan.mode, base: plan.base });
  let answer;
  try {
    answer = await api("POST", `/studio/api/products/import?${query}`, form);
  } catch (error) {
    await previewImport(); // the catalog changed meanwhile: show what the import does now
    $("import-error").textContent = error.message;
    return;
  }
  $("import-dialog").close();
  await loadProducts();
  notify(t("imported_summary", { added: answer.added, changed: answer.changed, removed: answer.removed }));
}

function setUpImport() {
  const dialog = $("import-dialog");
  $("import-file").addEventListener("change", guard(async () => {
    importFile = $("import-file").files[0];
    $("import-file").value = ""; // choosing the same file again opens a new preview
    if (!importFile) return;
    $("import-merge").checked = true;
    $("import-replace-ok").checked = false;
    $("import-file-name").textContent = t("import_file", { name: importFile.name });
    dialog.showModal();
    await previewImport();
  }));
  for (const radio of document.querySelectorAll("input[name=import-mode]")) {
    radio.addEventListener("change", guard(() => {
      $("import-replace-ok").checked = false;
      return previewImport();
    }));
  }
  $("import-replace-ok").addEventListener("change", showImportButtons);
  $("import-cancel").addEventListener("click", () => dialog.close());
  $("import-confirm").addEventListener("click", guard(confirmImport));
}

// --- photos -----------------------------------------------------------------------------
// The server keeps each product's photos and the newest batch: the page reads both on load, so
// a reload (or another port, another browser) shows the same work.

let uploadId = null;
let uploadedNames = [];
let photoJob = null;
let productPhotos = [];

// A photo's error code (upload or cleaning) -> the page's words; others show the server's text.
const PHOTO_ERRORS = {
  "upload.not_photo": "photo_err_not_photo",
  "upload.damaged": "photo_err_damaged",
  "upload.empty": "photo_err_empty",
  "upload.rejected": "photo_err_refused",
  "photo.unreadable": "photo_err_unreadable",
  "photo.too_large": "photo_err_too_large",
  "photo.too_small": "photo_err_too_small",
  "photo.empty": "photo_err_no_product",
};
const FINISHED_JOB = ["done", "failed", "cancelled"];

function photoError(name, code, message) {
  const key = PHOTO_ERRORS[code];
  return key ? t(key, { name }) : `${name}: ${message}`;
}

async function loadPresets() {
  const presets = await api("GET", "/studio/api/photos/presets");
  $("presets").replaceChildren(...presets.map((p) => {
    const id = `preset-${p.name}`;
    const input = el("input", { type: "checkbox", id, value: p.name });
    input.checked = p.name === "shopee";
    // Names and rules in the page's language; the server's English only for a preset we lack.
    const label = el("label", { for: id, title: tOr(`preset_rule_${p.name}`, `${p.rule} (${p.source})`) }, tOr(`preset_${p.name}`, p.label));
    const wrap = el("span", { className: "check" });
    wrap.append(input, label);
    return wrap;
  }));
}

function fillPhotoProducts() {
  const select = $("photo-product");
  const current = select.value;
  select.replaceChildren(
    el("option", { value: "", "data-i18n": "photo_product_auto" }, t("photo_product_auto")),
    ...products.map((p) => el("option", { value: p.sku }, `${p.sku} — ${p.name}`)),
  );
  select.value = products.some((p) => p.sku === current) ? current : "";
}

async function loadPhotoState() {
  const answer = await api("GET", "/studio/api/photos/products");
  productPhotos = answer.products;
  if (answer.batch && (!photoJob || answer.batch.created_at >= photoJob.created_at)) photoJob = answer.batch;
  renderPhotos();
  return answer.batch;
}

async function uploadPhotos(files) {
  const images = [...files].filter((f) => f.type.startsWith("image/") || /\.(heic|heif)$/i.test(f.name));
  if (!images.length) return;
  const form = new FormData();
  for (const file of images) form.append("files", file, file.name);
  $("upload-info").textContent = t("uploading");
  $("upload-rejected").replaceChildren();
  const sku = encodeURIComponent($("photo-product").value);
  let answer;
  try {
    answer = await api("POST", `/studio/api/photos/uploads?sku=${sku}`, form);
  } catch (error) {
    $("upload-info").textContent = "";
    throw error;
  }
  $("upload-rejected").replaceChildren(...answer.rejected.map((r) => (
    el("li", { className: "field-error" }, photoError(r.name, r.code, r.message)))));
  const counts = { count: answer.files.length, bad: answer.rejected.length };
  $("upload-info").textContent = t(answer.rejected.length ? "uploaded_some" : "uploaded", counts);
  if (!answer.upload_id) return;
  uploadId = answer.upload_id;
  uploadedNames = answer.files.map((f) => f.name);
  $("photo-start").disabled = false;
}

async function startPhotos() {
  const presets = checkedValues("presets");
  if (!presets.length) { notify(t("pick_preset"), true); return; }
  const background = $("photo-bg").value === "custom" ? $("photo-colour").value : $("photo-bg").value;
  const body = { upload_id: uploadId, presets, background };
  if ($("photo-shadow").value) body.shadow = $("photo-shadow").value;
  const job = await api("POST", "/studio/api/photos/jobs", body);
  await runPhotoJob(job);
}

async function runPhotoJob(job) {
  photoJob = job;
  $("photo-zip").hidden = true;
  $("photo-cancel").hidden = false;
  const final = await followJob(job, "photos", showPhotoJob);
  $("photo-cancel").hidden = true;
  if (final) showPhotoJob(final);
  // The finished photos are now their products' photos: show them as the server keeps them.
  await Promise.all([loadPhotoState(), loadProducts()]);
}

function showPhotoJob(job) {
  photoJob = job;
  renderPhotos();
}

// Cards: the newest batch first (each photo as its product keeps it), then the photos products
// keep from earlier batches, then the photos still waiting.
function renderPhotos() {
  const list = $("photo-results");
  if (!list) return;
  const kept = new Map();
  for (const product of productPhotos) {
    for (const item of product.photos) kept.set(`${item.batch_id}/${item.name}`, { product, item });
  }
  const cards = [];
  const job = photoJob;
  const items = (job && job.result && job.result.items) || [];
  for (const item of items) {
    const own = kept.get(`${job.id}/${item.name}`);
    kept.delete(`${job.id}/${item.name}`);
    cards.push(photoCard(own ? own.item : { ...item, batch_id: job.id }, own && own.product));
  }
  for (const { product, item } of kept.values()) cards.push(photoCard(item, product));
  const finished = new Set(items.map((item) => item.name));
  const waiting = job && job.params.upload_id === uploadId && !FINISHED_JOB.includes(job.status)
    ? uploadedNames.filter((name) => !finished.has(name)) : [];
  for (const name of waiting) {
    const li = el("li", { className: "result status-waiting" });
    li.append(el("h3", {}, name), el("p", { className: "help" }, t("working")));
    cards.push(li);
  }
  list.replaceChildren(...cards);
  if (job) showProgress($("photo-progress"), job);
  $("photo-zip").hidden = !(job && job.status === "done");
  if (job && job.status === "done") $("photo-zip").href = `/studio/api/photos/jobs/${job.id}/zip`;
}

function photoCard(item, product) {
  const li = el("li", { className: `result status-${item.status}` });
  li.dataset.name = item.name;
  if (item.sku) li.dataset.sku = item.sku;
  li.append(el("h3", {}, item.name));
  const owner = products.find((p) => p.sku === item.sku);
  li.append(el("p", { className: "help owner" }, item.sku
    ? t("photo_for_product", { sku: item.sku, name: owner ? owner.name : "" })
    : t("photo_no_product")));
  if (item.status !== "ok") {
    li.append(el("p", { className: "field-error" }, photoError(item.name, item.code, item.reason)));
    return li;
  }
  // Each export is its own file (its own URL), so the browser never shows an older image.
  const after = item.outputs[0];
  const figure = el("figure", { className: "compare" });
  const before = el("img", { src: item.before_url, alt: t("before"), className: "before" });
  const afterImg = el("img", { src: after.url, alt: t("after"), className: "after" });
  const slider = el("input", { type: "range", min: "0", max: "100", value: "50", "aria-label": t("compare") });
  slider.addEventListener("input", () => figure.style.setProperty("--split", `${slider.value}%`));
  figure.append(before, afterImg, slider);
  li.append(figure);
  const facts = item.outputs.map((o) => `${o.preset} ${o.width}×${o.height} · ${Math.round(o.bytes / 1024)} KB`);
  li.append(el("p", { className: "help" }, facts.join(" | ")));
  for (const warning of item.warnings) li.append(el("p", { className: "warning" }, warningText(warning)));
  if (product) li.append(inUseControls(product));
  li.append(fixForm(item));
  return li;
}

// Which photo the product's card, clips and post kits use, and the way back to the other one.
function inUseControls(product) {
  const box = el("div", { className: "in-use" });
  box.append(el("p", { className: "help" }, t(`photo_in_use_${product.in_use}`)));
  const choices = [["original", true, "use_original_photo"], ["cleaned", false, "use_cleaned_photo"]];
  for (const [state, isOriginal, label] of choices) {
    if (product.in_use === state) continue;
    const button = el("button", { type: "button", className: `small use-${state}` }, t(label));
    button.addEventListener("click", guard(async () => {
      const url = `/studio/api/photos/products/${encodeURIComponent(product.sku)}/original`;
      await api("POST", url, { is_original: isOriginal });
      await Promise.all([loadPhotoState(), loadProducts()]);
      notify(t("saved"));
    }));
    box.append(button);
  }
  return box;
}

// A photo's warning by its code, in the page's language (the English text if we lack the code).
function warningText(warning) {
  const key = `photo_warn_${warning.code.replace("photo.", "")}`;
  const preset = tOr(`preset_${warning.preset}`, warning.preset);
  return strings[key] ? t(key, { ...warning, preset }) : warning.text;
}

function fixForm(item) {
  const form = el("form", { className: "fix" });
  const key = `${item.batch_id}-${item.name}`.replace(/[^A-Za-z0-9]/g, "-");
  const fill = el("input", { type: "range", min: "50", max: "98", value: "85", id: `fill-${key}` });
  const bg = el("select", { id: `bg-${key}` });
  for (const [value, label] of [["keep", "bg_keep"], ["white", "bg_white"], ["grey", "bg_grey"], ["transparent", "bg_transparent"], ["custom", "bg_custom"]]) {
    bg.append(el("option", { value }, t(label)));
  }
  const colour = el("input", { type: "color", id: `colour-${key}`, value: "#f5e6d3", "aria-label": t("bg_custom") });
  colour.hidden = true;
  bg.addEventListener("change", () => { colour.hidden = bg.value !== "custom"; });
  const shadow = el("input", { type: "checkbox", id: `shadow-${key}` });
  shadow.checked = true;
  const pair = (first, second) => {
    const wrap = el("span", { className: "pair" });
    wrap.append(first, second);
    return wrap;
  };
  const submit = el("button", { type: "submit", className: "small" }, t("reexport"));
  form.append(
    pair(el("label", { for: fill.id }, t("margin")), fill),
    pair(el("label", { for: bg.id }, t("background")), bg),
    colour,
    pair(shadow, el("label", { for: shadow.id }, t("shadow"))),
    submit,
  );
  form.addEventListener("submit", guard(async (event) => {
    event.preventDefault();
    const body = {
      name: item.name, fill: Number(fill.value) / 100,
      background: bg.value === "custom" ? colour.value : bg.value,
      shadow: shadow.checked ? "contact" : "none",
    };
    submit.disabled = true;
    submit.textContent = t("working");
    try {
      const job = await api("POST", `/studio/api/photos/jobs/${item.batch_id}/fix`, body);
      const final = await followJob(job, "photos-fix", () => {});
      if (final && final.status === "done") {
        await Promise.all([loadPhotoState(), loadProducts()]);
        notify(t("saved"));
      }
    } finally {
      submit.disabled = false;
      submit.textContent = t("reexport");
    }
  }));
  return form;
}

// --- clips ------------------------------------------------------------------------------

let clipJob = null;

let brandVersion = 0; // bumped when the brand kit changes, so thumbnails are drawn again

async function loadTemplates() {
  const [names, tracks] = await Promise.all([api("GET", "/studio/api/clips/templates"), api("GET", "/studio/api/clips/tracks")]);
  $("clip-template").replaceChildren(...names.map((n) => el("option", { value: n }, tOr(`template_${n}`, n))));
  if (names.includes("classic")) $("clip-template").value = "classic";
  $("clip-music").replaceChildren(
    el("option", { value: "", "data-i18n": "music_template" }, t("music_template")),
    ...tracks.map((track) => el("option", { value: track.name, title: track.licence }, `${tOr(`track_${track.name}`, track.name)} · ${track.bpm} BPM`)),
    el("option", { value: "none", "data-i18n": "music_none" }, t("music_none")),
  );
  renderTemplateGrid();
  await loadBrand();
}

// The templates as a grid of thumbnails (the shop's first product, in its brand) to pick from.
function renderTemplateGrid() {
  const grid = $("clip-template-grid");
  const aspect = $("clip-aspect").value;
  const cards = [...$("clip-template").options].map((option) => {
    const name = option.value;
    const card = el("button", { type: "button", role: "radio", className: "template-card", "data-template": name, "aria-checked": String(name === $("clip-template").value), title: tOr(`template_desc_${name}`, name) });
    const image = el("img", { alt: tOr(`template_${name}`, name), loading: "lazy", src: `/studio/api/clips/templates/${name}/thumb.jpg?aspect=${encodeURIComponent(aspect)}&v=${brandVersion}` });
    card.dataset.aspect = aspect.replace(":", "x");
    card.append(image, el("span", {}, tOr(`template_${name}`, name)));
    card.addEventListener("click", () => pickTemplate(name));
    return card;
  });
  grid.replaceChildren(...cards);
}

function pickTemplate(name) {
  $("clip-template").value = name;
  for (const card of $("clip-template-grid").children) card.setAttribute("aria-checked", String(card.dataset.template === name));
}

async function loadBrand() {
  showBrand(await api("GET", "/studio/api/clips/brand"));
}

function showBrand(brand) {
  $("brand-name").value = brand.shop_name || "";
  $("brand-handle").value = brand.page_handle || "";
  $("brand-colors").checked = Boolean(brand.primary);
  if (brand.primary) $("brand-primary").value = brand.primary.toLowerCase();
  if (brand.secondary) $("brand-secondary").value = brand.secondary.toLowerCase();
  $("brand-keep-mark").checked = Boolean(brand.keep_livestall_mark);
  $("brand-logo-preview").hidden = !brand.logo_url;
  if (brand.logo_url) $("brand-logo-preview").src = brand.logo_url;
}

async function saveBrand() {
  const useColors = $("brand-colors").checked;
  const body = {
    shop_name: $("brand-name").value.trim(), page_handle: $("brand-handle").value.trim(),
    primary: useColors ? $("brand-primary").value : null, secondary: useColors ? $("brand-secondary").value : null,
    keep_livestall_mark: $("brand-keep-mark").checked,
  };
  let brand = await api("PUT", "/studio/api/clips/brand", body);
  const file = $("brand-logo").files[0];
  if (file) {
    const form = new FormData();
    form.append("logo", file);
    brand = await api("PUT", "/studio/api/clips/brand/logo", form);
    $("brand-logo").value = "";
  }
  showBrand(brand);
  brandVersion += 1;
  renderTemplateGrid();
  notify(t("brand_saved"));
}

async function startClip(isPreview, isSample = false) {
  const skus = checkedValues("clip-products");
  if (!skus.length) { notify(t("pick_product"), true); return; }
  const body = {
    skus, is_preview: isPreview, template: $("clip-template").value, aspect: $("clip-aspect").value,
    locale: document.documentElement.lang, title: $("clip-title").value, price: $("clip-price").value,
    sale_price: $("clip-sale").value, cta: $("clip-cta").value,
    // the template's own colours unless the seller picked others
    accent: $("clip-accent").dataset.touched ? $("clip-accent").value : null,
    text_color: $("clip-text").dataset.touched ? $("clip-text").value : null,
    length_s: $("clip-length").value ? Number($("clip-length").value) : null,
    music: $("clip-music").value || null, live_time: $("clip-live-time").value, is_raw: $("clip-raw").checked,
    is_sample: isSample,
  };
  const job = await api("POST", "/studio/api/clips/jobs", body);
  await runClipJob(job);
}

async function runClipJob(job) {
  clipJob = job;
  $("clip-cancel").hidden = false;
  const final = await followJob(job, "clips", (current) => showProgress($("clip-progress"), current));
  $("clip-cancel").hidden = true;
  if (final) showClip(final);
}

function showClip(job) {
  showProgress($("clip-progress"), job);
  if (job.status !== "done") return;
  const result = job.result;
  $("clip-video").src = result.video_url;
  $("clip-download").href = result.video_url;
  $("clip-facts").textContent = `${result.width}×${result.height} · ${result.duration_s} s · ${t(result.is_preview ? "preview" : "render")}${result.has_audio ? ` · ${t("with_music")}` : ""}`;
  $("clip-result").hidden = false;
}

// --- post -------------------------------------------------------------------------------

async function loadPlatforms() {
  const platforms = await api("GET", "/studio/api/post/platforms");
  $("post-platforms").replaceChildren(...platforms.map((p) => {
    const id = `platform-${p.name}`;
    const input = el("input", { type: "checkbox", id, value: p.name });
    input.checked = true;
    const wrap = el("span", { className: "check" });
    wrap.append(input, el("label", { for: id, title: tOr(`platform_rule_${p.name}`, p.source) }, tOr(`platform_${p.name}`, p.label)));
    return wrap;
  }));
}

function postBody() {
  return {
    skus: checkedValues("post-products"),
    platforms: checkedValues("post-platforms"),
    locale: document.documentElement.lang,
  };
}

async function makeCaptions() {
  const answer = await api("POST", "/studio/api/post/captions", postBody());
  $("post-results").replaceChildren(...answer.items.map((item) => {
    const block = el("section", { className: "post-item" });
    block.append(el("h3", {}, `${item.sku} — ${item.name}`));
    for (const caption of item.captions) {
      const id = `caption-${item.sku}-${caption.platform}`;
      const card = el("div", { className: "caption" });
      card.dataset.platform = caption.platform;
      const area = el("textarea", { id, rows: "6", readonly: "", dir: "auto" });
      area.value = caption.text;
      const copy = el("button", { type: "button", className: "small" }, t("copy"));
      copy.addEventListener("click", guard(() => copyText(area.value)));
      const count = `${caption.length} / ${caption.max_chars}${caption.is_trimmed ? " · " + t("trimmed") : ""}`;
      card.append(el("label", { for: id }, tOr(`platform_${caption.platform}`, caption.label)), area, el("span", { className: "help", dir: "ltr" }, count), copy);
      if (caption.title) card.append(el("p", { className: "help" }, `${t("listing_title")}: ${caption.title}`));
      block.append(card);
    }
    return block;
  }));
}

async function makeKit() {
  const job = await api("POST", "/studio/api/post/kits", postBody());
  $("post-zip").hidden = true;
  const final = await followJob(job, "post", (current) => showProgress($("post-progress"), current));
  if (final) showKit(final);
}

function showKit(job) {
  showProgress($("post-progress"), job);
  if (job.status === "done") {
    $("post-zip").href = job.result.zip_url;
    $("post-zip").hidden = false;
  }
}

// --- go live ----------------------------------------------------------------------------

let shownLive = null; // the live whose orders the table shows (null: the current one)

async function loadLive() {
  const live = await api("GET", "/studio/api/live");
  $("overlay-url").value = live.overlay_url;
  $("open-overlay").href = live.overlay_url;
  $("open-host").href = live.host_url;
  $("host-token").value = live.host_token;
  $("live-session").textContent = t("session", { id: live.session_id, sku: live.pinned_sku || "—" });
  hostToken = live.host_token;
  await Promise.all([loadLives(), loadReview()]);
}

// --- review queue: the live's guesses, confirmed / fixed / rejected here as in the console ----
// The same module as the host console (/static/review.js), with the console's texts: one table
// of words for both pages.

let hostToken = "";
let review = null;

async function hostApi(method, path, body) {
  const headers = { Authorization: `Bearer ${hostToken}`, "X-Livestall-Lang": document.documentElement.lang || "vi" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    let data = null;
    try { data = await response.json(); } catch { /* not JSON */ }
    notify(errorText(data), true);
    throw new Error(data?.code ?? "error");
  }
  return response;
}

async function consoleTexts() {
  const all = await (await fetch("/static/i18n/host.json")).json();
  const texts = all[document.documentElement.lang] || all.vi;
  const tc = (key, values) => {
    let text = texts[key] ?? key;
    for (const [name, value] of Object.entries(values || {})) text = text.replace(`{${name}}`, value);
    return text;
  };
  const word = (part) => (texts[`rule_${part}`] ?? part);
  const ruleText = (rule) => rule.split(";").filter(Boolean).map((part) => (part.startsWith("by-")
    ? part.slice(3).split("-").map((how) => word(`by-${how}`)).join(", ")
    : word(part))).join("; ");
  return { tc, ruleText };
}

async function loadReview() {
  const lang = document.documentElement.lang;
  if (!review || review.lang !== lang) {
    const { reviewQueue } = await import("/static/review.js");
    const { tc, ruleText } = await consoleTexts();
    $("review-box")?.remove();
    if (!document.querySelector("link[href='/static/review.css']")) {
      document.head.append(el("link", { rel: "stylesheet", href: "/static/review.css" }));
    }
    const box = el("section", { id: "review-box", className: "review-box", "aria-labelledby": "review-title" });
    const title = el("h3", { id: "review-title" }, tc("review_title"));
    const count = el("span", { id: "review-count", className: "count" });
    count.hidden = true;
    title.append(" ", count);
    const learned = el("div", { id: "learned-box" });
    learned.hidden = true;
    learned.append(el("h4", {}, tc("learned_title")), el("ul", { id: "learned" }));
    box.append(title, el("p", { id: "review-empty", className: "help" }, tc("review_empty")),
      el("ul", { id: "review-list", className: "review-list" }), learned);
    $("live-session").after(box);
    const button = (label, onClick) => {
      const node = el("button", { type: "button", className: "small" }, label);
      node.addEventListener("click", guard(onClick));
      return node;
    };
    review = { lang, queue: reviewQueue({ api: hostApi, say: (text) => notify(text), t: tc, button, ruleText }) };
  }
  await review.queue.load();
}

// New guesses arrive while the seller looks at the tab: a card being fixed stays as it is.
setInterval(() => {
  if (review && hostToken && !$("panel-live").hidden) review.queue.load().catch(() => {});
}, 5000);

function liveName(live) {
  return live.title || t("live_untitled", { id: live.id });
}

// Every live, newest first; each one's orders can be shown, exported and printed.
async function loadLives() {
  const lives = await api("GET", "/studio/api/live/lives");
  if (!lives.some((live) => live.id === shownLive)) shownLive = null;
  const shown = lives.find((live) => live.id === shownLive) || lives.find((live) => live.is_current);
  $("lives").tBodies[0].replaceChildren(...lives.map((live) => {
    const row = el("tr", { className: live === shown ? "is-shown" : "" });
    row.dataset.live = String(live.id);
    const name = liveName(live) + (live.is_current ? ` ${t("live_current")}` : "");
    const started = new Date(live.started_at * 1000).toLocaleString(document.documentElement.lang);
    for (const value of [name, started, live.orders, live.unpaid]) row.append(el("td", {}, String(value)));
    const actions = el("td");
    const view = el("button", { type: "button", className: "show-orders" }, t("show_orders"));
    view.addEventListener("click", guard(async () => {
      shownLive = live.id;
      await loadLives();
    }));
    actions.append(view);
    row.append(actions);
    return row;
  }));
  if (shown) await loadOrders(shown);
}

async function loadOrders(live) {
  const query = live && !live.is_current ? `?live=${live.id}` : "";
  $("orders-heading").textContent = live ? t("orders_of", { live: liveName(live) }) : t("orders");
  $("orders-csv").href = `/studio/api/live/orders.csv${query}`;
  $("orders-slips").href = `/studio/api/live/slips.html${query}`;
  const orders = await api("GET", `/studio/api/live/orders${query}`);
  document.querySelector("#orders tbody").replaceChildren(...orders.map((o) => {
    const row = el("tr", { className: `status-${o.status}${o.is_test ? " is-test" : ""}` });
    const status = el("td", {}, t(`status_${o.status}`));
    if (o.is_test) status.append(" ", el("span", { className: "badge" }, t("test_badge")));
    row.append(el("td", {}, o.code || String(o.id)), status);
    for (const value of [o.sku, o.variant, o.qty, o.price, o.buyer]) row.append(el("td", {}, String(value)));
    return row;
  }));
}

// Ask first, and say what stays: the current live's orders are kept, never deleted.
function confirmNewLive(preview) {
  const live = preview.live;
  $("live-confirm-text").textContent = live.orders
    ? t("confirm_new_live", { orders: live.orders, unpaid: live.unpaid, unshipped: live.unshipped })
    : t("confirm_new_live_empty");
  $("live-confirm-stock").hidden = !preview.stock_differences;
  $("live-confirm-stock").textContent = t("confirm_stock_stale", { count: preview.stock_differences });
  const dialog = $("live-confirm");
  return new Promise((resolve) => {
    const finish = (answer) => {
      $("live-confirm-yes").onclick = null;
      $("live-confirm-no").onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    $("live-confirm-yes").onclick = () => finish(true);
    $("live-confirm-no").onclick = () => finish(false);
    dialog.onclose = () => finish(false);
    dialog.showModal();
  });
}

async function startLive() {
  const preview = await api("GET", "/studio/api/live/start");
  if (!(await confirmNewLive(preview))) return;
  await api("POST", "/studio/api/live/start", { title: $("live-title").value, is_confirmed: true });
  shownLive = null;
  notify(t("live_started"));
  await loadLive();
  await loadStockCheck();
}

async function testOverlay() {
  const answer = await api("POST", "/studio/api/live/test");
  $("live-test-result").textContent = t("test_sent", { text: answer.comment, status: t(`comment_${answer.answer.status}`) });
  shownLive = null;
  await loadLives();
}

// The catalog's stock against what the live has left: never show the catalog's number alone.
async function loadStockCheck() {
  const check = await api("GET", "/studio/api/live/stock");
  const lines = check.differences;
  $("stock-check").hidden = !lines.length;
  $("stock-check-text").textContent = t("stock_stale", { id: check.live_id });
  $("stock-lines").replaceChildren(...lines.map((line) => el("li", {}, t("stock_line", {
    sku: line.sku, variant: line.variant ? ` ${line.variant}` : "", catalog: line.catalog, live: line.live,
  }))));
}

async function applyLiveStock() {
  const count = $("stock-lines").children.length;
  if (!confirm(t("confirm_stock_apply", { count }))) return;
  const result = await api("POST", "/studio/api/live/stock/apply");
  notify(t("stock_applied", { count: result.updated }));
  await loadProducts();
}

// --- tabs -------------------------------------------------------------------------------

function selectTab(tab) {
  for (const other of document.querySelectorAll("[role=tab]")) {
    const isSelected = other === tab;
    other.setAttribute("aria-selected", String(isSelected));
    other.tabIndex = isSelected ? 0 : -1;
    $(other.getAttribute("aria-controls")).hidden = !isSelected;
  }
  history.replaceState(null, "", `#${tab.id.replace("tab-", "")}`);
  if (tab.id === "tab-live") loadLive().catch((error) => notify(error.message, true));
  if (tab.id === "tab-products") loadStockCheck().catch((error) => notify(error.message, true));
}

function setUpTabs() {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const rtl = document.documentElement.dir === "rtl" ? -1 : 1;
      const next = tabs[(tabs.indexOf(tab) + step * rtl + tabs.length) % tabs.length];
      next.focus();
      selectTab(next);
    });
  }
  const wanted = $(`tab-${location.hash.slice(1)}`);
  if (wanted) selectTab(wanted);
}

// A dropped folder: walk it (and its sub-folders) for files.
async function collectFiles(entry, files) {
  if (entry.isFile) {
    files.push(await new Promise((resolve, reject) => entry.file(resolve, reject)));
    return;
  }
  const reader = entry.createReader();
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return;
    for (const child of batch) await collectFiles(child, files);
  }
}

function setUpDrop() {
  const zone = $("dropzone");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("is-over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("is-over"));
  zone.addEventListener("drop", guard(async (event) => {
    event.preventDefault();
    zone.classList.remove("is-over");
    const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry());
    if (entries.some((entry) => entry && entry.isDirectory)) {
      const files = [];
      for (const entry of entries) if (entry) await collectFiles(entry, files);
      await uploadPhotos(files);
    } else {
      await uploadPhotos(event.dataTransfer.files);
    }
  }));
  $("photo-files").addEventListener("change", guard(() => uploadPhotos($("photo-files").files)));
  $("photo-folder").addEventListener("change", guard(() => uploadPhotos($("photo-folder").files)));
  $("photo-camera").addEventListener("change", guard(() => uploadPhotos($("photo-camera").files)));
}

// --- phones: pair one with the studio (``livestall studio --lan``) --------------------------

function setUpPhones() {
  const open = el("button", { type: "button", id: "phone-pair", className: "small", "data-i18n": "phone_pair" }, t("phone_pair"));
  document.querySelector("header.top .lang").before(open);
  const dialog = el("dialog", { id: "phone-dialog", "aria-labelledby": "phone-title" });
  const qr = el("img", { id: "phone-qr", className: "phone-qr", alt: t("phone_qr_alt"), "data-i18n-alt": "phone_qr_alt" });
  qr.hidden = true;
  const devices = el("ul", { id: "phone-devices", className: "phone-devices" });
  const actions = el("div", { className: "row end" });
  const again = el("button", { type: "button", id: "phone-new-code", "data-i18n": "phone_new_code" }, t("phone_new_code"));
  const close = el("button", { type: "button", className: "primary", "data-i18n": "close" }, t("close"));
  actions.append(again, close);
  dialog.append(
    el("h3", { id: "phone-title", "data-i18n": "phone_pair" }, t("phone_pair")),
    el("p", { className: "help", "data-i18n": "phone_help" }, t("phone_help")),
    qr,
    el("p", { id: "phone-url", className: "phone-url", dir: "ltr" }),
    el("p", { id: "phone-error", className: "field-error", role: "alert" }),
    el("h4", { "data-i18n": "phone_devices" }, t("phone_devices")),
    el("p", { id: "phone-none", className: "help", "data-i18n": "phone_none" }, t("phone_none")),
    devices,
    actions,
  );
  document.body.append(dialog);
  const show = guard(async () => {
    if (!dialog.open) dialog.showModal();
    await Promise.all([newPairingCode(), loadDevices()]);
  });
  open.addEventListener("click", show);
  again.addEventListener("click", guard(newPairingCode));
  close.addEventListener("click", () => dialog.close());
}

async function newPairingCode() {
  $("phone-error").textContent = "";
  try {
    const pairing = await api("POST", "/studio/api/pairing");
    $("phone-qr").src = pairing.qr;
    $("phone-qr").hidden = false;
    const until = new Date(pairing.expires_at * 1000).toLocaleTimeString(document.documentElement.lang);
    $("phone-url").textContent = `${pairing.url} · ${t("phone_until", { time: until })}`;
  } catch (error) {
    $("phone-qr").hidden = true;
    $("phone-url").textContent = "";
    $("phone-error").textContent = error.message; // e.g. "start it with: livestall studio --lan"
  }
}

async function loadDevices() {
  const list = await api("GET", "/studio/api/devices");
  $("phone-none").hidden = list.length > 0;
  $("phone-devices").replaceChildren(...list.map((device) => {
    const item = el("li");
    const when = new Date(device.paired_at * 1000).toLocaleString(document.documentElement.lang);
    item.append(el("span", { dir: "auto" }, `${device.name.slice(0, 60)} · ${device.address} · ${when} `));
    const revoke = el("button", { type: "button", className: "small", "data-action": "phone-revoke" }, t("phone_revoke"));
    revoke.addEventListener("click", guard(async () => {
      if (!confirm(t("phone_revoke_confirm"))) return;
      await api("DELETE", `/studio/api/devices/${encodeURIComponent(device.id)}`);
      await loadDevices();
    }));
    item.append(revoke);
    return item;
  }));
}

// On a phone each table row is a card (studio.css): every cell carries its column's name.
function labelCells(table) {
  const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  for (const row of table.tBodies[0]?.rows ?? []) {
    [...row.cells].forEach((cell, index) => { cell.dataset.label = names[index] ?? ""; });
  }
}

function watchTables() {
  for (const table of document.querySelectorAll(".table-wrap table")) {
    labelCells(table);
    new MutationObserver(() => labelCells(table)).observe(table, { childList: true, subtree: true });
  }
}

async function main() {
  const wanted = new URLSearchParams(location.search).get("lang") || localStorage.getItem("livestall.lang") || "vi";
  await setLanguage(wanted);
  setUpTabs();
  setUpDrop();
  watchTables();
  // a paired phone sees the studio, not the pairing of other devices (the computer manages them)
  if (await fetch("/studio/api/devices").then((r) => r.ok, () => false)) setUpPhones();
  $("lang").addEventListener("change", guard(() => setLanguage($("lang").value)));
  $("add-product").addEventListener("click", () => {
    const blank = {
      sku: "", name: "", price: "", sale_price: "", currency: "VND", stock: "0", variants: "", aliases: "", unit: "", size_chart: "",
    };
    document.querySelector("#products tbody").append(productRow(blank, true));
    document.querySelector("#products tbody tr:last-child input[name=sku]").focus();
  });
  setUpImport();
  $("photo-start").addEventListener("click", guard(startPhotos));
  $("photo-bg").addEventListener("change", () => { $("photo-colour").hidden = $("photo-bg").value !== "custom"; });
  $("photo-cancel").addEventListener("click", guard(() => api("POST", `/studio/api/jobs/${photoJob.id}/cancel`)));
  $("clip-sample").addEventListener("click", guard(() => startClip(true, true)));
  $("clip-preview").addEventListener("click", guard(() => startClip(true)));
  $("clip-render").addEventListener("click", guard(() => startClip(false)));
  $("clip-cancel").addEventListener("click", guard(() => api("POST", `/studio/api/jobs/${clipJob.id}/cancel`)));
  $("clip-aspect").addEventListener("change", renderTemplateGrid);
  $("clip-template").addEventListener("change", () => pickTemplate($("clip-template").value));
  for (const id of ["clip-accent", "clip-text"]) $(id).addEventListener("input", () => { $(id).dataset.touched = "true"; });
  $("brand-save").addEventListener("click", guard(saveBrand));
  $("post-captions").addEventListener("click", guard(makeCaptions));
  $("post-kit").addEventListener("click", guard(makeKit));
  $("live-start").addEventListener("click", guard(startLive));
  $("live-test").addEventListener("click", guard(testOverlay));
  $("orders-refresh").addEventListener("click", guard(loadLives));
  $("stock-apply").addEventListener("click", guard(applyLiveStock));
  $("copy-overlay").addEventListener("click", guard(() => copyText($("overlay-url").value)));
  $("copy-token").addEventListener("click", guard(() => copyText($("host-token").value)));
  await Promise.all([loadProducts(), loadPresets(), loadTemplates(), loadPlatforms()]);
  const batch = await loadPhotoState();
  if (batch && !FINISHED_JOB.includes(batch.status)) runPhotoJob(batch).catch((error) => notify(error.message, true));
  await resumeJob("clips", (job) => (job.status === "done" ? showClip(job) : runClipJob(job)));
  await resumeJob("post", (job) => showKit(job));
  document.body.dataset.ready = "true";
}

main().catch((error) => notify(error.message, true));
