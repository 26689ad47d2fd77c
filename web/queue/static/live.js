/* The case page's live chat: take over the family's chat, talk, hand back. */
(function () {
  "use strict";
  var panel = document.getElementById("live");
  if (!panel) { return; }
  var base = panel.getAttribute("data-api");
  var csrf = panel.getAttribute("data-csrf");
  var log = document.getElementById("live-log");
  var status = document.getElementById("live-status");
  var start = document.getElementById("live-start");
  var end = document.getElementById("live-end");
  var form = document.getElementById("live-form");
  var input = document.getElementById("live-text");
  var shown = -1;
  var familySeen = -1;  // family messages the officer has seen (-1: not loaded yet)
  var unseen = 0;
  var title = document.title;
  var alert = document.getElementById("live-alert");

  /* A new family message: the tab's title counts it (seen from another tab), the panel
     is marked, and a short tone plays where the browser allows; all until the officer
     next uses the page. */
  function announce(count) {
    unseen += count;
    document.title = "(" + unseen + ") New message from the family – " + title;
    panel.classList.add("live-new");
    alert.textContent = unseen === 1 ? "New message from the family." :
      unseen + " new messages from the family.";
    window.queuePage.tone(880, 0.2);
  }

  function seen() {
    if (!unseen) { return; }
    unseen = 0;
    document.title = title;
    panel.classList.remove("live-new");
    alert.textContent = "";
  }

  function call(method, path, body) {
    return window.queuePage.call(base + path, csrf, method, body);
  }

  function show(state) {
    status.textContent = state.live ? "You are talking to the family. The assistant is silent." :
      state.online ? "The family has the chat open now." : "The family is not on the site now.";
    start.hidden = state.live;
    end.hidden = !state.live;
    form.hidden = !state.live;
    if (state.messages.length !== shown) {
      while (log.firstChild) { log.removeChild(log.firstChild); }
      state.messages.forEach(function (m) {
        var p = document.createElement("p");
        p.className = "live-" + m.from;
        var who = document.createElement("strong");
        who.textContent = { family: "Family", officer: "You", notice: "Note" }[m.from] + ": ";
        p.appendChild(who);
        p.appendChild(document.createTextNode(m.text));
        log.appendChild(p);
      });
      shown = state.messages.length;
    }
    var family = state.messages.filter(function (m) { return m.from === "family"; }).length;
    if (familySeen >= 0 && family > familySeen) { announce(family - familySeen); }
    familySeen = family;
  }

  function fail(error) { status.textContent = "Could not do that: " + error.message; }
  function refresh() { call("GET", "").then(show).catch(function () {}); }

  start.addEventListener("click", function () {
    call("POST", "/start").then(function (state) { show(state); input.focus(); }).catch(fail);
  });
  end.addEventListener("click", function () {
    call("POST", "/end").then(function (state) { show(state); start.focus(); }).catch(fail);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    call("POST", "/message", { text: text })
      .then(function (state) { input.value = ""; show(state); }).catch(fail);
  });
  /* Cleared on a click, not on pointerdown: the alert's line goes when it is cleared, and
     a button that moved between pointerdown and pointerup would not get its click. */
  ["keydown", "click"].forEach(function (kind) {
    document.addEventListener(kind, seen);
  });
  window.setInterval(refresh, 1500);
})();
