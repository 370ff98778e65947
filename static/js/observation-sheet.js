// The observation sheet on a phone: each answer is posted as it is given; answers that cannot be sent
// (no connection) wait in localStorage and are resent when the connection returns or the page reloads.
(function () {
  var form = document.querySelector("form[data-answer-url]");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-answer-url");
  var key = form.getAttribute("data-storage-key");
  var status = form.querySelector("[data-sheet-status]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var notes = form.querySelector("[data-notes]");
  var notesTimer = null;
  var retryTimer = null;

  function pending() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function store(values) {
    try { window.localStorage.setItem(key, JSON.stringify(values)); } catch (e) { /* private mode: sent now or never kept */ }
  }
  function say(name) { status.textContent = form.getAttribute(name); }

  function send(field, value) {
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", token);
    if (field === "notes") { body.append("notes", value); } else { body.append("item", field); body.append("value", value); }
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { Accept: "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (data) {
        var values = pending();
        // Saved, or refused for good (outside the scale, sheet submitted): either way it is no longer waiting.
        if (values[field] === value) { delete values[field]; store(values); }
        if (!data.saved) { status.textContent = data.error; }
        return data.saved;
      });
    });
  }

  // Fields being sent now: a field changed meanwhile is sent again once its first answer is back.
  var inflight = {};

  function flush() {
    var values = pending();
    var fields = Object.keys(values).filter(function (field) { return !inflight[field]; });
    if (!fields.length) return;
    say("data-saving-text");
    fields.forEach(function (field) {
      inflight[field] = true;
      send(field, values[field])
        .then(function (saved) {
          delete inflight[field];
          if (!saved) return;
          if (Object.keys(pending()).length) { flush(); } else if (!Object.keys(inflight).length) { say("data-saved-text"); }
        })
        .catch(function () { delete inflight[field]; say("data-pending-text"); retry(); });
    });
  }
  function retry() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, 10000);
  }

  function remember(field, value) {
    var values = pending();
    values[field] = value;
    store(values);
    flush();
  }

  // Answers given while offline, before a reload: shown again, then sent.
  var waiting = pending();
  Object.keys(waiting).forEach(function (field) {
    if (field === "notes") { if (notes) notes.value = waiting[field]; return; }
    var note = form.querySelector('textarea[name="item-' + field + '"]');
    if (note) { note.value = waiting[field]; return; }
    var input = form.querySelector('input[name="item-' + field + '"][value="' + waiting[field] + '"]');
    if (input) input.checked = true;
  });
  flush();

  form.addEventListener("change", function (event) {
    var item = event.target.getAttribute("data-item");
    if (item && !event.target.hasAttribute("data-note")) remember(item, event.target.value);
  });
  // A note item is sent a moment after the observer stops typing, as the free notes are.
  var noteTimers = {};
  form.addEventListener("input", function (event) {
    var target = event.target;
    if (!target.hasAttribute("data-note")) return;
    var item = target.getAttribute("data-item");
    window.clearTimeout(noteTimers[item]);
    noteTimers[item] = window.setTimeout(function () { remember(item, target.value); }, 800);
  });
  if (notes) {
    notes.addEventListener("input", function () {
      window.clearTimeout(notesTimer);
      notesTimer = window.setTimeout(function () { remember("notes", notes.value); }, 800);
    });
  }
  window.addEventListener("online", flush);
  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {
      event.preventDefault();
      say("data-pending-text");
      return;
    }
    // The form carries every answer itself; nothing needs to wait on the phone any more.
    store({});
  });
})();
