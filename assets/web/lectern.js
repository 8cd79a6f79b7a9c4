// What every lectern page shares: the live connection to the room, the offset to the
// server's clock, and the countdown text. Pages draw what the server computed; the only
// arithmetic here is the countdown between pushes, from the absolute end the server sent and
// the measured clock offset, never by counting ticks, so a page does not drift.
"use strict";

const Lectern = (() => {
  const params = new URLSearchParams(location.search);
  const room = params.get("room");

  // Clock offset: each ping measures the server's clock at the midpoint of a round trip.
  // The sample with the shortest round trip of the last few is the most exact.
  let clockSamples = [];
  let speed = 1;
  const MAX_SAMPLES = 8;

  function addClockSample(sentAt, receivedAt, serverMs, serverSpeed) {
    speed = serverSpeed;
    clockSamples.push({ rtt: receivedAt - sentAt, mid: (sentAt + receivedAt) / 2, serverMs });
    if (clockSamples.length > MAX_SAMPLES) clockSamples.shift();
  }

  function bestSample() {
    let best = null;
    for (const sample of clockSamples) if (!best || sample.rtt < best.rtt) best = sample;
    return best;
  }

  // The server's clock now, in milliseconds since 1970 (the rehearsal clock in a rehearsal).
  function serverNow() {
    const sample = bestSample();
    if (!sample) return Date.now();
    return sample.serverMs + (performance.now() - sample.mid) * speed;
  }

  // The same rounding as the projector: whole seconds, rounded up, so 00:00 is the end.
  function countdownText(ms) {
    const total = Math.ceil(ms / 1000);
    const overtime = total < 0;
    let seconds = Math.abs(total);
    const days = Math.floor(seconds / 86400);
    const hours = Math.floor((seconds % 86400) / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    seconds %= 60;
    const two = (n) => String(n).padStart(2, "0");
    let text;
    if (days === 0 && hours === 0) text = `${two(minutes)}:${two(seconds)}`;
    else if (days === 0) text = `${hours}:${two(minutes)}:${two(seconds)}`;
    else text = `${days} day${days === 1 ? "" : "s"} ${hours}:${two(minutes)}:${two(seconds)}`;
    return (overtime ? "+" : "") + text;
  }

  // Milliseconds left on the big countdown of a status, at the server's clock now.
  function remainingMs(status) {
    if (!status || !status.live) return null;
    if (status.live.paused) return status.live.remaining_ms;
    return Date.parse(status.live.countdown_end) - serverNow();
  }

  // Milliseconds until an absolute instant, by the server's clock.
  function msUntil(iso) {
    return Date.parse(iso) - serverNow();
  }

  // Times of day as the room's settings write them: 24-hour ("14:05") or 12-hour ("2:05 PM").
  let twelveHour = false;
  function localTime(iso, zone) {
    try {
      const options = twelveHour
        ? { hour: "numeric", minute: "2-digit", hourCycle: "h12", timeZone: zone }
        : { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone };
      return new Intl.DateTimeFormat(twelveHour ? "en-US" : "en-GB", options).format(new Date(iso));
    } catch (error) {
      return new Date(iso).toISOString().slice(11, 16);
    }
  }

  const PHASE_WORDS = { on_time: "ON TIME", warning: "WARNING", danger: "WRAP UP", overtime: "OVERTIME" };

  // The paper the room waits for after the chair ended one early, if it waits for a paper.
  function heldFor(live) {
    if (!live.hold_until) return null;
    const next = live.remaining_talks[0];
    return next && next.projected_start === live.hold_until ? next : null;
  }

  // The phase in words, as the projector says it: QUESTIONS in a talk's question part, the
  // next paper's time while the room waits for it.
  function phaseWord(live, zone) {
    if (live.hold_until) {
      const at = localTime(live.hold_until, zone);
      return heldFor(live) ? `NEXT PAPER AT ${at}` : `SESSION ENDS ${at}`;
    }
    const word = live.part === "questions" && live.phase !== "overtime" ? "QUESTIONS" : PHASE_WORDS[live.phase];
    return word + (live.paused ? " · PAUSED" : "");
  }

  // The title to show: the paper given, or the one waited for, or the session's.
  function liveTitle(live) {
    const held = heldFor(live);
    if (live.talk) return live.talk.title;
    return held ? held.talk.title : live.session.title;
  }

  function apiPath(path) {
    return room ? `${path}?room=${encodeURIComponent(room)}` : path;
  }

  // Follows the room over a WebSocket; reconnects with a growing pause. `onStatus` gets each
  // status, `onConnection` true or false as the link comes and goes.
  function connect({ onStatus, onConnection }) {
    let socket = null;
    let retryMs = 500;
    let pingTimer = null;
    let pingId = 0;
    const pending = new Map();

    function ping() {
      if (!socket || socket.readyState !== WebSocket.OPEN) return;
      pingId += 1;
      pending.set(pingId, performance.now());
      socket.send(JSON.stringify({ type: "ping", id: pingId }));
    }

    function open() {
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      socket = new WebSocket(`${scheme}//${location.host}${apiPath("/api/v1/events")}`);
      socket.onopen = () => {
        retryMs = 500;
        clockSamples = [];
        onConnection(true);
        // A burst of pings finds a short round trip; then one every ten seconds keeps up
        // with the system clocks' drift.
        for (let i = 0; i < 5; i += 1) setTimeout(ping, i * 150);
        pingTimer = setInterval(ping, 10000);
      };
      socket.onmessage = (event) => {
        let message;
        try { message = JSON.parse(event.data); } catch (error) { return; }
        if (message.type === "clock") {
          const sentAt = pending.get(message.id);
          pending.delete(message.id);
          if (sentAt !== undefined) addClockSample(sentAt, performance.now(), message.now_ms, message.speed);
        } else if (message.type === "status") {
          if (clockSamples.length === 0) {
            // Until the first ping returns, the status's own clock reading is the estimate.
            addClockSample(performance.now(), performance.now(), message.clock.now_ms, message.clock.speed);
            clockSamples = clockSamples.slice(-1).map((sample) => ({ ...sample, rtt: 1e9 }));
          }
          speed = message.clock.speed;
          twelveHour = message.clock_format === "12h";
          onStatus(message);
        } else if (message.error) {
          onConnection(false, message.error);
        }
      };
      socket.onclose = () => {
        clearInterval(pingTimer);
        onConnection(false);
        setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, 10000);
      };
    }
    open();
  }

  // Calls `draw` now, and again after the delay it returns (in milliseconds; nothing to wait
  // for when it returns null): pages ask to be drawn when the shown second or minute changes,
  // never more often.
  function ticker(draw) {
    let timer = null;
    function run() {
      clearTimeout(timer);
      const delay = draw();
      if (delay === null || delay === undefined || Number.isNaN(delay)) return;
      timer = setTimeout(run, Math.max(delay, 0) + 5);
    }
    return run;
  }

  // Real milliseconds for a stretch of the server's clock: a rehearsal clock may run faster
  // (or be stopped, when nothing moves: no redraw is needed then).
  function realMs(serverMs) {
    return speed > 0 ? serverMs / speed : null;
  }

  // How long, in real time, until a countdown showing `ms` shows another second.
  function untilNextSecond(ms) {
    const into = ((ms % 1000) + 1000) % 1000;
    return realMs(into === 0 ? 1000 : into);
  }

  // The shortest of some delays, leaving out those that never come (null).
  function soonest(...delays) {
    const known = delays.filter((delay) => delay !== null && delay !== undefined);
    return known.length === 0 ? null : Math.min(...known);
  }

  // How long, in real time, until the server's clock shows another minute.
  function untilNextMinute() {
    return realMs(60000 - (serverNow() % 60000));
  }

  function setText(id, text) {
    const element = document.getElementById(id);
    if (element && element.textContent !== text) element.textContent = text;
  }

  function show(id, visible) {
    const element = document.getElementById(id);
    if (element) element.hidden = !visible;
  }

  // What comes after the live item, as the projector says it: the next paper of the
  // session, or the room's next item with the time the room starts showing it.
  function nextLine(status) {
    if (status.live) {
      const held = heldFor(status.live);
      const next = status.live.remaining_talks.find((paper) => !held || paper.number > held.number);
      if (next) return `Next at ${localTime(next.projected_start, status.time_zone)}: ${next.talk.title}`;
    }
    if (status.next) return `Next: ${status.next.session.title} at ${localTime(status.next.at, status.time_zone)}`;
    return "";
  }

  // The line that says why a screen may be wrong: no connection, a stale schedule, a rehearsal.
  function noticeText(status, connected) {
    const parts = [];
    if (!connected) parts.push("NOT CONNECTED: the time shown may be wrong");
    if (status) for (const notice of status.notices) parts.push(notice.text);
    return parts.join(" · ");
  }

  // What every page draws the same way: the notice line, the chair's message, the phase's
  // colour and shape on the countdown.
  function drawNotice(status, connected) {
    setText("notice", noticeText(status, connected));
    show("notice", !connected || Boolean(status && status.notices.length > 0));
    const notice = document.getElementById("notice");
    if (notice) notice.classList.toggle("error", !connected);
  }

  function drawMessage(status) {
    setText("message", status.message || "");
    show("message", Boolean(status.message));
  }

  function drawPhase(status, phaseName) {
    document.getElementById("countdown").className = `countdown digits phase-${phaseName}`;
    document.getElementById("phase").className = `phase phase-${phaseName}`;
    document.getElementById("shape").className = status.live ? `shape shape-${phaseName}` : "";
  }

  return {
    room, apiPath, connect, serverNow,
    countdownText, remainingMs, msUntil, localTime, PHASE_WORDS, phaseWord, nextLine, liveTitle, heldFor,
    ticker, untilNextSecond, untilNextMinute, soonest,
    setText, show, noticeText, drawNotice, drawMessage, drawPhase,
  };
})();
