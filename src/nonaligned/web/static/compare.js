"use strict";
// Comparison page: the countries' agreement with each pole (and with any other country),
// and their ideal points; each country keeps one colour in every chart.
(() => {
  const { chart, status } = window.nonaligned;
  const { countries, partner, poles } = document.body.dataset;
  const holder = document.getElementById("charts");

  function add(id, url) {
    const element = document.createElement("div");
    element.className = "chart";
    element.id = id;
    holder.appendChild(element);
    return chart(element, url);
  }

  async function main() {
    if (!countries) return; // the page shows why
    status("computing…");
    const list = encodeURIComponent(countries);
    const jobs = [];
    if (partner) {
      jobs.push(add("compare-partner", `/api/charts/compare?countries=${list}&partner=${encodeURIComponent(partner)}`));
    }
    for (const pole of poles.split(",").filter(Boolean)) {
      jobs.push(add(`compare-${pole}`, `/api/charts/compare?countries=${list}&pole=${pole}`));
    }
    jobs.push(add("compare-idealpoints", `/api/charts/idealpoints?countries=${list}`));
    const results = await Promise.allSettled(jobs);
    const failed = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
    status([...new Set(failed)].join("; "));
  }
  main();
})();
