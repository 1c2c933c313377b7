// Guides: checklists you can tick (saved in this browser only) and a table of contents that
// follows the reader. Progressive enhancement: without JS the page is complete and static.
(function () {
  "use strict";

  function storageKey(slug) {
    return "mw-guide-checklist:" + slug;
  }

  function load(slug) {
    try {
      var raw = window.localStorage.getItem(storageKey(slug));
      var parsed = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed : [];
    } catch (error) {
      return [];
    }
  }

  function save(slug, boxes) {
    var checked = [];
    boxes.forEach(function (box, index) {
      if (box.checked) checked.push(index);
    });
    try {
      window.localStorage.setItem(storageKey(slug), JSON.stringify(checked));
    } catch (error) {
      // Private mode or storage full: ticking still works for this visit.
    }
  }

  function enableChecklists(article) {
    var slug = article.getAttribute("data-guide");
    var boxes = Array.prototype.slice.call(
      article.querySelectorAll(".guide-body input.task-list-item-checkbox")
    );
    if (!slug || !boxes.length) return;
    var saved = load(slug);
    boxes.forEach(function (box, index) {
      box.disabled = false;
      if (saved.indexOf(index) !== -1) box.checked = true;
      box.addEventListener("change", function () {
        save(slug, boxes);
      });
    });
    var list = boxes[0].closest("ul, ol");
    if (list) {
      var note = document.createElement("p");
      note.className = "checklist-note muted";
      note.textContent =
        article.getAttribute("data-checklist-note") ||
        "Tick items as you go; your ticks are saved in this browser only.";
      list.parentNode.insertBefore(note, list.nextSibling);
    }
  }

  function followToc(article) {
    var links = article.querySelectorAll(".guide-toc a[href^='#']");
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    links.forEach(function (link) {
      byId[decodeURIComponent(link.getAttribute("href").slice(1))] = link;
    });
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          var link = byId[entry.target.id];
          if (!link) return;
          links.forEach(function (other) {
            other.classList.remove("is-active");
          });
          link.classList.add("is-active");
        });
      },
      { rootMargin: "0px 0px -70% 0px" }
    );
    Object.keys(byId).forEach(function (id) {
      var heading = document.getElementById(id);
      if (heading) observer.observe(heading);
    });
  }

  function init() {
    document.querySelectorAll(".guide[data-guide]").forEach(function (article) {
      enableChecklists(article);
      followToc(article);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
