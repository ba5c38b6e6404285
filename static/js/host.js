// The host's note box on a weak signal. What is typed is kept on the device with the note's id
// until a save is answered: a save that got no answer (no signal; the browser showed its own error
// page) is back in the box on the next visit, "back" included, and saving it again stores it once. With the browser
// offline, the save is not tried at all and the page says so.
(function () {
  "use strict";
  var form = document.getElementById("host-note-form");
  if (!form || !window.localStorage || !window.JSON) return;
  var key = "bykafe-host-" + form.dataset.table;
  var box = form.querySelector("textarea");
  var idInput = form.querySelector("input[name=client_id]");
  var status = form.querySelector(".js-status");

  function kept() { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } }
  function keep(sent) {
    if (box.value.trim()) localStorage.setItem(key, JSON.stringify({text: box.value, client_id: idInput.value, sent: sent}));
    else localStorage.removeItem(key);
  }

  var last = kept();
  // A save is answered with "?saved=1&note=ID": the text sent with that id is stored. An older
  // answer page, reached by "back" after a save that got no answer, names another id.
  var stored = new URLSearchParams(location.search).get("note");
  if (last && last.sent && stored === last.client_id) localStorage.removeItem(key);
  else if (last && last.text && !box.value) { box.value = last.text; idInput.value = last.client_id; }

  box.addEventListener("input", function () { keep(false); });
  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {
      event.preventDefault();
      keep(false);
      status.textContent = form.dataset.offline;
      status.scrollIntoView({block: "nearest"});  // under the button, maybe below the screen's foot
      return;
    }
    keep(true);
  });
})();
