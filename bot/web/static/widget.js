// The 100 % NumériQC chat widget: one <script src="https://…/static/widget.js" defer> adds a
// launcher and a chat panel (full screen on a phone) to any page of an allowed origin. It talks to
// our web app's JSON API (/api, at this script's own origin): the conversation id is a random UUID
// kept in localStorage, and the conversation is read back from the server on every load.
// « Parler à une personne » during the team's opening hours puts the conversation in the live
// queue: the lines of the person who takes it come as server-sent events (/api/live/…/flux, or
// by polling when the browser cannot), with who wrote them and when they are typing.
// Every text is inserted with textContent (never as HTML).
(function () {
  "use strict";
  if (window.numeriqcWidget) return;
  window.numeriqcWidget = true;
  const script = document.currentScript;
  const BASE = new URL(script ? script.src : "/", location.href).origin;
  const KEY = "numeriqc-conversation";
  const UNREAD = "numeriqc-unread";
  const OPEN = "numeriqc-open";
  const TEXT = {
    open: "Clavarder avec l'assistant",
    title: "Assistant 100 % NumériQC",
    typing: "L'assistant écrit…",
    failed: "Votre message n'a pas été envoyé.",
    retry: "Réessayer",
    offline: "L'assistant n'est pas joignable pour le moment. Vérifiez votre connexion, puis réessayez.",
    waiting: "En attente d'une personne de l'équipe…",
    live: (who) => `En direct avec ${who}`,
    personTyping: (who) => `${who.split(",")[0]} écrit…`,
    withBot: "Vous clavardez avec un assistant virtuel. ",
    withPerson: "Vous clavardez avec une personne de l'équipe de 100 % NumériQC. ",
    personIntro: "Laissez votre nom, un courriel ou un numéro de téléphone et votre message : l'équipe de 100 % NumériQC vous répondra.",
  };
  const PERSON = "/faq_contact"; // the bot's « Parler à une personne » buttons open the same form
  const POLL_MS = 2500;

  const memory = {};
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return memory[key] || null; } }
  function save(key, value) { try { localStorage.setItem(key, value); } catch (e) { memory[key] = value; } }
  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  let sender = load(KEY);

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  // ---- the DOM, in a shadow root so the host page's styles neither leak in nor out
  const host = el("div", { id: "numeriqc-widget" });
  const root = host.attachShadow({ mode: "open" });
  root.appendChild(el("link", { rel: "stylesheet", href: BASE + "/static/widget.css" }));
  const launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "nq-panel" });
  const launcherText = el("span", {}, TEXT.open);
  const badge = el("span", { class: "badge", "aria-hidden": "true", hidden: "" });
  const unreadText = el("span", { class: "sr-only" });
  launcher.append(launcherText, unreadText, badge);
  const panel = el("section", { id: "nq-panel", class: "panel", role: "dialog", "aria-labelledby": "nq-title", hidden: "" });
  const header = el("div", { class: "head" });
  const title = el("h2", { id: "nq-title" }, TEXT.title);
  const close = el("button", { type: "button", class: "close", "aria-label": "Fermer le clavardage" }, "×");
  header.append(title, close);
  const liveBar = el("p", { class: "live-bar", role: "status", hidden: "" });
  const actions = el("div", { class: "actions" });
  const personButton = el("button", { type: "button" }, "Parler à une personne");
  const mailButton = el("button", { type: "button" }, "Recevoir la conversation par courriel");
  const restartButton = el("button", { type: "button" }, "Nouvelle conversation");
  const moreButton = el("button", { type: "button", class: "more", "aria-expanded": "false", "aria-controls": "nq-more" }, "Plus d'options");
  const more = el("div", { id: "nq-more", class: "more-actions", hidden: "" });
  more.append(mailButton, restartButton);
  actions.append(personButton, moreButton, more);
  function showMore(open) { more.hidden = !open; moreButton.setAttribute("aria-expanded", String(open)); }
  moreButton.addEventListener("click", () => showMore(more.hidden));
  mailButton.addEventListener("click", () => showMore(false));
  restartButton.addEventListener("click", () => showMore(false));
  const scroller = el("div", { class: "log", role: "log", "aria-live": "off", "aria-label": "Conversation", tabindex: "0" });
  const log = el("ol", { class: "messages" });
  scroller.appendChild(log);
  const typing = el("li", { class: "typing", "aria-hidden": "true", hidden: "" });
  typing.append(el("span", { class: "dot" }), el("span", { class: "dot" }), el("span", { class: "dot" }));
  log.appendChild(typing);
  const say = el("div", { class: "sr-only", "aria-live": "polite" }); // bot messages only
  const status = el("div", { class: "sr-only", role: "status" }); // « l'assistant écrit »
  const composer = el("form", { class: "composer", autocomplete: "off" });
  const inputLabel = el("label", { for: "nq-message", class: "sr-only" }, "Votre message");
  const input = el("input", { id: "nq-message", type: "text", maxlength: "2000", placeholder: "Écrivez votre question…", enterkeyhint: "send" });
  const sendButton = el("button", { type: "submit" }, "Envoyer");
  composer.append(inputLabel, input, sendButton);
  const notice = el("p", { class: "notice" }, TEXT.withBot);
  const privacy = el("a", { href: BASE + "/confidentialite", target: "_blank", rel: "noopener" }, "Politique de confidentialité");
  notice.appendChild(privacy);
  const sheet = el("div", { class: "sheet", hidden: "" }); // the person / e-mail forms
  const chat = el("div", { class: "chat" });
  chat.append(actions, scroller, composer, notice);
  panel.append(header, liveBar, chat, sheet, say, status);
  root.append(launcher, panel);

  // ---- messages
  const linkPattern = /\[([^\]]+)\]\(((?:https?:\/\/|\/)[^\s)]*)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?»])|\b(100numeriqc\.qcnum\.com)\b/g;
  function safeHref(raw) {
    if (/^\/(?!\/|\\)/.test(raw)) return BASE + raw; // our own paths, never "//other-host"
    try { const url = new URL(raw); return /^https?:$/.test(url.protocol) ? url.href : null; } catch (e) { return null; }
  }
  function appendText(parent, text) {
    let last = 0;
    let match;
    linkPattern.lastIndex = 0;
    while ((match = linkPattern.exec(text)) !== null) {
      const label = match[1] || match[3] || match[4];
      const href = safeHref(match[2] || match[3] || "https://" + match[4]);
      if (!href) continue;
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const a = el("a", { href: href, target: "_blank", rel: "noopener" }, label);
      a.appendChild(el("span", { class: "sr-only" }, " (nouvel onglet)"));
      parent.appendChild(a);
      last = linkPattern.lastIndex;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function clearOldButtons() {
    for (const row of log.querySelectorAll(".buttons")) row.remove();
  }

  function addMessage(kind, text, buttons, who) {
    const item = el("li", { class: kind });
    if (who) item.appendChild(el("p", { class: "who" }, who));
    if (text) {
      const bubble = el("div", { class: "bubble" });
      if (kind === "user") bubble.appendChild(el("span", { class: "sr-only" }, "Vous : "));
      appendText(bubble, text);
      item.appendChild(bubble);
    }
    if (buttons && buttons.length) {
      const row = el("div", { class: "buttons", role: "group", "aria-label": "Réponses proposées" });
      for (const b of buttons) {
        const button = el("button", { type: "button", "data-payload": b.payload }, b.title);
        button.addEventListener("click", () => {
          if (b.payload === PERSON) { openPerson(); return; }
          if (!busy) { clearOldButtons(); send(b.payload, b.title, true); }
        });
        row.appendChild(button);
      }
      item.appendChild(row);
    }
    log.insertBefore(item, typing);
    return item;
  }

  function scrollToEnd() { scroller.scrollTop = scroller.scrollHeight; }

  function showBot(messages) {
    if (messages.length) clearOldButtons();
    let first = null;
    for (const m of messages) {
      const item = addMessage("bot", m.text, m.buttons);
      item.setAttribute("tabindex", "-1");
      first = first || item;
      if (m.text) say.appendChild(el("p", {}, m.text));
    }
    while (say.childNodes.length > 6) say.firstChild.remove();
    if (panel.hidden && messages.length) setUnread(unread + messages.length);
    scrollToEnd();
    return first;
  }

  let unread = Number(load(UNREAD)) || 0;
  function setUnread(count) {
    unread = count;
    save(UNREAD, String(count));
    badge.hidden = count === 0;
    badge.textContent = String(count);
    unreadText.textContent = count ? ` (${count} nouveau${count > 1 ? "x" : ""} message${count > 1 ? "s" : ""})` : "";
  }
  setUnread(unread);

  // ---- one message in flight at a time
  let busy = false;
  function setBusy(value) {
    busy = value;
    const quiet = isLive(); // a person answers: the assistant is not writing
    typing.hidden = !value || quiet;
    composer.setAttribute("aria-busy", String(value));
    sendButton.setAttribute("aria-disabled", String(value));
    status.textContent = value && !quiet ? TEXT.typing : "";
    if (value) scrollToEnd();
  }

  async function api(path, body) {
    const reply = await fetch(BASE + path, body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    let data = {};
    try { data = await reply.json(); } catch (e) { /* not JSON: an error page */ }
    return { ok: reply.ok, status: reply.status, data: data };
  }

  function conversationId() {
    if (!sender) { sender = newId(); save(KEY, sender); }
    return sender;
  }

  let pending = null; // the failed message, for « Réessayer » and the return of the network
  // Messages typed while a reply is on its way wait their turn: one in flight, replies in order.
  let queue = Promise.resolve();
  function send(text, shownAs, fromButton) {
    const mine = shownAs === null ? null : addMessage("user", shownAs || text);
    scrollToEnd();
    queue = queue.then(() => deliver(text, shownAs, fromButton, mine));
    return queue;
  }
  async function deliver(text, shownAs, fromButton, mine) {
    setBusy(true);
    let answer;
    try {
      answer = await api("/api/messages", { sender: conversationId(), message: text });
    } catch (e) {
      answer = null;
    }
    setBusy(false);
    if (answer && answer.ok) {
      const first = showBot(answer.data.messages || []);
      if (fromButton && first && !panel.hidden) { first.focus({ preventScroll: true }); scrollToEnd(); }
      return;
    }
    failed(text, shownAs, mine, answer ? answer.data.error : TEXT.offline, fromButton);
  }

  function failed(text, shownAs, mine, why, fromButton) {
    const item = el("li", { class: "error" });
    const bubble = el("div", { class: "bubble", role: "alert" }, (mine ? TEXT.failed + " " : "") + (why || TEXT.offline));
    const again = el("button", { type: "button", class: "retry" }, TEXT.retry);
    item.append(bubble, again);
    log.insertBefore(item, typing);
    scrollToEnd();
    pending = async () => {
      pending = null;
      item.remove();
      if (mine) mine.remove();
      // The message may have arrived before the network dropped: read the server's copy first.
      if (mine && await resync(text)) return;
      send(text, shownAs, fromButton);
    };
    again.addEventListener("click", () => { if (pending) pending(); });
  }
  window.addEventListener("online", () => { if (pending) pending(); });

  function render(messages) {
    for (const item of log.querySelectorAll("li:not(.typing)")) item.remove();
    for (const m of messages) {
      const kind = { user: "user", advisor: "advisor", notice: "note" }[m.from] || "bot";
      const item = addMessage(kind, m.text, m.buttons, kind === "advisor" ? m.who : "");
      if (m.from !== "user") item.setAttribute("tabindex", "-1");
    }
    const last = log.querySelectorAll("li:not(.typing)");
    // Only the latest bot turn keeps its buttons: older choices leave the Tab order.
    const end = last.length ? last[last.length - 1] : null;
    for (const row of log.querySelectorAll(".buttons")) if (!end || row.parentNode !== end) row.remove();
    scrollToEnd();
  }

  // Read the conversation back; true when its last merchant message is `sent` (already answered).
  async function resync(sent) {
    try {
      const answer = await api("/api/conversations/" + encodeURIComponent(sender));
      if (!answer.ok) return false;
      const messages = answer.data.messages || [];
      const users = messages.filter((m) => m.from === "user");
      if (sent && (!users.length || users[users.length - 1].text !== sent)) return false;
      render(messages);
      return true;
    } catch (e) {
      return false;
    }
  }

  // Load the conversation once (the history, read back from the server); a failure offers to retry.
  let ready = null;
  function start() {
    if (!ready) ready = loadHistory();
    return ready;
  }
  async function loadHistory() {
    if (!sender) return true;
    let answer = null;
    try { answer = await api("/api/conversations/" + encodeURIComponent(sender)); } catch (e) { /* offline */ }
    if (answer && answer.ok) {
      render(answer.data.messages || []);
      cursor = answer.data.cursor || 0;
      setLive(answer.data.live);
      return true;
    }
    ready = null;
    const item = el("li", { class: "error" });
    const again = el("button", { type: "button", class: "retry" }, TEXT.retry);
    item.append(el("div", { class: "bubble", role: "alert" }, (answer && answer.data.error) || TEXT.offline), again);
    log.insertBefore(item, typing);
    again.addEventListener("click", () => { item.remove(); begin(); });
    return false;
  }
  // Greet only a conversation with nothing in it (never one waiting in a form: the server checks too).
  async function begin() {
    if (await start() && !log.querySelector("li:not(.typing)") && !busy) send("/greet", null, false);
  }

  // ---- open, close
  function openPanel() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    host.classList.add("open");
    save(OPEN, "1");
    setUnread(0);
    scrollToEnd();
    input.focus();
    begin();
  }
  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    host.classList.remove("open");
    save(OPEN, "0");
    launcher.focus();
  }
  launcher.addEventListener("click", () => (panel.hidden ? openPanel() : closePanel()));
  close.addEventListener("click", closePanel);
  panel.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (!sheet.hidden) showChat(); else closePanel();
  });

  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    // Typed equals clicked: the title of a « Parler à une personne » button opens the form.
    const fold = (t) => t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z]+/g, " ").trim();
    const person = [...log.querySelectorAll(".buttons button")].find((b) => b.dataset.payload === PERSON && fold(b.textContent) === fold(text));
    if (person) { input.value = ""; openPerson(); return; }
    input.value = "";
    clearOldButtons();
    send(text);
  });
  input.addEventListener("input", () => { if (liveState === "held") typingPing(); });

  restartButton.addEventListener("click", () => {
    if (busy) return;
    if (isLive()) api("/api/live/" + encodeURIComponent(sender) + "/fin", {}).catch(() => {});
    stopLive();
    setLive(null);
    cursor = 0;
    sender = newId();
    save(KEY, sender);
    pending = null;
    render([]);
    send("/greet", null, false);
    input.focus();
  });

  // ---- the two forms: a person, the conversation by e-mail
  function showChat(note) {
    sheet.hidden = true;
    sheet.replaceChildren();
    chat.hidden = false;
    if (note) { addMessage("note", note); say.appendChild(el("p", {}, note)); scrollToEnd(); }
    input.focus();
  }

  function field(form, name, label, attrs, hint) {
    const id = "nq-f-" + name;
    const wrap = el("div", { class: "field" });
    const tag = attrs.rows ? "textarea" : "input";
    const control = el(tag, Object.assign({ id: id, name: name }, attrs));
    const error = el("p", { class: "field-error", id: id + "-error", hidden: "" });
    const described = [id + "-error"];
    wrap.append(el("label", { for: id }, label));
    if (hint) { wrap.append(el("p", { class: "hint", id: id + "-hint" }, hint)); described.unshift(id + "-hint"); }
    control.setAttribute("aria-describedby", described.join(" "));
    wrap.append(control, error);
    form.appendChild(wrap);
    return control;
  }

  function showErrors(form, errors) {
    let first = null;
    for (const control of form.querySelectorAll("input, textarea")) {
      const error = root.getElementById(control.id + "-error");
      const message = errors[control.name];
      control.setAttribute("aria-invalid", message ? "true" : "false");
      if (error) { error.hidden = !message; error.textContent = message ? message : ""; }
      if (message && !first) first = control;
    }
    if (first) first.focus();
  }

  // The address must prove itself: the code it received, in a field added before the buttons.
  function askCode(form, problem, message) {
    let code = form.elements.code;
    if (!code) {
      code = field(form, "code", "Code de confirmation reçu par courriel", { type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "6" }, message);
      form.insertBefore(code.parentNode, problem);
    } else {
      form.querySelector("#nq-f-code-hint").textContent = message;
    }
    code.focus();
  }

  function openSheet(heading, intro, build, submit) {
    chat.hidden = true;
    sheet.hidden = false;
    sheet.replaceChildren();
    const h = el("h3", { id: "nq-sheet-title", tabindex: "-1" }, heading);
    const form = el("form", { novalidate: "", "aria-labelledby": "nq-sheet-title" });
    sheet.append(h, el("p", {}, intro), form);
    build(form);
    const problem = el("p", { class: "form-error", role: "alert" });
    const row = el("div", { class: "form-actions" });
    const ok = el("button", { type: "submit", class: "primary" }, "Envoyer");
    const cancel = el("button", { type: "button" }, "Annuler");
    row.append(ok, cancel);
    form.append(problem, row);
    cancel.addEventListener("click", () => showChat());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (ok.getAttribute("aria-disabled") === "true") return;
      ok.setAttribute("aria-disabled", "true");
      problem.textContent = "";
      try {
        const answer = await submit(form);
        if (answer.ok && answer.data.code_required) { askCode(form, problem, answer.data.message); }
        else if (answer.ok) { showChat(answer.data.message); return; }
        else {
          showErrors(form, answer.data.fields || {});
          problem.textContent = answer.data.error || TEXT.offline;
        }
      } catch (e) {
        problem.textContent = TEXT.offline;
      }
      ok.setAttribute("aria-disabled", "false");
    });
    h.focus();
  }

  // « Parler à une personne »: live during the team's hours (the live queue), a callback
  // request otherwise or when the hours just ended (the server says so: 409).
  function personForm(form) {
    field(form, "name", "Votre nom", { type: "text", autocomplete: "name", maxlength: "120", required: "" });
    field(form, "email", "Courriel", { type: "email", autocomplete: "email", maxlength: "254" }, "Un courriel ou un téléphone suffit.");
    field(form, "phone", "Téléphone", { type: "tel", autocomplete: "tel", maxlength: "30" });
    field(form, "message", "Message", { rows: "3", maxlength: "500", required: "" });
    const wrap = el("div", { class: "field consent" });
    const box = el("input", { type: "checkbox", id: "nq-consent", name: "consent", "aria-describedby": "nq-consent-error" });
    const label = el("label", { for: "nq-consent" }, "J'accepte que l'équipe de 100 % NumériQC utilise ces coordonnées pour me répondre. ");
    const link = el("a", { href: BASE + "/confidentialite", target: "_blank", rel: "noopener" }, "Politique de confidentialité");
    const error = el("p", { class: "field-error", id: "nq-consent-error", hidden: "" });
    wrap.append(box, label, link, error);
    form.appendChild(wrap);
  }
  function personBody(form) {
    return {
      sender: conversationId(),
      name: form.elements.name.value,
      email: form.elements.email.value,
      phone: form.elements.phone.value,
      message: form.elements.message.value,
      consent: form.elements.consent.checked,
    };
  }
  async function openPerson() {
    showMore(false);
    if (isLive()) { showChat(); return; }
    let offer = null;
    try {
      const answer = await api("/api/live/" + encodeURIComponent(conversationId()));
      if (answer.ok) offer = answer.data;
    } catch (e) { /* offline: the callback form, which says so when sent */ }
    if (offer && offer.chat && ["waiting", "held"].includes(offer.chat.state)) { setLive(offer.chat); showChat(); return; }
    const live = Boolean(offer && offer.open);
    openSheet("Parler à une personne", (offer && offer.intro) || TEXT.personIntro, personForm, async (form) => {
      const body = personBody(form);
      if (live) {
        const answer = await api("/api/live", body);
        if (answer.ok) { setLive(answer.data.chat); return { ok: true, data: {} }; }
        if (answer.status !== 409) return answer;
      }
      return api("/api/contact", body);
    });
  }
  personButton.addEventListener("click", () => openPerson());

  // ---- the live chat: its state in the bar under the title, its lines as they come
  let liveState = null;
  let cursor = 0; // the last tracker event shown: the stream resumes after it
  let following = null;
  let stopTimer = null;
  let personTimer = null;
  let lastPing = 0;
  let liveWho = "";
  function isLive() { return liveState === "waiting" || liveState === "held"; }
  function setLive(chat) {
    const was = isLive();
    liveState = chat ? chat.state : null;
    if (isLive() && !was) clearOldButtons(); // the assistant is paused: its choices wait too
    notice.firstChild.textContent = isLive() ? TEXT.withPerson : TEXT.withBot;
    liveWho = (chat && chat.who) || "";
    liveBar.hidden = !isLive();
    liveBar.textContent = liveState === "waiting" ? TEXT.waiting : liveState === "held" ? TEXT.live(liveWho) : "";
    if (isLive()) { clearTimeout(stopTimer); startLive(); }
    else if (following && !stopTimer) stopTimer = setTimeout(stopLive, 15000); // its last notice may still come
  }
  function stopLive() {
    clearTimeout(stopTimer);
    stopTimer = null;
    if (following) following.stop();
    following = null;
  }
  function showPersonTyping(who) {
    typing.hidden = false;
    status.textContent = TEXT.personTyping(who || "");
    scrollToEnd();
    clearTimeout(personTimer);
    personTimer = setTimeout(() => { if (!busy || isLive()) { typing.hidden = true; status.textContent = ""; } }, 4000);
  }
  function typingPing() {
    if (Date.now() - lastPing < POLL_MS) return;
    lastPing = Date.now();
    api("/api/live/" + encodeURIComponent(sender) + "/ecrit", {}).catch(() => {});
  }
  function showLiveLine(line) {
    let item;
    if (line.from === "advisor") {
      typing.hidden = true;
      status.textContent = "";
      item = addMessage("advisor", line.text, null, line.who);
      item.setAttribute("tabindex", "-1");
      say.appendChild(el("p", {}, line.who + " : " + line.text));
    } else if (line.from === "notice") {
      item = addMessage("note", line.text);
      say.appendChild(el("p", {}, line.text));
    } else {
      showBot([{ text: line.text, buttons: line.buttons }]);
      return;
    }
    while (say.childNodes.length > 6) say.firstChild.remove();
    if (panel.hidden) setUnread(unread + 1);
    scrollToEnd();
    if (line.from === "notice" && !isLive() && following) stopLive(); // the chat's last word
  }
  function startLive() {
    if (following || !sender) return;
    const path = "/api/live/" + encodeURIComponent(sender);
    const handlers = {
      ligne: (line, id) => { if (id) cursor = Number(id); showLiveLine(line); },
      etat: (chat) => setLive(chat),
      ecrit: () => { if (liveState === "held") showPersonTyping(liveWho); },
    };
    let source = null;
    let timer = null;
    let failures = 0;
    const poll = async () => {
      try {
        const answer = await api(path + "/lignes?apres=" + cursor);
        if (answer.ok) {
          cursor = answer.data.cursor;
          for (const line of answer.data.lines) showLiveLine(line);
          setLive(answer.data.chat);
        }
      } catch (e) { /* offline: the next poll */ }
      if (following) timer = setTimeout(poll, POLL_MS);
    };
    following = { stop: () => { if (source) source.close(); clearTimeout(timer); } };
    if (!window.EventSource) { poll(); return; }
    source = new EventSource(BASE + path + "/flux?apres=" + cursor);
    for (const name of Object.keys(handlers)) {
      source.addEventListener(name, (event) => { failures = 0; handlers[name](JSON.parse(event.data), event.lastEventId); });
    }
    source.addEventListener("error", () => {
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures > 3) {
        source.close();
        source = null;
        if (isLive()) poll(); else following = null; // nothing live any more (204)
      }
    });
  }

  mailButton.addEventListener("click", () => openSheet(
    "Recevoir la conversation par courriel",
    "Votre adresse sert seulement à cet envoi : elle n'est pas conservée.",
    (form) => { field(form, "email", "Courriel", { type: "email", autocomplete: "email", maxlength: "254", required: "" }); },
    (form) => api("/api/transcript", {
      sender: conversationId(),
      email: form.elements.email.value,
      code: form.elements.code ? form.elements.code.value : undefined,
    }),
  ));

  function attach() {
    document.body.appendChild(host);
    if (sender) start(); // the history comes back even before the panel is opened (unread badge)
    if (load(OPEN) === "1" || new URLSearchParams(location.search).has("clavarder")) openPanel();
  }
  if (document.body) attach(); else document.addEventListener("DOMContentLoaded", attach);
})();
