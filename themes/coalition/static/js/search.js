/* The search page: start the Pagefind UI (pagefind/pagefind-ui.js, written by the build) and run
   the query from ?q=, so the header's plain GET form leads straight to results. Without this
   script, or when the index cannot load, the page keeps its no-JavaScript explanation. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") {
    return;
  }
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  var fallbacks = document.querySelectorAll("[data-search-fallback]");
  for (var i = 0; i < fallbacks.length; i += 1) {
    fallbacks[i].hidden = true;
  }
  box.hidden = false;
  var input = box.querySelector("input");
  var label = document.querySelector("[data-search-label]");
  if (input && label) {
    input.id = "search-input";
    label.htmlFor = input.id;
    label.hidden = false;
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
  if (input) {
    input.focus();
  }
})();
