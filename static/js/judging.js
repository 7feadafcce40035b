// Judging pages: behaviours declared with data- attributes (no inline script: CSP).
(function () {
  "use strict";

  // <select data-autosubmit>: send the filter form when the choice changes.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });

  // <input type="checkbox" data-check-all="name">: tick every box with that name.
  document.addEventListener("change", function (event) {
    var el = event.target;
    var name = el.getAttribute && el.getAttribute("data-check-all");
    if (!name) { return; }
    var form = el.form || document;
    form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = el.checked;
    });
  });

  // Score sheet: warn before leaving with unsaved changes.
  var sheet = document.querySelector(".judging-sheet form");
  if (sheet) {
    var dirty = false;
    sheet.addEventListener("input", function () { dirty = true; });
    sheet.addEventListener("change", function () { dirty = true; });
    sheet.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
