// Shared map helpers: load a paged GeoJSON collection from the hub's API, draw the territory's
// communes as a background that needs no tile server, and build popup and tooltip contents as
// text: a value from a file or a user never becomes HTML (Leaflet inserts strings as HTML).
window.hubMap = (function () {
  "use strict";

  async function fetchCollection(url) {
    const features = [];
    let next = url;
    while (next) {
      const response = await fetch(next, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error("réponse " + response.status);
      const page = await response.json();
      features.push(...page.features);
      next = page.next;
    }
    return { type: "FeatureCollection", features: features };
  }

  async function territoryBackground(map, url) {
    const data = await fetchCollection(url);
    const style = { color: "#929292", weight: 1, fillColor: "#ffffff", fillOpacity: 0.6, interactive: false };
    return L.geoJSON(data, { style: style }).addTo(map).bringToBack();
  }

  function text(value) {
    const span = document.createElement("span");
    span.textContent = value === null || value === undefined ? "" : String(value);
    return span;
  }

  // A link to a territory's page (/territoires/<level>/<code>/), built as DOM nodes.
  function territoryLink(level, code, name) {
    const p = document.createElement("p");
    const link = document.createElement("a");
    link.href = "/territoires/" + level + "/" + encodeURIComponent(code) + "/";
    link.className = "hub-territory-link";
    link.textContent = "Portrait du territoire : " + (name === null || name === undefined ? code : name);
    p.append(link);
    return p;
  }

  return {
    fetchCollection: fetchCollection,
    territoryBackground: territoryBackground,
    text: text,
    territoryLink: territoryLink,
  };
})();
