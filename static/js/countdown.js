// Counts down every [data-countdown] element (seconds left, from the server) once a second, from
// when the server sent the page: on a copy kept on the device (static/js/sw.js), from when it was kept.
(function () {
  "use strict";
  var words = document.getElementById("countdown-words").dataset;
  var minLeft = words.minleft, timeUp = words.timeup;
  var started = Number(document.documentElement.dataset.savedAt) || Date.now();
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Math.max(0, Number(el.dataset.countdown) - Math.floor((Date.now() - started) / 1000));
      el.textContent = left > 0 ? Math.floor(left / 60) + ":" + pad(left % 60) + " " + minLeft : timeUp;
    });
  }
  window.bykafeCountdownReset = function () { started = Date.now(); tick(); };
  tick();
  setInterval(tick, 1000);
})();
