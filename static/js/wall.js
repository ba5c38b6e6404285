// The projector wall: notes appear as they arrive, hidden ones vanish; a phase change reloads.
(function () {
  "use strict";
  var wall = document.getElementById("wall");
  var list = document.getElementById("wall-notes");
  if (!wall || !window.EventSource) return;
  var source = new EventSource(wall.dataset.events);
  function show(data) {
    if (list.querySelector('[data-client-id="' + data.client_id + '"]')) return;
    var item = document.createElement("li");
    item.dataset.clientId = data.client_id;
    item.textContent = data.text;
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 60) list.removeChild(list.lastChild);
  }
  source.addEventListener("note", function (e) { show(JSON.parse(e.data)); });
  source.addEventListener("note_shown", function (e) { show(JSON.parse(e.data)); });
  source.addEventListener("note_hidden", function (e) {
    var item = list.querySelector('[data-client-id="' + JSON.parse(e.data).client_id + '"]');
    if (item) item.remove();
  });
  source.addEventListener("note_masked", function (e) {
    var data = JSON.parse(e.data);
    var item = list.querySelector('[data-client-id="' + data.client_id + '"]');
    if (item) item.textContent = data.text;
  });
  // Phones per table, as they sit down and move.
  source.addEventListener("phones", function (e) {
    var counts = JSON.parse(e.data).tables;
    wall.querySelectorAll("[data-table]").forEach(function (item) {
      item.querySelector("strong").textContent = counts[item.dataset.table] || 0;
    });
  });
  // A reopened café closes by itself at its time: the wall then stops inviting phones to vote.
  if (wall.dataset.reloadIn) setTimeout(function () { location.reload(); }, (Number(wall.dataset.reloadIn) + 1) * 1000);
  source.addEventListener("phase", function () { location.reload(); });
  source.addEventListener("themes", function () { location.reload(); });
  source.addEventListener("vote", function () { location.reload(); });
})();
