// Matchway front-end glue. No inline scripts anywhere (CSP: script-src 'self').
(function () {
  "use strict";
  // Send the CSRF token with every htmx request.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.content;
    }
  });
  // Buttons with data-confirm ask before submitting.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Copy buttons: <button data-copy="#selector">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.value || source.textContent);
      button.textContent = button.getAttribute("data-copied") || "Copied";
    }
  });
  // Long selects with data-filterable="placeholder" get a filter box above them: typing
  // hides the options (and empty groups) that do not match; the choice is unchanged.
  function filterable(select) {
    if (select.dataset.filterReady) return;
    select.dataset.filterReady = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "select-filter";
    input.placeholder = select.getAttribute("data-filterable");
    input.setAttribute("aria-label", select.getAttribute("data-filterable"));
    input.setAttribute("aria-controls", select.id);
    input.autocomplete = "off";
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().replace(/_/g, " ").split(/\s+/).filter(Boolean);
      var first = null;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var any = false;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var text = (option.textContent + " " + option.value).toLowerCase().replace(/_/g, " ");
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          option.hidden = !match;
          if (match) { any = true; if (!first) first = option; }
        });
        group.hidden = !any;
      });
      if (words.length && first && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        select.value = first.value;
      }
    });
  }
  function setupFilters(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-filterable]"), filterable);
  }
  document.addEventListener("DOMContentLoaded", function () { setupFilters(document); });
  document.addEventListener("htmx:load", function (event) { setupFilters(event.target); });
})();
