// Schools map for DSDEN staff, ERUN and directors: each school drawn as the filters ask, its
// class told by a shape as well as a colour (both come with the data, as in the legend) and
// in words to a screen reader; its class and what it lacks on click.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const status = document.getElementById("map-status");
  window.hubMap.drawSymbols(document.getElementById("schools-legend"));

  function popup(f) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = f.properties.url;
    link.textContent = f.properties.name;
    const level = document.createElement("p");
    level.className = "fr-mb-1v";
    level.append(window.hubMap.symbol(f.properties.shape, f.properties.colour, 14), " ",
      window.hubMap.text(f.properties.class_label));
    box.append(link, level);
    if (f.properties.level !== null && f.properties.reasons) {
      const reasons = document.createElement("p");
      reasons.textContent = f.properties.reasons;
      box.append(reasons);
    }
    return box;
  }

  window.hubSchoolsMap = async function (map) {
    try {
      const response = await fetch(config.url, { headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error("réponse " + response.status);
      const data = await response.json();
      const layer = L.geoJSON(data, {
        pointToLayer: (f, latlng) => window.hubMap.symbolMarker(
          latlng, f.properties.name, f.properties.shape, f.properties.colour, f.properties.class_label),
        onEachFeature: (f, marker) => {
          marker.bindPopup(() => popup(f));
          marker.bindTooltip(() => window.hubMap.text(f.properties.name));
          marker.on("add", () => { marker.getElement().dataset.school = f.id; });
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
