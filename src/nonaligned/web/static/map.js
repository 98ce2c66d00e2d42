"use strict";
// World map page: choropleth by index class, lean or agreement; year slider with a play
// button; the whole view (year, colour, axis, pole) in the URL; click opens a profile.
(() => {
  const { chart, status } = window.nonaligned;
  const year = document.getElementById("year");
  const label = document.getElementById("year-label");
  const colour = document.getElementById("colour");
  const axis = document.getElementById("axis");
  const pole = document.getElementById("pole");
  const play = document.getElementById("play");
  const map = document.getElementById("map");
  const provisional = new Set((document.body.dataset.provisional || "").split(",").filter(Boolean));
  let playing = false;

  function showYear() {
    label.textContent = provisional.has(year.value) ? `${year.value} (provisional)` : year.value;
  }

  async function draw() {
    status("loading…");
    const params = new URLSearchParams({
      year: year.value, colour: colour.value, axis: axis.value, pole: pole.value,
    });
    try {
      const result = await chart(map, `/api/charts/map?${params}`);
      map.vegaView = result.view; // the rendered view, for scripts and tests driving the page
      result.view.addEventListener("click", (_event, item) => {
        const iso3 = item && item.datum && item.datum.iso3;
        if (iso3) window.location.assign(`/country/${encodeURIComponent(iso3)}`);
      });
      map.dataset.year = year.value;
      map.dataset.colour = colour.value;
      history.replaceState(null, "", `/?${params}`);
      status("");
    } catch (error) {
      status(error.message);
    }
  }

  // Play: step through the years, each drawn before the next; Pause (or the last year) stops.
  async function run() {
    playing = !playing;
    play.textContent = playing ? "Pause" : "Play";
    play.setAttribute("aria-pressed", String(playing));
    if (playing && year.value === year.max) year.value = year.min;
    while (playing && Number(year.value) <= Number(year.max)) {
      showYear();
      await draw();
      await new Promise((resolve) => setTimeout(resolve, 600));
      if (year.value === year.max) break;
      year.value = String(Number(year.value) + 1);
    }
    playing = false;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  }

  year.addEventListener("input", showYear);
  year.addEventListener("change", draw);
  play.addEventListener("click", run);
  for (const select of [colour, axis, pole]) select.addEventListener("change", draw);
  showYear();
  draw();
})();
