"use strict";
// Country profile: index class and lean, agreement with each pole, ideal point, trade,
// votes on notable resolutions and the (one-sided) record of US visits.
(() => {
  const { getJSON, chart, embed, status, fillTable } = window.nonaligned;
  const iso3 = document.body.dataset.iso3;
  const code = encodeURIComponent(iso3);

  async function header() {
    const country = await getJSON(`/api/countries/${code}`);
    document.getElementById("country-name").textContent = `${country.name} (${country.iso3})`;
    document.getElementById("country-meta").textContent =
      [country.un_region, country.continent].filter(Boolean).join(" · ");
  }

  async function notable() {
    const votes = await getJSON(`/api/countries/${code}/notable-votes`);
    fillTable(document.getElementById("notable-votes"), votes.map((v) => [
      { text: v.symbol, href: `/resolution?symbol=${encodeURIComponent(v.symbol)}&roll_call=${v.roll_call_id}` },
      (v.date || "").slice(0, 10), v.title, v.vote,
    ]));
  }

  async function engagement() {
    const answer = await getJSON(`/api/engagement/${code}`);
    document.getElementById("engagement-note").textContent =
      `${answer.trips.length} recorded trips (${answer.coverage}). ${answer.note}.`;
    if (answer.chart) await embed(document.getElementById("trips"), answer.chart);
  }

  async function main() {
    status("computing agreement with the poles over the whole record…");
    const results = await Promise.allSettled([
      header(),
      notable(),
      engagement(),
      chart(document.getElementById("index"), `/api/charts/index/${code}`),
      chart(document.getElementById("agreement"), `/api/charts/agreement/${code}`),
      chart(document.getElementById("trade"), `/api/charts/trade/${code}`),
      chart(document.getElementById("idealpoint"), `/api/charts/idealpoint/${code}`),
    ]);
    const failed = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
    status([...new Set(failed)].join("; "));
  }
  main();
})();
