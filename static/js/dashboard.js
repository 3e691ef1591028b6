// Dashboard: the chosen indicator as a choropleth of the dashboard's territories (values from
// the indicators' API, classes chosen by the server so the map, legend and table agree). A
// withheld value comes without a figure and is drawn grey. A click opens the territory's page.
// Names and values are inserted as text, never as HTML.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("dashboard-config").textContent);
  const status = document.getElementById("map-status");
  const numbers = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: config.precision });
  const allowed = new Set(config.codes);

  function colour(value) {
    if (value === null || value === undefined || !config.classes.length) return config.noFigureColour;
    let found = config.classes[0].colour;
    for (const c of config.classes) if (value >= c.min) found = c.colour;
    return found;
  }

  function figure(props) {
    if (props.status === "withheld") return "secret statistique";
    if (props.value === null) return "donnée manquante";
    return numbers.format(props.value) + (config.unit ? " " + config.unit : "");
  }

  // Submitting on change: the form still works without JavaScript through its button.
  const form = document.getElementById("dashboard-form");
  form.querySelectorAll("select").forEach((select) => {
    select.addEventListener("change", () => form.requestSubmit());
  });

  window.hubDashboardMap = async function (map) {
    const container = map.getContainer();
    try {
      const response = await fetch(config.valuesUrl, { headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error("réponse " + response.status);
      const data = await response.json();
      data.features = data.features.filter((f) => f.geometry && allowed.has(f.id));
      const colours = {};
      const layer = L.geoJSON(data, {
        style: (f) => ({
          color: "#ffffff", weight: 1, fillOpacity: 0.85, fillColor: colour(f.properties.value),
          className: "hub-territory",
        }),
        onEachFeature: (f, item) => {
          colours[f.id] = colour(f.properties.value);
          item.bindTooltip(() => {
            const box = document.createElement("div");
            const name = document.createElement("strong");
            name.textContent = f.properties.name;
            box.append(name, document.createElement("br"), window.hubMap.text(figure(f.properties)));
            return box;
          }, { sticky: true });
          item.on("add", () => {
            const path = item.getElement();
            if (path) path.dataset.code = f.id;
          });
          item.on("click", () => {
            window.location.assign(config.territoryUrl + encodeURIComponent(f.id) + "/");
          });
        },
      }).addTo(map);
      if (data.features.length) map.fitBounds(layer.getBounds());
      container.dataset.colours = JSON.stringify(colours);
      status.textContent = data.features.length + " territoires colorés pour " + data.period + ".";
    } catch (error) {
      status.textContent = "La carte n’a pas pu être chargée (" + error.message + ") : le tableau ci-dessous donne les mêmes valeurs.";
    }
  };
})();
