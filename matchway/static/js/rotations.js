// Rotations pages: bulk selection in the review queue, focus on error summaries.
// No inline scripts anywhere (CSP: script-src 'self'); htmx does the rest declaratively.
(function () {
  "use strict";

  // <input type="checkbox" data-select-all="ids"> toggles every checkbox named "ids" in its form.
  document.addEventListener("change", function (event) {
    var toggle = event.target.closest("[data-select-all]");
    if (toggle) {
      var form = toggle.form || toggle.closest("form");
      var name = toggle.getAttribute("data-select-all");
      if (!form) return;
      form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
        box.checked = toggle.checked;
      });
      return;
    }
    var box = event.target;
    if (box.matches && box.matches('input[type="checkbox"][name="ids"]') && box.form) {
      var all = box.form.querySelector('[data-select-all="ids"]');
      if (!all) return;
      var boxes = box.form.querySelectorAll('input[type="checkbox"][name="ids"]');
      var checked = box.form.querySelectorAll('input[type="checkbox"][name="ids"]:checked');
      all.checked = checked.length === boxes.length;
      all.indeterminate = checked.length > 0 && checked.length < boxes.length;
    }
  });

  // Move keyboard and screen-reader focus to a form's error summary after a failed submit.
  function focusErrors(root) {
    var summary = (root || document).querySelector("[data-autofocus]");
    if (summary) {
      summary.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrors(document);
  });

  // Filter forms marked data-drop-empty leave empty fields out of the request, so the
  // address htmx pushes stays short and shareable (?specialty=140, not ?q=&specialty=140&…).
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("[data-drop-empty]")) return;
    // htmx 2 exposes the request's FormData; `parameters` is a proxy over the same data.
    var data = event.detail.formData;
    if (!data || !data.forEach) return;
    var empty = [];
    data.forEach(function (value, key) {
      if (value === "") empty.push(key);
    });
    empty.forEach(function (key) {
      data.delete(key);
    });
  });

  // The filter form's submit button is for no-JS users; with htmx the list updates as you type.
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrors(event.target);
  });
})();
