// Small behaviours shared by every page. Declared with data- attributes so that
// templates need no inline script (the Content-Security-Policy forbids it).
// Messages are translated by Django's JavaScript catalogue (/jsi18n/, loaded first).
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (_m, key) { return String(obj[key]); });
  };

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
    if (ms <= 0) { el.textContent = el.getAttribute("data-expired") || gettext("Closed"); return; }
    var minutes = Math.floor(ms / 60000);
    var parts = {
      days: Math.floor(minutes / 1440),
      hours: Math.floor((minutes % 1440) / 60),
      minutes: minutes % 60
    };
    el.textContent = parts.days > 0
      ? interpolate(gettext("%(days)s d %(hours)s h left"), parts, true)
      : interpolate(gettext("%(hours)s h %(minutes)s min left"), parts, true);
  }
  function tick() { document.querySelectorAll("[data-countdown]").forEach(renderCountdown); }
  tick();
  window.setInterval(tick, 30000);

  // An error summary (<div data-focus-on-load>) takes the focus, so a screen reader
  // reads it first and the keyboard starts from it; its links move the focus to the
  // field to correct (an anchor alone only scrolls).
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".gza-error-links a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });

  // htmx sends the CSRF token from the <meta name="csrf-token"> or the cookie.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) { event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
  });
})();
