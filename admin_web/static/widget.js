/* Studiobook chat widget: one <script src="/widget.js" defer></script> adds a chat bubble and panel.
 *
 * Plain JS, no dependencies. Talks to POST /api/chat on the server that served this file, keeps the
 * conversation id (and the transcript, so a page change does not lose it) in sessionStorage.
 * Accessible: the launcher is a real button with aria-expanded, the panel a labelled dialog, new
 * messages are announced through an aria-live log, Escape closes and focus returns to the launcher.
 * Every text is inserted with textContent, never as HTML.
 * Options (data-* on the script tag): data-title, data-greeting, data-open="true", data-lang.
 */
(function () {
  "use strict";
  if (window.__studiobookWidget) { return; }
  window.__studiobookWidget = true;

  var script = document.currentScript || (function () {
    var all = document.querySelectorAll("script[src*='widget.js']");
    return all[all.length - 1];
  })();
  var base = new URL(script && script.src ? script.src : "/widget.js", window.location.href);
  var API = new URL("/api/chat", base).toString();
  var CSS = new URL("/widget.css", base).toString();
  var data = (script && script.dataset) || {};
  var lang = (data.lang || document.documentElement.lang || navigator.language || "en").slice(0, 2);
  var TEXT = {
    en: { title: "Book a session", open: "Chat with us", close: "Close chat", label: "Your message",
          send: "Send", placeholder: "Ask about times, prices or book a session…", typing: "Typing…",
          hello: "Hi! Ask me about free times and prices, or book a session.",
          error: "Sorry, the message could not be sent. Please try again.", booking: "Booking" },
    es: { title: "Reservar una sesión", open: "Chatee con nosotros", close: "Cerrar chat", label: "Su mensaje",
          send: "Enviar", placeholder: "Pregunte por horarios, precios o reserve…", typing: "Escribiendo…",
          hello: "¡Hola! Pregúnteme por horarios y precios, o reserve una sesión.",
          error: "Lo siento, no se pudo enviar el mensaje. Inténtelo de nuevo.", booking: "Reserva" },
    de: { title: "Termin buchen", open: "Chatten Sie mit uns", close: "Chat schließen", label: "Ihre Nachricht",
          send: "Senden", placeholder: "Fragen Sie nach Terminen, Preisen oder buchen Sie…", typing: "Schreibt…",
          hello: "Hallo! Fragen Sie nach freien Terminen und Preisen oder buchen Sie einen Termin.",
          error: "Die Nachricht konnte nicht gesendet werden. Bitte versuchen Sie es erneut.", booking: "Buchung" }
  }[lang] || null;
  if (!TEXT) { lang = "en"; }
  var T = TEXT || {
    title: "Book a session", open: "Chat with us", close: "Close chat", label: "Your message", send: "Send",
    placeholder: "Ask about times, prices or book a session…", typing: "Typing…",
    hello: "Hi! Ask me about free times and prices, or book a session.",
    error: "Sorry, the message could not be sent. Please try again.", booking: "Booking" };
  var KEY_ID = "studiobook.chat.id";
  var KEY_LOG = "studiobook.chat.log";
  var MAX_CHARS = 4000;

  function store(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* private mode: memory only */ }
  }
  function load(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  var link = el("link", { rel: "stylesheet", href: CSS });
  document.head.appendChild(link);

  var root = el("div", { "class": "sbw-root", lang: lang });
  var launcher = el("button", { type: "button", "class": "sbw-launcher", "aria-expanded": "false",
                                "aria-controls": "sbw-panel", "aria-label": T.open });
  launcher.appendChild(el("span", { "class": "sbw-launcher-icon", "aria-hidden": "true" }, "💬"));
  launcher.appendChild(el("span", { "class": "sbw-launcher-text" }, T.open));

  var panel = el("section", { id: "sbw-panel", "class": "sbw-panel", role: "dialog", "aria-modal": "false",
                              "aria-labelledby": "sbw-title", hidden: "" });
  var header = el("header", { "class": "sbw-header" });
  header.appendChild(el("h2", { id: "sbw-title", "class": "sbw-title" }, data.title || T.title));
  var closeBtn = el("button", { type: "button", "class": "sbw-close", "aria-label": T.close }, "×");
  header.appendChild(closeBtn);
  var log = el("ol", { "class": "sbw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
                       "aria-label": T.title, tabindex: "0" });
  var status = el("p", { "class": "sbw-status", role: "status", "aria-live": "polite" });
  var form = el("form", { "class": "sbw-form", novalidate: "" });
  var label = el("label", { "for": "sbw-input", "class": "sbw-visually-hidden" }, T.label);
  var input = el("textarea", { id: "sbw-input", "class": "sbw-input", rows: "2", maxlength: String(MAX_CHARS),
                               placeholder: T.placeholder, autocomplete: "off" });
  var send = el("button", { type: "submit", "class": "sbw-send" }, T.send);
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  panel.appendChild(header); panel.appendChild(log); panel.appendChild(status); panel.appendChild(form);
  root.appendChild(panel); root.appendChild(launcher);
  document.body.appendChild(root);

  var history = [];
  try { history = JSON.parse(load(KEY_LOG) || "[]") || []; } catch (e) { history = []; }

  function bookingCard(b) {
    var card = el("div", { "class": "sbw-booking" });
    card.appendChild(el("strong", {}, T.booking + " #" + b.id + " · " + b.status));
    var when = new Date(b.start);
    var line = b.service + " · " + (isNaN(when) ? b.start : when.toLocaleString(lang, {
      weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" }));
    card.appendChild(el("span", {}, line));
    card.appendChild(el("span", {}, b.total));
    return card;
  }

  function render(entry, announce) {
    var item = el("li", { "class": "sbw-msg sbw-" + entry.who });
    var bubble = el("div", { "class": "sbw-bubble" });
    bubble.textContent = entry.text;
    item.appendChild(el("span", { "class": "sbw-visually-hidden" }, entry.who === "me" ? "You: " : "Studio: "));
    item.appendChild(bubble);
    if (entry.booking) { item.appendChild(bookingCard(entry.booking)); }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function add(entry) {
    history.push(entry);
    if (history.length > 100) { history = history.slice(-100); }
    store(KEY_LOG, JSON.stringify(history));
    render(entry, true);
  }

  if (history.length) {
    history.forEach(function (e) { render(e, false); });
  } else {
    render({ who: "bot", text: data.greeting || T.hello }, false);
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("sbw-open");
    input.focus();
    log.scrollTop = log.scrollHeight;
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("sbw-open");
    launcher.focus();
  }
  launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { close(); } });
  closeBtn.addEventListener("click", close);
  panel.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { ev.preventDefault(); close(); }
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : submit(ev); }
  });

  var busy = false;
  function submit(ev) {
    if (ev) { ev.preventDefault(); }
    var text = input.value.trim();
    if (!text || busy) { return; }
    busy = true;
    send.disabled = true;
    input.setAttribute("aria-busy", "true");
    add({ who: "me", text: text });
    input.value = "";
    status.textContent = T.typing;
    fetch(API, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ conversation_id: load(KEY_ID), message: text.slice(0, MAX_CHARS) })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error(body.error || T.error); }
        return body;
      });
    }).then(function (body) {
      if (body.conversation_id) { store(KEY_ID, body.conversation_id); }
      add({ who: "bot", text: body.reply || "", booking: body.booking || null });
    }).catch(function (err) {
      add({ who: "bot", text: (err && err.message) || T.error, error: true });
    }).then(function () {
      busy = false;
      send.disabled = false;
      input.removeAttribute("aria-busy");
      status.textContent = "";
      input.focus();
    });
  }
  form.addEventListener("submit", submit);
  if (data.open === "true") { open(); }
})();
