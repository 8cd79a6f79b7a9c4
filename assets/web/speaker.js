"use strict";
// The speaker's confidence monitor: the countdown as large as the screen allows, the phase by
// colour, word and shape, the chair's message, and what comes next.
let status = null;
let connected = false;

function draw() {
  Lectern.drawNotice(status, connected);
  if (!status) return null;
  const zone = status.time_zone;
  Lectern.setText("clock", Lectern.localTime(new Date(Lectern.serverNow()).toISOString(), zone));
  document.body.classList.toggle("blanked", status.blanked);
  Lectern.drawMessage(status);
  let ms = null;
  let phaseName = "neutral";
  if (status.live) {
    const live = status.live;
    ms = Lectern.remainingMs(status);
    phaseName = live.phase;
    Lectern.setText("countdown", Lectern.countdownText(ms));
    Lectern.setText("phase-word", Lectern.phaseWord(live, zone));
    Lectern.setText("where", `${status.room} · ${live.session.title}`);
    Lectern.setText("title", Lectern.liveTitle(live));
    Lectern.setText("next", Lectern.nextLine(status));
    if (live.paused) ms = null;
  } else if (status.next) {
    ms = Lectern.msUntil(status.next.at);
    Lectern.setText("countdown", Lectern.countdownText(Math.max(ms, 0)));
    Lectern.setText("phase-word", "UNTIL THE NEXT ITEM");
    Lectern.setText("where", status.room);
    Lectern.setText("title", status.next.session.title);
    Lectern.setText("next", `Starts at ${Lectern.localTime(status.next.at, zone)}`);
  } else {
    Lectern.setText("countdown", "--:--");
    Lectern.setText("phase-word", status.state === "after_event" ? "THE EVENT IS OVER" : "NOTHING MORE IN THIS ROOM");
    Lectern.setText("where", status.room);
    Lectern.setText("title", "");
    Lectern.setText("next", "");
  }
  Lectern.drawPhase(status, phaseName);
  // Tick again when the shown second changes; the header's minute needs no more than that.
  return Lectern.soonest(ms === null ? null : Lectern.untilNextSecond(ms), Lectern.untilNextMinute());
}

const tick = Lectern.ticker(draw);
Lectern.connect({
  onStatus: (next) => { status = next; tick(); },
  onConnection: (up) => { connected = up; tick(); },
});
