"use strict";
// The projector view in a browser, for a room whose display is a smart TV or another
// computer: the session, the paper and its speakers, the countdown, what is next, and in a
// break the rest of the day.
let status = null;
let connected = false;

function sessionLine(live) {
  const chairs = live.session.chairs.map((chair) => chair.name).join(", ");
  const parts = [live.session.title];
  if (live.talk_number && live.talk_count > 1) parts.push(`paper ${live.talk_number} of ${live.talk_count}`);
  if (chairs) parts.push(`chair: ${chairs}`);
  return parts.join(" · ");
}

function drawAgenda(entries, zone) {
  const list = document.getElementById("agenda");
  const items = entries.slice(0, 6).map((session) => {
    const item = document.createElement("li");
    const time = document.createElement("span");
    time.className = "time digits";
    time.textContent = Lectern.localTime(session.start, zone);
    item.append(time, session.title);
    return item;
  });
  list.replaceChildren(...items);
}

function draw() {
  Lectern.drawNotice(status, connected);
  if (!status) return null;
  const zone = status.time_zone;
  Lectern.setText("event", status.event_short);
  Lectern.setText("where", status.room);
  Lectern.setText("clock", Lectern.localTime(new Date(Lectern.serverNow()).toISOString(), zone));
  document.body.classList.toggle("blanked", status.blanked);
  Lectern.drawMessage(status);
  let ms = null;
  let phaseName = "neutral";
  let agenda = [];
  if (status.live) {
    const live = status.live;
    ms = Lectern.remainingMs(status);
    phaseName = live.phase;
    Lectern.setText("session", sessionLine(live));
    Lectern.setText("countdown", Lectern.countdownText(ms));
    Lectern.setText("phase-word", Lectern.phaseWord(live, zone));
    Lectern.setText("title", Lectern.liveTitle(live));
    const held = Lectern.heldFor(live);
    Lectern.setText("speakers", live.talk ? live.talk.speakers_line : held ? held.talk.speakers_line : "");
    Lectern.setText("next", Lectern.nextLine(status));
    if (live.paused) ms = null;
  } else if (status.next) {
    ms = Lectern.msUntil(status.next.at);
    Lectern.setText("session", status.state === "before_event" ? "Starting soon" : "Break");
    Lectern.setText("countdown", Lectern.countdownText(Math.max(ms, 0)));
    Lectern.setText("phase-word", `NEXT AT ${Lectern.localTime(status.next.at, zone)}`);
    Lectern.setText("title", status.next.session.title);
    const first = status.next.first_talk;
    Lectern.setText("speakers", first ? `${first.title} — ${first.speakers_line}` : "");
    Lectern.setText("next", "");
    agenda = status.later_today.filter((session) => session.id !== status.next.session.id);
  } else {
    Lectern.setText("session", "");
    Lectern.setText("countdown", "--:--");
    Lectern.setText("phase-word", status.state === "after_event" ? "THE EVENT IS OVER" : "NOTHING MORE IN THIS ROOM TODAY");
    Lectern.setText("title", "");
    Lectern.setText("speakers", "");
    Lectern.setText("next", "");
  }
  drawAgenda(agenda, zone);
  Lectern.drawPhase(status, phaseName);
  return Lectern.soonest(ms === null ? null : Lectern.untilNextSecond(ms), Lectern.untilNextMinute());
}

const tick = Lectern.ticker(draw);
Lectern.connect({
  onStatus: (next) => { status = next; tick(); },
  onConnection: (up) => { connected = up; tick(); },
});
