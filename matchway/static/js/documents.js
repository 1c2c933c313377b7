// Document vault: drag-and-drop onto upload forms and a real upload progress bar (XHR).
// Without JavaScript the same forms post normally and errors show beside the fields.
// No inline scripts (CSP); user-visible strings come from data-msg-* attributes.
(function () {
  "use strict";

  function message(form, name, fallback) {
    return form.getAttribute("data-msg-" + name) || fallback;
  }

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function setupDropzone(form, status) {
    var zone = form.querySelector("[data-dropzone]");
    var input = form.querySelector('input[type="file"]');
    if (!zone || !input) return;
    var hint = zone.querySelector("[data-dropzone-hint]");
    if (hint) hint.hidden = false;
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "dragend", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("is-dragover");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      input.files = files;
      if (!tooLarge(form, input, status)) {
        status.textContent = message(form, "ready", "Ready to upload:") + " " + files[0].name;
      }
    });
    input.addEventListener("change", function () {
      if (input.files && input.files.length && !tooLarge(form, input, status)) {
        status.textContent = message(form, "ready", "Ready to upload:") + " " + input.files[0].name;
      }
    });
  }

  // A quick check before sending megabytes for nothing; the server checks again.
  function tooLarge(form, input, status) {
    var limit = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
    var file = input && input.files && input.files[0];
    if (!limit || !file || file.size <= limit) return false;
    status.textContent = message(form, "too-large", "The file is too large.");
    status.classList.add("error");
    return true;
  }

  function replaceCard(form, html) {
    var card = form.closest("[data-doc-card]");
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.firstElementChild;
    if (!card || !fresh) return false;
    card.replaceWith(fresh);
    init(fresh);
    // Move focus to the outcome so keyboard and screen-reader users hear it.
    var target = fresh.querySelector(".error, .form-errors, .doc-notice") || fresh;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
    return true;
  }

  function setupForm(form) {
    if (form.getAttribute("data-enhanced")) return;
    form.setAttribute("data-enhanced", "1");
    var progress = form.querySelector("[data-upload-progress]");
    var status = form.querySelector("[data-upload-status]");
    var button = form.querySelector('button[type="submit"]');
    setupDropzone(form, status);

    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest || !progress) return;
      event.preventDefault();
      status.classList.remove("error");
      if (tooLarge(form, form.querySelector('input[type="file"]'), status)) return;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("X-CSRFToken", csrfToken(form));
      progress.hidden = false;
      progress.value = 0;
      button.disabled = true;
      status.textContent = message(form, "uploading", "Uploading…");

      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        progress.value = percent;
        status.textContent = message(form, "uploading", "Uploading…") + " " + percent + "%";
      });
      xhr.upload.addEventListener("load", function () {
        // Bytes are sent; the server now checks the file. An indeterminate bar says so.
        progress.removeAttribute("value");
        status.textContent = message(form, "checking", "Checking the file…");
      });
      xhr.addEventListener("load", function () {
        if ((xhr.status === 200 || xhr.status === 422) && replaceCard(form, xhr.responseText)) {
          var empty = document.querySelector("[data-vault-empty]");
          if (xhr.status === 200 && empty) empty.hidden = true;
          return;
        }
        progress.hidden = true;
        button.disabled = false;
        status.classList.add("error");
        var plain = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0;
        status.textContent = plain && xhr.responseText
          ? xhr.responseText
          : message(form, "failed", "The upload failed. Please try again.") + " (" + xhr.status + ")";
      });
      xhr.addEventListener("error", function () {
        progress.hidden = true;
        button.disabled = false;
        status.textContent = message(form, "network", "The connection was lost. Please try again.");
      });
      xhr.send(new FormData(form));
    });
  }

  function init(root) {
    if (root.matches && root.matches("[data-upload-form]")) setupForm(root);
    root.querySelectorAll("[data-upload-form]").forEach(setupForm);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });

  // Review actions (htmx): a 409/422 answer carries the item with its error beside the
  // field; swap it in instead of dropping it, as htmx does with error statuses by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 409 || status === 422) && target && target.closest("[data-review]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

// Inline previews (issue #17): a <details data-preview> loads its frame or image only when
// opened, so looking at a review page does not download (and audit) every document.
(function () {
  "use strict";
  document.addEventListener(
    "toggle",
    function (event) {
      var details = event.target;
      if (!details.matches || !details.matches("details[data-preview]") || !details.open) return;
      details.querySelectorAll("[data-preview-src]").forEach(function (el) {
        if (!el.getAttribute("src")) el.setAttribute("src", el.getAttribute("data-preview-src"));
      });
    },
    true
  );
})();
