/* Studiobook: small progressive enhancements shared by every page. Plain JS, no build step.
 * Everything here is optional: without JS the forms still post and the links still work. */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="csrf-token"]');
  var CSRF = meta ? meta.getAttribute("content") : "";

  /** fetch() with the CSRF header and same-origin cookies; resolves to {ok, status, data}. */
  function api(url, options) {
    options = options || {};
    var headers = Object.assign({"Accept": "application/json"}, options.headers || {});
    if (options.method && options.method !== "GET") headers["X-CSRF-Token"] = CSRF;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(options.json);
    }
    return fetch(url, {method: options.method || "GET", headers: headers, body: options.body, credentials: "same-origin"})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        var parse = type.indexOf("json") >= 0 ? response.json() : response.text();
        return parse.then(function (data) { return {ok: response.ok, status: response.status, data: data}; });
      })
      .catch(function () { return {ok: false, status: 0, data: {error: "Could not reach the server. Check your connection and try again."}}; });
  }
  window.Studiobook = {api: api, csrf: CSRF, escape: escapeHtml};

  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  // ---- flashes and confirmations ------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) dismiss.parentElement.remove();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
    if (!event.defaultPrevented) {
      var button = form.querySelector("button[type=submit]:not([data-keep-enabled])");
      if (button) setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  // ---- phone menu ----------------------------------------------------------------------------
  var toggle = document.querySelector("[data-menu-toggle]");
  var sidebar = document.getElementById("sidebar");
  var scrim = document.querySelector("[data-scrim]");
  function setMenu(open) {
    if (!sidebar) return;
    sidebar.classList.toggle("open", open);
    if (scrim) scrim.hidden = !open;
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { var first = sidebar.querySelector("a"); if (first) first.focus(); }
  }
  if (toggle) toggle.addEventListener("click", function () { setMenu(!sidebar.classList.contains("open")); });
  if (scrim) scrim.addEventListener("click", function () { setMenu(false); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { setMenu(false); closeBot(); }
  });

  // ---- question bot panel --------------------------------------------------------------------
  var bot = document.querySelector("[data-bot]");
  var botOpen = document.querySelector("[data-bot-open]");
  function openBot() {
    if (!bot) return;
    bot.hidden = false;
    if (botOpen) botOpen.setAttribute("aria-expanded", "true");
    bot.querySelector("input").focus();
  }
  function closeBot() {
    if (!bot || bot.hidden) return;
    bot.hidden = true;
    if (botOpen) { botOpen.setAttribute("aria-expanded", "false"); botOpen.focus(); }
  }
  if (bot) {
    botOpen.addEventListener("click", function () { bot.hidden ? openBot() : closeBot(); });
    bot.querySelector("[data-bot-close]").addEventListener("click", closeBot);
    var log = bot.querySelector("[data-bot-log]");
    var form = bot.querySelector("[data-bot-form]");
    var input = form.querySelector("input");
    bot.querySelectorAll("[data-bot-suggest]").forEach(function (b) {
      b.addEventListener("click", function () { input.value = b.textContent; ask(); });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); ask(); });

    function ask() {
      var question = input.value.trim();
      if (!question) return;
      input.value = "";
      var q = document.createElement("div");
      q.className = "bot-q";
      q.textContent = question;
      log.appendChild(q);
      var a = document.createElement("div");
      a.className = "bot-a loading";
      a.textContent = "Looking it up…";
      log.appendChild(a);
      log.scrollTop = log.scrollHeight;
      api("/admin/api/ask", {method: "POST", json: {question: question}}).then(function (res) {
        a.classList.remove("loading");
        if (res.status === 404) {
          a.textContent = "The question bot is not installed in this build yet.";
        } else if (!res.ok) {
          a.textContent = (res.data && res.data.error) || "The question could not be answered.";
        } else {
          a.innerHTML = "<div>" + escapeHtml(res.data.answer) + "</div>" + rowsTable(res.data.data);
        }
        log.scrollTop = log.scrollHeight;
      });
    }
  }

  /** The rows an answer is based on, as a small table (objects -> columns; scalars -> one column). */
  function rowsTable(rows) {
    if (!Array.isArray(rows) || rows.length === 0) return "";
    var columns = [];
    rows.forEach(function (row) {
      if (row && typeof row === "object" && !Array.isArray(row)) {
        Object.keys(row).forEach(function (k) { if (columns.indexOf(k) < 0) columns.push(k); });
      }
    });
    var html = '<div class="table-wrap"><table><thead><tr>';
    if (columns.length === 0) {
      html += "<th>value</th></tr></thead><tbody>";
      rows.forEach(function (r) { html += "<tr><td>" + escapeHtml(Array.isArray(r) ? r.join(", ") : r) + "</td></tr>"; });
    } else {
      columns.forEach(function (c) { html += "<th>" + escapeHtml(c) + "</th>"; });
      html += "</tr></thead><tbody>";
      rows.forEach(function (r) {
        html += "<tr>";
        columns.forEach(function (c) {
          var v = r[c];
          html += "<td>" + escapeHtml(v !== null && typeof v === "object" ? JSON.stringify(v) : v) + "</td>";
        });
        html += "</tr>";
      });
    }
    return html + "</tbody></table></div><div class=\"hint\">" + rows.length + " row" + (rows.length === 1 ? "" : "s") + " used</div>";
  }
  window.Studiobook.rowsTable = rowsTable;

  // ---- live notifications (server-sent events) -----------------------------------------------
  var badge = document.querySelector("[data-unread-badge]");
  if (badge && window.EventSource) {
    var source = new EventSource("/admin/notifications/stream");
    source.addEventListener("unread", function (event) {
      var data = JSON.parse(event.data);
      badge.textContent = data.count;
      badge.hidden = data.count === 0;
      document.querySelectorAll("[data-unread-count]").forEach(function (el) { el.textContent = data.count; });
    });
    source.addEventListener("notification", function (event) {
      var data = JSON.parse(event.data);
      var list = document.querySelector("[data-notes-list]");
      if (list) {
        var li = document.createElement("li");
        li.className = "unread";
        li.innerHTML = '<span class="n-ic" aria-hidden="true">●</span><div><div class="n-title"><span class="unread-dot"></span>' +
          escapeHtml(data.title) + '</div><small>Just now</small></div>' +
          (data.link ? '<a class="btn btn-sm" href="' + escapeHtml(data.link) + '">Open</a>' : "");
        list.prepend(li);
        var empty = document.querySelector("[data-notes-empty]");
        if (empty) empty.remove();
      }
    });
    window.addEventListener("beforeunload", function () { source.close(); });
  }
})();
