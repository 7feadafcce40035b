// Console behaviours, declared with data- attributes (no inline script: strict CSP).
(function () {
  "use strict";

  // <input type="checkbox" data-check-all="group">: tick or untick the whole group.
  document.addEventListener("change", function (event) {
    var box = event.target;
    var group = box.getAttribute && box.getAttribute("data-check-all");
    if (group) {
      document.querySelectorAll('[data-check-group="' + group + '"]').forEach(function (el) {
        el.checked = box.checked;
      });
    }
    // <select data-autosubmit>: send its form on change.
    if (box.hasAttribute && box.hasAttribute("data-autosubmit") && box.form) {
      box.form.submit();
    }
  });
})();
