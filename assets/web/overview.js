"use strict";
// The hallway screen in a browser: every room at once, from /api/v1/venue, which the room's
// lectern computes. Rooms with something on get a card, the others a compact row after them;
// when they do not fit, pages turn every few seconds (`?page=SECONDS`, default 10), on every
// screen together, since the page is chosen from the clock. The page only lays out and counts
// minutes from the absolute instants it was sent.
const params = new URLSearchParams(location.search);
const pageSeconds = Math.max(1, Number(params.get("page")) || 10);
const rooms = params.get("rooms");
const REFRESH_MS = 10000;
let venue = null;
let offsetMs = 0;
let connected = false;
let failures = 0;

function nowMs() {
  return Date.now() + offsetMs;
}

function minutesLeft(endIso) {
  const seconds = Math.round((Date.parse(endIso) - nowMs()) / 1000);
  if (seconds < 0) return `${Math.ceil(-seconds / 60)} min over`;
  if (seconds < 60) return "ending";
  return `${Math.ceil(seconds / 60)} min left`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// How many slots a screen of this shape holds: a card takes three, a compact row one.
function capacity() {
  return window.innerWidth >= window.innerHeight ? { columns: 2, slots: 9 } : { columns: 1, slots: 21 };
}

function paginate(lines) {
  const { columns, slots } = capacity();
  const pages = [];
  let page = [];
  let column = [];
  let used = 0;
  for (const line of lines) {
    const cost = line.state === "live" ? 3 : 1;
    if (used + cost > slots && column.length > 0) {
      page.push(column);
      column = [];
      used = 0;
      if (page.length === columns) { pages.push(page); page = []; }
    }
    column.push(line);
    used += cost;
  }
  if (column.length > 0) page.push(column);
  if (page.length > 0) pages.push(page);
  return pages;
}

function card(line, zone) {
  const node = element("div", "room-card");
  const top = element("div", "room-top");
  top.append(element("span", "room-name", line.room));
  if (line.ends_at) {
    top.append(element("span", `room-left phase-${line.phase || "on_time"}`,
      `${minutesLeft(line.ends_at)} · until ${Lectern.localTime(line.ends_at, zone)}`));
  }
  node.append(top, element("div", "room-title", line.title));
  const people = line.speakers || line.session || "";
  if (people) node.append(element("div", "room-people", people));
  const bottom = element("div", "room-bottom");
  if (line.next_title && line.next_at) {
    bottom.append(element("span", "room-next", `Next ${Lectern.localTime(line.next_at, zone)}  ${line.next_title}`));
  }
  const notes = [...line.notes];
  if (line.source === "feed_down") notes.push("live feed down: schedule shown");
  if (notes.length > 0) bottom.append(element("span", "room-notes", notes.join(" · ")));
  node.append(bottom);
  return node;
}

function compact(line, zone) {
  const node = element("div", "room-compact");
  node.append(element("span", "room-name", line.room));
  let words = "Nothing more today";
  if (line.state === "venue_wide") words = "with all rooms (above)";
  else if (line.next_title && line.next_at) words = `Next ${Lectern.localTime(line.next_at, zone)}  ${line.next_title}`;
  node.append(element("span", "room-next", words));
  return node;
}

function draw() {
  const notices = [];
  if (!connected) notices.push("NOT CONNECTED: what is shown may be out of date");
  if (venue) for (const notice of venue.notices) notices.push(notice.text);
  Lectern.setText("notice", notices.join(" · "));
  Lectern.show("notice", notices.length > 0);
  document.getElementById("notice").classList.toggle("error", !connected);
  if (!venue) return;
  const zone = venue.time_zone;
  Lectern.setText("event", `${venue.event_short} · Now in every room`);
  Lectern.setText("clock", Lectern.localTime(new Date(nowMs()).toISOString(), zone));
  const wide = document.getElementById("venue-wide");
  wide.replaceChildren(...venue.venue_wide.map((item) => element("div", "venue-item",
    `All rooms: ${item.title} · until ${Lectern.localTime(item.ends_at, zone)}${item.location ? ` · ${item.location}` : ""}`)));
  const ordered = [...venue.rooms.filter((line) => line.state === "live"), ...venue.rooms.filter((line) => line.state !== "live")];
  const pages = paginate(ordered);
  const index = pages.length > 0 ? Math.floor(nowMs() / 1000 / pageSeconds) % pages.length : 0;
  Lectern.setText("pages", pages.length > 1 ? `Page ${index + 1} of ${pages.length}` : "");
  const container = document.getElementById("rooms");
  const page = pages[index] || [];
  container.style.gridTemplateColumns = `repeat(${page.length > 1 || pages.length > 1 ? capacity().columns : 1}, minmax(0, 1fr))`;
  container.replaceChildren(...page.map((column) => {
    const node = element("div", "room-column");
    node.append(...column.map((line) => (line.state === "live" ? card(line, zone) : compact(line, zone))));
    return node;
  }));
}

async function refresh() {
  try {
    const response = await fetch(`/api/v1/venue${rooms ? `?rooms=${encodeURIComponent(rooms)}` : ""}`, { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const next = await response.json();
    offsetMs = next.now_ms - Date.now();
    venue = next;
    connected = true;
    failures = 0;
  } catch (error) {
    failures += 1;
    connected = failures < 2 && venue !== null ? connected : false;
  }
  draw();
}

// Redraw at each page turn and each minute; ask the room again every ten seconds.
function tick() {
  draw();
  const now = nowMs();
  const untilPage = pageSeconds * 1000 - (now % (pageSeconds * 1000));
  const untilMinute = 60000 - (now % 60000);
  setTimeout(tick, Math.min(untilPage, untilMinute) + 20);
}
refresh();
setInterval(refresh, REFRESH_MS);
tick();
