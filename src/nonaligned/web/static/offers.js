"use strict";
// Offer evaluator: POST the document to the API, show each offer's terms and the schedules.
(() => {
  const { embed, clearFigure, status, fillTable } = window.nonaligned;
  const warnings = document.getElementById("warnings");
  const form = document.getElementById("offers-form");
  const text = document.getElementById("document");
  const problems = document.getElementById("problems");
  const schedule = document.getElementById("schedule");
  const money = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
  const pct = (x) => (x === null || x === undefined ? "" : `${(100 * x).toFixed(1)}%`);
  const num = (x) => (x === null || x === undefined ? "n/a" : x.toFixed(2));

  document.getElementById("upload").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (file) text.value = await file.text();
  });

  function showList(element, list) {
    element.replaceChildren(...(list || []).map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
  }

  const showProblems = (list) => showList(problems,
    (list || []).map((p) => [p.offer, p.field, p.message].filter(Boolean).join(" · ")));

  // A refused document leaves no earlier results on the page to be mistaken for its own.
  function clearResults() {
    document.getElementById("result-title").textContent = "";
    fillTable(document.getElementById("evaluation"), []);
    showList(warnings, []);
    clearFigure(schedule);
  }

  async function submit(event) {
    event.preventDefault();
    status("evaluating…");
    showProblems([]);
    const body = {
      toml: text.value,
      discount_rate: Number(document.getElementById("discount").value),
      threshold: Number(document.getElementById("threshold").value),
    };
    const response = await fetch("/api/offers/evaluate", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) {
      clearResults();
      status(answer.message.split("\n")[0]);
      showProblems(answer.problems);
      return;
    }
    document.getElementById("result-title").textContent = `${answer.project} (${answer.country})`;
    fillTable(document.getElementById("evaluation"), answer.evaluation.map((o) => [
      o.offer_id, o.partner, o.kind, money.format(o.amount_usd), pct(o.interest_rate),
      pct(o.grant_element), o.concessional ? "yes" : "no", pct(o.effective_rate),
      o.total_debt_service_usd === null ? "" : money.format(o.total_debt_service_usd),
      `${num(o.exposure_before)} → ${num(o.exposure_after)}`,
    ]));
    showList(warnings, answer.warnings);
    if (answer.chart) {
      await embed(schedule, answer.chart);
    }
    status(answer.warnings.length ? "evaluated, with warnings: check the terms listed" : "evaluated");
  }
  form.addEventListener("submit", (event) => submit(event).catch((error) => status(error.message)));
})();
