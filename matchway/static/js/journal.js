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

  // --- Browser-only draft -----------------------------------------------------------------
  // The server never stores text with possible patient identifiers (docs/dev/phi-guard.md).
  // So every keystroke is kept in this browser (localStorage, keyed by entry id and kind)
  // until a clean autosave has stored exactly that text; a reload restores it with a notice.
  var SKIP = { csrfmiddlewaretoken: 1, revision: 1, client: 1, generation: 1, action: 1 };

  function fieldsOf(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !SKIP[el.name] && el.type !== "submit") values[el.name] = el.value;
    });
    return values;
  }

  function revisionOf(form) {
    var input = document.getElementById("journal-revision") || form.elements.namedItem("revision");
    return input ? parseInt(input.value, 10) || 0 : 0;
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function keep(form) {
    var key = form.getAttribute("data-draft-key");
    var store = storage();
    if (!key || !store) return;
    try {
      store.setItem(key, JSON.stringify({ fields: fieldsOf(form), revision: revisionOf(form) }));
    } catch (e) {
      /* storage full or disabled: the text is still on screen */
    }
  }

  function forget(form) {
    var key = form.getAttribute("data-draft-key");
    var store = storage();
    if (key && store) store.removeItem(key);
  }

  var sent = null;
  document.addEventListener("input", function (event) {
    var form = autosaveForm(event.target);
    if (form) keep(form);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.matches && elt.matches("form[data-autosave]")) sent = JSON.stringify(fieldsOf(elt));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var form = document.querySelector("form[data-autosave]");
    if (!form) return;
    if (document.querySelector("[data-draft-held]")) {
      keep(form); // not stored on the server: this browser holds the only copy
      return;
    }
    var box = statusBox();
    var stored = box && box.querySelector(".autosave-ok");
    // Forget the browser copy only when the server stored exactly what is on screen now.
    if (stored && sent !== null && sent === JSON.stringify(fieldsOf(form))) forget(form);
  });

  function restore() {
    var form = document.querySelector("form[data-autosave]");
    var store = storage();
    if (!form || !store) return;
    var key = form.getAttribute("data-draft-key");
    var raw = key ? store.getItem(key) : null;
    if (!raw) return;
    var saved;
    try {
      saved = JSON.parse(raw);
    } catch (e) {
      store.removeItem(key);
      return;
    }
    var current = fieldsOf(form);
    if (!saved || !saved.fields || JSON.stringify(saved.fields) === JSON.stringify(current)) {
      if (!document.querySelector("[data-draft-held]")) store.removeItem(key);
      return;
    }
    // The server saved something newer since (another window, a clean save): it wins.
    if ((saved.revision || 0) < revisionOf(form)) {
      store.removeItem(key);
      return;
    }
    var changed = null;
    Object.keys(saved.fields).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el && "value" in el && el.value !== saved.fields[name]) {
        el.value = saved.fields[name];
        changed = changed || el;
      }
    });
    var notice = document.getElementById("browser-draft-notice");
    if (notice) {
      notice.textContent = notice.getAttribute("data-restored") || "";
      notice.hidden = false;
    }
    // Ask the server again: it shows the findings (and stores the text if it is clean now).
    // (after htmx has wired the form up: it also starts on DOMContentLoaded)
    if (changed) {
      window.setTimeout(function () {
        changed.dispatchEvent(new Event("change", { bubbles: true }));
      }, 50);
    }
  }

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
      restore();
      initCounters(document);
    });
  } else {
    restore();
    initCounters(document);
  }
})();
