// Small behaviours shared by every page. Declared with data- attributes so that
// templates need no inline script (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  // <form data-confirm="Are you sure?">: ask before sending.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <span data-countdown="ISO datetime">: a live "3 days 4 hours left".
  function renderCountdown(el) {
    var end = new Date(el.getAttribute("data-countdown"));
    var ms = end - new Date();
    if (isNaN(ms)) { return; }
    if (ms <= 0) { el.textContent = el.getAttribute("data-expired") || "Closed"; return; }
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    el.textContent = days > 0 ? days + " d " + hours + " h left" : hours + " h " + mins + " min left";
  }
  function tick() { document.querySelectorAll("[data-countdown]").forEach(renderCountdown); }
  tick();
  window.setInterval(tick, 30000);

  // htmx sends the CSRF token from the <meta name="csrf-token"> or the cookie.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) { event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
  });
})();
