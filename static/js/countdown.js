// Counts down every [data-countdown] element (seconds left, from the server) once a second.
(function () {
  "use strict";
  var words = document.getElementById("countdown-words").dataset;
  var minLeft = words.minleft, timeUp = words.timeup;
  var started = Date.now();
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
