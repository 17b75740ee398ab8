// Kartla's overview works without this script; with it, a list's filters apply as they change without
// reloading the page, and the participation map's tiles and table rows light up together.
(function () {
  "use strict";

  // Filters: fetch the same page for the form's values and swap in its results (and the chips naming
  // the filter), keeping the reader's place in the form. The URL follows, so the page can be shared.
  function liveFilters(form) {
    var target = document.getElementById(form.getAttribute("data-live"));
    if (!target || !window.fetch || !window.DOMParser) { return; }
    var pending = null;
    function apply() {
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (name) {
        if (params.get(name) === "") { params.delete(name); }
      });
      var query = params.toString();
      var url = form.getAttribute("action") + (query ? "?" + query : "");
      if (pending) { pending.abort(); }
      pending = new AbortController();
      target.setAttribute("aria-busy", "true");
      fetch(url, { headers: { Accept: "text/html" }, signal: pending.signal })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var results = page.getElementById(target.id);
          var main = page.querySelector("main");
          if (!results) {
            // A failure page: show it as it is.
            window.location.assign(url);
            return;
          }
          target.replaceWith(results);
          target = results;
          var oldChips = document.querySelector("main ul.chips");
          var newChips = main && main.querySelector("ul.chips");
          if (oldChips) { oldChips.remove(); }
          if (newChips) { form.after(newChips); }
          var query = page.querySelector("details.query");
          var ownQuery = document.querySelector("details.query");
          if (query && ownQuery) { ownQuery.replaceWith(query); }
          window.history.replaceState(null, "", url);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") { window.location.assign(url); }
        })
        .finally(function () { target.removeAttribute("aria-busy"); });
    }
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") { apply(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
  }

  // The map: hovering or focusing a county's row lights its tile, hovering a tile lights its row.
  function linkedMap() {
    var tiles = document.querySelectorAll("svg.tile-map .tile");
    var rows = document.querySelectorAll("table.regions tr[data-region]");
    if (!tiles.length) { return; }
    function light(region, on) {
      [tiles, rows].forEach(function (list) {
        list.forEach(function (element) {
          if (element.getAttribute("data-region") === region) { element.classList.toggle("lit", on); }
        });
      });
    }
    [tiles, rows].forEach(function (list) {
      list.forEach(function (element) {
        var region = element.getAttribute("data-region");
        element.addEventListener("mouseenter", function () { light(region, true); });
        element.addEventListener("mouseleave", function () { light(region, false); });
        element.addEventListener("focusin", function () { light(region, true); });
        element.addEventListener("focusout", function () { light(region, false); });
      });
    });
  }

  document.querySelectorAll("form[data-live]").forEach(liveFilters);
  linkedMap();
})();
