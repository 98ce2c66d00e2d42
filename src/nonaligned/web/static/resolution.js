"use strict";
// Resolution page: totals, a map of who voted how, counts by region, every member's vote.
(() => {
  const { getJSON, chart, status, fillTable } = window.nonaligned;
  const symbol = document.body.dataset.symbol;
  const query = `symbol=${encodeURIComponent(symbol)}`;

  async function main() {
    try {
      const answer = await getJSON(`/api/resolutions?${query}`);
      document.getElementById("title").textContent = answer.symbol;
      document.getElementById("meta").textContent = [answer.date, answer.title].filter(Boolean).join(" · ");
      const t = answer.totals;
      fillTable(document.getElementById("totals"), [[t.yes, t.no, t.abstain, t.absent]]);
      fillTable(document.getElementById("regions"),
        answer.by_region.map((r) => [r.un_region, r.yes, r.no, r.abstain, r.absent]));
      fillTable(document.getElementById("members"),
        answer.votes.map((v) => [v.country, v.un_region, v.vote]));
      await chart(document.getElementById("map"), `/api/charts/resolution?${query}`);
      status("");
    } catch (error) {
      status(error.message);
    }
  }
  main();
})();
