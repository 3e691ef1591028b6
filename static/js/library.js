// Resources library: on a phone, once results are shown, the filters fold to one line
// ("Filtrer…", one tap opens them) so that the results come first. Without JavaScript they
// stay open.
(function () {
  "use strict";

  const filters = document.getElementById("filtres");
  if (!filters || !window.matchMedia("(max-width: 47.99em)").matches) return;
  if (document.querySelector("#results > li")) filters.open = false;
})();
