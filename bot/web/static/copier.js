// « Copier le lien »: a button data-copy="<input id>" copies that field and says so in the
// element data-copied="<input id>". Without JavaScript the button stays hidden and the field
// can still be selected and copied by hand.
"use strict";
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const said = document.querySelector(`[data-copied="${button.dataset.copy}"]`);
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (said) said.textContent = "Lien copié.";
    } catch {
      field.select();
      if (said) said.textContent = "Sélectionné : copiez-le avec Ctrl+C (ou ⌘+C).";
    }
  });
});
