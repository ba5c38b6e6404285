// The offline copy of a phone's table page and a host's page, so that a page reloaded or opened
// again with no signal shows the table, the notes kept on the device and the note box, instead of
// the browser's "No internet". Served as /sw.js and registered by offline.js on those two pages
// only, with the scopes /t/ and /h/: no other page of the site (the leader's, the wall) is ever
// handled here.
//
// A page is asked from the network first, and its answer kept; the copy is served only when the
// network gives none. Kept: the page as the server sent it to this device (a copy older than
// MAX_AGE is dropped) and the static files it names. Never kept: anything sent (POST), another
// address, or an answer other than a page.
"use strict";

var CACHE = "bykafe-offline-v1";
var MAX_AGE = 12 * 3600 * 1000;  // an evening and the night after it
var PAGE = /^\/[th]\/[A-Za-z0-9_-]+$/;  // /t/<join token>, /h/<host token>
var STATIC = /^\/static\//;
var STATIC_IN_PAGE = /(?:src|href|data-script)="(\/static\/[^"]+)"/g;
// No answer from the server behind the network (a proxy's "bad gateway", a server restarting).
var NO_ANSWER = [502, 503, 504];

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("bykafe-offline-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname, event));
  } else if (STATIC.test(url.pathname)) {
    // Pages name their files by content (css/site.3f2a9c1b7d.css): a kept one is never stale.
    event.respondWith(caches.match(url.pathname, {ignoreVary: true}).then(function (kept) {
      return kept || fetch(request);
    }));
  }
});

// The page opened before this worker ran (the first visit) asks to be kept: it is fetched once more.
self.addEventListener("message", function (event) {
  var path = event.source && new URL(event.source.url).pathname;
  if (!path || !PAGE.test(path) || !event.data || event.data.keep !== true) return;
  event.waitUntil(fetch(path, {credentials: "same-origin"}).then(function (response) {
    if (isPage(response)) return keep(path, response);
  }).catch(function () { /* no signal: the next visit keeps it */ }));
});

function networkFirst(request, path, event) {
  return fetch(request).then(function (response) {
    if (NO_ANSWER.indexOf(response.status) !== -1) {
      return offlineCopy(path).then(function (copy) { return copy || response; });
    }
    if (isPage(response)) event.waitUntil(keep(path, response.clone()));
    else if (response.status === 404 || response.status === 403) event.waitUntil(forget(path));
    return response;
  }, function () {
    return offlineCopy(path).then(function (copy) { return copy || Response.error(); });
  });
}

function isPage(response) {
  return response.status === 200 && (response.headers.get("content-type") || "").indexOf("text/html") === 0;
}

// The page, marked with when it was kept (offline.js says so on the page, countdown.js counts
// from then), and the static files it names.
function keep(path, response) {
  var savedAt = Date.now();
  return response.text().then(function (html) {
    var headers = new Headers(response.headers);
    headers.delete("content-encoding");  // the text here is already decoded
    headers.delete("content-length");
    headers.set("x-bykafe-saved-at", String(savedAt));
    var copy = new Response(html.replace("<html ", '<html data-saved-at="' + savedAt + '" '), {headers: headers});
    return caches.open(CACHE).then(function (cache) {  // its files first: a kept page has them
      return Promise.all(staticFiles(html).map(function (file) { return keepFile(cache, file); }))
        .then(function () { return cache.put(path, copy); })
        .then(function () { return prune(cache); });
    });
  });
}

function keepFile(cache, file) {
  return cache.match(file, {ignoreVary: true}).then(function (kept) {
    return kept || cache.add(file).catch(function () { /* kept with the next page */ });
  });
}

function staticFiles(html) {
  var files = [], match;
  STATIC_IN_PAGE.lastIndex = 0;
  while ((match = STATIC_IN_PAGE.exec(html))) files.push(match[1]);
  return files;
}

function offlineCopy(path) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(path, {ignoreVary: true}).then(function (copy) {
      if (copy && !tooOld(copy)) return copy;
      return copy ? cache.delete(path).then(function () { return null; }) : null;
    });
  });
}

function tooOld(copy) {
  return !(Date.now() - Number(copy.headers.get("x-bykafe-saved-at")) < MAX_AGE);
}

function forget(path) {
  return caches.open(CACHE).then(function (cache) {
    return cache.delete(path).then(function () { return prune(cache); });
  });
}

// Pages past MAX_AGE go, and every file no kept page names.
function prune(cache) {
  return cache.keys().then(function (requests) {
    var pages = requests.filter(function (r) { return PAGE.test(new URL(r.url).pathname); });
    return Promise.all(pages.map(function (r) {
      return cache.match(r, {ignoreVary: true}).then(function (copy) {
        if (!copy || tooOld(copy)) return cache.delete(r).then(function () { return []; });
        return copy.text().then(staticFiles);
      });
    })).then(function (named) {
      var used = {};
      named.forEach(function (files) { files.forEach(function (file) { used[file] = true; }); });
      return Promise.all(requests.filter(function (r) {
        var path = new URL(r.url).pathname;
        return STATIC.test(path) && !used[path];
      }).map(function (r) { return cache.delete(r); }));
    });
  });
}
