"use strict";
// Shared helpers: fetch the app's API, render Vega-Lite specs locally as "figures" (chart or
// table, CSV/PNG/SVG downloads, source line), the status line, the header's country search.
window.nonaligned = (() => {
  const embedOptions = {
    actions: false,
    renderer: "canvas",
    defaultStyle: false, // no injected <style>: the CSP allows only the app's stylesheet
    tooltip: { disableDefaultStyle: true },
  };
  const RETRY_MS = 3000;

  function status(message) {
    const element = document.getElementById("status");
    if (element) element.textContent = message;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || response.statusText);
    return body;
  }

  // A JSON answer that may still be computing (HTTP 202): report its progress, ask again.
  async function patientJSON(url, onProgress) {
    for (;;) {
      const response = await fetch(url, { headers: { accept: "application/json" } });
      const body = await response.json();
      if (response.status !== 202) {
        if (!response.ok) throw new Error(body.message || response.statusText);
        return body;
      }
      onProgress(body.message);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  // Numbers for reading: integers as they are, others to three decimals (CSV keeps every digit).
  const reading = new Intl.NumberFormat("en", { maximumFractionDigits: 3, useGrouping: false });
  function shown(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return Number.isInteger(value) ? String(value) : reading.format(value);
    return String(value);
  }

  // A table cell: text, or {text, href} for a link.
  function cell(row, value) {
    const td = document.createElement("td");
    if (value && typeof value === "object" && value.href) {
      const link = document.createElement("a");
      link.href = value.href;
      link.textContent = value.text;
      td.appendChild(link);
    } else {
      td.textContent = shown(value);
    }
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

  const countryLink = (iso3, text) => ({ text: text || iso3, href: `/country/${encodeURIComponent(iso3)}` });

  function csvField(value) {
    if (value === null || value === undefined) return "";
    const text = String(value); // numbers: the shortest text that reads back as the same double
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  function csv(meta) {
    const lines = [meta.columns.map(csvField).join(",")];
    for (const row of meta.rows) lines.push(meta.columns.map((c) => csvField(row[c])).join(","));
    return `${lines.join("\r\n")}\r\n`;
  }

  function download(href, name) {
    const link = document.createElement("a");
    link.href = href;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // A title too long for the width, as lines of words (Vega does not wrap titles).
  function wrapTitle(spec, width) {
    const title = spec.title;
    const text = typeof title === "string" ? title : title && title.text;
    const chars = Math.floor(width / 9); // a bold 13 px character is at most about 9 px wide
    if (typeof text !== "string" || text.length <= chars) return;
    const lines = [""];
    for (const word of text.split(" ")) {
      const line = lines[lines.length - 1];
      if (line && line.length + word.length + 1 > chars) lines.push(word);
      else lines[lines.length - 1] = line ? `${line} ${word}` : word;
    }
    spec.title = typeof title === "string" ? { text: lines } : { ...title, text: lines };
  }

  // Fit a spec to its element's width (phones): plain, layered and faceted specs alike.
  function fitted(spec, element) {
    const available = Math.max(240, element.clientWidth || document.body.clientWidth);
    wrapTitle(spec, available);
    const inner = spec.spec || spec;
    if (typeof inner.width === "number" && typeof inner.height === "number") {
      const isMap = Boolean(inner.projection || (inner.layer && inner.layer.some((l) => l.projection)));
      const width = Math.min(inner.width, available - (isMap ? 10 : 70));
      if (isMap) inner.height = Math.round(inner.height * (width / inner.width));
      inner.width = width;
    }
    if (available < 560 && spec.config && spec.config.legend) spec.config.legend.columns = 1;
    return spec;
  }

  // The figure around a chart element: a toolbar before it, the table and source line after.
  function frame(element) {
    if (element.figureParts) return element.figureParts;
    const holder = document.createElement("figure");
    holder.className = "figure";
    element.before(holder);
    const bar = document.createElement("div");
    bar.className = "toolbar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "chart options");
    const table = document.createElement("table");
    table.className = "data-table";
    table.hidden = true;
    const scroll = document.createElement("div");
    scroll.className = "scroll";
    scroll.appendChild(table);
    const source = document.createElement("figcaption");
    source.className = "source";
    holder.append(bar, element, scroll, source);
    const parts = { holder, bar, table, scroll, source, meta: null, view: null };
    const button = (label, action) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.dataset.action = label.toLowerCase();
      b.addEventListener("click", action);
      bar.appendChild(b);
      return b;
    };
    const name = element.id || "chart";
    const showChart = button("Chart", () => toggle(false));
    const showTable = button("Table", () => toggle(true));
    function toggle(asTable) {
      element.hidden = asTable;
      table.hidden = !asTable;
      showChart.setAttribute("aria-pressed", String(!asTable));
      showTable.setAttribute("aria-pressed", String(asTable));
    }
    toggle(false);
    button("CSV", () => {
      if (!parts.meta) return;
      const blob = new Blob([csv(parts.meta)], { type: "text/csv" });
      const url = URL.createObjectURL(blob);
      download(url, `${name}.csv`);
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    });
    for (const format of ["PNG", "SVG"]) {
      button(format, async () => {
        if (parts.view) download(await parts.view.toImageURL(format.toLowerCase(), 2), `${name}.${format.toLowerCase()}`);
      });
    }
    element.figureParts = parts;
    return parts;
  }

  function tableRows(meta) {
    return meta.rows.map((row) => meta.columns.map((column) => {
      const value = row[column];
      if (row.iso3 && ["name", "country", "iso3"].includes(column) && value) return countryLink(row.iso3, value);
      return value;
    }));
  }

  // Render a spec as a figure: the chart, its table alternative, downloads and source line.
  async function embed(element, spec) {
    const parts = frame(element);
    const meta = spec.usermeta || null;
    parts.meta = meta;
    if (meta) {
      const head = document.createElement("thead");
      const row = document.createElement("tr");
      for (const column of meta.columns) {
        const th = document.createElement("th");
        th.scope = "col";
        th.textContent = column.replace(/_/g, " ");
        row.appendChild(th);
      }
      head.appendChild(row);
      parts.table.replaceChildren(head, document.createElement("tbody"));
      fillTable(parts.table, tableRows(meta));
      parts.source.textContent = meta.source ? `Source: ${meta.source}.` : "";
    }
    if (parts.view) parts.view.finalize();
    let result = await vegaEmbed(element, fitted(spec, element), embedOptions);
    // axis titles, facet headers and legends add to the plot's width: shrink it by the excess
    const inner = spec.spec || spec;
    const excess = Math.ceil(element.querySelector("canvas").getBoundingClientRect().width) - element.clientWidth;
    if (excess > 0 && typeof inner.width === "number") {
      result.view.finalize();
      inner.width -= excess;
      result = await vegaEmbed(element, spec, embedOptions);
    }
    parts.view = result.view;
    const title = typeof spec.title === "string" ? spec.title : (spec.title && spec.title.text) || "chart";
    const canvas = element.querySelector("canvas");
    if (canvas) canvas.setAttribute("aria-label", `${title}: the Table button shows the same data`);
    element.dataset.rendered = "true";
    return result;
  }

  // Empty a figure: no chart, table, source or download left from an earlier answer.
  function clearFigure(element) {
    const parts = element.figureParts;
    if (parts) {
      if (parts.view) parts.view.finalize();
      parts.view = null;
      parts.meta = null;
      parts.table.replaceChildren();
      parts.source.textContent = "";
    }
    element.replaceChildren();
    element.dataset.rendered = "false";
  }

  // Fetch a chart spec (waiting out 202 "computing" answers) and render it as a figure.
  async function chart(element, url) {
    element.dataset.rendered = "false";
    element.classList.add("loading");
    try {
      const spec = await patientJSON(url, (message) => {
        element.dataset.rendered = "pending";
        element.textContent = message;
        status(message);
      });
      element.textContent = "";
      return await embed(element, spec);
    } catch (error) {
      element.textContent = error.message;
      element.dataset.rendered = "error";
      throw error;
    } finally {
      element.classList.remove("loading");
    }
  }

  // The header's type-ahead: every country as "Name (ISO3)", loaded on first focus.
  function searchBox() {
    const input = document.getElementById("country-search");
    const options = document.getElementById("country-options");
    if (!input || !options) return;
    let loaded = false;
    input.addEventListener("focus", async () => {
      if (loaded) return;
      loaded = true;
      try {
        const countries = await getJSON("/api/countries");
        options.replaceChildren(...countries.map((c) => {
          const option = document.createElement("option");
          option.value = `${c.name} (${c.iso3})`;
          return option;
        }));
      } catch (error) {
        loaded = false;
        status(error.message);
      }
    });
  }
  searchBox();

  return { getJSON, embed, chart, clearFigure, status, fillTable, countryLink };
})();
