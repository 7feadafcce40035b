// The application form: live word counts and autosave feedback.
// Wired by data- attributes only: the Content-Security-Policy forbids inline script.
(function () {
  "use strict";

  // Translated words come from the page: <form data-i18n-words="words" ...>.
  var labels = document.querySelector("[data-i18n-words]");
  function label(name, fallback) {
    return (labels && labels.getAttribute("data-i18n-" + name)) || fallback;
  }

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
      counter.textContent = n + " / " + limit + " " + label("words", "words");
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
      target.textContent = label("saving", "Saving…");
      target.classList.remove("text-danger");
    }
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (target && target.classList.contains("save-state")) {
      target.textContent = label("error", "Not saved: please use the Save button.");
      target.classList.add("text-danger");
    }
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    var target = event.detail.target;
    if (target && target.classList.contains("save-state")) {
      target.textContent = label("offline", "Not saved (no connection): please use the Save button.");
      target.classList.add("text-danger");
    }
  });
})();
