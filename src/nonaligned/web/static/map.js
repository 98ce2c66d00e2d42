"use strict";
// World map page: choropleth of agreement with a pole; year slider; click opens a profile.
(() => {
  const { chart, status } = window.nonaligned;
  const year = document.getElementById("year");
  const label = document.getElementById("year-label");
  const colour = document.getElementById("colour");
  const axis = document.getElementById("axis");
  const pole = document.getElementById("pole");
  const map = document.getElementById("map");
  let view = null;

  async function draw() {
    status("loading…");
    const params = new URLSearchParams({
      year: year.value, colour: colour.value, axis: axis.value, pole: pole.value,
    });
    const url = `/api/charts/map?${params}`;
    try {
      if (view) view.finalize();
      const result = await chart(map, url);
      view = result.view;
      map.vegaView = view; // the rendered view, for scripts and tests driving the page
      view.addEventListener("click", (_event, item) => {
        const iso3 = item && item.datum && item.datum.iso3;
        if (iso3) window.location.assign(`/country/${encodeURIComponent(iso3)}`);
      });
      map.dataset.year = year.value;
      map.dataset.colour = colour.value;
      history.replaceState(null, "", `/?year=${encodeURIComponent(year.value)}`);
      status("");
    } catch (error) {
      status(error.message);
    }
  }

  year.addEventListener("input", () => { label.textContent = year.value; });
  year.addEventListener("change", draw);
  for (const select of [colour, axis, pole]) select.addEventListener("change", draw);
  draw();
})();
