// Start every map of the page ({% hub_map %} containers) with its options written as JSON data,
// draw the hub's own base layer beneath it (communes, when the container names their URL in
// data-hub-base), then hand it to the page's function: django-leaflet does this with an inline
// script, which the Content-Security-Policy forbids. Load after Leaflet (leaflet_js), hub-map.js
// and the page's script.
(function () {
  "use strict";

  function start() {
    document.querySelectorAll("[data-hub-map]").forEach((element) => {
      const options = JSON.parse(document.getElementById(element.id + "-options").textContent);
      const callback = window[element.dataset.hubMap];
      const base = element.dataset.hubBase;
      const map = L.Map.djangoMap(element.id, {
        djoptions: options,
        globals: false,
        callback: (created) => {
          if (typeof callback === "function") callback(created);
          // After the page's function: a view it sets at once tells how fine the outlines are.
          if (base && window.hubMap) window.hubMap.baseLayer(created, base).catch(() => {});
        },
      });
      // The map, for the browser tests and the console, as django-leaflet names it.
      if (map) window["leafletmap" + element.id] = map;
    });
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
