// Letters: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Composer: the note about standardized letters shows only when that kind is chosen.
  function syncStandardizedNote() {
    var note = document.querySelector("[data-standardized-note]");
    if (!note) return;
    var chosen = document.querySelector('input[name="kind"]:checked');
    note.hidden = !chosen || chosen.value !== "standardized";
  }

  // Composer: once the applicant types in the message it is theirs. The server (htmx on
  // the specialty, due date and writer fields) then offers "Update the message" instead of
  // rewriting it; while it is still our draft it is re-rendered from the new details.
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target && target.name === "message") {
      var flag = document.querySelector('input[name="message_auto"]');
      if (flag) flag.value = "0";
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "kind") syncStandardizedNote();
  });

  // Writer page: say at once when the chosen file is not a PDF or is too large (the server
  // checks again; this only saves a slow upload that would be refused).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file") return;
    var form = input.closest("form[data-max-bytes]");
    if (!form) return;
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    var status = form.querySelector("[data-upload-status]");
    if (!status) {
      status = document.createElement("small");
      status.setAttribute("data-upload-status", "");
      status.setAttribute("role", "status");
      status.className = "error";
      input.insertAdjacentElement("afterend", status);
    }
    var file = input.files && input.files[0];
    var text = "";
    if (file && max && file.size > max) {
      text = "This file is larger than " + (max / 1048576).toFixed(0) + " MB. Please save a smaller PDF.";
    } else if (file && !/\.pdf$/i.test(file.name) && file.type !== "application/pdf") {
      text = "Please choose a PDF file.";
    }
    status.textContent = text;
    input.setAttribute("aria-invalid", text ? "true" : "false");
  });

  document.addEventListener("DOMContentLoaded", syncStandardizedNote);
})();
