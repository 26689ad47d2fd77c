/* The privacy-notice assistant's chat widget: one script tag, no dependencies.
 *
 *   <script src="/chat/widget.js" data-title="Ask about your data" defer></script>
 *
 * Optional: data-server (the chat server's address, default this page's), data-poll-ms.
 * Messages are rendered as text (links made clickable), never as HTML. The conversation
 * is kept in sessionStorage, so it survives a reload in the same tab and no longer.
 * Its id is issued and signed by the chat server (POST /chat/api/conversations) and sent
 * in the X-Conversation header, never in a URL; an id the server refuses (401: from
 * before a key change, say) is replaced by a new one and the call made again.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = {
    server: (script && script.getAttribute("data-server")) || "",
    title: (script && script.getAttribute("data-title")) || "Ask about your data",
    pollMs: parseInt((script && script.getAttribute("data-poll-ms")) || "1500", 10)
  };
  var STORE_KEY = "privacy-assistant-chat";
  var GREETING = "Hello. I can answer questions about how Children's Services uses " +
    "personal data, from its privacy notice. Please don't type names, addresses or " +
    "other personal details. If a child is in danger, call 999.";

  var state = load() || fresh();
  var el = {};
  var polling = null;
  var pollInFlight = false;
  var busy = false;
  var waiting = [];  // messages typed while the last one is still being answered
  var issuing = null;  // the request for a new conversation id, while it is under way

  /* `id` stays null until the server issues one (on the first call that needs it). */
  function fresh() {
    return { id: null, open: false, messages: [], after: 0, live: false, unread: 0 };
  }

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE_KEY)); }
    catch (e) { return null; }
  }

  function save() {
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); }
    catch (e) { /* private mode: the chat still works, it just won't survive a reload */ }
  }

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  /* Text with its web addresses as links and, in what the assistant or an officer
     says, its phone numbers as tap-to-call links ("0800 1111", "116 123", "999");
     everything else stays plain text. */
  var WEB_ADDRESS = "https?:\\/\\/[^\\s<>\"']+[^\\s<>\"'.,;:!?)]";
  var PHONE_NUMBER = "\\b(?:999|116 ?\\d{3}|0\\d{3,4}(?: ?\\d{3,4}){1,2})\\b";
  function appendText(parent, text, withNumbers) {
    var pattern = new RegExp("(" + WEB_ADDRESS + ")" +
      (withNumbers ? "|(" + PHONE_NUMBER + ")" : ""), "g");
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var link = match[1]
        ? make("a", { href: match[1], target: "_blank", rel: "noopener noreferrer" }, match[1])
        : make("a", { href: "tel:" + match[2].replace(/ /g, ""), "class": "pa-tel" }, match[2]);
      parent.appendChild(link);
      last = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function build() {
    el.launcher = make("button", { type: "button", "class": "pa-launcher",
      "aria-expanded": "false", "aria-controls": "pa-panel" }, config.title);
    /* Messages an officer sent while the panel was closed: a count on the launcher. */
    el.badge = make("span", { "class": "pa-badge", "aria-hidden": "true", hidden: "" });
    el.launcher.appendChild(el.badge);
    el.panel = make("section", { id: "pa-panel", "class": "pa-panel", role: "region",
      "aria-labelledby": "pa-title", hidden: "" });
    var head = make("div", { "class": "pa-head" });
    head.appendChild(make("h2", { id: "pa-title", "class": "pa-title" }, config.title));
    el.close = make("button", { type: "button", "class": "pa-close" }, "Close");
    el.close.setAttribute("aria-label", "Close the chat");
    head.appendChild(el.close);
    el.panel.appendChild(head);

    el.banner = make("p", { "class": "pa-banner", hidden: "" },
      "You are now talking to a person from the council.");
    el.panel.appendChild(el.banner);

    el.log = make("div", { "class": "pa-log", role: "log", "aria-live": "polite",
      "aria-relevant": "additions", "aria-label": "Conversation", tabindex: "0" });
    el.panel.appendChild(el.log);
    el.typing = make("p", { "class": "pa-typing", hidden: "" }, "The assistant is typing…");
    el.panel.appendChild(el.typing);

    el.form = make("form", { "class": "pa-form" });
    var label = make("label", { "for": "pa-input", "class": "pa-label" },
      "Your question");
    el.input = make("input", { id: "pa-input", type: "text", autocomplete: "off",
      maxlength: "1000" });
    el.send = make("button", { type: "submit", "class": "pa-send" }, "Send");
    el.form.appendChild(label);
    el.form.appendChild(el.input);
    el.form.appendChild(el.send);
    el.panel.appendChild(el.form);

    var tools = make("div", { "class": "pa-tools" });
    el.restart = make("button", { type: "button", "class": "pa-tool" }, "Start again");
    el.forget = make("button", { type: "button", "class": "pa-tool" },
      "Forget this conversation");
    tools.appendChild(el.restart);
    tools.appendChild(el.forget);
    el.panel.appendChild(tools);

    document.body.appendChild(el.launcher);
    document.body.appendChild(el.panel);

    el.launcher.addEventListener("click", function () { setOpen(!state.open); });
    el.close.addEventListener("click", function () { setOpen(false); });
    el.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { setOpen(false); }
    });
    el.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = el.input.value.trim();
      if (text) { el.input.value = ""; send({ text: text }, text); }
    });
    el.restart.addEventListener("click", restart);
    el.forget.addEventListener("click", forget);
  }

  function setOpen(open, quiet) {
    state.open = open;
    save();
    el.panel.hidden = !open;
    el.launcher.setAttribute("aria-expanded", String(open));
    el.launcher.hidden = open;
    if (open) {
      state.unread = 0;
      save();
      showUnread();
      if (!state.messages.length) { add({ from: "bot", text: GREETING }); }
      if (!quiet) { el.input.focus(); }
      startPolling();
    } else if (!quiet) {
      el.launcher.focus();
    }
  }

  /* One message in the log; `restoring` skips saving (and so re-announcing). */
  function render(message) {
    var item = make("div", { "class": "pa-msg pa-" + message.from });
    var who = { you: "You said", bot: "Assistant", officer: "Officer", notice: "Note" };
    item.appendChild(make("span", { "class": "pa-visually-hidden" },
      (who[message.from] || "Assistant") + ": "));
    (message.text || "").split("\n").forEach(function (line, index) {
      if (!line.trim()) { return; }
      var p = make("p", { "class": /^Source:/.test(line) ? "pa-source" : "" });
      appendText(p, line, message.from !== "you");
      item.appendChild(p);
    });
    if (message.buttons && message.buttons.length) {
      var group = make("div", { "class": "pa-buttons", role: "group",
        "aria-label": "Suggested replies" });
      message.buttons.forEach(function (button) {
        var b = make("button", { type: "button", "class": "pa-reply" }, button.title);
        // The payload is the server's signed token for the button, sent back as is.
        b.addEventListener("click", function () {
          send({ button: button.payload }, button.title);
        });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    el.log.appendChild(item);
    el.log.scrollTop = el.log.scrollHeight;
  }

  function add(message) {
    state.messages.push(message);
    save();
    render(message);
  }

  /* Rasa's REST replies: text (with buttons) and `custom` come as separate messages. */
  function addReplies(replies) {
    replies.forEach(function (reply) {
      if (reply.text) {
        add({ from: "bot", text: reply.text, buttons: reply.buttons || [] });
      }
    });
  }

  function request(method, path, body, conversation) {
    var options = { method: method, headers: { "Content-Type": "application/json" } };
    if (conversation) { options.headers["X-Conversation"] = conversation; }
    if (body) { options.body = JSON.stringify(body); }
    return window.fetch(config.server + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        // A refusal the server words for the family (too fast, too long) is shown.
        if (response.ok || (body && body.messages)) { return body; }
        var error = new Error("status " + response.status);
        error.status = response.status;
        throw error;
      });
    });
  }

  /* The conversation's id: the stored one, or a new one from the server (one request
   * however many calls wait for it). */
  function conversationId() {
    if (state.id) { return Promise.resolve(state.id); }
    if (!issuing) {
      issuing = request("POST", "/chat/api/conversations", {}).then(function (body) {
        issuing = null;
        if (!body.conversation) { throw new Error("no conversation id"); }
        state.id = body.conversation;
        save();
        return state.id;
      }, function (error) { issuing = null; throw error; });
    }
    return issuing;
  }

  /* A call about this conversation; refused as unknown (401), it is made once more
   * with a new id. */
  function call(method, path, body, again) {
    return conversationId().then(function (id) {
      return request(method, path, body, id).catch(function (error) {
        if (error.status !== 401 || again) { throw error; }
        if (state.id === id) { state.id = null; save(); }
        return call(method, path, body, true);
      });
    });
  }

  function setBusy(value) {
    busy = value;
    el.typing.hidden = !value || state.live;
  }

  /* `body` is { text: what was typed } or { button: a button's token }. */
  function send(body, shown) {
    if (busy) { waiting.push([body, shown]); return; }
    add({ from: "you", text: shown });
    setBusy(true);
    call("POST", "/chat/api/message", body)
      .then(function (reply) {
        setLive(reply.live);
        addReplies(reply.messages || []);
      })
      .catch(function () {
        add({ from: "bot", text: "Sorry, your message could not be sent. Please try " +
          "again. If a child is in danger, call 999." });
      })
      .then(function () {
        setBusy(false);
        if (waiting.length) { send.apply(null, waiting.shift()); } else { el.input.focus(); }
      });
  }

  function setLive(live) {
    state.live = !!live;
    save();
    el.banner.hidden = !state.live;
  }

  function showUnread() {
    var count = state.unread || 0;
    el.badge.textContent = count ? String(count) : "";
    el.badge.hidden = !count;
    el.launcher.setAttribute("aria-label", count ? config.title + ": " + count + " new " +
      (count === 1 ? "message" : "messages") + " from a person at the council" : config.title);
  }

  /* One poll at a time (a slow answer must not be fetched twice), and each message once.
     While an officer is talking to the family, polling goes on with the panel closed, so
     that what the officer writes is counted on the launcher instead of waiting unseen. */
  function poll() {
    if (document.hidden || (!state.open && !state.live) || pollInFlight) { return; }
    pollInFlight = true;
    call("GET", "/chat/api/updates?after=" + state.after)
      .then(function (update) {
        setLive(update.live);
        (update.messages || []).forEach(function (message) {
          if (!(message.id > state.after)) { return; }
          state.after = message.id;
          add({ from: message.from === "officer" ? "officer" : "notice", text: message.text });
          if (!state.open && message.from === "officer") {
            state.unread = (state.unread || 0) + 1;
            save();
            showUnread();
          }
        });
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { pollInFlight = false; });
  }

  function startPolling() {
    if (!polling) { polling = window.setInterval(poll, config.pollMs); poll(); }
  }

  function clearLog() {
    while (el.log.firstChild) { el.log.removeChild(el.log.firstChild); }
  }

  function restart() {
    state = fresh();
    state.open = true;
    save();
    clearLog();
    setLive(false);
    add({ from: "bot", text: GREETING });
    el.input.focus();
  }

  function forget() {
    if (el.forget.getAttribute("data-confirm") !== "yes") {
      el.forget.setAttribute("data-confirm", "yes");
      el.forget.textContent = "Yes, delete this conversation";
      return;
    }
    el.forget.removeAttribute("data-confirm");
    el.forget.textContent = "Forget this conversation";
    var forgotten = state.id ? call("DELETE", "/chat/api/conversation")
      : Promise.resolve({ forgotten: true, cases_kept: 0 });  // nothing sent yet
    forgotten
      .then(function (result) {
        restart();
        var kept = result.cases_kept || 0;
        add({ from: "notice", text: "Your conversation has been deleted from the " +
          "assistant's server." + (kept === 1 ? " The request you sent is kept by the " +
          "council so that an officer can reply to you." : kept > 1 ? " The " + kept +
          " requests you sent are kept by the council so that an officer can reply to " +
          "you." : "") });
      })
      .catch(function () {
        add({ from: "notice", text: "Sorry, the conversation could not be deleted just " +
          "now. Please try again." });
      });
  }

  function start() {
    build();
    // Restored messages are not news: announce only what arrives from now on.
    el.log.setAttribute("aria-live", "off");
    state.messages.forEach(render);
    window.setTimeout(function () { el.log.setAttribute("aria-live", "polite"); }, 0);
    setLive(state.live);
    showUnread();
    if (state.open) { setOpen(true, true); } else if (state.live) { startPolling(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
