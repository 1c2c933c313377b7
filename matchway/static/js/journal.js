// Rotation experience: journal autosave feedback and live character counters.
// Loaded only on pages that need it; no inline scripts anywhere (CSP: script-src 'self').
(function () {
  "use strict";

  // --- Autosave (the form carries hx-post/hx-trigger; this adds the safety net) ---------
  var dirty = false;

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  function statusBox() {
    return document.getElementById("autosave-status");
  }

  function showError(form, message) {
    var box = statusBox();
    if (!box) return;
    box.textContent = "";
    var span = document.createElement("span");
    span.className = "autosave-error";
    span.setAttribute("role", "alert");
    span.textContent = message || form.getAttribute("data-autosave-error") || "Not saved.";
    box.appendChild(span);
  }

  document.addEventListener("input", function (event) {
    if (autosaveForm(event.target)) dirty = true;
  });

  // A conflict (409) or refused input (422) carries a message worth showing: swap it in
  // instead of treating it as a silent error. The typed text stays in the form either way.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!event.detail.successful || !elt || !elt.matches) return;
    // The autosave itself, or a PHI button (it sends the whole form first).
    if (elt.matches("form[data-autosave]") || elt.matches("form.phi-form")) dirty = false;
  });

  // Server error or no connection: say so beside the form; the next keystroke retries.
  document.addEventListener("htmx:responseError", function (event) {
    var form = autosaveForm(event.detail.elt);
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (form && status >= 500) showError(form);
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (form) showError(form);
  });

  // Submitting the form itself saves everything that is typed.
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[data-autosave]")) dirty = false;
  });

  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    var form = document.querySelector("form[data-autosave]");
    event.preventDefault();
    event.returnValue = form ? form.getAttribute("data-leave-warning") || "" : "";
  });

  // --- Character counters: <p class="char-counter" data-counter-for="id_x"> -----------
  function render(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : "";
    });
  }

  function updateCounter(counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field) return;
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    // ERAS counts characters as typed; count code points so an emoji counts once.
    var n = Array.from(field.value).length;
    var over = n - max;
    var template = over > 0 ? counter.getAttribute("data-over") : counter.getAttribute("data-template");
    counter.textContent = render(template || "{n} / {max}", { n: n, max: max, over: over });
    counter.classList.toggle("over-limit", over > 0);
    // Only flag the over-limit state; "false" would make Pico paint every field green.
    if (over > 0) {
      field.setAttribute("aria-invalid", "true");
    } else if (field.getAttribute("aria-invalid") === "true" && !field.closest(".has-error")) {
      field.removeAttribute("aria-invalid");
    }
  }

  function initCounters(root) {
    var counters = (root || document).querySelectorAll(".char-counter[data-counter-for]");
    Array.prototype.forEach.call(counters, function (counter) {
      updateCounter(counter);
    });
  }

  document.addEventListener("input", function (event) {
    var id = event.target && event.target.id;
    if (!id) return;
    var counter = document.querySelector('.char-counter[data-counter-for="' + id + '"]');
    if (counter) updateCounter(counter);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      initCounters(document);
    });
  } else {
    initCounters(document);
  }
})();
