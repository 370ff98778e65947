// Polls an enrolment import's status and moves the progress bar; reloads the page when it is finished.
(function () {
  var box = document.querySelector("[data-import-status-url]");
  if (!box || box.getAttribute("data-finished") === "true" || !window.fetch) return;
  var url = box.getAttribute("data-import-status-url");
  var bar = box.querySelector("[data-import-bar]");
  var label = box.querySelector("[data-import-label]");
  var count = box.querySelector("[data-import-count]");
  var delay = 1000;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (state) {
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        label.textContent = state.status_label;
        if (state.total) count.textContent = state.processed + " / " + state.total;
        if (state.finished) {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.3, 5000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, delay);
})();
