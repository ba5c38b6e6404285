// The participant's phone, when JavaScript runs: send notes without reloading, and keep them
// on the phone until the server has said "saved". Without JavaScript the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("note-form");
  if (!form || !window.fetch || !window.localStorage) return;
  var i18n = document.getElementById("i18n").dataset;
  var list = document.getElementById("my-notes-list");
  var status = form.querySelector(".js-status");
  var textarea = form.querySelector("textarea");
  var idInput = form.querySelector("input[name=client_id]");
  var queueKey = "bykafe-queue-" + form.dataset.table;
  var retryDelay = 2000, retryTimer = null, sending = false;

  function newId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);  // works on plain http too, unlike crypto.randomUUID
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function loadQueue() { try { return JSON.parse(localStorage.getItem(queueKey)) || []; } catch (e) { return []; } }
  function saveQueue(queue) { localStorage.setItem(queueKey, JSON.stringify(queue)); }

  function showNote(note, state) {
    var item = list.querySelector('[data-client-id="' + note.client_id + '"]');
    if (!item) {
      item = document.createElement("li");
      item.dataset.clientId = note.client_id;
      var text = document.createElement("span");
      text.className = "note-text";
      text.textContent = note.text;
      item.appendChild(text);
      item.appendChild(document.createElement("span"));
      list.appendChild(item);
      var none = document.getElementById("no-notes");
      if (none) none.remove();
    }
    var badge = item.lastChild;
    badge.className = state === "saved" ? "saved" : "pending";
    badge.textContent = state === "saved" ? "✓ " + i18n.saved : state === "sending" ? i18n.sending : i18n.waiting;
  }

  function drop(clientId) {
    saveQueue(loadQueue().filter(function (n) { return n.client_id !== clientId; }));
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  function flush() {
    if (sending) return;
    var queue = loadQueue();
    if (!queue.length) return;
    sending = true;
    var note = queue[0];
    showNote(note, "sending");
    fetch(form.dataset.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ client_id: note.client_id, text: note.text }),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        sending = false;
        if (response.ok) {
          drop(note.client_id);
          showNote(note, "saved");
          // Show what others see: the server masks phone numbers, e-mail and identity numbers.
          var saved = list.querySelector('[data-client-id="' + note.client_id + '"] .note-text');
          if (saved && typeof body.text === "string") saved.textContent = body.text;
          retryDelay = 2000;
          flush();
        } else if (response.status === 429 || response.status >= 500) {
          showNote(note, "waiting");
          scheduleRetry();
        } else {
          // Refused for good (no round running, too long...): give the text back to the person.
          drop(note.client_id);
          var item = list.querySelector('[data-client-id="' + note.client_id + '"]');
          if (item) item.remove();
          if (!textarea.value.trim()) textarea.value = note.text;
          status.textContent = body.message || "";
          flush();
        }
      });
    }).catch(function () {
      sending = false;
      showNote(note, "waiting");
      scheduleRetry();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = textarea.value.trim();
    if (!text) { status.textContent = ""; textarea.focus(); return; }
    var note = { client_id: idInput.value, text: text };
    var queue = loadQueue();
    queue.push(note);
    saveQueue(queue);
    idInput.value = newId();
    textarea.value = "";
    status.textContent = "";
    showNote(note, "waiting");
    flush();
  });
  window.addEventListener("online", function () { retryDelay = 2000; flush(); });

  // A draft survives a reload, so the page can reload itself when the round changes.
  var draftKey = "bykafe-draft-" + form.dataset.table;
  if (!textarea.value && localStorage.getItem(draftKey)) textarea.value = localStorage.getItem(draftKey);
  textarea.addEventListener("input", function () { localStorage.setItem(draftKey, textarea.value); });
  form.addEventListener("submit", function () { localStorage.removeItem(draftKey); });

  if (window.EventSource && form.dataset.events) {
    var events = new EventSource(form.dataset.events);
    events.addEventListener("phase", function () { location.reload(); });
    events.addEventListener("vote", function (e) {
      if (JSON.parse(e.data).open !== (form.dataset.voteOpen === "true")) location.reload();
    });
    // The round's end names every phone's next table; this phone shows its own, one step.
    events.addEventListener("rotation", function (e) {
      var to = JSON.parse(e.data).moves[form.dataset.pseudonym];
      if (to === undefined || String(to) === form.dataset.tableNumber) return;
      var panel = document.getElementById("move-template").content.cloneNode(true);
      panel.querySelector(".move-number").textContent = to;
      document.getElementById("move").replaceChildren(panel);
    });
  }
  loadQueue().forEach(function (n) { showNote(n, "waiting"); });
  flush();
})();
