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
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var any = false;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var text = (option.textContent + " " + option.value).toLowerCase().replace(/_/g, " ");
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          option.hidden = !match;
          if (match) any = true;
        });
        group.hidden = !any;
      });
      // While filtering, the select opens as a short list of the matches to click; the
      // chosen zone never changes by typing alone.
      var shown = select.querySelectorAll("option:not([hidden])").length;
      select.size = words.length ? Math.max(2, Math.min(8, shown + 1)) : 0;
    });
  }
  function setupFilters(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-filterable]"), filterable);
  }
  document.addEventListener("DOMContentLoaded", function () { setupFilters(document); });
  document.addEventListener("htmx:load", function (event) { setupFilters(event.target); });
  // Wide tables on a phone: a table that would scroll sideways inside its .table-wrap
  // becomes labelled cards (the stack-on-phone style), each cell labelled with its column's
  // header. Tables marked in the template already carry their labels; this covers the rest.
  var PHONE = window.matchMedia("(max-width: 640px)");
  function labelCells(table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) return false;
    var names = Array.prototype.map.call(heads, function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (!cell.hasAttribute("data-label") && names[index]) {
          cell.setAttribute("data-label", names[index]);
        }
      });
    });
    return true;
  }
  function fitTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap > table"), function (table) {
      if (table.classList.contains("attendance-grid") || table.classList.contains("no-stack")) return;
      if (table.dataset.autoStack && !PHONE.matches) {
        table.classList.remove("stack-on-phone");
        delete table.dataset.autoStack;
        return;
      }
      var wrap = table.parentElement;
      if (PHONE.matches && !table.classList.contains("stack-on-phone") &&
          wrap.scrollWidth > wrap.clientWidth + 1 && labelCells(table)) {
        table.classList.add("stack-on-phone");
        table.dataset.autoStack = "1";
      }
    });
  }
  document.addEventListener("DOMContentLoaded", fitTables);
  document.addEventListener("htmx:afterSettle", fitTables);
  window.addEventListener("resize", fitTables);
})();
