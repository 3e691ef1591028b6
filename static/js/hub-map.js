// Shared map helpers: load a paged GeoJSON collection from the hub's API (once per page), draw
// the territory's communes beneath every map (outlines and names, served by the hub, so a map
// without a tile server still shows where things are), build markers a keyboard reaches and a
// screen reader names, and build popup and tooltip contents as text: a value from a file or a
// user never becomes HTML (Leaflet inserts strings as HTML).
window.hubMap = (function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const collections = new Map();

  async function fetchPages(url) {
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

  // Each collection is fetched once per page: the base layer and a page's own commune layer
  // share it. Callers must not modify what they get.
  function fetchCollection(url) {
    if (!collections.has(url)) {
      const loading = fetchPages(url);
      loading.catch(() => collections.delete(url));
      collections.set(url, loading);
    }
    return collections.get(url);
  }

  function text(value) {
    const span = document.createElement("span");
    span.textContent = value === null || value === undefined ? "" : String(value);
    return span;
  }

  function srOnly(value) {
    const span = text(value);
    span.className = "fr-sr-only";
    return span;
  }

  // --- The base layer: commune outlines and names -------------------------------------------

  const BASE_STYLE = { color: "#929292", weight: 1, fillColor: "#ffffff", fillOpacity: 0.6 };

  function inside(latlng, geometry) {
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates]
      : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    const x = latlng.lng;
    const y = latlng.lat;
    let odd = false;
    for (const rings of polygons) {
      for (const ring of rings) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i];
          const [xj, yj] = ring[j];
          if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
        }
      }
    }
    return odd;
  }

  // Where a commune's name goes: its centre, or, when the centre is out of view (a close zoom),
  // the nearest spot of the view or the middle of the commune's part in view, if in the commune.
  function labelPoint(commune, view) {
    if (view.contains(commune.center)) return commune.center;
    const inner = view.pad(-0.15);
    const clamp = (v, low, high) => Math.min(Math.max(v, low), high);
    const south = Math.max(inner.getSouth(), commune.bounds.getSouth());
    const north = Math.min(inner.getNorth(), commune.bounds.getNorth());
    const west = Math.max(inner.getWest(), commune.bounds.getWest());
    const east = Math.min(inner.getEast(), commune.bounds.getEast());
    const spots = [
      L.latLng(clamp(commune.center.lat, inner.getSouth(), inner.getNorth()),
        clamp(commune.center.lng, inner.getWest(), inner.getEast())),
      L.latLng((south + north) / 2, (west + east) / 2),
    ];
    return spots.find((spot) => inner.contains(spot) && inside(spot, commune.geometry)) || null;
  }

  // Names as a printed map places them: the most populated first, none over another.
  function placeLabels(map, communes, group) {
    group.clearLayers();
    const view = map.getBounds();
    const size = map.getSize();
    const taken = [];
    const visible = communes.filter((c) => view.intersects(c.bounds)).sort((a, b) => b.weight - a.weight);
    for (const commune of visible) {
      const at = labelPoint(commune, view);
      if (!at) continue;
      const p = map.latLngToContainerPoint(at);
      const halfWidth = commune.name.length * 3.5 + 10;
      const box = [p.x - halfWidth, p.y - 12, p.x + halfWidth, p.y + 12];
      if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) continue;
      if (taken.some((t) => box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3])) continue;
      taken.push(box);
      const label = L.divIcon({ className: "hub-base-label", html: text(commune.name), iconSize: null });
      group.addLayer(L.marker(at, { icon: label, pane: "hubLabels", interactive: false, keyboard: false }));
    }
  }

  // The API simplifies outlines to one pixel at a zoom (9 unless asked): drawn much closer,
  // neighbours' shared borders part. The base layer asks again, finer, once the map is zoomed
  // in two levels past what it holds (a person's zoom, or a page that opens close).
  const DEFAULT_LAYER_ZOOM = 9;
  const FINEST_LAYER_ZOOM = 14;

  function layerZoom(mapZoom) {
    return Math.min(Math.max(Math.round(mapZoom) - 1, DEFAULT_LAYER_ZOOM), FINEST_LAYER_ZOOM);
  }

  // Closer than the default, only the communes around the view (`box`) are asked for: a whole
  // département's outlines at zoom 14 weigh 140 KB.
  function atZoom(url, zoom, box) {
    if (zoom === DEFAULT_LAYER_ZOOM) return url; // the same request as a page's own layer
    let asked = url + (url.includes("?") ? "&" : "?") + "zoom=" + zoom;
    if (box) {
      const edges = [Math.max(box.getWest(), -180), Math.max(box.getSouth(), -90),
        Math.min(box.getEast(), 180), Math.min(box.getNorth(), 90)];
      asked += "&bbox=" + edges.map((v) => v.toFixed(4)).join(",");
    }
    return asked;
  }

  function communesOf(layer) {
    return layer.getLayers().map((item) => {
      const bounds = item.getBounds();
      const props = item.feature.properties;
      return {
        name: props.name || "",
        geometry: item.feature.geometry,
        bounds: bounds,
        center: item.getCenter(),
        // The most populated first; without population, the largest.
        weight: typeof props.population === "number" ? props.population
          : (bounds.getNorth() - bounds.getSouth()) * (bounds.getEast() - bounds.getWest()),
      };
    });
  }

  // An outline layer of `url` (an L.geoJSON) as fine as the map's zoom needs: `zoom` is the
  // one it was loaded at; each commune takes its finer outline in place (its style, popup and
  // tooltip stay), then `refined` runs.
  function keepFine(map, url, layer, zoom, refined) {
    let box = null; // where finer outlines were asked for
    async function refine() {
      const wanted = layerZoom(map.getZoom());
      if (wanted - DEFAULT_LAYER_ZOOM < 2) return;
      if (wanted - zoom < 2 && box && box.contains(map.getBounds())) return;
      zoom = wanted;
      box = map.getBounds().pad(1);
      const finer = await fetchCollection(atZoom(url, wanted, box)).catch(() => null);
      if (!finer || zoom !== wanted) return;
      const byId = new Map(finer.features.map((f) => [f.id, f]));
      layer.eachLayer((item) => {
        const feature = byId.get(item.feature.id);
        if (!feature || !item.setLatLngs) return;
        const depth = feature.geometry.type === "MultiPolygon" ? 2 : 1;
        item.feature = feature;
        item.setLatLngs(L.GeoJSON.coordsToLatLngs(feature.geometry.coordinates, depth));
      });
      if (refined) refined();
    }
    map.on("moveend", refine);
    refine();
  }

  // A page's own commune layer (`options` as L.geoJSON's): the whole département at the
  // default zoom (the request every map of the département shares), then finer outlines
  // around the view as the zoom needs, as the base layer does.
  async function communeLayer(map, url, options, refined) {
    const layer = L.geoJSON(await fetchCollection(url), options).addTo(map);
    keepFine(map, url, layer, DEFAULT_LAYER_ZOOM, refined);
    return layer;
  }

  // The hub's own background for `map`: the communes of `url` (the API's GeoJSON), light grey
  // outlines beneath every other layer and their names above them, as many as fit.
  async function baseLayer(map, url) {
    map.createPane("hubBase").style.zIndex = 250; // above tiles (200), below overlays (400)
    const labelsPane = map.createPane("hubLabels");
    labelsPane.style.zIndex = 450; // above overlays, below markers (600)
    labelsPane.setAttribute("aria-hidden", "true"); // the list beside the map says it better
    const labels = L.layerGroup().addTo(map);
    let communes = [];
    const layer = await communeLayer(map, url, { pane: "hubBase", interactive: false, style: BASE_STYLE },
      () => { communes = communesOf(layer); placeLabels(map, communes, labels); });
    communes = communesOf(layer);
    map.on("moveend", () => placeLabels(map, communes, labels));
    placeLabels(map, communes, labels);
    map.getContainer().dataset.baseCommunes = String(communes.length);
    return layer;
  }

  // --- Markers a keyboard reaches and a screen reader names ---------------------------------

  const focusable = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])";
  const escapable = new WeakSet();

  // Enter on a focused marker opens its popup (Leaflet); the focus then moves into the popup,
  // Escape closes it and the focus goes back to the marker.
  function keyboardPopup(layer) {
    layer.on("popupopen", (event) => {
      const icon = layer.getElement();
      const box = event.popup.getElement();
      if (!icon || !box || document.activeElement !== icon) return;
      if (!escapable.has(box)) {
        escapable.add(box);
        box.addEventListener("keydown", (e) => {
          if (e.key === "Escape") event.popup.close();
        });
      }
      const content = box.querySelector(".leaflet-popup-content");
      const target = (content && content.querySelector(focusable)) || box.querySelector(".leaflet-popup-close-button");
      if (target) target.focus();
      layer.once("popupclose", () => {
        if (box.contains(document.activeElement) || document.activeElement === document.body) icon.focus();
      });
    });
    return layer;
  }

  // A pin named after what it shows (`name`): never "Marker" for a screen reader.
  function marker(latlng, name, options) {
    return keyboardPopup(L.marker(latlng, Object.assign({ alt: name, keyboard: true }, options)));
  }

  // Shapes in a 20 × 20 box, so that a class reads from the shape as well as from the colour.
  const SHAPES = {
    circle: "M10 2.5a7.5 7.5 0 1 1 0 15a7.5 7.5 0 1 1 0-15z",
    square: "M3.5 3.5h13v13h-13z",
    diamond: "M10 1.5l8.5 8.5l-8.5 8.5l-8.5-8.5z",
    triangle: "M10 2l8.5 15h-17z",
    "triangle-down": "M1.5 3h17l-8.5 15z",
    hexagon: "M5.5 2.5h9l4.5 7.5l-4.5 7.5h-9l-4.5-7.5z",
    star: "M10 1l2.6 6.1l6.4 0.5l-4.9 4.3l1.5 6.5l-5.6-3.4l-5.6 3.4l1.5-6.5l-4.9-4.3l6.4-0.5z",
  };

  // An SVG symbol (hidden from screen readers: the words go beside it).
  function symbol(shape, colour, size) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("width", String(size || 18));
    svg.setAttribute("height", String(size || 18));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "hub-symbol");
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", SHAPES[shape] || SHAPES.circle);
    path.setAttribute("fill", colour);
    path.setAttribute("stroke", "#161616");
    path.setAttribute("stroke-width", "1.5");
    path.setAttribute("stroke-linejoin", "round");
    svg.append(path);
    return svg;
  }

  // A marker drawn as a shape: its accessible name is `name`, then `description` (the class in
  // words, e.g. "niveau 2"), so a screen reader hears what the shape and colour say.
  function symbolMarker(latlng, name, shape, colour, description) {
    const html = document.createElement("span");
    html.append(symbol(shape, colour, 18), srOnly(description ? name + ", " + description : name));
    const icon = L.divIcon({ html: html, className: "hub-symbol-marker", iconSize: [18, 18] });
    return marker(latlng, name, { icon: icon });
  }

  // Legend entries written by the server as <span data-shape data-colour>: their symbol.
  function drawSymbols(root) {
    (root || document).querySelectorAll("[data-shape][data-colour]").forEach((element) => {
      element.replaceChildren(symbol(element.dataset.shape, element.dataset.colour, 16));
    });
  }

  // A cluster layer on `map` whose clusters are named by their count ("12 lieux"), Enter
  // zooming into them as a click does.
  function clusterGroup(map, noun) {
    const group = L.markerClusterGroup({
      iconCreateFunction: (cluster) => {
        const count = cluster.getChildCount();
        const html = document.createElement("div");
        const figure = text(count);
        figure.setAttribute("aria-hidden", "true");
        html.append(figure, srOnly(count + " " + noun + " : zoomer pour les voir"));
        const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
        return L.divIcon({ html: html, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
      },
    });
    group.on("clusterkeypress", (event) => {
      if (event.originalEvent.key !== "Enter") return;
      event.layer.zoomToBounds({ padding: [20, 20] });
      map.getContainer().focus();
    });
    return group.addTo(map);
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

  // Whether the map has a background tile server (else the base layer is all there is).
  function hasTiles(map) {
    let found = false;
    map.eachLayer((layer) => { if (layer instanceof L.TileLayer) found = true; });
    return found;
  }

  return {
    fetchCollection: fetchCollection,
    baseLayer: baseLayer,
    communeLayer: communeLayer,
    text: text,
    marker: marker,
    keyboardPopup: keyboardPopup,
    symbol: symbol,
    symbolMarker: symbolMarker,
    drawSymbols: drawSymbols,
    clusterGroup: clusterGroup,
    territoryLink: territoryLink,
    hasTiles: hasTiles,
  };
})();
