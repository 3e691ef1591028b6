// Schools map for DSDEN staff, ERUN and directors: each school coloured as the filters ask
// (the colour comes with the data), its level and what it lacks on click.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const status = document.getElementById("map-status");

  function popup(f) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = f.properties.url;
    link.textContent = f.properties.name;
    const level = document.createElement("p");
    level.textContent = f.properties.level === null ? "Pas encore de réponse." : f.properties.reasons;
    box.append(link, level);
    return box;
  }

  window.hubSchoolsMap = async function (map) {
    if (config.communesUrl) window.hubMap.territoryBackground(map, config.communesUrl).catch(() => {});
    try {
      const response = await fetch(config.url, { headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error("réponse " + response.status);
      const data = await response.json();
      const layer = L.geoJSON(data, {
        pointToLayer: (f, latlng) => L.circleMarker(latlng, {
          radius: 7, color: "#161616", weight: 1, fillColor: f.properties.colour, fillOpacity: 0.95,
          className: "hub-school-" + f.id,
        }),
        onEachFeature: (f, marker) => {
          marker.bindPopup(() => popup(f));
          marker.bindTooltip(() => window.hubMap.text(f.properties.name));
        },
      }).addTo(map);
      if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 13 });
      map.getContainer().dataset.levels = JSON.stringify(
        Object.fromEntries(data.features.map((f) => [f.id, f.properties.level])));
      // Beyond a few thousand schools the hub sends one point a commune (or département).
      status.textContent = data.grouped_by
        ? data.schools + " écoles, regroupées par " +
          (data.grouped_by === "commune" ? "commune" : "département") +
          " : choisissez un territoire dans les filtres pour les voir une à une."
        : data.features.length + " écoles sur la carte.";
    } catch (error) {
      status.textContent = "Les écoles n’ont pas pu être chargées (" + error.message + ").";
    }
  };
})();
