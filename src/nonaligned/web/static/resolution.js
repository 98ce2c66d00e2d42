"use strict";
// Resolution page: totals, a map of who voted how, counts by region, every member's vote
// (linked to its profile), and a picker when the symbol has several recorded votes.
(() => {
  const { getJSON, chart, status, fillTable, countryLink } = window.nonaligned;
  const { symbol, rollCall } = document.body.dataset;
  const params = new URLSearchParams({ symbol });
  if (rollCall) params.set("roll_call", rollCall);

  function kind(call) {
    if (call.amendment) return "amendment";
    if (call.paragraph) return "paragraph";
    return "whole resolution";
  }

  function picker(answer) {
    if (answer.roll_calls.length < 2) return;
    const select = document.getElementById("roll-call");
    select.replaceChildren(...answer.roll_calls.map((call) => {
      const option = document.createElement("option");
      option.value = call.roll_call_id;
      option.textContent = `${String(call.date).slice(0, 10)} · ${kind(call)} · roll call ${call.roll_call_id}`;
      option.selected = call.roll_call_id === answer.roll_call_id;
      return option;
    }));
    select.addEventListener("change", () => select.form.submit());
    document.getElementById("picker").hidden = false;
  }

  async function main() {
    try {
      const answer = await getJSON(`/api/resolutions?${params}`);
      document.getElementById("title").textContent = answer.symbol;
      document.getElementById("meta").textContent = [answer.date, answer.title].filter(Boolean).join(" · ");
      picker(answer);
      const t = answer.totals;
      fillTable(document.getElementById("totals"), [[t.yes, t.no, t.abstain, t.absent]]);
      fillTable(document.getElementById("regions"),
        answer.by_region.map((r) => [r.un_region, r.yes, r.no, r.abstain, r.absent]));
      fillTable(document.getElementById("members"),
        answer.votes.map((v) => [countryLink(v.iso3, v.country), v.un_region, v.vote]));
      params.set("roll_call", answer.roll_call_id);
      await chart(document.getElementById("map"), `/api/charts/resolution?${params}`);
      status("");
    } catch (error) {
      status(error.message);
    }
  }
  main();
})();
