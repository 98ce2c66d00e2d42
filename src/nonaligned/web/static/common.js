"use strict";
// Shared helpers: fetch JSON from the app's API and render Vega-Lite specs locally.
window.nonaligned = (() => {
  const embedOptions = {
    actions: false,
    renderer: "canvas",
    defaultStyle: false, // no injected <style>: the CSP allows only the app's stylesheet
    tooltip: { disableDefaultStyle: true },
  };

  async function getJSON(url) {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || response.statusText);
    return body;
  }

  async function embed(element, spec) {
    const result = await vegaEmbed(element, spec, embedOptions);
    element.dataset.rendered = "true";
    return result;
  }

  async function chart(element, url) {
    element.dataset.rendered = "false";
    element.classList.add("loading");
    try {
      return await embed(element, await getJSON(url));
    } catch (error) {
      element.textContent = error.message;
      element.dataset.rendered = "error";
      throw error;
    } finally {
      element.classList.remove("loading");
    }
  }

  // A chart whose spec may still be computing (HTTP 202): show the message, ask again later.
  async function patientChart(element, url, everyMs = 5000) {
    for (;;) {
      const response = await fetch(url, { headers: { accept: "application/json" } });
      const body = await response.json();
      if (response.status === 202) {
        element.dataset.rendered = "pending";
        element.textContent = body.message;
        await new Promise((resolve) => setTimeout(resolve, everyMs));
        continue;
      }
      if (!response.ok) {
        element.dataset.rendered = "error";
        element.textContent = body.message;
        return null;
      }
      element.textContent = "";
      return embed(element, body);
    }
  }

  function status(message) {
    const element = document.getElementById("status");
    if (element) element.textContent = message;
  }

  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    row.appendChild(td);
  }

  function fillTable(table, rows) {
    const body = table.querySelector("tbody");
    body.replaceChildren();
    for (const values of rows) {
      const row = document.createElement("tr");
      values.forEach((value) => cell(row, value));
      body.appendChild(row);
    }
  }

  return { getJSON, embed, chart, patientChart, status, fillTable };
})();
