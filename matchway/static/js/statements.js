// Statement workbench: editor safety net (live count, local draft, save errors) and the
// reviewer's "select text to comment" helper. No inline scripts (CSP); htmx does the saving.
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) {
      return values[key] !== undefined ? values[key] : "";
    });
  }

  function number(n) {
    return n.toLocaleString("en-US");
  }

  // --- editor ---------------------------------------------------------------------------
  function setupEditor(form) {
    var textarea = form.querySelector("textarea[name=body]");
    if (!textarea || textarea.readOnly) return;
    var key = "matchway.statement." + form.dataset.statementId;
    var maxChars = parseInt(form.dataset.maxChars, 10) || 0;
    var counter = document.getElementById("char-count");
    var banner = document.getElementById("local-draft");
    var dirty = false;
    var sent = null;

    function store() {
      try {
        window.localStorage.setItem(key, JSON.stringify({ body: textarea.value, at: Date.now() }));
      } catch (e) {
        /* storage full or disabled: the server copy still works */
      }
    }
    function stored() {
      try {
        var raw = window.localStorage.getItem(key);
        return raw ? JSON.parse(raw) : null;
      } catch (e) {
        return null;
      }
    }
    function forget() {
      try {
        window.localStorage.removeItem(key);
      } catch (e) {
        /* ignore */
      }
    }
    function status(message, kind) {
      var el = document.getElementById("save-status");
      if (!el) return;
      el.textContent = message;
      el.className = "st-save-status" + (kind ? " st-save-" + kind : "");
    }
    function count() {
      if (!counter) return;
      var n = textarea.value.length;
      var text = format(form.dataset.countTemplate, { n: number(n), max: number(maxChars) });
      if (maxChars && n > maxChars) {
        text += " — " + format(form.dataset.overTemplate, { over: number(n - maxChars) });
        counter.classList.add("st-count-over");
      } else {
        counter.classList.remove("st-count-over");
      }
      counter.textContent = text;
    }

    count();
    var saved = stored();
    if (saved && typeof saved.body === "string" && saved.body !== textarea.value && banner) {
      banner.hidden = false;
      banner.addEventListener("click", function (event) {
        var action = event.target.getAttribute("data-local-draft");
        if (action === "restore") {
          textarea.value = saved.body;
          count();
          dirty = true;
          if (window.htmx) window.htmx.trigger(textarea, "change");
        }
        if (action === "restore" || action === "discard") {
          if (action === "discard") forget();
          banner.hidden = true;
          textarea.focus();
        }
      });
    } else if (saved && saved.body === textarea.value) {
      forget();
    }

    textarea.addEventListener("input", function () {
      dirty = true;
      count();
      store();
    });
    textarea.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        dirty = false;
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", function () {
      dirty = false;
    });

    document.body.addEventListener("htmx:configRequest", function (event) {
      if (event.detail.elt === textarea) {
        sent = textarea.value;
        status(form.dataset.msgSaving, "");
      }
    });
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      // 409 (archived elsewhere) and 422 (too long) carry a message for the user: show it.
      var code = event.detail.xhr.status;
      if (event.detail.elt === textarea && (code === 409 || code === 422)) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt !== textarea) return;
      var code = event.detail.xhr ? event.detail.xhr.status : 0;
      if (event.detail.successful && code < 300) {
        if (textarea.value === sent) {
          dirty = false;
          forget();
        }
      } else if (code >= 500) {
        status(form.dataset.msgFailed, "error");
      }
    });
    document.body.addEventListener("htmx:sendError", function (event) {
      if (event.detail.elt === textarea) status(form.dataset.msgOffline, "error");
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = form.dataset.msgUnsaved;
      }
    });
  }

  // --- reviewer: selection → hidden start/end --------------------------------------------
  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function setupReview(container, form) {
    var start = form.querySelector("input[name=start]");
    var end = form.querySelector("input[name=end]");
    var quote = form.querySelector("textarea[name=quote]");
    var note = document.getElementById("selection-status");
    var text = container.textContent;
    var chosen = "";

    function describe() {
      if (!note) return;
      note.textContent = start.value ? note.dataset.chosen : note.dataset.empty;
    }
    function capture() {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
      var range = selection.getRangeAt(0);
      if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
        return;
      }
      var a = offsetIn(container, range.startContainer, range.startOffset);
      var b = offsetIn(container, range.endContainer, range.endOffset);
      if (b <= a) return;
      chosen = text.slice(a, b);
      if (!chosen.trim()) return;
      start.value = a;
      end.value = b;
      quote.value = chosen;
      describe();
    }

    container.addEventListener("mouseup", capture);
    container.addEventListener("keyup", capture);
    container.addEventListener("touchend", function () {
      window.setTimeout(capture, 50);
    });
    quote.addEventListener("input", function () {
      // Edited by hand: the server finds the pasted text instead of trusting old offsets.
      if (quote.value !== chosen) {
        start.value = "";
        end.value = "";
        describe();
      }
    });
    if (!container.hasAttribute("tabindex")) container.setAttribute("tabindex", "0");
    describe();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var editor = document.getElementById("editor-form");
    if (editor) setupEditor(editor);
    var reviewText = document.getElementById("review-text");
    var commentForm = document.getElementById("comment-form");
    if (reviewText && commentForm) setupReview(reviewText, commentForm);
  });
})();
