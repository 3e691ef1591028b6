// Follow a report being built by Celery: progress and step, then the download link.
(function () {
  "use strict";
  const box = document.getElementById("report-status");
  const step = document.getElementById("report-step");
  const bar = document.getElementById("report-progress");

  async function poll() {
    const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error("réponse " + response.status);
    const state = await response.json();
    bar.value = state.progress;
    bar.textContent = state.progress + " %";
    if (state.status === "done") {
      step.textContent = "Le rapport est prêt.";
      document.getElementById("report-download").hidden = false;
    } else if (state.status === "failed") {
      step.textContent = "La préparation a échoué.";
      const error = document.getElementById("report-error");
      error.querySelector("p").textContent = state.error || "La préparation a échoué.";
      error.hidden = false;
    } else {
      step.textContent = state.status_label.charAt(0).toUpperCase() + state.status_label.slice(1) +
        " : " + (state.step || "en attente d’un traitement");
      window.setTimeout(() => poll().catch(() => window.setTimeout(poll, 3000)), 1000);
      return;
    }
    const refresh = document.getElementById("report-refresh");
    if (refresh) refresh.hidden = true;
  }

  if (!document.getElementById("report-download").hidden || !document.getElementById("report-error").hidden) return;
  poll().catch(() => {});
})();
