// The participant's phone, when JavaScript runs: send notes without reloading, and never lose
// what the person wrote. Without JavaScript the form posts as usual and a refused text comes back
// in the box.
//
// Kept on the phone, per café (so moving to another table keeps them too):
//   bykafe-draft-<café>  the text in the box, as it is typed
//   bykafe-queue-<café>  notes sent but not yet saved by the server: waiting for signal, or held
//                        because no round was running (sent by themselves when a round starts)
(function () {
  "use strict";
  // The copy of the page kept for a reload with no signal (offline.js, sw.js) is set up once the
  // page has loaded: none of it is on the way to the first view of a table on a weak signal.
  window.addEventListener("load", function () {
    var kept = document.getElementById("offline-copy");
    if (!kept) return;
    var script = document.createElement("script");
    script.src = kept.dataset.script;
    document.head.appendChild(script);
  });
  var phone = document.getElementById("phone");
  if (!phone || !window.fetch || !window.localStorage) return;
  var i18n = document.getElementById("i18n").dataset;
  var queueKey = "bykafe-queue-" + phone.dataset.cafe;
  var draftKey = "bykafe-draft-" + phone.dataset.cafe;
  var movedKey = "bykafe-moved-" + phone.dataset.cafe;  // the table whose box took text from another
  var here = phone.dataset.table;

  function loadQueue() { try { return JSON.parse(localStorage.getItem(queueKey)) || []; } catch (e) { return []; } }
  function saveQueue(queue) { localStorage.setItem(queueKey, JSON.stringify(queue)); }
  function joined(a, b) { return a && b ? a + "\n\n" + b : a || b; }

  // A closed café: show everything not sent, plainly; keep it on the phone (the leader may reopen).
  var unsent = document.getElementById("unsent");
  if (unsent) {
    var box = document.getElementById("unsent-text");
    var kept = loadQueue().map(function (n) { return n.text; });
    kept.push(localStorage.getItem(draftKey) || "");
    kept.forEach(function (text) { if (text && box.value.indexOf(text) === -1) box.value = joined(box.value, text); });
    if (box.value) unsent.hidden = false;
    listenForChanges();
    return;
  }

  // A café not open yet: the page becomes the table by itself when the leader opens it.
  if (phone.dataset.phase === "draft") {
    listenForChanges();
    return;
  }

  var form = document.getElementById("note-form");
  var list = document.getElementById("my-notes-list");
  var status = form.querySelector(".js-status");
  var textarea = form.querySelector("textarea");
  var idInput = form.querySelector("input[name=client_id]");
  var roundRunning = phone.dataset.phase === "round";
  var retryDelay = 2000, retryTimer = null, sending = false;
  var latest = null;  // the note written last: its state is said by the button, in the first screen
  // A send that hears nothing (a weak signal can stall a request for minutes) is given up and
  // tried again; the same id keeps a note that did arrive from being stored twice.
  var SEND_TIMEOUT = 15000;

  function newId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);  // works on plain http too, unlike crypto.randomUUID
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function saveDraft() {
    if (textarea.value) localStorage.setItem(draftKey, textarea.value);
    else localStorage.removeItem(draftKey);
  }
  function giveBack(text) {  // into the box, after what is already there: nothing is overwritten
    if (textarea.value.indexOf(text) === -1) textarea.value = joined(textarea.value, text);
    saveDraft();
  }

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
    var words = {sending: i18n.sending, held: i18n.held, busy: i18n.busy}[state] || i18n.waiting;
    badge.textContent = state === "saved" ? "✓ " + i18n.saved : words;
    if (note.client_id === latest) say(state === "saved" ? i18n.thanks : words);
  }
  // Said under the button. On a small screen with large text it may start at the screen's foot:
  // then the page moves up just enough to show it whole.
  function say(text) {
    status.textContent = text;
    var box = status.getBoundingClientRect();
    if (box.top < window.innerHeight && box.bottom > window.innerHeight) status.scrollIntoView({block: "nearest"});
  }
  function unlist(clientId) {
    var item = list.querySelector('[data-client-id="' + clientId + '"]');
    if (item) item.remove();
  }

  function update(clientId, change) {
    saveQueue(loadQueue().map(function (n) { return n.client_id === clientId ? change(n) : n; })
      .filter(Boolean));
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  function flush() {
    if (sending) return;
    var note = loadQueue().filter(function (n) { return !n.held; })[0];
    if (!note) return;
    sending = true;
    showNote(note, "sending");
    var abort = window.AbortController ? new AbortController() : null;
    var giveUp = abort && setTimeout(function () { abort.abort(); }, SEND_TIMEOUT);
    fetch(phone.dataset.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ client_id: note.client_id, text: note.text }),
      credentials: "same-origin",
      signal: abort && abort.signal,
    }).then(function (response) {
      clearTimeout(giveUp);
      return response.json().catch(function () { return {}; }).then(function (body) {
        sending = false;
        if (response.ok) {
          update(note.client_id, function () { return null; });
          showNote(note, "saved");
          // Show what others see: the server masks phone numbers, e-mail and identity numbers.
          var saved = list.querySelector('[data-client-id="' + note.client_id + '"] .note-text');
          if (saved && typeof body.text === "string") saved.textContent = body.text;
          retryDelay = 2000;
          flush();
        } else if (response.status === 429) {  // sent faster than the phone's budget: it has signal
          showNote(note, "busy");
          scheduleRetry();
        } else if (response.status >= 500) {
          showNote(note, "waiting");
          scheduleRetry();
        } else if (body.error === "no_round_running" || body.error === "cafe_not_open") {
          // Between rounds: kept, and sent by itself when the next round starts.
          update(note.client_id, function (n) { n.held = true; return n; });
          showNote(note, "held");
          status.textContent = i18n.held;  // said by the button too: the list may be below the fold
          flush();
        } else if (body.error === "cafe_closed") {
          location.reload();  // the goodbye page shows what was not sent
        } else {
          // Refused for good (too long, empty...): the text goes back into the box, with why.
          update(note.client_id, function () { return null; });
          unlist(note.client_id);
          giveBack(note.text);
          status.textContent = i18n.returned + " " + (body.message || "");
          flush();
        }
      });
    }).catch(function () {
      clearTimeout(giveUp);
      sending = false;
      showNote(note, "waiting");
      scheduleRetry();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = textarea.value.trim();
    if (!text) { status.textContent = ""; textarea.focus(); return; }
    var note = { client_id: idInput.value, text: text, table: here };
    var queue = loadQueue();
    queue.push(note);
    saveQueue(queue);
    idInput.value = newId();
    textarea.value = "";
    saveDraft();
    localStorage.removeItem(movedKey);
    status.textContent = "";
    latest = note.client_id;
    showNote(note, "waiting");
    status.scrollIntoView({block: "nearest"});  // the button was tapped: what became of the note shows below it
    flush();
  });
  textarea.addEventListener("input", saveDraft);
  window.addEventListener("online", function () { retryDelay = 2000; flush(); });

  // An id made here for the next note: a page opened from the copy kept on the phone (offline.js)
  // carries the id of a note that may have been sent since.
  idInput.value = newId();

  // What this phone kept: the draft back in the box; notes written at another table are offered
  // here in the box (the person chooses to send them here); held notes go when a round runs.
  var draft = localStorage.getItem(draftKey);
  if (draft) giveBack(draft);
  var moved = false;
  saveQueue(loadQueue().filter(function (n) {
    if (n.table && n.table !== here) { giveBack(n.text); moved = true; return false; }
    if (roundRunning) delete n.held;
    return true;
  }));
  // Said again after a reload (a new phase reloads the page) until the text is sent.
  if (moved) localStorage.setItem(movedKey, here);
  if (localStorage.getItem(movedKey) === here) status.textContent = i18n.moved;
  loadQueue().forEach(function (n) { showNote(n, n.held ? "held" : "waiting"); });
  listenForChanges();
  flush();

  function listenForChanges() {
    if (!window.EventSource || !phone.dataset.events) return;
    var events = new EventSource(phone.dataset.events);
    // A new phase renders a new page; the box and the queue are kept on the phone meanwhile. More
    // minutes for the same round only move the clock while someone types: a reload would close
    // the keyboard under their fingers.
    events.addEventListener("phase", function (e) {
      var data = JSON.parse(e.data), box = document.getElementById("text");
      var typing = box && (box === document.activeElement || box.value.trim());
      if (typing && data.phase === "round" && String(data.round) === phone.dataset.round) {
        document.querySelectorAll("[data-countdown]").forEach(function (el) { el.dataset.countdown = data.seconds_left; });
        if (window.bykafeCountdownReset) window.bykafeCountdownReset();
        return;
      }
      location.reload();
    });
    events.addEventListener("vote", function (e) {
      if (JSON.parse(e.data).open !== (phone.dataset.voteOpen === "true")) location.reload();
    });
    // The round's end names every phone's next table; this phone shows its own, one step.
    events.addEventListener("rotation", function (e) {
      var to = JSON.parse(e.data).moves[phone.dataset.pseudonym];
      if (to === undefined || String(to) === phone.dataset.tableNumber) return;
      var panel = document.getElementById("move-template").content.cloneNode(true);
      panel.querySelector(".move-number").textContent = to;
      document.getElementById("move").replaceChildren(panel);
    });
  }
})();
