"use strict";
// Comparison page: several countries' agreement with each pole on one chart per pole.
(() => {
  const { chart, status } = window.nonaligned;
  const countries = document.body.dataset.countries;
  const holder = document.getElementById("charts");

  async function main() {
    status("computing…");
    const poles = ["USA", "CHN", "RUS", "EU"];
    const jobs = poles.map((pole) => {
      const element = document.createElement("div");
      element.className = "chart";
      element.id = `compare-${pole}`;
      holder.appendChild(element);
      const url = `/api/charts/compare?countries=${encodeURIComponent(countries)}&pole=${pole}`;
      return chart(element, url);
    });
    const results = await Promise.allSettled(jobs);
    const failed = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
    status([...new Set(failed)].join("; "));
  }
  main();
})();
