// Directory page: "around me" fills the hidden position fields; the map clusters the places
// matching the search and, once moved, loads only those in view.
(function () {
  "use strict";

  const form = document.getElementById("directory-form");
  const aroundMe = document.getElementById("around-me");
  const aroundStatus = document.getElementById("around-me-status");
  // On a phone, once a search has found its results, the criteria fold to one line so that
  // the results come first ("Critères de recherche" unfolds them).
  const criteria = document.getElementById("search-criteria");
  if (criteria && document.getElementById("resultats") && window.location.search &&
      window.matchMedia("(max-width: 47.99em)").matches) {
    criteria.open = false;
  }
  // After a search (the form's action ends in #resultats) focus lands on the results' heading,
  // or on the field in error: the next Tab reaches the first result, not the header.
  if (window.location.hash === "#resultats") {
    const target =
      document.getElementById("resultats") || (form && form.querySelector("[aria-invalid='true']"));
    if (target) target.focus();
  }
  if (aroundMe && "geolocation" in navigator) {
    document.getElementById("around-me-box").hidden = false;
    aroundMe.addEventListener("click", () => {
      aroundStatus.textContent = "Recherche de votre position…";
      navigator.geolocation.getCurrentPosition(
        (position) => {
          form.elements.lat.value = position.coords.latitude.toFixed(5);
          form.elements.lon.value = position.coords.longitude.toFixed(5);
          form.elements.lieu.value = "";
          if (!form.elements.distance.value) form.elements.distance.value = "10";
          form.submit();
        },
        () => {
          aroundStatus.textContent = "Position indisponible : indiquez une commune ou une adresse.";
        },
      );
    });
  }
  // A typed place replaces a previous "around me" position.
  if (form) {
    form.elements.lieu.addEventListener("input", () => {
      form.elements.lat.value = "";
      form.elements.lon.value = "";
    });
  }

  const queryElement = document.getElementById("directory-query");
  const status = document.getElementById("map-status");

  function apiUrl(bounds) {
    const params = new URLSearchParams(queryElement ? JSON.parse(queryElement.textContent) : "");
    params.set("format", "geojson");
    params.set("page_size", "5000");
    if (bounds) params.set("bbox", bounds.toBBoxString());
    return "/api/places/?" + params.toString();
  }

  function popup(feature) {
    const props = feature.properties;
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = "/lieux/" + (props.place || feature.id) + "/";
    link.textContent = props.name;
    const commune = document.createElement("p");
    // A stop of an itinerant place says where it stops.
    commune.textContent = props.stop
      ? "Arrêt : " + props.stop + ", " + (props.commune || "")
      : props.commune || "";
    box.append(link, commune);
    return box;
  }

  window.hubPlacesMap = function (map) {
    const cluster = window.hubMap.clusterGroup(map, "lieux");
    // Only a person's move reloads the places in view, not the first fitting of the map, nor
    // a popup opened (Tab and Enter on a marker) panning the map into view.
    let userMoved = false;
    let popupOpen = false;
    const moveKeys = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "+", "-", "="];
    ["mousedown", "wheel", "touchstart", "keydown"].forEach((type) =>
      map.getContainer().addEventListener(type, (event) => {
        if (type !== "keydown" || moveKeys.includes(event.key)) userMoved = true;
      }, { passive: true }),
    );
    map.on("popupopen", () => { popupOpen = true; });
    map.on("popupclose", () => { popupOpen = false; });

    async function load(bounds) {
      const response = await fetch(apiUrl(bounds), { headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error("réponse " + response.status);
      const data = await response.json();
      cluster.clearLayers();
      const layer = L.geoJSON(data, {
        pointToLayer: (feature, latlng) => window.hubMap.marker(latlng, feature.properties.stop
          ? feature.properties.name + " (arrêt : " + feature.properties.stop + ")" : feature.properties.name),
        onEachFeature: (feature, marker) => marker.bindPopup(popup(feature)),
      });
      cluster.addLayers(layer.getLayers());
      const stops = data.features.filter((f) => f.properties.stop).length;
      const places = data.features.length - stops;
      map.getContainer().dataset.places = String(places);
      map.getContainer().dataset.stops = String(stops);
      status.textContent =
        places + " lieu(x)" + (stops ? " et " + stops + " arrêt(s) de lieux itinérants" : "") +
        " sur la carte" + (bounds ? " dans la zone affichée." : ".");
      return layer;
    }

    load(null)
      .then((layer) => {
        if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { maxZoom: 13, padding: [20, 20] });
        map.on("moveend", () => {
          if (userMoved && !popupOpen) load(map.getBounds()).catch(() => {});
        });
      })
      .catch((error) => {
        status.textContent = "Les lieux n’ont pas pu être chargés sur la carte (" + error.message + ").";
      });
  };
})();
