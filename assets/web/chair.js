"use strict";
// The chair's phone remote. The token comes once, from the address (#token=…, as the chair
// view's QR code gives it) or typed in, and is kept in this browser.
const TOKEN_KEY = "lectern-token";
const fromAddress = new URLSearchParams(location.hash.slice(1)).get("token");
if (fromAddress) {
  localStorage.setItem(TOKEN_KEY, fromAddress);
  // The token leaves the address bar, so that it is not shown or shared by accident.
  history.replaceState(null, "", location.pathname + location.search);
}
let status = null;
let connected = false;

function token() { return localStorage.getItem(TOKEN_KEY); }

function showLogin(visible) {
  Lectern.show("login", visible);
}

function feedback(text, isError) {
  const element = document.getElementById("feedback");
  element.textContent = text;
  element.classList.toggle("error", Boolean(isError));
}

async function send(body) {
  if (!token()) { showLogin(true); return; }
  if (Lectern.room && !body.room) body.room = Lectern.room;
  try {
    const response = await fetch("/api/v1/command", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": `Bearer ${token()}` },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (response.status === 401) {
      localStorage.removeItem(TOKEN_KEY);
      showLogin(true);
      feedback("The token was not accepted: scan the code again.", true);
      return;
    }
    if (!response.ok) {
      feedback(answer.error ? `${answer.error}${answer.help ? ` (${answer.help})` : ""}` : `Error ${response.status}`, true);
      return;
    }
    feedback("Done.", false);
    status = answer;
    tick();
  } catch (error) {
    feedback("The room's computer cannot be reached.", true);
  }
}

for (const button of document.querySelectorAll("button[data-command]")) {
  button.addEventListener("click", () => send(JSON.parse(button.dataset.command)));
}
document.getElementById("message-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("message-input");
  if (input.value.trim()) send({ command: "message", text: input.value.trim() });
  input.value = "";
});
document.getElementById("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = document.getElementById("token-input").value.trim();
  if (value) { localStorage.setItem(TOKEN_KEY, value); showLogin(false); feedback("", false); }
});
showLogin(!token());

// The preset messages come from the room's settings: their buttons are made again only when
// the list changes.
let presetsShown = null;
function drawPresets() {
  const presets = status.messages || [];
  const key = JSON.stringify(presets);
  if (key === presetsShown) return;
  presetsShown = key;
  const grid = document.getElementById("presets");
  for (const old of grid.querySelectorAll("button.preset")) old.remove();
  const clear = grid.querySelector("button.wide");
  for (const preset of presets) {
    const button = document.createElement("button");
    button.className = "warn preset";
    button.textContent = preset.text;
    button.addEventListener("click", () => send({ command: "message", text: preset.text }));
    grid.insertBefore(button, clear);
  }
}

function draw() {
  Lectern.drawNotice(status, connected);
  if (!status) return null;
  drawPresets();
  const zone = status.time_zone;
  Lectern.drawMessage(status);
  const blank = document.getElementById("blank");
  blank.textContent = status.blanked ? "Show the projector again" : "Blank the projector";
  blank.dataset.command = JSON.stringify({ command: status.blanked ? "unblank" : "blank" });
  for (const choice of document.querySelectorAll("button[data-policy]")) {
    choice.classList.toggle("chosen", choice.dataset.policy === status.policy);
    choice.setAttribute("aria-pressed", String(choice.dataset.policy === status.policy));
  }
  let ms = null;
  let phaseName = "neutral";
  if (status.live) {
    const live = status.live;
    ms = Lectern.remainingMs(status);
    phaseName = live.phase;
    Lectern.setText("countdown", Lectern.countdownText(ms));
    Lectern.setText("phase-word", Lectern.phaseWord(live, zone));
    Lectern.setText("title", Lectern.liveTitle(live));
    const parts = [status.room];
    if (live.talk_number) parts.push(`paper ${live.talk_number} of ${live.talk_count}`);
    if (live.delay_seconds) parts.push(`${live.delay_seconds > 0 ? "running" : "ahead by"} ${Math.round(Math.abs(live.delay_seconds) / 60)} min${live.delay_seconds > 0 ? " late" : ""}`);
    Lectern.setText("meta", parts.join(" · "));
    document.getElementById("pause").textContent = live.paused ? "Resume" : "Pause";
    if (live.projected_session_end && live.hard_stop && live.projected_session_end > live.hard_stop) {
      parts.push(`session ends ${Lectern.localTime(live.projected_session_end, zone)}`);
    }
    if (live.paused) ms = null;
  } else if (status.next) {
    ms = Lectern.msUntil(status.next.at);
    Lectern.setText("countdown", Lectern.countdownText(Math.max(ms, 0)));
    Lectern.setText("phase-word", "UNTIL THE NEXT ITEM");
    Lectern.setText("title", status.next.session.title);
    Lectern.setText("meta", `${status.room} · at ${Lectern.localTime(status.next.at, zone)}`);
  } else {
    Lectern.setText("countdown", "--:--");
    Lectern.setText("phase-word", "");
    Lectern.setText("title", "Nothing more in this room");
    Lectern.setText("meta", status.room);
  }
  Lectern.drawPhase(status, phaseName);
  return ms === null ? null : Lectern.untilNextSecond(ms);
}

const tick = Lectern.ticker(draw);
Lectern.connect({
  onStatus: (next) => { status = next; tick(); },
  onConnection: (up) => { connected = up; tick(); },
});
