// The theme board: drag a note onto another theme to move it. The drop fills in and submits the
// note's own move form (theme select + "Move to theme"), which works without this script too.
(function () {
  "use strict";
  const board = document.querySelector("[data-theme-board]");
  if (!board) return;

  board.querySelectorAll("li[data-note]").forEach(function (note) {
    note.draggable = true;
  });

  // While a note is dragged, every theme is also a drop zone in a bar at the top of the window,
  // so an open theme's note need not be carried past a long page. (Mouse only: the keyboard
  // moves notes with the form beside each one.)
  const bar = document.createElement("ol");
  bar.className = "drop-bar";
  bar.setAttribute("aria-hidden", "true");
  board.querySelectorAll(".theme-card[data-theme]").forEach(function (themeCard) {
    const zone = document.createElement("li");
    zone.dataset.theme = themeCard.dataset.theme;
    zone.textContent = themeCard.querySelector(".theme-title").textContent;
    bar.appendChild(zone);
  });
  board.appendChild(bar);

  function card(event) {
    const found = event.target.closest && event.target.closest("[data-theme]");
    return found && board.contains(found) ? found : null;
  }

  board.addEventListener("dragstart", function (event) {
    const note = event.target.closest && event.target.closest("li[data-note]");
    if (!note) return;
    event.dataTransfer.setData("text/plain", note.dataset.note);
    event.dataTransfer.effectAllowed = "move";
    note.classList.add("dragging");
    board.classList.add("dragging-note");
  });

  board.addEventListener("dragend", function () {
    board.classList.remove("dragging-note");
    board.querySelectorAll(".dragging, .drop-target").forEach(function (element) {
      element.classList.remove("dragging", "drop-target");
    });
  });

  board.addEventListener("dragover", function (event) {
    const target = card(event);
    if (!target) return;
    event.preventDefault();  // allows the drop here
    event.dataTransfer.dropEffect = "move";
    board.querySelectorAll(".drop-target").forEach(function (element) {
      if (element !== target) element.classList.remove("drop-target");
    });
    target.classList.add("drop-target");
  });

  board.addEventListener("drop", function (event) {
    const target = card(event);
    if (!target) return;
    event.preventDefault();
    const form = document.getElementById("move-form-" + event.dataTransfer.getData("text/plain"));
    if (!form || form.closest("[data-theme]").dataset.theme === target.dataset.theme) return;  // where it is
    form.elements.theme.value = target.dataset.theme;
    form.requestSubmit();
  });
})();
