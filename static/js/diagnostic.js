// Gap diagnostic: communes coloured by combined need (scores and classes computed by the server,
// read from the page's JSON data), the rank and score on hover, the commune's page on click.
// Names and figures are inserted as text, never as HTML.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("diagnostic-config").textContent);
  const status = document.getElementById("map-status");
  const numbers = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });

  window.hubDiagnosticMap = async function (map) {
    const container = map.getContainer();
    try {
      const layer = await window.hubMap.communeLayer(map, config.communesUrl, {
        style: (f) => ({
          color: "#ffffff", weight: 1, fillOpacity: 0.85, className: "hub-territory",
          fillColor: (config.scores[f.id || f.properties.code] || {}).colour || config.noFigureColour,
        }),
        onEachFeature: (f, item) => {
          const code = f.id || f.properties.code;
          const found = config.scores[code];
          item.bindTooltip(() => {
            const box = document.createElement("div");
            const name = document.createElement("strong");
            name.textContent = f.properties.name;
            const line = found
              ? "rang " + found.rank + ", besoin combiné " + numbers.format(found.score)
              : "sans donnée";
            box.append(name, document.createElement("br"), window.hubMap.text(line));
            return box;
          }, { sticky: true });
          item.on("add", () => {
            const path = item.getElement();
            if (path) path.dataset.code = code;
          });
          item.on("click", () => {
            window.location.assign(config.territoryUrl + encodeURIComponent(code) + "/");
          });
        },
      });
      const count = layer.getLayers().length;
      if (count) map.fitBounds(layer.getBounds());
      container.dataset.ready = "1";
      status.textContent = count + " communes colorées par besoin combiné.";
    } catch (error) {
      status.textContent = "La carte n’a pas pu être chargée (" + error.message + ") : le tableau ci-dessous donne le même classement.";
    }
  };
})();
