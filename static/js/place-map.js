// Place page: the place on a small map, among the communes around it (the hub's base layer):
// closer with a background tile server, wider without one so the communes' names show.
window.hubPlaceMap = function (map) {
  "use strict";
  const coords = JSON.parse(document.getElementById("place-position").textContent);
  const name = JSON.parse(document.getElementById("place-name").textContent);
  const position = [coords[1], coords[0]];
  window.hubMap.marker(position, name).addTo(map);
  map.setView(position, window.hubMap.hasTiles(map) ? 15 : 11);
};
