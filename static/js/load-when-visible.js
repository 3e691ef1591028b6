// Heavy components (a DSFR chart weighs 100 KB compressed) are loaded when their container
// comes near the screen, not with the page: a reader who never scrolls to them does not pay
// for them. `<div data-hub-load="/static/…/LineChart.js">`; each script is loaded once.
(function () {
  "use strict";
  const loaded = new Set();

  function load(url) {
    if (loaded.has(url)) return;
    loaded.add(url);
    const script = document.createElement("script");
    script.src = url;
    document.body.append(script);
  }

  const elements = document.querySelectorAll("[data-hub-load]");
  if (!("IntersectionObserver" in window)) {
    elements.forEach((element) => load(element.dataset.hubLoad));
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      load(entry.target.dataset.hubLoad);
      observer.unobserve(entry.target);
    }
  }, { rootMargin: "300px" });
  elements.forEach((element) => observer.observe(element));
})();
