// Place page: the place on a small map.
window.hubPlaceMap = function (map) {
  "use strict";
  const coords = JSON.parse(document.getElementById("place-position").textContent);
  const position = [coords[1], coords[0]];
  L.marker(position, { alt: "Position du lieu" }).addTo(map);
  map.setView(position, 15);
};
