// Keeps this page on the device for when it is opened again with no signal (static/js/sw.js),
// and says so on a copy shown that way, with the time it was kept. On the host's page and, once
// it has loaded, on the phone's table page (phone.js loads it: the first view stays light).
(function () {
  "use strict";
  var notice = document.getElementById("offline-copy");
  if (!notice) return;
  var savedAt = Number(document.documentElement.dataset.savedAt);
  if (savedAt) {
    var time = new Date(savedAt).toLocaleTimeString(document.documentElement.lang, {hour: "2-digit", minute: "2-digit"});
    notice.textContent = notice.dataset.text.replace("%(time)s", time);
    notice.hidden = false;
  }
  // Browsers run service workers only for https and for this computer's own address: a phone
  // on the hall's own Wi-Fi at http://192.168.x.x keeps its notes, but not the page.
  if (!navigator.serviceWorker) return;
  navigator.serviceWorker.register("/sw.js", {scope: notice.dataset.scope}).catch(function () {});
  if (!navigator.serviceWorker.controller) {  // the first visit: the worker did not see this page come
    navigator.serviceWorker.ready.then(function (registration) { registration.active.postMessage({keep: true}); });
  }
})();
