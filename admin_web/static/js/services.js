/* Services and availability editors: live slot preview, repeatable rows, own-hours toggle.
 * The preview posts the unsaved form and swaps in the server-rendered fragment (booking_core decides). */
(function () {
  "use strict";
  var form = document.querySelector("[data-service-form], [data-studio-form]");
  if (!form) return;
  var target = document.querySelector("[data-preview]");
  var state = document.querySelector("[data-preview-state]");
  var url = form.hasAttribute("data-studio-form") ? "/admin/availability/preview" : "/admin/services/preview";
  var timer = null;
  var seq = 0;

  function refresh() {
    if (!target) return;
    var mine = ++seq;
    target.classList.add("updating");
    if (state) state.textContent = "Updating…";
    var body = new FormData(form);
    var extra = document.querySelector("[data-preview-service]");
    if (extra) body.set("preview_service", extra.value);
    fetch(url, {method: "POST", body: body, credentials: "same-origin", headers: {"X-CSRF-Token": window.Studiobook.csrf}})
      .then(function (r) { return r.text().then(function (t) { return {ok: r.ok, text: t}; }); })
      .then(function (res) {
        if (mine !== seq) return;
        var doc = new DOMParser().parseFromString(res.text, "text/html");
        var fragment = doc.querySelector("[data-preview-body]");
        target.innerHTML = fragment ? fragment.outerHTML : '<div class="alert">The preview could not be computed.</div>';
        target.classList.remove("updating");
        if (state) state.textContent = "Live preview";
      })
      .catch(function () {
        target.classList.remove("updating");
        if (state) state.textContent = "Offline";
      });
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(refresh, 350); }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  var chooser = document.querySelector("[data-preview-service]");
  if (chooser) chooser.addEventListener("change", refresh);

  // Repeatable rows (discounts, questions): clone the last row blank; remove a row.
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var list = document.querySelector('[data-rows="' + button.getAttribute("data-add-row") + '"]');
      var rows = list.querySelectorAll("[data-row]");
      var clone = rows[rows.length - 1].cloneNode(true);
      clone.querySelectorAll("input").forEach(function (i) { i.value = ""; });
      clone.querySelectorAll("select").forEach(function (s) { s.selectedIndex = 0; });
      list.appendChild(clone);
      var first = clone.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    });
  });
  form.addEventListener("click", function (event) {
    var remove = event.target.closest("[data-remove-row]");
    if (!remove) return;
    var row = remove.closest("[data-row]");
    var list = row.parentElement;
    if (list.querySelectorAll("[data-row]").length > 1) row.remove();
    else row.querySelectorAll("input").forEach(function (i) { i.value = ""; });
    schedule();
  });

  var own = form.querySelector("[data-own-hours]");
  if (own) own.addEventListener("change", function () {
    document.querySelector("[data-own-hours-grid]").hidden = !own.checked;
    document.querySelector("[data-own-hours-off]").hidden = own.checked;
  });
})();
