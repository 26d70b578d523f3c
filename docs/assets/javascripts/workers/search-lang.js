/* Search worker wrapper (see overrides/partials/search-lang.html).
 *
 * mkdocs-static-i18n merges every language into one search index. Material sends that index to
 * its search worker in a setup message ({type: 0, data: {config, docs, options}}). This wrapper
 * runs in the worker first: it keeps the documents whose location lies in this page's language
 * folder (the longest matching language prefix decides), then loads Material's worker and hands
 * the message on. Material's worker, and the Lunr language files it loads, are fetched only when
 * the reader opens search.
 *
 * Query parameters: worker = file name of Material's worker (same folder); own = this page's
 * language prefix ("" for the default language); lang = every language prefix (repeated).
 */
(function () {
  "use strict";
  var params = new URL(self.location.href).searchParams;
  var worker = params.get("worker") || "";
  var own = params.get("own");
  var prefixes = params.getAll("lang");
  var loaded = false;

  function languageOf(location) {
    var best = null;
    prefixes.forEach(function (p) {
      if (location.indexOf(p) === 0 && (best === null || p.length > best.length)) best = p;
    });
    return best;
  }

  function load() {
    loaded = true;
    if (!/^[\w.-]+\.js$/.test(worker) || worker === "search-lang.js")
      throw new Error("search-lang.js: missing or invalid worker parameter");
    importScripts(worker);
  }

  self.addEventListener("message", function (ev) {
    var msg = ev.data;
    if (msg && msg.type === 0 && msg.data && Array.isArray(msg.data.docs) && own !== null)
      msg.data.docs = msg.data.docs.filter(function (doc) {
        return languageOf(String(doc.location)) === own;
      });
    if (!loaded) {
      /* Material's listener is added while this event is dispatched, so it would miss it. */
      load();
      self.dispatchEvent(new MessageEvent("message", { data: msg }));
    }
  });
})();
