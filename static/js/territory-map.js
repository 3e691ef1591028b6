// Home page map: the département's communes (served by the hub), EPCI limits on a toggle,
// name and population on click, and the commune chosen by the search form in focus.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const status = document.getElementById("map-status");
  const toggle = document.getElementById("toggle-epci");
  const numbers = new Intl.NumberFormat("fr-FR");
  const communeStyle = { color: "#000091", weight: 1, fillColor: "#6a6af4", fillOpacity: 0.12 };
  const selectedStyle = { color: "#ce0500", weight: 3, fillColor: "#ce0500", fillOpacity: 0.3 };
  const epciStyle = {
    color: "#18753c",
    weight: 3,
    fill: false,
    interactive: false,
    className: "hub-epci",
  };

  // "Cintray (28300)": the postal codes people know, never the INSEE code read as one.
  function communeTitle(props) {
    const codes = Array.isArray(props.codes_postaux) ? props.codes_postaux.join(", ") : props.codes_postaux;
    return codes ? props.name + " (" + codes + ")" : props.name;
  }

  function communePopup(code, props) {
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = communeTitle(props);
    const population = document.createElement("p");
    population.textContent =
      props.population === null
        ? "Population inconnue"
        : "Population municipale : " + numbers.format(props.population) + " habitants";
    box.append(title, population);
    if (props.epci_name) {
      const epci = document.createElement("p");
      epci.textContent = "EPCI : " + props.epci_name;
      box.append(epci);
    }
    box.append(window.hubMap.territoryLink("commune", code, props.name));
    return box;
  }

  async function showCommunes(map) {
    let selected = null;
    const layer = await window.hubMap.communeLayer(map, config.communesUrl, {
      style: (feature) => (feature.id === config.selected ? selectedStyle : communeStyle),
      onEachFeature: (feature, featureLayer) => {
        featureLayer.bindPopup(communePopup(feature.id, feature.properties));
        featureLayer.bindTooltip(() => window.hubMap.text(feature.properties.name), { sticky: true });
        if (feature.id === config.selected) selected = featureLayer;
      },
    });
    const count = layer.getLayers().length;
    const container = map.getContainer();
    container.dataset.communes = String(count);
    let message = count + " communes affichées.";
    if (selected) {
      map.fitBounds(selected.getBounds(), { maxZoom: 12 });
      selected.bringToFront();
      selected.openPopup();
      container.dataset.selected = config.selected;
      message += " Commune sélectionnée : " + selected.feature.properties.name + ".";
    } else if (count) {
      map.fitBounds(layer.getBounds());
    }
    status.textContent = message;
  }

  function epciToggle(map) {
    let layer = null;
    toggle.addEventListener("change", async () => {
      if (!toggle.checked) {
        if (layer) map.removeLayer(layer);
        return;
      }
      if (!layer) {
        try {
          const data = await window.hubMap.fetchCollection(config.epciUrl);
          layer = L.geoJSON(data, { style: epciStyle });
        } catch (error) {
          status.textContent = "Les EPCI n’ont pas pu être chargés (" + error.message + ").";
          toggle.checked = false;
          return;
        }
      }
      layer.addTo(map);
      status.textContent = layer.getLayers().length + " EPCI affichés.";
    });
  }

  window.hubTerritoryMap = function (map) {
    // The communes' list stays one click away beside the map, folded.
    const list = document.getElementById("communes-list");
    if (list) list.open = false;
    epciToggle(map);
    showCommunes(map).catch((error) => {
      status.textContent = "Les communes n’ont pas pu être chargées (" + error.message + ").";
    });
  };
})();
