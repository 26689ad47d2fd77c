/* What the queue's pages share (live.js on the case page, duty.js on the duty queue):
   calls to the queue's JSON API with the CSRF header, and the short alert tone. */
(function () {
  "use strict";
  window.queuePage = {
    call: function (url, csrf, method, body) {
      return window.fetch(url, {
        method: method, credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: body ? JSON.stringify(body) : undefined
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { throw new Error(data.error || response.status); }
          return data;
        });
      });
    },
    tone: function (frequency, seconds) {
      try {
        var audio = new (window.AudioContext || window.webkitAudioContext)();
        var beep = audio.createOscillator();
        beep.frequency.value = frequency;
        beep.connect(audio.destination);
        beep.start();
        beep.stop(audio.currentTime + seconds);
      } catch (e) { /* no sound: the title and the mark still show it */ }
    }
  };
})();
