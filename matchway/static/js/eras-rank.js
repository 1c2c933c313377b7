/* Rank list sandbox: drag and drop on top of the Up/Down buttons (which work without
   JavaScript). After a drop the whole order is posted; the server renumbers it. */
(function () {
  "use strict";
  var list = document.getElementById("rank-list");
  if (!list) { return; }
  var status = document.getElementById("rank-status");
  var token = document.querySelector('meta[name="csrf-token"]');
  var dragged = null;
  var before = "";

  function order() {
    return items().map(function (li) { return li.dataset.target; }).join(",");
  }

  function items() { return Array.prototype.slice.call(list.querySelectorAll("li[data-target]")); }

  function renumber() {
    items().forEach(function (li, i, all) {
      var n = li.querySelector(".eras-rank-number");
      if (n) { n.textContent = String(i + 1); }
      var up = li.querySelector('button[value="up"]');
      var down = li.querySelector('button[value="down"]');
      if (up) { up.disabled = i === 0; }
      if (down) { down.disabled = i === all.length - 1; }
    });
  }

  function save() {
    var body = new URLSearchParams();
    body.set("order", order());
    fetch(list.dataset.orderUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "X-CSRFToken": token ? token.content : "",
        "Content-Type": "application/x-www-form-urlencoded"
      },
      body: body.toString()
    }).then(function (response) {
      return response.json().then(function (data) {
        if (status) { status.textContent = response.ok ? "Order saved." : data.message; }
        if (!response.ok) { window.location.reload(); }
      });
    }).catch(function () {
      if (status) { status.textContent = "Could not save; reload the page and try again."; }
    });
  }

  items().forEach(function (li) {
    li.setAttribute("draggable", "true");
    li.addEventListener("dragstart", function (event) {
      dragged = li;
      before = order();
      li.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", li.dataset.target);
    });
    li.addEventListener("dragend", function () {
      li.classList.remove("is-dragging");
      dragged = null;
      if (order() !== before) {
        renumber();
        save();
      }
    });
    li.addEventListener("dragover", function (event) {
      if (!dragged || dragged === li) { return; }
      event.preventDefault();
      var box = li.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? li.nextSibling : li);
    });
    li.addEventListener("drop", function (event) { event.preventDefault(); });
  });
})();
