/* The duty queue's rota: while this page is open it keeps the worker on duty for live
   chats (casework/duty.py), shows the families waiting to talk now, and alerts the worker
   (the tab's title, a mark, a short tone) when a new one asks. */
(function () {
  "use strict";
  var panel = document.getElementById("rota");
  if (!panel) { return; }
  var api = panel.getAttribute("data-api");
  var csrf = panel.getAttribute("data-csrf");
  var status = document.getElementById("rota-status");
  var list = document.getElementById("waiting");
  var alert = document.getElementById("waiting-alert");
  var form = document.getElementById("rota-form");
  var toggle = document.getElementById("rota-toggle");
  var title = document.title;
  var known = null;  // references already waiting when last seen (null: not loaded yet)
  var available = form.querySelector("[name=available]").value === "no";

  function show(state) {
    available = state.available;
    status.textContent = (available ? "You are on duty for live chats while this page is open." :
      "You are not taking live chats.") + (state.on_duty.length ?
      " On duty now: " + state.on_duty.join(", ") + "." :
      " Nobody is on duty for live chats: families are given the phone numbers.");
    toggle.textContent = available ? "Stop taking live chats" : "Take live chats";
    form.querySelector("[name=available]").value = available ? "no" : "yes";
    while (list.firstChild) { list.removeChild(list.firstChild); }
    state.waiting.forEach(function (family) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "cases/" + encodeURIComponent(family.reference);
      link.textContent = family.reference;
      item.appendChild(link);
      item.appendChild(document.createTextNode(", waiting since " +
        new Date(family.requested_at).toLocaleTimeString("en-GB",
          { hour: "2-digit", minute: "2-digit" })));
      list.appendChild(item);
    });
    if (!state.waiting.length) {
      var none = document.createElement("li");
      none.textContent = "Nobody is waiting.";
      list.appendChild(none);
    }
    var now = state.waiting.map(function (family) { return family.reference; });
    var fresh = known === null ? [] : now.filter(function (r) { return known.indexOf(r) < 0; });
    known = now;
    if (fresh.length) {
      document.title = "(" + now.length + ") Waiting to talk – " + title;
      panel.classList.add("waiting-new");
      alert.textContent = fresh.length === 1 ? "A family is waiting to talk to someone now: " +
        fresh[0] + "." : fresh.length + " families are waiting to talk to someone now.";
      window.queuePage.tone(660, 0.3);
    } else if (!now.length) {
      document.title = title;
      panel.classList.remove("waiting-new");
      alert.textContent = "";
    }
  }

  function call(method, body) {
    return window.queuePage.call(api, csrf, method, body);
  }

  function refresh() {
    call("GET").then(show).catch(function () {
      status.textContent = "The queue cannot be reached: live chats may not reach you.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    call("POST", { available: !available }).then(show).catch(function () { form.submit(); });
  });
  refresh();
  window.setInterval(refresh, 5000);
})();
