// Match Week offer board: counts each open offer's window down in place. Progressive
// enhancement only: the server already printed the time left, and the form works without it.
(function () {
  "use strict";
  function label(seconds) {
    if (seconds <= 0) { return "window closed"; }
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var mm = (minutes < 10 ? "0" : "") + minutes;
    return hours ? hours + " h " + mm + " min left" : minutes + " min left";
  }
  function start() {
    var nodes = document.querySelectorAll(".soap-countdown[data-seconds-left]");
    if (!nodes.length) { return; }
    var began = Date.now();
    function tick() {
      nodes.forEach(function (node) {
        var speed = parseInt(node.getAttribute("data-speed"), 10) || 1;
        var left = parseInt(node.getAttribute("data-seconds-left"), 10) || 0;
        var elapsed = Math.floor(((Date.now() - began) / 1000) * speed);
        node.textContent = label(left - elapsed);
      });
    }
    window.setInterval(tick, 1000);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
