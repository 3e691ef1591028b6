// Agenda page: "Autour de moi" fills the hidden position fields (the button shows only where
// the browser can locate); a typed commune replaces a previous position.
(function () {
  "use strict";

  const form = document.getElementById("agenda-form");
  const aroundMe = document.getElementById("agenda-around-me");
  const status = document.getElementById("agenda-around-me-status");
  if (!form) return;
  if (aroundMe && "geolocation" in navigator) {
    document.getElementById("agenda-around-me-box").hidden = false;
    aroundMe.addEventListener("click", () => {
      status.textContent = "Recherche de votre position…";
      navigator.geolocation.getCurrentPosition(
        (position) => {
          form.elements.lat.value = position.coords.latitude.toFixed(5);
          form.elements.lon.value = position.coords.longitude.toFixed(5);
          form.elements.lieu.value = "";
          form.submit();
        },
        () => {
          status.textContent = "Position indisponible : indiquez une commune ou un code postal.";
        },
      );
    });
  }
  form.elements.lieu.addEventListener("input", () => {
    form.elements.lat.value = "";
    form.elements.lon.value = "";
  });
  if (window.location.hash === "#resultats") {
    const target =
      document.getElementById("resultats") || form.querySelector("[aria-invalid='true']");
    if (target) target.focus();
  }
})();
