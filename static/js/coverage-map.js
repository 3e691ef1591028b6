// Coverage map: communes coloured by the share of premises ready for fibre, for the chosen
// quarter (changed in place, without reloading), the technology mix on click, buildings by
// state at high zoom, and the places of help in communes without fibre on a toggle.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const status = document.getElementById("map-status");
  const select = document.getElementById("periode");
  const levelSelect = document.getElementById("echelon");
  const numbers = new Intl.NumberFormat("fr-FR");
  const percent = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1 });
  const BUILDINGS_ZOOM = 15;
  const TECHNOLOGIES = {
    elig_ftth: "fibre (FttH)",
    elig_coax: "câble",
    elig_cu: "cuivre (ADSL, VDSL2)",
    elig_thdr: "THD radio",
    elig_4gf: "4G fixe",
    elig_sat: "satellite",
  };

  function colour(rate) {
    if (rate === null || rate === undefined) return config.noDataColour;
    if (rate <= 0) return config.classes[0].colour;
    for (const c of config.classes.slice(1)) if (rate < c.max) return c.colour;
    return config.classes[config.classes.length - 1].colour;
  }

  function line(parent, text) {
    const p = document.createElement("p");
    p.className = "fr-mb-1v";
    p.textContent = text;
    parent.append(p);
  }

  function popup(props, period, level) {
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = props.name + (props.communes > 1 ? " (" + props.communes + " communes)" : "");
    box.append(title);
    if (level === "commune" || level === "epci") {
      box.append(window.hubMap.territoryLink(level, props.code, props.name));
    }
    if (props.premises === null || props.ftth_ready === null) {
      line(box, "Pas de donnée pour " + period + ".");
      return box;
    }
    line(box, numbers.format(props.ftth_ready) + " locaux raccordables à la fibre sur " +
      numbers.format(props.premises) + " (" + (props.rate === null ? "–" : percent.format(props.rate)) + ")");
    if (props.rate !== null && props.rate > 1) line(box, config.aboveFullNote);
    if (props.previous_rate !== null) line(box, "Trimestre précédent : " + percent.format(props.previous_rate));
    const eligibility = props.eligibility;
    if (eligibility && eligibility.premises) {
      const counts = Object.values(eligibility.by)[0] || {};
      const list = document.createElement("ul");
      for (const [key, label] of Object.entries(TECHNOLOGIES)) {
        if (counts[key] === undefined || counts[key] === null) continue;
        const item = document.createElement("li");
        item.textContent = label + " : " + percent.format(counts[key] / eligibility.premises);
        list.append(item);
      }
      line(box, "Locaux éligibles par technologie (" + eligibility.date + ", une même adresse peut compter plusieurs fois) :");
      box.append(list);
    }
    return box;
  }

  function points(change) {
    if (change === null) return "–";
    const text = (100 * change).toFixed(1).replace(".", ",");
    return (change >= 0 ? "+" : "") + text + "\u00a0pt";
  }

  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = text;
    row.append(td);
  }

  // The summary and the EPCI table follow the chosen quarter too.
  async function showFigures(period) {
    const base = config.coverageUrl + "&period=" + encodeURIComponent(period);
    const [dep, epcis] = await Promise.all(
      ["departement", "epci"].map((level) => fetch(base + "&level=" + level).then((r) => r.json())));
    const total = dep.results[0];
    const values = [
      numbers.format(total.premises), numbers.format(total.ftth_ready),
      total.rate === null ? "–" : percent.format(total.rate),
      total.rate === null || total.previous_rate === null ? "–" : points(total.rate - total.previous_rate),
    ];
    document.querySelectorAll("#coverage-summary dd").forEach((dd, i) => { dd.textContent = values[i]; });
    document.getElementById("summary-title").textContent = total.name + ", " + period;
    document.getElementById("previous-label").textContent = "Évolution depuis " + dep.previous_period;
    document.getElementById("epci-caption").textContent = "Couverture par EPCI, " + period + " (communes du département)";
    const body = document.querySelector("#epci-table tbody");
    body.replaceChildren(...epcis.results.map((e) => {
      const row = document.createElement("tr");
      cell(row, e.name); cell(row, String(e.communes)); cell(row, numbers.format(e.premises));
      cell(row, numbers.format(e.ftth_ready)); cell(row, e.rate === null ? "–" : percent.format(e.rate));
      cell(row, e.rate === null || e.previous_rate === null ? "–" : points(e.rate - e.previous_rate));
      return row;
    }));
  }

  function coverageUrl(period) {
    return config.coverageUrl + "&format=geojson&level=" + levelSelect.value +
      "&period=" + encodeURIComponent(period);
  }

  window.hubCoverageMap = function (map) {
    let communes = null;
    let unserved = null;
    let buildings = null;
    const container = map.getContainer();

    async function showPeriod(period, fit) {
      status.textContent = "Chargement de " + period + "…";
      const response = await fetch(coverageUrl(period), { headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error("réponse " + response.status);
      const data = await response.json();
      if (communes) map.removeLayer(communes);
      communes = L.geoJSON(data, {
        style: (f) => ({ color: "#ffffff", weight: 1, fillColor: colour(f.properties.rate), fillOpacity: 0.85 }),
        onEachFeature: (f, layer) => {
          layer.bindPopup(() => popup(f.properties, data.period, data.level));
          layer.bindTooltip(() => window.hubMap.text(f.properties.name), { sticky: true });
        },
      }).addTo(map);
      communes.bringToBack();
      if (fit && data.features.length) map.fitBounds(communes.getBounds());
      container.dataset.period = data.period;
      container.dataset.colours = JSON.stringify(
        Object.fromEntries(data.features.map((f) => [f.id, colour(f.properties.rate)])));
      status.textContent = data.features.length + (data.level === "epci" ? " EPCI colorés" : " communes colorées") +
        " pour " + data.period + ".";
      if (unserved) await showUnserved(period);
    }

    async function showUnserved(period) {
      const response = await fetch(config.unservedUrl + "&period=" + encodeURIComponent(period));
      const data = await response.json();
      if (unserved && unserved !== true) map.removeLayer(unserved);
      unserved = L.geoJSON(data, {
        pointToLayer: (f, latlng) => f.properties.kind === "école"
          ? window.hubMap.symbolMarker(latlng, f.properties.name, "triangle", "#e69f00", "école")
          : window.hubMap.symbolMarker(latlng, f.properties.name, "circle", "#0072b2", "lieu d’aide"),
        onEachFeature: (f, layer) => {
          const box = document.createElement("div");
          if (f.properties.url) {
            const link = document.createElement("a");
            link.href = f.properties.url;
            link.textContent = f.properties.name;
            box.append(link);
          } else {
            const name = document.createElement("strong");
            name.textContent = f.properties.name;
            box.append(name);
          }
          line(box, (f.properties.kind === "école" ? "École, " : "Lieu d’aide, ") + f.properties.commune +
            (f.properties.approximate ? " (position approximative : centre de la commune)" : ""));
          layer.bindPopup(box);
        },
      }).addTo(map);
      const schools = data.features.filter((f) => f.properties.kind === "école").length;
      status.textContent = (data.features.length - schools) + " lieux d’aide et " + schools +
        " écoles dans les " + data.communes_without_fibre + " communes sans fibre en " + period + ".";
    }

    async function showBuildings() {
      if (map.getZoom() < BUILDINGS_ZOOM) {
        if (buildings) { map.removeLayer(buildings); buildings = null; }
        return;
      }
      const b = map.getBounds();
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
      const response = await fetch(config.buildingsUrl + "?bbox=" + bbox);
      if (!response.ok) return;
      const data = await response.json();
      if (buildings) map.removeLayer(buildings);
      buildings = L.geoJSON(data, {
        pointToLayer: (f, latlng) => L.circleMarker(latlng, {
          radius: 4, weight: 1, color: "#161616", fillColor: config.buildingColours[f.properties.state] || "#929292", fillOpacity: 0.9 }),
        onEachFeature: (f, layer) => layer.bindPopup(() => window.hubMap.text(
          (f.properties.address || f.id) + " — " + f.properties.state_label)),
      }).addTo(map);
      if (data.features.length) {
        status.textContent = data.features.length + " immeubles affichés" + (data.truncated ? " (zoomez pour tout voir)." : ".");
      }
    }

    levelSelect.addEventListener("change", () => {
      const url = new URL(window.location.href);
      url.searchParams.set("echelon", levelSelect.value);
      window.history.replaceState(null, "", url);
      showPeriod(select.value, false).catch((e) => { status.textContent = "La carte n’a pas pu être chargée (" + e.message + ")."; });
    });
    select.addEventListener("change", () => {
      const url = new URL(window.location.href);
      url.searchParams.set("periode", select.value);
      window.history.replaceState(null, "", url);
      Promise.all([showPeriod(select.value, false), showFigures(select.value)]).catch((e) => { status.textContent = "La carte n’a pas pu être chargée (" + e.message + ")."; });
    });
    document.getElementById("toggle-unserved").addEventListener("change", (event) => {
      if (event.target.checked) {
        unserved = true;
        showUnserved(select.value).catch((e) => { status.textContent = "Les lieux n’ont pas pu être chargés (" + e.message + ")."; });
      } else if (unserved) {
        if (unserved !== true) map.removeLayer(unserved);
        unserved = null;
      }
    });
    map.on("moveend", () => { showBuildings().catch(() => {}); });
    showPeriod(config.period, true).catch((e) => { status.textContent = "La carte n’a pas pu être chargée (" + e.message + ")."; });
  };
})();
