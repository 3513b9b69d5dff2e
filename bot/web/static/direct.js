// « En direct » in the advisor workspace (every page: no inline script, CSP 'self').
// 1. Every page follows the live queue (server-sent events, polling as the fallback): a banner
//    while a merchant waits for a person, the browser's notification for a new one when the
//    team member allowed it, a sound if they chose one.
// 2. The queue page lists the waits as they come; a conversation page shows the lines as they
//    come, the merchant typing, and sends without reloading. Without JavaScript, every page
//    still works by its links and forms.
(function () {
  "use strict";
  const base = document.body.dataset.direct;
  if (!base) return;
  const SEEN = "direct-vus";
  const SOUND = "direct-son";
  const POLL_MS = 3000;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }
  function stored(key, fallback) {
    try { return JSON.parse(sessionStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }

  // Follow `url` by server-sent events, or by polling `pollUrl` when the browser has none or the
  // stream keeps failing. `handlers` maps an event name to a function of its data.
  function follow(url, pollUrl, handlers, pollToEvents) {
    let failures = 0;
    let source = null;
    let timer = null;
    function poll() {
      fetch(pollUrl(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((reply) => (reply.ok ? reply.json() : null))
        .then((data) => { if (data) for (const [name, value] of pollToEvents(data)) handlers[name](value); })
        .catch(() => {})
        .finally(() => { timer = setTimeout(poll, POLL_MS); });
    }
    function start() {
      if (!window.EventSource) { poll(); return; }
      source = new EventSource(url());
      for (const name of Object.keys(handlers)) {
        source.addEventListener(name, (event) => { failures = 0; handlers[name](JSON.parse(event.data), event.lastEventId); });
      }
      source.addEventListener("error", () => {
        failures += 1;
        if (source.readyState === EventSource.CLOSED || failures > 3) { source.close(); source = null; poll(); }
      });
    }
    start();
    return { stop: () => { if (source) source.close(); if (timer) clearTimeout(timer); } };
  }

  // ---- 1. the queue, on every page
  const banner = document.getElementById("direct-alerte");
  const link = document.getElementById("direct-lien");
  const list = document.getElementById("direct-file");
  let audio = null;
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.1;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound: the banner and the notification stay */ }
  }
  function notify(chat) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const shown = new Notification("100 % NumériQC : un commerçant attend", {
      body: `${chat.name} souhaite parler à une personne en direct.`, tag: `direct-${chat.id}`,
    });
    shown.addEventListener("click", () => { window.focus(); location.href = base; });
  }
  function renderList(waiting) {
    if (!list) return;
    const csrf = list.dataset.csrf;
    const items = waiting.map((chat) => {
      const item = el("li");
      const who = el("p");
      who.append(el("strong", {}, chat.name), document.createTextNode(chat.business ? ` (${chat.business})` : ""));
      const form = el("form", { method: "post", action: `${base}/${chat.id}/prendre` });
      form.append(el("input", { type: "hidden", name: "csrf", value: csrf }));
      const take = el("button", { type: "submit" }, "Prendre");
      take.append(el("span", { class: "sr-only" }, ` la conversation avec ${chat.name}`));
      form.append(take);
      item.append(who, el("p", { class: "wish" }, `« ${chat.wish} »`), form);
      return item;
    });
    if (!items.length) { list.replaceChildren(el("p", {}, "Personne n'attend en ce moment.")); return; }
    const ul = el("ul", { class: "direct-list" });
    ul.append(...items);
    list.replaceChildren(ul);
  }
  function onQueue(summary) {
    const waiting = summary.waiting || [];
    const seen = new Set(stored(SEEN, []));
    const fresh = waiting.filter((chat) => !seen.has(chat.id));
    for (const chat of fresh) { seen.add(chat.id); notify(chat); }
    try { sessionStorage.setItem(SEEN, JSON.stringify([...seen].slice(-200))); } catch (e) { /* private mode */ }
    if (fresh.length && localStorage.getItem(SOUND) === "1") beep();
    if (link) link.textContent = waiting.length ? `En direct (${waiting.length})` : "En direct";
    renderList(waiting);
    if (!banner) return;
    if (!waiting.length || list) { banner.hidden = true; banner.replaceChildren(); return; }
    const first = waiting[0];
    const text = waiting.length === 1
      ? `${first.name} attend une personne en direct dans le clavardage.`
      : `${waiting.length} commerçants attendent une personne en direct dans le clavardage.`;
    const go = el("a", { href: base }, "Répondre");
    banner.replaceChildren(el("span", {}, text), go);
    banner.hidden = false;
  }
  follow(() => `${base}/flux`, () => `${base}/file.json`, { file: onQueue }, (data) => [["file", data]]);

  // Settings of the queue page: the browser's notifications, a sound.
  const settings = document.getElementById("direct-reglages");
  if (settings) {
    settings.hidden = false;
    const permission = document.getElementById("direct-permission");
    if ("Notification" in window && Notification.permission === "default") {
      permission.hidden = false;
      permission.addEventListener("click", () => {
        Notification.requestPermission().then(() => { permission.hidden = true; });
      });
    }
    const sound = document.getElementById("direct-son");
    sound.checked = localStorage.getItem(SOUND) === "1";
    sound.addEventListener("change", () => { localStorage.setItem(SOUND, sound.checked ? "1" : "0"); if (sound.checked) beep(); });
  }

  // ---- 2. a live conversation
  const log = document.getElementById("direct-log");
  if (!log) return;
  const composer = document.getElementById("message");
  const problem = document.getElementById("direct-erreur");
  const typing = document.getElementById("direct-ecrit");
  const state = document.getElementById("direct-etat");
  const SPEAKERS = { user: "Commerçant", bot: "Assistant", notice: "Clavardage" };
  let cursor = Number(log.dataset.apres) || 0;
  let typingTimer = null;

  const scroller = log.parentElement;
  function time(iso) { // in Québec time, as the page's own times: « 11 h 32 »
    const moment = iso ? new Date(iso) : new Date();
    const parts = new Intl.DateTimeFormat("fr-CA", { timeZone: "America/Toronto", hour: "numeric", minute: "2-digit", hourCycle: "h23" }).formatToParts(moment);
    const hour = parts.find((p) => p.type === "hour").value;
    const minute = parts.find((p) => p.type === "minute").value;
    return `${Number(hour)} h ${minute}`;
  }
  function addLine(line) {
    const item = el("li", { class: line.from === "user" ? "merchant" : line.from });
    item.append(el("span", { class: "speaker" }, SPEAKERS[line.from] || line.who), el("time", {}, time(line.at)));
    const text = el("p", {}, line.text);
    item.append(text);
    if (line.buttons && line.buttons.length) item.append(el("p", { class: "muted" }, `Boutons : ${line.buttons.map((b) => b.title).join(" · ")}`));
    log.append(item);
    scroller.scrollTop = scroller.scrollHeight;
    if (line.from === "user") { typing.textContent = ""; }
  }
  scroller.scrollTop = scroller.scrollHeight;
  let following = null;
  function ended() {
    state.textContent = "La conversation est terminée : l'assistant a repris la main.";
    for (const control of composer.querySelectorAll("textarea, button")) control.disabled = true;
    if (following) following.stop();
  }
  const handlers = {
    // The stream's event ids are the cursor: a poll after it resumes after the last line.
    ligne: (line, id) => { addLine(line); if (id) cursor = Number(id); },
    etat: (chat) => { if (chat.state === "ended") ended(); },
    ecrit: () => {
      typing.textContent = "Le commerçant écrit…";
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => { typing.textContent = ""; }, 4000);
    },
  };
  following = follow(
    () => `${log.dataset.flux}?apres=${cursor}`,
    () => `${log.dataset.lignes}?apres=${cursor}`,
    handlers,
    (data) => { cursor = data.cursor; return [...data.lines.map((line) => ["ligne", line]), ["etat", data.chat]]; },
  );

  const text = composer.querySelector("textarea");
  const csrf = composer.querySelector("input[name=csrf]").value;
  let lastPing = 0;
  text.addEventListener("input", () => {
    if (Date.now() - lastPing < 2500) return;
    lastPing = Date.now();
    fetch(composer.dataset.ecrit, { method: "POST", credentials: "same-origin", body: new URLSearchParams({ csrf: csrf }) }).catch(() => {});
  });
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!text.value.trim()) { text.focus(); return; }
    const body = new URLSearchParams(new FormData(composer));
    const button = composer.querySelector("button");
    button.setAttribute("aria-disabled", "true");
    fetch(composer.action, { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((reply) => {
        if (reply.ok) { text.value = ""; problem.hidden = true; lastPing = 0; return null; }
        return reply.json().then((data) => { throw new Error(data.error); });
      })
      .catch((error) => { problem.textContent = error.message || "Le message n'a pas pu être envoyé : réessayez dans un instant."; problem.hidden = false; })
      .finally(() => { button.setAttribute("aria-disabled", "false"); text.focus(); });
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); composer.requestSubmit(); }
  });
})();
