// Follow a background job (components/job_status.html): progress and step, then the download
// link or the error. Every value is inserted as text.
(function () {
  "use strict";
  const box = document.getElementById("job-status");
  if (!box) return;
  const step = document.getElementById("job-step");
  const bar = document.getElementById("job-progress");
  const download = document.getElementById("job-download");
  const error = document.getElementById("job-error");

  async function poll() {
    const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error("réponse " + response.status);
    const state = await response.json();
    bar.value = state.progress;
    bar.textContent = state.progress + " %";
    if (state.status === "done") {
      step.textContent = box.dataset.done;
      download.hidden = false;
    } else if (state.status === "failed") {
      step.textContent = box.dataset.failed;
      error.querySelector("p").textContent = state.error || box.dataset.failed;
      error.hidden = false;
    } else {
      step.textContent = state.status_label.charAt(0).toUpperCase() + state.status_label.slice(1) +
        " : " + (state.step || "en attente d’un traitement");
      window.setTimeout(() => poll().catch(() => window.setTimeout(poll, 3000)), 1000);
      return;
    }
    const refresh = document.getElementById("job-refresh");
    if (refresh) refresh.hidden = true;
  }

  if (!download.hidden || !error.hidden) return;
  poll().catch(() => {});
})();
