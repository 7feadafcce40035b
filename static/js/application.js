// The application form: live word counts and autosave feedback.
// Wired by data- attributes only: the Content-Security-Policy forbids inline script.
// Messages are translated by Django's JavaScript catalogue (/jsi18n/, loaded first).
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (_m, key) { return String(obj[key]); });
  };

  function countWords(text) {
    var words = (text || "").trim().split(/\s+/);
    return words[0] === "" ? 0 : words.length;
  }

  // <textarea data-word-limit="150">: show "12 / 150 words" under it, red when over.
  function attachCounter(field) {
    var limit = parseInt(field.getAttribute("data-word-limit"), 10);
    if (!limit) { return; }
    var counter = document.createElement("div");
    counter.className = "word-count small text-muted";
    counter.id = field.id + "-words";
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    field.insertAdjacentElement("afterend", counter);
    function update() {
      var n = countWords(field.value);
      counter.textContent = interpolate(
        ngettext("%(count)s / %(limit)s word", "%(count)s / %(limit)s words", limit),
        { count: n, limit: limit }, true);
      counter.classList.toggle("over", n > limit);
      counter.classList.toggle("text-muted", n <= limit);
      field.classList.toggle("is-over-limit", n > limit);
    }
    field.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("[data-word-limit]").forEach(attachCounter);

  // "Ongoing" means no end date: grey the end date out while it is ticked.
  var ongoing = document.getElementById("id_ongoing");
  var endDate = document.getElementById("id_end_date");
  if (ongoing && endDate) {
    var syncEnd = function () { endDate.disabled = ongoing.checked; };
    ongoing.addEventListener("change", syncEnd);
    syncEnd();
  }

  // While htmx saves an answer, say so in the field's status line.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.classList.contains("save-state")) {
      target.textContent = gettext("Saving…");
      target.classList.remove("text-danger");
    }
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (target && target.classList.contains("save-state")) {
      target.textContent = gettext("Not saved: please use the Save button.");
      target.classList.add("text-danger");
    }
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    var target = event.detail.target;
    if (target && target.classList.contains("save-state")) {
      target.textContent = gettext("Not saved (no connection): please use the Save button.");
      target.classList.add("text-danger");
    }
  });
})();
