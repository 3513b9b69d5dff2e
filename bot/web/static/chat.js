// Chat page: sends the merchant's messages to /api/messages and shows the bot's replies.
// Every text is inserted with textContent (never as HTML); only [label](/path) links become links.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");

  function senderId() {
    let id = sessionStorage.getItem("numeriqc-sender");
    if (!id) {
      id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/[^A-Za-z0-9-]/g, "");
      sessionStorage.setItem("numeriqc-sender", id);
    }
    return id;
  }

  function appendText(parent, text) {
    // Our own paths only: "/confidentialite", never "//other-host" (another site).
    const link = /\[([^\]]+)\]\((\/(?:[A-Za-z0-9_-][A-Za-z0-9/_-]*)?)\)/g;
    let last = 0;
    let match;
    while ((match = link.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const a = document.createElement("a");
      a.href = match[2];
      a.textContent = match[1];
      a.target = "_blank";
      a.rel = "noopener";
      parent.appendChild(a);
      last = link.lastIndex;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function show(kind, text, buttons) {
    const item = document.createElement("li");
    item.className = kind;
    if (text) {
      const bubble = document.createElement("div");
      bubble.className = "bubble";
      appendText(bubble, text);
      item.appendChild(bubble);
    }
    if (buttons && buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      for (const b of buttons) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", () => { row.remove(); send(b.payload, b.title); });
        row.appendChild(button);
      }
      item.appendChild(row);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  async function send(text, shownAs) {
    if (shownAs !== null) show("user", shownAs || text);
    try {
      const reply = await fetch("/api/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: senderId(), message: text }),
      });
      const data = await reply.json();
      if (!reply.ok) { show("error", data.error || "Une erreur est survenue. Réessayez."); return; }
      for (const m of data.messages) show("bot", m.text, m.buttons);
    } catch (e) {
      show("error", "Impossible de joindre l'assistant. Vérifiez votre connexion et réessayez.");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  send("/greet", null);
})();
