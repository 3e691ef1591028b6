// Start every map of the page ({% hub_map %} containers) with its options written as JSON data,
// then hand it to the page's function: django-leaflet does this with an inline script, which
// the Content-Security-Policy forbids. Load after Leaflet (leaflet_js) and the page's script.
(function () {
  "use strict";

  function start() {
    document.querySelectorAll("[data-hub-map]").forEach((element) => {
      const options = JSON.parse(document.getElementById(element.id + "-options").textContent);
      const callback = window[element.dataset.hubMap];
      const map = L.Map.djangoMap(element.id, {
        djoptions: options, globals: false, callback: typeof callback === "function" ? callback : null,
      });
      // The map, for the browser tests and the console, as django-leaflet names it.
      if (map) window["leafletmap" + element.id] = map;
    });
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
