// The leader's and the host's pages follow the café live: on each event the page is fetched
// again and only the regions marked data-live are replaced, so a note being typed or a form
// with focus elsewhere on the page is left alone. A burst of notes causes one fetch.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource || !window.fetch) return;
  var waiting = null;

  function refresh() {
    waiting = null;
    fetch(location.pathname + location.search, {credentials: "same-origin", headers: {Accept: "text/html"}})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (region) {
          var update = fresh.getElementById(region.id);
          if (update && !region.contains(document.activeElement)) region.innerHTML = update.innerHTML;
        });
        if (window.bykafeCountdownReset) window.bykafeCountdownReset();
      })
      .catch(function () { /* weak signal: the next event tries again */ });
  }

  function soon() { if (!waiting) waiting = setTimeout(refresh, 250); }

  var source = new EventSource(live.dataset.events);
  ["note", "note_hidden", "note_shown", "note_masked"].forEach(function (kind) { source.addEventListener(kind, soon); });
  // A round that starts or ends changes which forms the page has: reload, unless someone is typing.
  source.addEventListener("phase", function () {
    var typing = Array.prototype.some.call(document.querySelectorAll("textarea"), function (t) { return t.value.trim(); });
    if (typing) soon(); else location.reload();
  });
})();
