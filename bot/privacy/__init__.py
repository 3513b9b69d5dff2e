"""Law 25 in practice: find a person's file, export it, correct it, erase it (application
database, Rasa's tracker store, mail outbox), the retention job, one-time codes that confirm a
merchant's identity in the chat, the chat's rights requests, the incident register and the
rights requests received by the privacy page. Plain typed Python; see docs/PRIVACY.md."""
