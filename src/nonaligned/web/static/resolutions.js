"use strict";
// Resolution browser: roll calls of a year and/or matching words, each linked to its page.
(() => {
  const { getJSON, status, fillTable } = window.nonaligned;
  const { year, q } = document.body.dataset;

  async function main() {
    if (!year && !q) return; // the form asks for one
    const params = new URLSearchParams();
    if (year) params.set("year", year);
    if (q) params.set("q", q);
    try {
      status("searching…");
      const calls = await getJSON(`/api/roll-calls?${params}`);
      fillTable(document.getElementById("roll-calls"), calls.map((c) => [
        String(c.date).slice(0, 10),
        c.symbol ? { text: c.symbol, href: `/resolution?symbol=${encodeURIComponent(c.symbol)}&roll_call=${c.roll_call_id}` } : "",
        c.title,
        c.amendment ? "an amendment" : c.paragraph ? "a paragraph" : "the whole text",
      ]));
      status(calls.length ? `${calls.length} roll calls` : "no roll call matches");
    } catch (error) {
      status(error.message);
    }
  }
  main();
})();
