// The opening-hours grid of the médiateurs' space: "copy this day's hours" buttons (hidden
// without JavaScript, the form works without them) and, after a refused save, focus on the
// first wrong field so that keyboard and screen-reader users land on what to correct.
(function () {
  "use strict";
  const grid = document.querySelector(".hub-hours__grid");
  const form = grid ? grid.closest("form") : document.querySelector("form");
  const WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr"];
  const NAMES = { Mo: "lundi", Tu: "mardi", We: "mercredi", Th: "jeudi", Fr: "vendredi", Sa: "samedi", Su: "dimanche" };

  function fieldsOf(day) {
    return Array.from(grid.querySelectorAll('input[data-day="' + day + '"]'));
  }

  if (grid) {
    const status = document.getElementById("hours-status");
    grid.querySelectorAll("button[data-copy-from]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => {
        const from = button.dataset.copyFrom;
        const values = {};
        fieldsOf(from).forEach((input) => { values[input.dataset.slot] = input.value; });
        const targets = (button.dataset.copyTo === "weekdays" ? WEEKDAYS : Object.keys(NAMES))
          .filter((day) => day !== from);
        targets.forEach((day) => {
          fieldsOf(day).forEach((input) => { input.value = values[input.dataset.slot] || ""; });
        });
        status.textContent = "Horaires du " + NAMES[from] + " copiés sur " +
          (button.dataset.copyTo === "weekdays" ? "les autres jours du lundi au vendredi." : "les six autres jours.");
      });
    });
  }

  const summary = document.getElementById("form-errors");
  if (!form || !summary) return;
  summary.querySelectorAll('a[href^="#"]').forEach((link) => {
    link.addEventListener("click", (event) => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus();
    });
  });
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
})();
