/* Calendar keyboard shortcuts: ← / → move by one period, T jumps to today (not while typing). */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.metaKey || event.ctrlKey || event.altKey) return;
    var link = document.querySelector('.cal-toolbar a[data-key="' + event.key + '"]');
    if (!link && (event.key === "t" || event.key === "T")) link = document.querySelector(".cal-toolbar .seg a:nth-child(2)");
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });
})();

/* Week view: drag a session to another day/time. The server checks the rules (the same call as the edit
 * form); a refusal is shown in words with the explicit, logged override. Without JS, the booking page's
 * edit form does the same. */
(function () {
  "use strict";
  var grid = document.querySelector(".week[data-hour-lo]");
  var dialog = document.querySelector("[data-move-dialog]");
  if (!grid || !dialog || !window.Studiobook) return;
  var hourLo = +grid.getAttribute("data-hour-lo"), px = +grid.getAttribute("data-px");
  var dragged = null, grabOffset = 0, pending = null;

  grid.addEventListener("dragstart", function (event) {
    var block = event.target.closest("[data-move]");
    if (!block) return;
    dragged = block;
    grabOffset = event.clientY - block.getBoundingClientRect().top;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", block.getAttribute("data-move"));
  });
  grid.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest("[data-drop-date]")) event.preventDefault();
  });
  grid.addEventListener("drop", function (event) {
    var col = event.target.closest("[data-drop-date]");
    if (!dragged || !col) return;
    event.preventDefault();
    var y = event.clientY - col.getBoundingClientRect().top - grabOffset;
    var minutes = Math.max(0, Math.round((hourLo * 60 + y * 60 / px) / 15) * 15);
    var time = String(Math.floor(minutes / 60)).padStart(2, "0") + ":" + String(minutes % 60).padStart(2, "0");
    pending = {id: dragged.getAttribute("data-move"), date: col.getAttribute("data-drop-date"), time: time};
    dragged = null;
    send(false);
  });

  function send(withOverride) {
    var body = new URLSearchParams({date: pending.date, time: pending.time});
    if (withOverride) {
      var form = dialog.querySelector("[data-move-form]");
      if (form.override.checked) body.set("override", "1");
      body.set("reason", form.reason.value);
    }
    window.Studiobook.api("/admin/bookings/" + pending.id + "/reschedule", {method: "POST", body: body,
      headers: {"Content-Type": "application/x-www-form-urlencoded"}}).then(function (res) {
      if (res.ok) { window.location.reload(); return; }
      var data = res.data || {};
      dialog.querySelector("[data-move-text]").textContent = (data.error || "The session could not be moved.") +
        " (" + pending.date + " " + pending.time + ")";
      dialog.querySelector("[data-move-reasons]").innerHTML = (data.reasons || []).map(function (r) {
        return "<li>" + window.Studiobook.escape(r) + "</li>"; }).join("");
      dialog.querySelector("[data-move-override]").hidden = !data.override_allowed;
      dialog.querySelector("[data-move-confirm]").hidden = !data.override_allowed;
      if (!dialog.open) dialog.showModal();
    });
  }
  dialog.querySelector("[data-move-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    send(true);
  });
  dialog.querySelector("[data-move-cancel]").addEventListener("click", function () { dialog.close(); });
})();
