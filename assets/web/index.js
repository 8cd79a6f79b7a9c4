"use strict";
fetch("/api/v1/status").then((response) => response.json()).then((status) => {
  document.getElementById("heading").textContent = `${status.event_short} · ${status.room}`;
}).catch(() => {});
