"use strict";
// Country profile: index class and lean, agreement with each pole, ideal point, trade.
(() => {
  const { getJSON, chart, patientChart, status } = window.nonaligned;
  const iso3 = document.body.dataset.iso3;

  async function header() {
    const country = await getJSON(`/api/countries/${encodeURIComponent(iso3)}`);
    document.getElementById("country-name").textContent = `${country.name} (${country.iso3})`;
    document.getElementById("country-meta").textContent =
      [country.un_region, country.continent].filter(Boolean).join(" · ");
  }

  async function main() {
    status("computing agreement with the poles over the whole record…");
    const results = await Promise.allSettled([
      header(),
      chart(document.getElementById("index"), `/api/charts/index/${encodeURIComponent(iso3)}`),
      chart(document.getElementById("agreement"), `/api/charts/agreement/${encodeURIComponent(iso3)}`),
      chart(document.getElementById("trade"), `/api/charts/trade/${encodeURIComponent(iso3)}`),
    ]);
    const failed = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
    status(failed.join("; "));
  }
  // the ideal points take about a minute the first time for a store: never block the rest on them
  patientChart(document.getElementById("idealpoint"), `/api/charts/idealpoint/${encodeURIComponent(iso3)}`)
    .catch((error) => status(error.message));
  main();
})();
