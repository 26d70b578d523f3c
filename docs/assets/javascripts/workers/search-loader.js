/* The search worker Material starts on every page (issue 12): a few hundred bytes that load the
 * search itself (search-worker.js, same folder) only when the reader opens search. The page sends
 * {type: "kb-load"} then (assets/javascripts/search.js), so that the search code downloads while
 * the index does; any other first message (the index) loads it too. */
(function () {
  "use strict";
  var loaded = false;
  self.addEventListener("message", function (ev) {
    if (loaded) return;
    loaded = true;
    importScripts("search-worker.js");
    /* The search's own listener was added during this event, so it would miss it. */
    if (!(ev.data && ev.data.type === "kb-load")) self.dispatchEvent(new MessageEvent("message", { data: ev.data }));
  });
})();
