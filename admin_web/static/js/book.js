/* The public booking page: a small state machine over the public JSON API.
 * GET /api/services, GET /api/availability, POST /api/bookings decide everything; this file only shows
 * their answers (errors included, in the API's own words) next to the step they concern. */
(function () {
  "use strict";
  var root = document.querySelector("[data-book]");
  if (!root) return;
  var api = window.Studiobook.api, esc = window.Studiobook.escape;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  var DOW = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var state = {services: [], service: null, month: null, slots: {}, day: null, slot: null, addons: [],
               location: "", client: {}, fields: {}, notes: "", payment: "deposit", quote: null, step: "service"};
  var $ = function (sel) { return root.querySelector(sel); };
  var $$ = function (sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); };

  // ---- helpers -------------------------------------------------------------------------------
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function ymd(y, m, d) { return y + "-" + pad(m + 1) + "-" + pad(d); }
  function parseYmd(s) { var p = s.split("-"); return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])); }
  function longDay(s) { var d = parseYmd(s); return DAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear(); }
  function clock(iso) { var t = iso.slice(11, 16); return t.charAt(0) === "0" ? t.slice(1) : t; }
  function money(amount, currency) {
    var n = Number(amount);
    var symbol = {USD: "$", EUR: "€", GBP: "£"}[currency || "USD"];
    var text = Math.abs(n).toLocaleString("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2});
    return (n < 0 ? "-" : "") + (symbol ? symbol + text : currency + " " + text);
  }
  function duration(min) { var h = Math.floor(min / 60), m = min % 60; return h && m ? h + " h " + m + " min" : h ? h + " h" : m + " min"; }
  function showError(message) {
    var box = $("[data-error]");
    box.textContent = message || "";
    box.hidden = !message;
    if (message) box.scrollIntoView({block: "nearest", behavior: "smooth"});
  }
  function fieldError(field, message) {
    var el = $('[data-err-for="' + field + '"]');
    if (el) { el.textContent = message; el.hidden = false; var input = el.parentElement.querySelector("input, select, textarea"); if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); } return true; }
    return false;
  }
  function clearFieldErrors() {
    $$(".field-error").forEach(function (e) { e.hidden = true; e.textContent = ""; });
    $$('[aria-invalid="true"]').forEach(function (e) { e.removeAttribute("aria-invalid"); });
  }

  // ---- steps ---------------------------------------------------------------------------------
  var ORDER = ["service", "time", "extras", "details", "summary", "done"];
  function go(step) {
    state.step = step;
    showError("");
    $("[data-flow]").hidden = step === "service";
    $('[data-step="service"]').hidden = step !== "service";
    $$("[data-flow] [data-step]").forEach(function (s) { s.hidden = s.getAttribute("data-step") !== step; });
    $("[data-sidebar]").hidden = step === "done";
    var index = ORDER.indexOf(step);
    $$("[data-step-label]").forEach(function (li) {
      var i = ORDER.indexOf(li.getAttribute("data-step-label"));
      if (i === index || (step === "done" && i === 4)) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      li.classList.toggle("done", i < index || step === "done");
    });
    var heading = root.querySelector('[data-step="' + step + '"] h2');
    if (heading) heading.focus({preventScroll: true});
    window.scrollTo({top: root.offsetTop - 10, behavior: "smooth"});
    renderSide();
  }
  $$("[data-back]").forEach(function (b) {
    b.addEventListener("click", function () { go(ORDER[Math.max(0, ORDER.indexOf(state.step) - 1)]); });
  });

  // ---- 1. service ----------------------------------------------------------------------------
  function chooseService(slug) {
    var service = state.services.filter(function (s) { return s.slug === slug; })[0];
    if (!service) return;
    if (!state.service || state.service.slug !== slug) {
      state.service = service; state.slots = {}; state.day = null; state.slot = null; state.addons = []; state.quote = null;
    }
    $$("[data-service]").forEach(function (b) { b.setAttribute("aria-pressed", b.getAttribute("data-service") === slug ? "true" : "false"); });
    buildAddons(); buildFields();
    go("time");
    loadMonth(state.month || firstMonth(), state.month ? 0 : 2);
  }
  $$("[data-service]").forEach(function (b) { b.addEventListener("click", function () { chooseService(b.getAttribute("data-service")); }); });

  // ---- 2. day and time -----------------------------------------------------------------------
  /** The studio's today (from the server: its clock and time zone), not the visitor's. */
  function today() {
    var given = root.getAttribute("data-today");
    if (given) return given;
    var n = new Date(); return ymd(n.getFullYear(), n.getMonth(), n.getDate());
  }
  function firstMonth() { var t = today(); return t.slice(0, 8) + "01"; }
  function monthEnd(first) { var d = parseYmd(first); return ymd(d.getUTCFullYear(), d.getUTCMonth(), new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()); }
  function addMonths(first, n) { var d = parseYmd(first); var x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)); return ymd(x.getUTCFullYear(), x.getUTCMonth(), 1); }

  /** Show a month; ``skipEmpty`` > 0 moves on to the next month when this one has nothing free. */
  function loadMonth(first, skipEmpty) {
    state.month = first;
    var d = parseYmd(first);
    $("[data-month-label]").textContent = MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
    $('[data-month="-1"]').disabled = first <= firstMonth();
    var key = state.service.slug + "|" + first;
    if (state.slots[key]) {
      if (skipEmpty && !Object.keys(state.slots[key]).length) { loadMonth(addMonths(first, 1), skipEmpty - 1); return; }
      renderCalendar(state.slots[key]); return;
    }
    $("[data-calendar]").innerHTML = '<p class="loading">Finding free times…</p>';
    var from = first < today() ? today() : first;
    api("/api/availability?service=" + encodeURIComponent(state.service.slug) + "&from=" + from + "&to=" + monthEnd(first)).then(function (res) {
      if (!res.ok) { $("[data-calendar]").innerHTML = ""; showError(res.data.error || "The calendar could not be loaded."); return; }
      var byDay = {};
      res.data.slots.forEach(function (s) { (byDay[s.start.slice(0, 10)] = byDay[s.start.slice(0, 10)] || []).push(s); });
      state.slots[key] = byDay;
      if (state.month !== first) return;
      if (skipEmpty && !Object.keys(byDay).length) { loadMonth(addMonths(first, 1), skipEmpty - 1); return; }
      renderCalendar(byDay);
    });
  }
  $$("[data-month]").forEach(function (b) { b.addEventListener("click", function () { loadMonth(addMonths(state.month, +b.getAttribute("data-month"))); }); });

  function renderCalendar(byDay) {
    var first = parseYmd(state.month);
    var y = first.getUTCFullYear(), m = first.getUTCMonth();
    var lead = (first.getUTCDay() + 6) % 7;
    var days = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    var html = '<table class="mini-cal" aria-label="' + MONTHS[m] + " " + y + '"><thead><tr>' + DOW.map(function (d) { return "<th scope=\"col\">" + d + "</th>"; }).join("") + "</tr></thead><tbody><tr>";
    for (var i = 0; i < lead; i++) html += "<td></td>";
    var any = false;
    for (var day = 1; day <= days; day++) {
      var key = ymd(y, m, day), slots = byDay[key] || [];
      if (slots.length) any = true;
      if ((lead + day - 1) % 7 === 0 && day !== 1) html += "</tr><tr>";
      html += '<td><button type="button" data-day="' + key + '" class="' + (slots.length ? "avail" : "") + '" ' + (slots.length ? "" : "disabled") +
        ' aria-pressed="' + (state.day === key) + '" aria-label="' + longDay(key) + (slots.length ? ", " + slots.length + " free time" + (slots.length === 1 ? "" : "s") : ", nothing free") + '">' + day +
        (slots.length ? '<span class="avail-dot" aria-hidden="true">' + slots.length + " free</span>" : "") + "</button></td>";
    }
    html += "</tr></tbody></table>";
    $("[data-calendar]").innerHTML = html;
    $("[data-cal-hint]").textContent = any ? "Days with free times are highlighted; the number shows how many start times are free." : "No free times this month — try the next one.";
    $$("[data-day]").forEach(function (b) { b.addEventListener("click", function () { chooseDay(b.getAttribute("data-day")); }); });
    if (state.day && byDay[state.day]) renderTimes(byDay[state.day]); else $("[data-times-wrap]").hidden = true;
  }

  function chooseDay(key) {
    state.day = key;
    $$("[data-day]").forEach(function (b) { b.setAttribute("aria-pressed", b.getAttribute("data-day") === key ? "true" : "false"); });
    renderTimes(state.slots[state.service.slug + "|" + state.month][key] || []);
    var first = $("[data-times] button");
    if (first) first.focus();
  }

  function renderTimes(slots) {
    $("[data-times-wrap]").hidden = false;
    $("[data-times-label]").textContent = longDay(state.day);
    $("[data-times]").innerHTML = slots.map(function (s) {
      return '<button type="button" data-slot="' + esc(s.start) + '" data-end="' + esc(s.end) + '" aria-pressed="' + (state.slot && state.slot.start === s.start) + '">' + clock(s.start) + "</button>";
    }).join("");
    $$("[data-slot]").forEach(function (b) {
      b.addEventListener("click", function () {
        state.slot = {start: b.getAttribute("data-slot"), end: b.getAttribute("data-end")};
        $$("[data-slot]").forEach(function (x) { x.setAttribute("aria-pressed", x === b ? "true" : "false"); });
        $('[data-next="extras"]').disabled = false;
        state.quote = null;
        renderSide();
      });
    });
    $('[data-next="extras"]').disabled = !state.slot || state.slot.start.slice(0, 10) !== state.day;
  }
  $('[data-next="extras"]').addEventListener("click", function () { if (state.slot) go("extras"); });

  // ---- 3. extras and location ----------------------------------------------------------------
  function buildAddons() {
    var s = state.service;
    var box = $("[data-addons]");
    if (!s.addons.length) { box.innerHTML = '<p class="muted">No extras are offered with this session.</p>'; }
    else {
      box.innerHTML = '<div class="pay-choice">' + s.addons.map(function (a) {
        return '<label><input type="checkbox" data-addon="' + esc(a.slug) + '"' + (state.addons.indexOf(a.slug) >= 0 ? " checked" : "") + '> <span><strong>' + esc(a.title) + "</strong> · " + money(a.price, s.currency) +
          (a.extends_minutes ? '<br><small class="muted">Adds ' + duration(a.extends_minutes) + " to the session</small>" : "") + "</span></label>";
      }).join("") + "</div>";
      $$("[data-addon]").forEach(function (c) {
        c.addEventListener("change", function () {
          state.addons = $$("[data-addon]").filter(function (x) { return x.checked; }).map(function (x) { return x.getAttribute("data-addon"); });
          state.quote = null;
          renderSide();
        });
      });
    }
    $("[data-location-wrap]").hidden = !s.on_location;
    $("[data-studio-location-note]").hidden = s.on_location || !root.getAttribute("data-studio-location");
  }
  $('[data-next="details"]').addEventListener("click", function () {
    clearFieldErrors();
    state.location = $("[data-location]").value.trim();
    if (state.service.on_location && !state.location) { fieldError("location", "Please tell us where the session should take place."); return; }
    var extends_ = state.service.addons.some(function (a) { return state.addons.indexOf(a.slug) >= 0 && a.extends_minutes; });
    if (!extends_) { go("details"); return; }
    // Longer with these extras: make sure the chosen start still fits, using the same API.
    var day = state.slot.start.slice(0, 10);
    api("/api/availability?service=" + encodeURIComponent(state.service.slug) + "&from=" + day + "&to=" + day + "&addons=" + encodeURIComponent(state.addons.join(","))).then(function (res) {
      if (!res.ok) { showError(res.data.error); return; }
      var fits = res.data.slots.some(function (s) { return s.start === state.slot.start; });
      if (fits) { state.slot.end = res.data.slots.filter(function (s) { return s.start === state.slot.start; })[0].end; go("details"); }
      else fieldError("addons", "With these extras the session is longer and no longer fits at " + clock(state.slot.start) + " on " + longDay(day) + ". Choose fewer extras or go back and pick another time.");
    });
  });

  // ---- 4. details ----------------------------------------------------------------------------
  function buildFields() {
    var box = $("[data-fields]");
    box.innerHTML = state.service.fields.map(function (f) {
      var id = "bf-" + f.name, req = f.required ? " required" : "", opt = f.required ? "" : ' <span class="muted">(optional)</span>';
      var input;
      if (f.type === "boolean") return '<div class="field"><label class="check"><input type="checkbox" id="' + id + '" data-field="' + esc(f.name) + '"> ' + esc(f.label) + '</label><div class="field-error" data-err-for="fields.' + esc(f.name) + '" hidden></div></div>';
      if (f.type === "choice") input = '<select id="' + id + '" data-field="' + esc(f.name) + '"' + req + '><option value="">Choose…</option>' + (f.choices || []).map(function (c) { return "<option>" + esc(c) + "</option>"; }).join("") + "</select>";
      else {
        var type = {number: "number", email: "email", phone: "tel", date: "date"}[f.type] || "text";
        input = '<input id="' + id + '" type="' + type + '" data-field="' + esc(f.name) + '"' + req + (type === "number" ? ' inputmode="numeric" min="0"' : "") + ">";
      }
      return '<div class="field"><label for="' + id + '">' + esc(f.label) + opt + "</label>" + input + '<div class="field-error" data-err-for="fields.' + esc(f.name) + '" hidden></div></div>';
    }).join("");
  }
  $("[data-details-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    clearFieldErrors();
    var form = event.target;
    state.client = {name: form.name.value.trim(), email: form.email.value.trim(), phone: form.phone.value.trim()};
    state.notes = form.notes.value.trim();
    state.fields = {};
    var problem = false;
    if (!state.client.name) problem = fieldError("client.name", "Please tell us your name.") || problem;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(state.client.email)) problem = fieldError("client.email", "Please give an email address we can reach you at, like name@example.com.") || problem;
    $$("[data-field]").forEach(function (input) {
      var f = state.service.fields.filter(function (x) { return x.name === input.getAttribute("data-field"); })[0];
      var value = input.type === "checkbox" ? input.checked : input.value.trim();
      if (f.required && (value === "" || value === false) && f.type !== "boolean") problem = fieldError("fields." + f.name, "Please answer: " + f.label) || problem;
      if (value !== "") state.fields[f.name] = value;
    });
    if (problem) return;
    go("summary");
    renderSummary();
  });

  // ---- 5. summary and booking ----------------------------------------------------------------
  function loadQuote() {
    if (!state.service || !state.slot) return Promise.resolve(null);
    var key = state.service.slug + "|" + state.addons.join(",") + "|" + state.slot.start;
    if (state.quote && state.quote.key === key) return Promise.resolve(state.quote);
    if (state.quoteAsked === key) return Promise.resolve(null);  // one request per choice, even if it fails
    state.quoteAsked = key;
    var url = "/book/quote?service=" + encodeURIComponent(state.service.slug) + "&addons=" + encodeURIComponent(state.addons.join(",")) + "&start=" + encodeURIComponent(state.slot.start);
    return api(url).then(function (res) {
      if (state.quoteAsked === key) state.quoteAsked = null;
      if (!res.ok) return null;
      res.data.key = key;
      state.quote = res.data;
      return state.quote;
    });
  }
  function linesHtml(q, currency) {
    return '<table class="lines">' + q.items.map(function (i) { return "<tr><td>" + esc(i.label) + "</td><td>" + money(i.amount, currency) + "</td></tr>"; }).join("") +
      '<tr class="total"><td>Total</td><td>' + money(q.total, currency) + "</td></tr><tr><td>Deposit (" + esc(q.deposit_percent) + " %)</td><td>" + money(q.deposit, currency) + "</td></tr></table>";
  }
  function renderSummary() {
    var s = state.service;
    $("[data-summary]").innerHTML = '<p class="loading">Working out the price…</p>';
    loadQuote().then(function (q) {
      var rows = '<dl class="facts"><dt>Session</dt><dd>' + esc(s.title) + "</dd><dt>When</dt><dd>" + longDay(state.slot.start.slice(0, 10)) + ", " + clock(state.slot.start) + "–" + clock(state.slot.end) + "</dd>" +
        "<dt>Where</dt><dd>" + esc(s.on_location ? state.location : (root.getAttribute("data-studio-location") || "At the studio")) + "</dd>" +
        "<dt>Name</dt><dd>" + esc(state.client.name) + "</dd><dt>Email</dt><dd>" + esc(state.client.email) + "</dd>" +
        (state.client.phone ? "<dt>Phone</dt><dd>" + esc(state.client.phone) + "</dd>" : "") +
        s.fields.filter(function (f) { return state.fields[f.name] !== undefined; }).map(function (f) { return "<dt>" + esc(f.label) + "</dt><dd>" + esc(state.fields[f.name] === true ? "Yes" : state.fields[f.name]) + "</dd>"; }).join("") + "</dl>";
      $("[data-summary]").innerHTML = rows + (q ? '<div style="margin-top:14px">' + linesHtml(q, s.currency) + '</div><p class="hint">A returning-client discount, if any, is applied when you confirm.</p>' : "");
      $("[data-deposit-amount]").textContent = q ? "(" + money(q.deposit, s.currency) + ")" : "";
      renderSide();
    });
  }
  $$("[data-payment]").forEach(function (r) { r.addEventListener("change", function () { state.payment = r.value; }); });

  $("[data-submit]").addEventListener("click", function () {
    var button = this;
    button.disabled = true;
    button.textContent = "Booking…";
    var body = {service: state.service.slug, start: state.slot.start, addons: state.addons,
                client: state.client, fields: state.fields, location: state.service.on_location ? state.location : null,
                payment: state.payment, notes: state.notes || null};
    api("/api/bookings", {method: "POST", json: body}).then(function (res) {
      button.disabled = false;
      button.textContent = "Confirm booking";
      if (res.status === 201) { done(res.data); return; }
      var data = res.data || {};
      var message = data.error || "The booking could not be made. Please try again.";
      var field = data.field || "";
      if (res.status === 409 || field === "start") {
        state.slots = {}; state.slot = null;
        go("time"); loadMonth(state.month);
        showError(message + (res.status === 409 ? " Please choose another time." : ""));
      } else if (field.indexOf("client.") === 0 || field.indexOf("fields.") === 0) {
        go("details"); showError(message); fieldError(field, message);
      } else if (field === "addons" || field === "location") {
        go("extras"); showError(message); fieldError(field, message);
      } else {
        showError(message);
      }
    });
  });

  function done(b) {
    var s = state.service;
    go("done");
    var pending = b.status === "pending";
    $("[data-done-title]").textContent = pending ? "Request received — thank you!" : "You're booked — thank you!";
    $("[data-done-text]").textContent = pending
      ? "The studio confirms your request shortly. A confirmation email with all details and a link to manage your booking is on its way to " + b.client.email + "."
      : "A confirmation email with all details and a link to manage your booking is on its way to " + b.client.email + ".";
    var q = {items: b.line_items || [], total: b.total, deposit: b.deposit, deposit_percent: state.quote ? state.quote.deposit_percent : ""};
    $("[data-done-summary]").innerHTML = '<dl class="facts"><dt>Booking</dt><dd>#' + esc(b.id) + " · " + (pending ? "waiting for confirmation" : "confirmed") + "</dd><dt>Session</dt><dd>" + esc(s.title) +
      "</dd><dt>When</dt><dd>" + longDay(b.start.slice(0, 10)) + ", " + clock(b.start) + "–" + clock(b.end) + "</dd><dt>Payment</dt><dd>" +
      (b.payment === "at_session" ? "At the session" : "Deposit of " + money(b.deposit, s.currency) + " — payment details follow by email") + "</dd></dl>" +
      '<div style="margin-top:14px">' + linesHtml(q, s.currency) + "</div>";
  }

  // ---- sidebar -------------------------------------------------------------------------------
  function renderSide() {
    var box = $("[data-side]");
    var s = state.service;
    if (!s) { box.innerHTML = ""; return; }
    var html = '<div class="svc-line" style="--svc:' + esc(s.color) + '"><strong>' + esc(s.title) + '</strong><br><small class="muted">' + duration(s.duration_minutes) + "</small></div>";
    html += state.slot ? "<p><strong>" + longDay(state.slot.start.slice(0, 10)) + "</strong><br>" + clock(state.slot.start) + "–" + clock(state.slot.end) + "</p>" : '<p class="muted">Choose a day and time.</p>';
    var chosen = s.addons.filter(function (a) { return state.addons.indexOf(a.slug) >= 0; });
    if (chosen.length) html += "<p>+ " + chosen.map(function (a) { return esc(a.title); }).join(", ") + "</p>";
    if (state.quote) html += linesHtml(state.quote, s.currency);
    else {
      var total = Number(s.price) + chosen.reduce(function (sum, a) { return sum + Number(a.price); }, 0);
      html += '<table class="lines"><tr class="total"><td>Total</td><td>' + money(total, s.currency) + '</td></tr><tr><td>Deposit (' + esc(s.deposit_percent) + ' %)</td><td>' + money(total * Number(s.deposit_percent) / 100, s.currency) + "</td></tr></table>";
    }
    box.innerHTML = html;
    if (!state.quote && state.slot && state.step !== "service") loadQuote().then(function (q) { if (q && state.quote === q) renderSide(); });
  }

  // ---- start ---------------------------------------------------------------------------------
  api("/api/services").then(function (res) {
    if (!res.ok) { showError((res.data && res.data.error) || "The sessions could not be loaded. Please reload the page."); return; }
    state.services = res.data;
    var chosen = root.getAttribute("data-chosen") || new URLSearchParams(location.search).get("service");
    if (chosen) chooseService(chosen);
  });
})();
